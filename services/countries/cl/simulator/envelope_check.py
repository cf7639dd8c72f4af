"""Checking an uploaded EnvioDTE as a whole: schema, carátula, then the envelope's signature.

Each failure stops the envelope at the SII's state for it (reference §7.4): RSC for the schema
(cl-sii's copy of the SII's EnvioDTE_v10.xsd), RCT for the carátula (the company, the sender,
the SII as receiver, the resolution, the subtotals), RFR for the signature over SetDTE (checked
in the full envelope context, §5.4) or a signer who may not send for the company.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from lxml import etree

from services.core import untrusted_xml
from services.countries.cl.simulator import codes, signatures
from services.countries.cl.simulator.codes import finding
from services.countries.cl.simulator.dte_facts import NS, SII, document_of, text
from services.countries.cl.simulator.identities import SII_RUT
from services.countries.cl.simulator.registry import Company

ENVELOPE = f"{{{SII}}}EnvioDTE"
_SCHEMA_FILE = "EnvioDTE_v10.xsd"
_MAX_SCHEMA_ERRORS = 10
_local = threading.local()


def schema_path() -> Path:
    """The EnvioDTE XSD shipped by the installed cl-sii package (used there, never copied)."""
    for file in metadata.distribution("cl-sii").files or ():
        if file.name == _SCHEMA_FILE and "factura_electronica" in str(file):
            return Path(str(file.locate()))
    raise FileNotFoundError(f"cl-sii does not ship {_SCHEMA_FILE}")


def _schema() -> etree.XMLSchema:
    # One compiled schema per thread: lxml validators keep per-validation state.
    schema = getattr(_local, "schema", None)
    if schema is None:
        schema = _local.schema = etree.XMLSchema(etree.parse(str(schema_path())))
    return schema


@dataclass(frozen=True)
class EnvelopeCheck:
    """How far the envelope got (its states), what stopped it, and its DTEs if it passed."""

    stages: tuple[str, ...]
    errors: tuple[str, ...] = ()
    dtes: list[etree._Element] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The envelope's final state."""
        return self.stages[-1]


def read_envelope(content: bytes) -> etree._Element:
    """The envelope's root; UnsafeXml if it is not well-formed XML or not an EnvioDTE."""
    root = untrusted_xml.parse(content)
    if root.tag != ENVELOPE:
        raise untrusted_xml.UnsafeXml(f"the root element is {root.tag}, not {ENVELOPE}")
    return root


def _schema_errors(root: etree._Element) -> tuple[str, ...]:
    schema = _schema()
    if schema.validate(root):
        return ()
    return tuple(
        finding("ENV-3-0", error=f"line {e.line}: {e.message}").line()
        for e in list(schema.error_log)[:_MAX_SCHEMA_ERRORS]
    )


def _cover_errors(
    cover: etree._Element, dtes: list[etree._Element], company: Company, sender: str
) -> tuple[str, ...]:
    errors = []
    if text(cover, "s:RutEmisor") != company.rut:
        errors.append(f"RutEmisor {text(cover, 's:RutEmisor')} no corresponde a la empresa")
    if text(cover, "s:RutEnvia") != sender:
        errors.append(f"RutEnvia {text(cover, 's:RutEnvia')} no corresponde a quien envia")
    if text(cover, "s:RutReceptor") != SII_RUT:
        errors.append(f"RutReceptor debe ser {SII_RUT}")
    resolution = (text(cover, "s:FchResol"), text(cover, "s:NroResol"))
    if resolution != (company.resolution_date.isoformat(), str(company.resolution_number)):
        errors.append(finding("CRT-3-19").line())
    declared: Counter[str] = Counter()
    for subtotal in cover.findall("s:SubTotDTE", NS):
        declared[text(subtotal, "s:TpoDTE")] += int(text(subtotal, "s:NroDTE"))
    counted = Counter(text(document_of(d), "s:Encabezado/s:IdDoc/s:TipoDTE") for d in dtes)
    if declared != counted:
        errors.append("SubTotDTE no corresponde a los DTE del envio")
    return tuple(errors)


def check_envelope(root: etree._Element, company: Company, sender: str) -> EnvelopeCheck:
    """Check an EnvioDTE uploaded for `company` by `sender`."""
    schema_errors = _schema_errors(root)
    if schema_errors:
        return EnvelopeCheck((codes.RECEIVED, codes.SCHEMA_REJECTED), schema_errors)
    dtes = root.findall("s:SetDTE/s:DTE", NS)
    cover = root.find("s:SetDTE/s:Caratula", NS)
    assert cover is not None  # the schema requires it
    cover_errors = _cover_errors(cover, dtes, company, sender)
    if cover_errors:
        return EnvelopeCheck((codes.RECEIVED, codes.SCHEMA_OK, codes.COVER_REJECTED), cover_errors)
    set_id = root.find("s:SetDTE", NS).get("ID", "")  # type: ignore[union-attr]
    signature = root.find(f"{{{signatures.DS}}}Signature")
    stopped = (codes.RECEIVED, codes.SCHEMA_OK, codes.COVER_OK, codes.SIGNATURE_REJECTED)
    try:
        signer = signatures.verify(signature, f"#{set_id}")  # type: ignore[arg-type]
    except signatures.BadSignature as problem:
        return EnvelopeCheck(stopped, (f"Firma del envio: {problem}",))
    if signer.run != sender or signer.run not in company.senders:
        return EnvelopeCheck(stopped, (f"Usuario {signer.run} no autorizado a enviar",))
    return EnvelopeCheck(codes.ACCEPTED_PATH, (), dtes)
