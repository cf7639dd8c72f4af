"""Reading what a DTE says about itself: its document element, header fields and labels.

Nothing here assumes the file is schema-valid: a missing element reads as "" and the checks
that need it fail, saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from lxml import etree

from services.countries.cl.clock import CHILE_TIME
from services.countries.cl.sii_xml import SII_NS
from services.countries.cl.verification.report import DteSummary

NS = {"s": SII_NS}
# The signed element of each kind of DTE (sii-chile.md §1.2); timbra issues Documento only.
DOCUMENT_ELEMENTS = ("Documento", "Liquidacion", "Exportaciones")
ID_DOC = "s:Encabezado/s:IdDoc/"
MAX_DIGITS = 18  # the SII's longest numbers, amounts (MontoType)


def document_of(dte: etree._Element) -> etree._Element | None:
    """The signed document element of a DTE (Documento, Liquidacion or Exportaciones)."""
    for name in DOCUMENT_ELEMENTS:
        found = dte.find(f"s:{name}", NS)
        if found is not None:
            return found
    return None


def text(element: etree._Element | None, path: str) -> str:
    """The stripped text at `path` (prefix `s:` for the SII namespace); "" when absent."""
    if element is None:
        return ""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def number(value: str) -> int | None:
    """A whole number written in ASCII digits (a folio, a count, an amount); None otherwise."""
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
        return None
    return int(value)


def summary(dte: etree._Element, label: str) -> DteSummary:
    """What the DTE says it is."""
    document = document_of(dte)
    return DteSummary(
        label=label,
        dte_type=text(document, ID_DOC + "s:TipoDTE"),
        folio=text(document, ID_DOC + "s:Folio"),
        issuer=text(document, "s:Encabezado/s:Emisor/s:RUTEmisor"),
        receiver=text(document, "s:Encabezado/s:Receptor/s:RUTRecep"),
        issued_on=text(document, ID_DOC + "s:FchEmis"),
        total=text(document, "s:Encabezado/s:Totales/s:MntTotal"),
    )


def labels(dtes: Sequence[etree._Element]) -> list[str]:
    """How the report names each DTE: its Documento ID, with its position when not unique."""
    ids = []
    for dte in dtes:
        document = document_of(dte)
        ids.append(document.get("ID", "") if document is not None else "")
    return [
        identifier if identifier and ids.count(identifier) == 1 else f"{identifier}(DTE #{n})"
        for n, identifier in enumerate(ids, 1)
    ]


def chilean_time(value: str) -> datetime | None:
    """An SII FechaHoraType (Chilean wall-clock time, no offset) as an aware datetime."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHILE_TIME)
