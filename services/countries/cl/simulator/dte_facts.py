"""The facts the SII reads from one DTE: who issued it to whom, its number, date and amount.

Read from a DTE that passed the EnvioDTE schema, so every element the schema requires is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

SII = "http://www.sii.cl/SiiDte"
NS = {"s": SII}
# The document element of each DTE kind (reference §1.2).
DOCUMENT_ELEMENTS = ("Documento", "Liquidacion", "Exportaciones")
NOTE_TYPES = frozenset({56, 61, 111, 112})
CREDIT_NOTES = frozenset({61, 112})


@dataclass(frozen=True)
class Reference:
    """One Referencia line of a DTE."""

    line: int
    document_type: str  # TpoDocRef: a DTE type, a paper type, or e.g. "SET"
    folio: str
    code: int | None  # CodRef: 1 anula, 2 corrige texto, 3 corrige montos


@dataclass(frozen=True)
class DocumentFacts:
    """What identifies a DTE at the SII, and what getEstDte compares."""

    dte_type: int
    folio: int
    issuer: str
    receiver: str
    issued_on: date
    total: int
    signed_at: datetime | None
    references: tuple[Reference, ...]

    def same_data(self, issued_on: date, receiver: str, total: int) -> bool:
        """Whether another record of this folio says the same (getEstDte's "datos coinciden")."""
        return (self.issued_on, self.receiver, self.total) == (issued_on, receiver, total)


def document_of(dte: etree._Element) -> etree._Element:
    """The signed document element inside a DTE (Documento, Liquidacion or Exportaciones)."""
    for name in DOCUMENT_ELEMENTS:
        found = dte.find(f"s:{name}", NS)
        if found is not None:
            return found
    raise ValueError("the DTE holds no Documento, Liquidacion or Exportaciones")


def text(element: etree._Element, path: str) -> str:
    """The stripped text at `path` under `element` ("" if absent)."""
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def _references(document: etree._Element) -> tuple[Reference, ...]:
    found = []
    for position, node in enumerate(document.findall("s:Referencia", NS), start=1):
        line = text(node, "s:NroLinRef")
        code = text(node, "s:CodRef")
        found.append(
            Reference(
                int(line) if line.isdigit() else position,
                text(node, "s:TpoDocRef"),
                text(node, "s:FolioRef"),
                int(code) if code.isdigit() else None,
            )
        )
    return tuple(found)


def read_facts(dte: etree._Element) -> DocumentFacts:
    """The facts of a schema-valid DTE."""
    document = document_of(dte)
    header = "s:Encabezado/s:IdDoc/"
    signed = text(document, "s:TmstFirma")
    return DocumentFacts(
        dte_type=int(text(document, header + "s:TipoDTE")),
        folio=int(text(document, header + "s:Folio")),
        issuer=text(document, "s:Encabezado/s:Emisor/s:RUTEmisor"),
        receiver=text(document, "s:Encabezado/s:Receptor/s:RUTRecep"),
        issued_on=date.fromisoformat(text(document, header + "s:FchEmis")),
        total=int(text(document, "s:Encabezado/s:Totales/s:MntTotal") or "0"),
        signed_at=datetime.fromisoformat(signed) if signed else None,
        references=_references(document),
    )
