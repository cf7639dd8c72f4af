"""Checking one DTE of an envelope on its own: stamp, signature, references, totals.

The SII checks a DTE's signature with the DTE taken out of the envelope as a document of its own
(reference §5.4): its C14N then sees the namespaces the DTE declares itself, not the envelope's
`xmlns:xsi`. A DTE signed inside the envelope therefore fails here, as at the SII (DTE-3-505).
A DTE signed with no namespace at all (the SII's own example) is accepted too.

These checks need no database: they run in the worker pool. Those that need what the SII
already holds (duplicates, annulled folios, referenced documents) come after, in `judgement`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl.simulator import signatures
from services.countries.cl.simulator.codes import Finding, finding
from services.countries.cl.simulator.dte_facts import (
    NOTE_TYPES,
    NS,
    SII,
    DocumentFacts,
    document_of,
    read_facts,
    text,
)
from services.countries.cl.simulator.stamp_check import check_stamp

# Totales elements besides neto, exento, tasa, IVA and total: when any is present, the total is
# made of more than this simulator recomputes, so it does not judge it.
_OTHER_TOTALS = (
    "MntBase",
    "MntMargenCom",
    "IVAProp",
    "IVATerc",
    "ImptoReten",
    "IVANoRet",
    "CredEC",
    "GrntDep",
    "Comisiones",
)


@dataclass(frozen=True)
class DocumentCheck:
    """A DTE's facts and what was found wrong with it (the first rejection, or reparos)."""

    facts: DocumentFacts
    findings: tuple[Finding, ...]

    @property
    def rejected(self) -> bool:
        """Whether a finding rejects the document."""
        return any(f.severity >= 3 for f in self.findings)


def _without_namespace(root: etree._Element) -> etree._Element:
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(f"{{{SII}}}"):
            element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(root)
    return root


def signature_holds(dte: etree._Element) -> bool:
    """Whether the DTE's signature verifies with the DTE as a document of its own."""
    reference = f"#{document_of(dte).get('ID', '')}"
    standalone = copy.deepcopy(dte)  # a new document: only the namespaces the DTE uses
    for candidate in (standalone, _without_namespace(copy.deepcopy(dte))):
        signature = candidate.find(f"{{{signatures.DS}}}Signature")
        if signature is None:
            return False
        try:
            signatures.verify(signature, reference)
            return True
        except signatures.BadSignature:
            continue
    return False


def _reference_problem(facts: DocumentFacts) -> Finding | None:
    if facts.dte_type not in NOTE_TYPES:
        return None
    if not facts.references:
        return finding("REF-3-415")
    for reference in facts.references:
        if reference.document_type.isdigit() and reference.code is None:
            return finding("REF-3-758", line=reference.line)
    return None


def _amount(document: etree._Element, name: str) -> int | None:
    value = text(document, f"s:Encabezado/s:Totales/s:{name}")
    return int(value) if value.lstrip("-").isdigit() else None


def repairs(dte: etree._Element) -> tuple[Finding, ...]:
    """Reparos: totals the SII recomputes differently. They do not reject ([FMT] p.10)."""
    document = document_of(dte)
    totals = document.find("s:Encabezado/s:Totales", NS)
    if totals is None or any(totals.find(f"s:{n}", NS) is not None for n in _OTHER_TOTALS):
        return ()
    net, exempt, vat, total = (
        _amount(document, name) for name in ("MntNeto", "MntExe", "IVA", "MntTotal")
    )
    rate = text(document, "s:Encabezado/s:Totales/s:TasaIVA")
    found = []
    if net is not None and vat is not None and rate:
        expected = (Decimal(net) * Decimal(rate) / 100).quantize(Decimal(1), ROUND_HALF_UP)
        if expected != vat:
            found.append(finding("TOT-1-601", iva=vat, expected=expected))
    components = (net or 0) + (exempt or 0) + (vat or 0)
    if total is not None and total != components:
        found.append(finding("TOT-2-602", total=total, expected=components))
    return tuple(found)


def check_document(dte: etree._Element, sii_keys: dict[int, rsa.RSAPublicKey]) -> DocumentCheck:
    """Check a schema-valid DTE: the first rejection in the SII's order, else its reparos."""
    facts = read_facts(dte)
    problem = check_stamp(dte, facts, sii_keys)
    if problem is None and not signature_holds(dte):
        problem = finding("DTE-3-505")
    if problem is None:
        problem = _reference_problem(facts)
    if problem is not None:
        return DocumentCheck(facts, (problem,))
    return DocumentCheck(facts, repairs(dte))
