"""Numbering: the InvoiceControl must repeat the issuer's resolution and the number fall inside.

Only documents numbered under a DIAN resolution carry InvoiceControl: invoices (01, 02, 04 from
an invoice range, 03 from a paper contingency range) and documento soporte (05, from its own range).
Notes (91, 92, 95) are numbered by the issuer alone. Texts as DIAN's validator words them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from services.countries.co.simulator.registry import Resolution
from services.countries.co.simulator.rule_codes import finding
from services.countries.co.verification.facts import NOTE_TYPES, DocumentFacts
from services.countries.co.verification.findings import Finding

FAB05A = "No se encuentra el número de autorización del rango de numeración otorgado."
FAB05B = (
    "Número de la resolución que autoriza la numeración no corresponde a un número de "
    "resolución de este contribuyente emisor para este Proveedor de Autorización."
)
FAB05C = "El identificador del software no corresponde al rango de numeración informado."
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
FAD05B = "Número de factura es inferior al número inicial del rango de numeración autorizado."
FAD05C = "Número de factura es superior al número final del rango de numeración autorizado."
FAD05D = "Número de factura no está contenido en el rango de numeración autorizado."
FAD05E = "Número de factura no existe para el número de autorización."
FAD09A = "Fecha de emisión anterior a la fecha de inicio de la autorización de la numeración."
FAD09B = "Fecha de emisión posterior a la fecha final de la autorización de la numeración."

# The resolution kind (the registry's Resolution.kind) each numbered document type draws from.
# DIAN looks ranges up by Serie|DocType|Authorization with 01, 02 and 04 all as 01.
RANGE_KINDS = {
    "01": "invoice",
    "02": "invoice",
    "04": "invoice",
    "03": "paper",
    "05": "support",
}


def range_kind(document_type: str) -> str:
    """The kind of resolution a numbered document type draws from (unknown types: invoice)."""
    return RANGE_KINDS.get(document_type, "invoice")


def _as_int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def owned_resolution(facts: DocumentFacts, resolution: Resolution | None) -> Resolution | None:
    """The resolution when it is the issuer's own (the only one whose key DIAN would use)."""
    if resolution is None or resolution.nit != facts.issuer_nit:
        return None
    return resolution


def numbering(facts: DocumentFacts, resolution: Resolution | None) -> Iterator[Finding]:
    """FAB05-FAB12, FAD05 and FAD09a/b of a numbered document."""
    if facts.document_type in NOTE_TYPES:
        return
    claimed = facts.numbering
    if not claimed.authorization:
        yield finding(facts, "AB05a", FAB05A)
        return
    resolution = owned_resolution(facts, resolution)
    if resolution is None:
        yield finding(facts, "AB05b", FAB05B)
        return
    if range_kind(facts.document_type) != resolution.kind:
        # DIAN finds no range of this document type under the authorisation.
        yield finding(facts, "AD05e", FAD05E)
        return
    if resolution.software_ids and facts.software_id not in resolution.software_ids:
        yield finding(facts, "AB05c", FAB05C)
    if _as_date(claimed.period_start) != resolution.valid_from:
        yield finding(facts, "AB07b", FAB07B)
    if _as_date(claimed.period_end) != resolution.valid_to:
        yield finding(facts, "AB08b", FAB08B)
    if claimed.prefix != resolution.prefix:
        yield finding(facts, "AB10b", FAB10B, rejection=False)
    if _as_int(claimed.range_from) != resolution.range_from:
        yield finding(facts, "AB11b", FAB11B)
    if _as_int(claimed.range_to) != resolution.range_to:
        yield finding(facts, "AB12b", FAB12B)
    consecutive = _as_int(facts.consecutive)
    if consecutive is None:
        yield finding(facts, "AD05d", FAD05D)
    elif consecutive < resolution.range_from:
        yield finding(facts, "AD05b", FAD05B)
    elif consecutive > resolution.range_to:
        yield finding(facts, "AD05c", FAD05C)
    issued = _as_date(facts.issue_date)
    if issued is not None and issued < resolution.valid_from:
        yield finding(facts, "AD09a", FAD09A)
    if issued is not None and issued > resolution.valid_to:
        yield finding(facts, "AD09b", FAD09B)
