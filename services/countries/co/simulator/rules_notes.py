"""Notes and their references: a note corrects a document DIAN accepted from the same issuer.

As DIAN's ValidateNoteReference: the referenced key must be known (CBG04a; NSBG04 for a nota de
ajuste whose documento soporte is unknown), issued by the note's issuer (CBG04b), on or before
the note's date (CBG06). Notes of operation 20/30 and every nota de ajuste (95) must reference
a document; 22/32 notes are allowed without one (reference §3.3).
"""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co.simulator.context import ValidationContext
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

CBG02 = "Se requiere obligatoriamente referencia a documento."
CBG03 = "ID de FE de referencia no relacionada."
CBG04A = "Documento referenciado no existe en los registros de la DIAN."
NSBG04 = "CUDS de DS referenciada no existe."
CBG04B = "Documento referenciado no pertenece al emisor."
CBG05 = "Algoritmo no corresponde."
# Both dates are YYYY-MM-DD (the note's is checked on reading), so text order is date order.
CBG06 = "Fecha de emisión de la nota es anterior a la fecha de emisión de FE referenciada."
WITH_REFERENCE = {"91": ("20",), "92": ("30",), "95": None}  # None: always
SCHEMES = {"91": ("CUFE-SHA384", "CUDE-SHA384"), "92": ("CUFE-SHA384", "CUDE-SHA384")}


def _must_reference(facts: DocumentFacts) -> bool:
    operations = WITH_REFERENCE[facts.document_type]
    return operations is None or facts.customization_id in operations


def references(facts: DocumentFacts, context: ValidationContext) -> Iterator[Finding]:
    """CBG02-CBG06 (DBG.. on debit notes, NSBG.. on notas de ajuste)."""
    if facts.document_type not in WITH_REFERENCE:
        return
    if not facts.references or not facts.references[0].uuid:
        if _must_reference(facts):
            yield finding(facts, "BG02", CBG02)
        return
    reference = facts.references[0]
    if reference.scheme_name not in SCHEMES.get(facts.document_type, ("CUDS-SHA384",)):
        yield finding(facts, "BG05", CBG05)
    original = context.accepted(reference.uuid)
    if original is None:
        if facts.document_type == "95":
            yield finding(facts, "BG04", NSBG04)
        else:
            yield finding(facts, "BG04a", CBG04A)
        return
    if original.nit != facts.issuer_nit:
        yield finding(facts, "BG04b", CBG04B)
        return
    if reference.number and reference.number != original.number:
        yield finding(facts, "BG03", CBG03)
    if original.issue_date > facts.issue_date:
        yield finding(facts, "BG06", CBG06)
