"""Party data: identification numbers, their DV (dígito de verificación) and their types.

Codes follow DIAN's validator (ValidateNit): the group letter is the XML group, J for
AccountingSupplierParty and K for AccountingCustomerParty, so on a documento soporte, whose
issuer is the customer party, the issuer's DV is DSAK24 and the seller's DSAJ24b.
"""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co.nit import is_valid
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts, PartyId
from services.countries.co.verification.findings import Finding

NIT = "31"
FAB22A = (
    "Fue informado que Prestador de Servicios está identificado por NIT y el DV no fue "
    "informado en el atributo @schemeID."
)
FAB22B = "DV del NIT del Prestador de Servicios no está correctamente calculado."
FAJ24 = "DV del NIT del emisor del documento no está correctamente calculado."
FAJ47 = "DV del NIT del emisor no informado o no corresponde al NIT."
FAJ48 = "El contenido de este atributo no corresponde a 31."
FAK21 = "ID de adquiriente no informado."
FAK24 = "DV no corresponde al NIT informado."


def _dv_wrong(identifier: PartyId) -> bool:
    """Whether a NIT (schemeName 31) lacks its DV or carries the wrong one."""
    return identifier.scheme_name == NIT and not is_valid(identifier.value, identifier.check_digit)


def provider(facts: DocumentFacts) -> Iterator[Finding]:
    """FAB22a/b: the DV of the software provider's NIT (sts:ProviderID)."""
    if not facts.provider.value:
        return
    if not facts.provider.check_digit:
        yield finding(facts, "AB22a", FAB22A)
    elif not is_valid(facts.provider.value, facts.provider.check_digit):
        yield finding(facts, "AB22b", FAB22B)


def issuer(facts: DocumentFacts) -> Iterator[Finding]:
    """FAJ24 (PartyTaxScheme DV), FAJ47/FAJ48 (PartyLegalEntity DV and identification type)."""
    if _dv_wrong(facts.issuer.tax_id):
        yield finding(facts, "AK24" if facts.is_support else "AJ24", FAJ24)
    legal = facts.issuer.legal_id
    if facts.is_support or legal is None:
        return
    if legal.scheme_name != NIT:
        yield finding(facts, "AJ48", FAJ48)
    elif _dv_wrong(legal):
        yield finding(facts, "AJ47", FAJ47)


def counterpart(facts: DocumentFacts) -> Iterator[Finding]:
    """FAK21 (buyer id missing) and FAK24 (buyer DV); DSAJ24b for the seller of a DS."""
    other = facts.counterpart
    if facts.is_support:
        if _dv_wrong(other.tax_id):
            yield finding(facts, "AJ24b", FAK24)
        return
    if not other.tax_id.value:
        yield finding(facts, "AK21", FAK21)
    elif _dv_wrong(other.tax_id):
        yield finding(facts, "AK24", FAK24)


def parties(facts: DocumentFacts) -> Iterator[Finding]:
    """Every party rule, provider first, in DIAN's order."""
    yield from provider(facts)
    yield from issuer(facts)
    yield from counterpart(facts)
