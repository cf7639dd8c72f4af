"""DIAN's rule identifiers per document type: FAD06 on an invoice is CAD06 on a credit note.

A rule id is a document prefix and a suffix naming the group and element (reference §8.3):
F factura (01-04), C nota crédito (91), D nota débito (92), DS documento soporte (05),
NS nota de ajuste al documento soporte (95).
"""

from __future__ import annotations

from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

_PREFIXES = {"91": "C", "92": "D", "05": "DS", "95": "NS"}


def prefix(document_type: str) -> str:
    """The rule-id prefix of a document type (F for every invoice type)."""
    return _PREFIXES.get(document_type, "F")


def finding(facts: DocumentFacts, suffix: str, text: str, *, rejection: bool = True) -> Finding:
    """A finding of the rule `suffix` (e.g. "AD06") under the document's prefix."""
    return Finding(prefix(facts.document_type) + suffix, text, rejection)
