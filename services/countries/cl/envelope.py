"""The EnvioDTE envelope: a Carátula, up to 2,000 signed DTEs and the SetDTE signature.

Each DTE was signed standalone and its bytes are final: they are spliced into SetDTE unchanged,
never re-serialised (sii-chile.md §5.4, §6; LibreDTE renders the envelope around a placeholder
and string-replaces it the same way). The SetDTE is then signed in full context — the root
declares `xmlns` and `xmlns:xsi` — and the Signature's own bytes are spliced before the
closing tag, so nothing already written is touched. Facturas and guías are placed before the
notes so that a note never precedes, in an envelope, the document it corrects.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree

from services.countries.cl import clock, codes, sii_xml, xmldsig
from services.countries.cl.signer_certificate import holder_run
from services.countries.cl.sii_xml import XSI_NS, sub, tag
from services.countries.cl.xml_input import parse_xml
from services.countries.pack import Credentials, IssuerProfile

SET_ID = "SetDoc"
SCHEMA_LOCATION = "http://www.sii.cl/SiiDte EnvioDTE_v10.xsd"
_DECLARATION = re.compile(rb"\A<\?xml[^>]*encoding=[\"']([A-Za-z0-9_-]+)[\"'][^>]*\?>\s*")
_DTE = re.compile(rb"<DTE[\s>].*?</DTE>", re.S)


class EnvelopeRefused(ValueError):
    """The DTEs cannot go into one envelope; the message says which and why."""


@dataclass(frozen=True)
class _Signed:
    body: bytes  # the DTE's bytes without the XML declaration
    dte_type: int
    folio: int


def _signed(index: int, content: bytes, issuer: str) -> _Signed:
    declaration = _DECLARATION.match(content)
    if declaration is None or declaration.group(1).upper() != b"ISO-8859-1":
        raise EnvelopeRefused(f"DTE #{index + 1} is not ISO-8859-1 with its XML declaration")
    root = parse_xml(content)
    if root.tag != tag("DTE") or root.find(f"{{{sii_xml.DS_NS}}}Signature") is None:
        raise EnvelopeRefused(f"DTE #{index + 1} is not a signed <DTE>")
    header = f"{tag('Documento')}/{tag('Encabezado')}"
    emitter = root.findtext(f"{header}/{tag('Emisor')}/{tag('RUTEmisor')}")
    if emitter != issuer:
        raise EnvelopeRefused(f"DTE #{index + 1} is issued by {emitter}, not by {issuer}")
    id_doc = f"{header}/{tag('IdDoc')}"
    return _Signed(
        body=content[declaration.end() :].rstrip(),
        dte_type=int(root.findtext(f"{id_doc}/{tag('TipoDTE')}") or 0),
        folio=int(root.findtext(f"{id_doc}/{tag('Folio')}") or 0),
    )


def _caratula(
    issuer: IssuerProfile, sender_run: str, receiver: str, signed_at: str, types: Counter[int]
) -> etree._Element:
    if issuer.authorization_date is None:
        raise EnvelopeRefused(f"issuer {issuer.tax_id} has no SII resolution date (FchResol)")
    node = etree.Element(tag("Caratula"), version="1.0")
    sub(node, "RutEmisor", issuer.tax_id)
    sub(node, "RutEnvia", sender_run)
    sub(node, "RutReceptor", receiver)
    sub(node, "FchResol", issuer.authorization_date.isoformat())
    sub(node, "NroResol", issuer.authorization_number or "0")
    sub(node, "TmstFirmaEnv", signed_at)
    for dte_type, count in sorted(types.items()):
        subtotal = sub(node, "SubTotDTE")
        sub(subtotal, "TpoDTE", dte_type)
        sub(subtotal, "NroDTE", count)
    return node


def build_envelope(
    signed_dtes: list[bytes],
    issuer: IssuerProfile,
    sender: Credentials,
    *,
    receiver: str = codes.SII_RUT,
    signed_at: datetime | None = None,
    sender_run: str | None = None,
) -> bytes:
    """A signed EnvioDTE (ISO-8859-1) carrying `signed_dtes` unchanged, for `receiver`.

    RutEnvia is the RUN in the sender's certificate (or `sender_run` when given); `receiver`
    is the SII (60803000-K) for uploads, the buyer's RUT for intercambio.
    """
    if not 1 <= len(signed_dtes) <= codes.ENVELOPE_LIMIT:
        raise EnvelopeRefused(
            f"an envelope carries 1 to {codes.ENVELOPE_LIMIT} DTEs, got {len(signed_dtes)}"
        )
    dtes = [_signed(i, content, issuer.tax_id) for i, content in enumerate(signed_dtes)]
    repeated = [k for k, n in Counter((d.dte_type, d.folio) for d in dtes).items() if n > 1]
    if repeated:
        raise EnvelopeRefused(f"DTE type {repeated[0][0]} folio {repeated[0][1]} is there twice")
    dtes.sort(key=lambda d: codes.KINDS[d.dte_type].note if d.dte_type in codes.KINDS else False)
    run = sender_run or holder_run(sender.certificate)
    moment = clock.timestamp(signed_at or datetime.now(UTC))

    root = etree.Element(
        tag("EnvioDTE"), nsmap={None: sii_xml.SII_NS, "xsi": XSI_NS}, version="1.0"
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    envelope_set = sub(root, "SetDTE")
    envelope_set.set("ID", SET_ID)
    envelope_set.append(_caratula(issuer, run, receiver, moment, Counter(d.dte_type for d in dtes)))
    skeleton = etree.tostring(root, encoding=sii_xml.ENCODING, xml_declaration=False)
    head, tail = skeleton.split(b"</SetDTE>")
    unsigned = head + b"".join(d.body for d in dtes) + b"</SetDTE>" + tail

    signature = xmldsig.signature(
        parse_xml(sii_xml.XML_DECLARATION + unsigned),
        SET_ID,
        sender.private_key,
        sender.certificate,
        ancestor_namespaces={"xsi": XSI_NS},
    )
    signature_bytes = etree.tostring(signature, encoding=sii_xml.ENCODING, xml_declaration=False)
    closing = b"</EnvioDTE>"
    if not unsigned.endswith(closing):
        raise AssertionError("the envelope skeleton must end with its closing tag")
    return sii_xml.XML_DECLARATION + unsigned[: -len(closing)] + signature_bytes + closing


def signed_dtes(envelope: bytes) -> list[bytes]:
    """Each DTE of an envelope as the standalone document it was signed as (its bytes as they
    stand in the envelope, with an ISO-8859-1 declaration) — how the SII checks DTE signatures."""
    root = parse_xml(envelope)
    expected = len(root.findall(f"{tag('SetDTE')}/{tag('DTE')}"))
    found = _DTE.findall(envelope)
    if len(found) != expected:
        raise ValueError(
            f"the envelope holds {expected} DTE elements but {len(found)} unprefixed <DTE> texts"
        )
    declaration = _DECLARATION.match(envelope)
    encoding = declaration.group(1).decode("ascii") if declaration else "UTF-8"
    prefix = f'<?xml version="1.0" encoding="{encoding}"?>\n'.encode("ascii")
    return [prefix + piece for piece in found]
