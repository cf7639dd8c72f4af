"""The signing date: the day of xades:SigningTime, in Colombian time, must be cbc:IssueDate."""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding
from services.countries.co.verification.signature import BOGOTA, signing_day

__all__ = ["BOGOTA", "FAD09E", "signing_date"]

FAD09E = "La fecha de generación de la factura es diferente a la fecha de firma de la factura."


def signing_date(facts: DocumentFacts, signing_time: str) -> Iterator[Finding]:
    """FAD09e (CAD09e, DAD09e, DSAD09e, NSAD09e): signed on another day than issued."""
    if signing_day(signing_time) != facts.issue_date:
        yield finding(facts, "AD09e", FAD09E)
