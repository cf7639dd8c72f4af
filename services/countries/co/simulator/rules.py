"""DIAN's validation rules over an invoice's facts and what the portal has registered. Pure."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from services.countries.co.cufe import KeyFields, cufe, software_security_code
from services.countries.co.simulator.facts import InvoiceFacts
from services.countries.co.simulator.findings import Finding
from services.countries.co.simulator.registry import Resolution, Software

# DIAN judges signing dates in Colombian time (UTC-5, no daylight saving).
BOGOTA = timezone(timedelta(hours=-5))

# Texts as DIAN's validator and rule table word them (reference §2, §3.2, §8.3).
FAB05A = "No se encuentra el número de autorización del rango de numeración otorgado."
FAB05B = (
    "Número de la resolución que autoriza la numeración no corresponde a un número de "
    "resolución de este contribuyente emisor para este Proveedor de Autorización."
)
FAB07B = (
    "Fecha inicial del rango de numeración informado no corresponde a la fecha inicial de los "
    "rangos vigente para el contribuyente."
)
FAB08B = (
    "Fecha final del rango de numeración informado no corresponde a la fecha final de los "
    "rangos vigente para el contribuyente."
)
FAB10B = "El prefijo debe corresponder al prefijo autorizado en la resolución."
FAB11B = (
    "Valor inicial del rango de numeración informado no corresponde a un valor inicial de los "
    "rangos vigente para el contribuyente emisor."
)
FAB12B = (
    "Valor final del rango de numeración informado no corresponde a un valor final de los "
    "rangos vigentes para el contribuyente emisor."
)
FAB24B = (
    "El identificador del software asignado cuando el software se activa en el Sistema de "
    "Facturación Electrónica no corresponde a un software autorizado para este OFE."
)
FAB27B = "Huella no corresponde a un software autorizado para este OFE."
FAD05B = "Número de factura es inferior al número inicial del rango de numeración autorizado."
FAD05C = "Número de factura es superior al número final del rango de numeración autorizado."
FAD05D = "Número de factura no está contenido en el rango de numeración autorizado."
FAD06 = "Valor del CUFE no está calculado correctamente."
FAD07 = (
    "@schemeID no indica un valor válido para ambiente de destino del documento "
    "(1= Producción; 2= Prueba)"
)
FAD09A = "Fecha de emisión anterior a la fecha de inicio de la autorización de la numeración."
FAD09B = "Fecha de emisión posterior a la fecha final de la autorización de la numeración."
FAD09E = "La fecha de generación de la factura es diferente a la fecha de firma de la factura."


def _as_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def numbering(facts: InvoiceFacts, resolution: Resolution | None) -> Iterator[Finding]:
    """The InvoiceControl must repeat the issuer's resolution; the number must fall inside it."""
    if not facts.authorization:
        yield Finding("FAB05a", FAB05A)
        return
    if resolution is None or resolution.nit != facts.supplier_nit:
        yield Finding("FAB05b", FAB05B)
        return
    if _as_date(facts.period_start) != resolution.valid_from:
        yield Finding("FAB07b", FAB07B)
    if _as_date(facts.period_end) != resolution.valid_to:
        yield Finding("FAB08b", FAB08B)
    if facts.prefix != resolution.prefix:
        yield Finding("FAB10b", FAB10B, rejection=False)
    if _as_int(facts.range_from) != resolution.range_from:
        yield Finding("FAB11b", FAB11B)
    if _as_int(facts.range_to) != resolution.range_to:
        yield Finding("FAB12b", FAB12B)
    consecutive = _as_int(facts.consecutive)
    if consecutive is None:
        yield Finding("FAD05d", FAD05D)
    elif consecutive < resolution.range_from:
        yield Finding("FAD05b", FAD05B)
    elif consecutive > resolution.range_to:
        yield Finding("FAD05c", FAD05C)
    issued = _as_date(facts.issue_date)
    if issued is not None and issued < resolution.valid_from:
        yield Finding("FAD09a", FAD09A)
    if issued is not None and issued > resolution.valid_to:
        yield Finding("FAD09b", FAD09B)


def document_key(facts: InvoiceFacts, resolution: Resolution | None) -> Iterator[Finding]:
    """The CUFE recomputed from the XML's own values and the resolution's technical key."""
    if facts.uuid_scheme_id != facts.environment:
        yield Finding("FAD07", FAD07)
    # Without the issuer's own resolution there is no technical key; FAB05a/b already reject.
    if resolution is None or resolution.nit != facts.supplier_nit:
        return
    fields = KeyFields(
        number=facts.number,
        issue_date=facts.issue_date,
        issue_time=facts.issue_time,
        line_extension=facts.line_extension,
        taxes=facts.taxes,
        payable=facts.payable,
        supplier_nit=facts.supplier_nit,
        customer_id=facts.customer_id,
        environment=facts.environment,
    )
    if cufe(fields, resolution.technical_key) != facts.uuid:
        yield Finding("FAD06", FAD06)


def software(facts: InvoiceFacts, registered: Software | None) -> Iterator[Finding]:
    """The SoftwareID must be the issuer's, and the security code must hash with its PIN."""
    if registered is None or registered.nit != facts.supplier_nit:
        yield Finding("FAB24b", FAB24B)
        return
    expected = software_security_code(registered.software_id, registered.pin, facts.number)
    if facts.security_code != expected:
        yield Finding("FAB27b", FAB27B)


def signing_date(facts: InvoiceFacts, signing_time: str) -> Iterator[Finding]:
    """The day of xades:SigningTime, in Colombian time, must be cbc:IssueDate."""
    try:
        signed = datetime.fromisoformat(signing_time)
    except ValueError:
        yield Finding("FAD09e", FAD09E)
        return
    if signed.tzinfo is not None:
        signed = signed.astimezone(BOGOTA)
    if signed.date().isoformat() != facts.issue_date:
        yield Finding("FAD09e", FAD09E)


def evaluate(
    facts: InvoiceFacts,
    signature_findings: tuple[Finding, ...],
    signing_time: str,
    resolution: Resolution | None,
    registered: Software | None,
) -> list[Finding]:
    """Every finding for one invoice, signature first, in DIAN's reporting order."""
    findings = list(signature_findings)
    # An unsigned document has no signing time to compare (ZE01 already rejects it).
    if signing_time:
        findings.extend(signing_date(facts, signing_time))
    findings.extend(numbering(facts, resolution))
    findings.extend(document_key(facts, resolution))
    findings.extend(software(facts, registered))
    return findings
