"""DIAN's validation of one document: its signature, its facts and what the portal knows.

`evaluate` runs every rule module in DIAN's reporting order and returns the findings; a
document is accepted when none of them is a rejection. Pure: the lookups come in a
`ValidationContext` (registry and ledger), never from the database directly.
"""

from __future__ import annotations

from services.countries.co.simulator import (
    rules_allowances,
    rules_dates,
    rules_header,
    rules_keys,
    rules_notes,
    rules_numbering,
    rules_parties,
    rules_payment,
    rules_software,
    rules_taxes,
    rules_totals,
)
from services.countries.co.simulator.context import ValidationContext
from services.countries.co.simulator.rules_dates import BOGOTA
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding
from services.countries.co.verification.keys import CudsVariant
from services.countries.co.verification.signature import SignatureCheck

__all__ = ["BOGOTA", "evaluate"]


def _content(
    facts: DocumentFacts, context: ValidationContext, cuds_variant: CudsVariant
) -> list[Finding]:
    resolution = context.resolution(facts.authorization) if facts.authorization else None
    return [
        *rules_numbering.numbering(facts, resolution),
        *rules_keys.document_key(facts, context, cuds_variant),
        *rules_software.software(facts, context),
        *rules_header.header(facts),
        *rules_header.exchange_rate(facts),
        *rules_parties.parties(facts),
        *rules_totals.totals(facts),
        *rules_taxes.taxes(facts),
        *rules_taxes.withholdings(facts),
        *rules_allowances.allowances(facts),
        *rules_payment.payment(facts),
        *rules_notes.references(facts, context),
    ]


def evaluate(
    facts: DocumentFacts,
    signature: SignatureCheck,
    context: ValidationContext,
    *,
    cuds_variant: CudsVariant = CudsVariant.TAX_01_ONLY,
) -> list[Finding]:
    """Every finding for one document, signature first, in DIAN's reporting order.

    `cuds_variant` picks the CUDS layout of documento soporte keys (reference §1.3).
    """
    findings = list(signature.findings)
    # An unsigned document has no signing time to compare (ZE01 already rejects it).
    if signature.signing_time:
        findings.extend(rules_dates.signing_date(facts, signature.signing_time))
    findings.extend(_content(facts, context, cuds_variant))
    return findings
