"""What the client reads from a signed DTE it sends: the facts the SII files it under and that
getEstDte compares (issuer, type, folio, date, receiver, amount)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.countries.cl.xml_input import UnreadableXml, parse_xml

SII = "http://www.sii.cl/SiiDte"
_DOCUMENTS = ("Documento", "Liquidacion", "Exportaciones")


@dataclass(frozen=True)
class DocumentFacts:
    """A DTE's identity at the SII."""

    issuer: str
    dte_type: int
    folio: int
    issued_on: date
    receiver: str
    total: int


def split_rut(rut: str) -> tuple[str, str]:
    """A RUT as the web services take it: body and check digit apart (K upper-case)."""
    body, _, digit = rut.upper().partition("-")
    return body, digit


def document_facts(signed_xml: bytes) -> DocumentFacts:
    """The facts of one signed DTE; ValueError when it is not one."""
    try:
        root = parse_xml(signed_xml)
    except UnreadableXml as problem:
        raise ValueError(f"not a DTE: {problem}") from None
    document = next(
        (found for name in _DOCUMENTS if (found := root.find(f"{{{SII}}}{name}")) is not None),
        None,
    )
    if document is None:
        raise ValueError("not a DTE: no Documento, Liquidacion or Exportaciones")

    def text(path: str) -> str:
        return (document.findtext("/".join(f"{{{SII}}}{p}" for p in path.split("/"))) or "").strip()

    header = "Encabezado/IdDoc/"
    try:
        return DocumentFacts(
            issuer=text("Encabezado/Emisor/RUTEmisor"),
            dte_type=int(text(header + "TipoDTE")),
            folio=int(text(header + "Folio")),
            issued_on=date.fromisoformat(text(header + "FchEmis")),
            receiver=text("Encabezado/Receptor/RUTRecep"),
            total=int(text("Encabezado/Totales/MntTotal") or "0"),
        )
    except ValueError as problem:
        raise ValueError(f"not a complete DTE: {problem}") from None
