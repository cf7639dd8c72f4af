"""The document key: CUFE, CUDE or CUDS recomputed, its algorithm and its environment.

The secret that keys it (reference §1, DIAN's ValidateCufe): the numbering range's technical
key for invoices 01, 02 and 04 (DIAN's fixed habilitación key for the shared test resolution);
the software PIN for 03, 91 and 92 (CUDE) and for 05 and 95 (CUDS).
"""

from __future__ import annotations

from collections.abc import Iterator

from services.countries.co import habilitacion
from services.countries.co.simulator.context import ValidationContext
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.simulator.rules_numbering import owned_resolution, range_kind
from services.countries.co.simulator.rules_software import authorised_software
from services.countries.co.verification import keys
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

FAD04 = (
    "ProfileExecutionID no indica un valor válido para ambiente de destino del documento "
    "(1= Producción; 2= Prueba)"
)
FAD06 = "Valor del {} no está calculado correctamente."
FAD07 = (
    "@schemeID no indica un valor válido para ambiente de destino del documento "
    "(1= Producción; 2= Prueba)"
)
FAD08 = "No fue utilizado o informado uno de los algoritmos permitidos para el cálculo del {}."
ENVIRONMENTS = ("1", "2")


def secret(facts: DocumentFacts, context: ValidationContext) -> str | None:
    """What keys this document's CUFE/CUDE/CUDS, or None when DIAN would have nothing to use."""
    spec = keys.key_spec(facts.document_type)
    if spec is keys.CUFE:
        resolution = owned_resolution(facts, context.resolution(facts.authorization))
        if resolution is None or range_kind(facts.document_type) != resolution.kind:
            return None  # FAB05a/b or FAD05e already reject it
        if resolution.number == habilitacion.AUTHORIZATION:
            return habilitacion.TECHNICAL_KEY
        return resolution.technical_key or None
    software = authorised_software(facts, context)
    return software.pin if software is not None else None


def document_key(
    facts: DocumentFacts,
    context: ValidationContext,
    cuds_variant: keys.CudsVariant = keys.CudsVariant.TAX_01_ONLY,
) -> Iterator[Finding]:
    """FAD04, FAD07, FAD08 and FAD06 (CAD06, DAD06, DSAD06, NSAD06 on the other types)."""
    spec = keys.key_spec(facts.document_type)
    if facts.environment not in ENVIRONMENTS:
        yield finding(facts, "AD04", FAD04)
    if facts.uuid_scheme_id != facts.environment:
        yield finding(facts, "AD07", FAD07)
    if facts.uuid_scheme_name != spec.scheme_name:
        yield finding(facts, "AD08", FAD08.format(spec.name))
    key = secret(facts, context)
    if key is None:
        return
    if keys.document_key(facts, key, cuds_variant) != facts.uuid:
        yield finding(facts, "AD06", FAD06.format(spec.name))
