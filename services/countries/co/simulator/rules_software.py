"""The software: its SoftwareID must be authorised for the issuer, and the security code hash.

A software is authorised for a document when it is the issuer's own, the software of the
technology provider the document names (sts:ProviderID), or associated with the resolution the
document numbers from (DIAN's "asociar prefijos").
"""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co.simulator.context import ValidationContext
from services.countries.co.simulator.registry import Software
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding
from services.countries.co.verification.keys import sha384_hex

FAB24A = "No se encuentra informado el código de software."
FAB24B = (
    "El identificador del software asignado cuando el software se activa en el Sistema de "
    "Facturación Electrónica no corresponde a un software autorizado para este OFE."
)
FAB27A = "No se encuentra el código de seguridad del software."
FAB27B = "Huella no corresponde a un software autorizado para este OFE."


def authorised_software(facts: DocumentFacts, context: ValidationContext) -> Software | None:
    """The registered software the document names, when it may issue for this issuer."""
    if not facts.software_id:
        return None
    software = context.software(facts.software_id)
    if software is None:
        return None
    if software.nit in (facts.issuer_nit, facts.provider.value):
        return software
    resolution = context.resolution(facts.authorization) if facts.authorization else None
    if resolution is not None and facts.software_id in resolution.software_ids:
        return software
    return None


def software(facts: DocumentFacts, context: ValidationContext) -> Iterator[Finding]:
    """FAB24a/b and FAB27a/b (SoftwareSecurityCode = SHA-384 of SoftwareID + PIN + number)."""
    if not facts.software_id:
        yield finding(facts, "AB24a", FAB24A)
        return
    registered = authorised_software(facts, context)
    if registered is None:
        yield finding(facts, "AB24b", FAB24B)
        return
    if not facts.security_code:
        yield finding(facts, "AB27a", FAB27A)
        return
    expected = sha384_hex(f"{registered.software_id}{registered.pin}{facts.number}")
    if facts.security_code != expected:
        yield finding(facts, "AB27b", FAB27B)
