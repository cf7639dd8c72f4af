"""The documents a DTE refers to (Referencia), and what a nota de crédito or débito must say.

Rules (sii-chile.md §1.3): a note (56, 61) must reference the document it corrects, with CodRef
1 anula, 2 corrige texto or 3 corrige montos on every reference (the SII rejects a note's
reference line without it, `REF … -3-758`); a note that annuls or corrects text names a single
document ("DEBEN TENER UN ÚNICO DOCUMENTO DE REFERENCIA", [FMT] p.42). Other references (801
orden de compra, SET in certification …) may accompany it. TpoDocRef is up to 3 characters,
FolioRef up to 18, and "0" only for a global reference (IndGlobal 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from services.core.rejection import InputRejected
from services.countries.cl import codes
from services.countries.cl.clock import parse_date
from services.countries.cl.sii_text import free_text
from services.countries.pack import Reference
from timbra.v1 import document_pb2

_NUMERIC = re.compile(r"[0-9]{1,3}")
_LETTERS = re.compile(r"[A-Z]{1,3}")
_FOLIO = re.compile(r"[1-9][0-9]{0,9}")


@dataclass(frozen=True)
class DteReference:
    """A validated Referencia."""

    document_type: str  # TpoDocRef
    folio: str  # FolioRef
    date: date  # FchRef
    code: int = 0  # CodRef; 0 = none
    reason: str = ""  # RazonRef
    is_global: bool = False  # IndGlobal

    @property
    def type_code(self) -> int | None:
        """TpoDocRef as a number, or None for a non-numeric kind (SET, HES …)."""
        return int(self.document_type) if self.document_type.isdigit() else None

    @property
    def names_dte(self) -> bool:
        """Whether it names an electronic tax document (one issuing may know)."""
        return self.type_code in codes.DTE_TYPES

    @property
    def names_tax_document(self) -> bool:
        """Whether it names a tax document, electronic or paper (what a note corrects)."""
        return self.names_dte or self.type_code in codes.PAPER_TYPES


def _kind(text: str, field: str) -> str:
    value = text.strip()
    if _NUMERIC.fullmatch(value):
        number = int(value)
        known = codes.DTE_TYPES | codes.PAPER_TYPES | codes.OTHER_REFERENCE_TYPES
        if number not in known:
            raise InputRejected(
                field,
                f"{value} is not an SII document type (33, 34, 52, 56, 61, paper 30-60, "
                "801 orden de compra ... 820)",
            )
        return str(number)
    if _LETTERS.fullmatch(value):
        return value  # SET in certification; HES, HEM and other agreed kinds
    raise InputRejected(
        field, f"is an SII document type or up to 3 capital letters (SET), got {text!r}"
    )


def _reference(item: document_pb2.ChileReference, path: str, kind: codes.DteKind) -> DteReference:
    document_type = _kind(item.document_type, f"{path}.document_type")
    folio = item.folio.strip()
    reference = DteReference(
        document_type=document_type,
        folio=folio,
        date=parse_date(item.date, f"{path}.date"),
        code=item.code,
        reason=free_text(item.reason, f"{path}.reason", limit=90),
        is_global=getattr(item, "global"),
    )
    if folio == "0":
        if not reference.is_global:
            raise InputRejected(f"{path}.folio", "is 0 only for a global reference (global)")
    elif reference.names_tax_document and not _FOLIO.fullmatch(folio):
        raise InputRejected(
            f"{path}.folio", f"the folio of a tax document is 1 to 10 digits, got {folio!r}"
        )
    else:
        # Other documents' numbers are free text (FolioRef is a string of 1 to 18).
        free_text(folio, f"{path}.folio", limit=18, required=True)
    if item.code and item.code not in codes.REFERENCE_CODES:
        known = "; ".join(f"{c} {n}" for c, n in codes.REFERENCE_CODES.items())
        raise InputRejected(f"{path}.code", f"CodRef is {known}; got {item.code}")
    if kind.note and not item.code:
        raise InputRejected(
            f"{path}.code",
            "every reference of a nota de crédito or débito carries CodRef "
            "(1 anula, 2 corrige texto, 3 corrige montos)",
        )
    if not kind.note and item.code:
        raise InputRejected(
            f"{path}.code", f"only notes (56, 61) correct a document; a {kind.name} has no CodRef"
        )
    return reference


def parse_references(
    items: Iterable[document_pb2.ChileReference], path: str, kind: codes.DteKind
) -> tuple[DteReference, ...]:
    """The document's references, checked one by one and as a whole for a note."""
    found: list[DteReference] = []
    for index, item in enumerate(items):
        if index >= codes.MAX_REFERENCES:
            raise InputRejected(path, f"a DTE carries at most {codes.MAX_REFERENCES} references")
        found.append(_reference(item, f"{path}[{index}]", kind))
    if kind.note:
        correction_code(found, path)
    return tuple(found)


def correction_code(references: Iterable[DteReference], path: str) -> int:
    """The CodRef of a note: the one its tax-document references share."""
    corrected = [r for r in references if r.names_tax_document]
    if not corrected:
        raise InputRejected(
            path,
            "a nota de crédito or débito references the document it corrects "
            "(a DTE such as 33 or a paper document)",
        )
    found = {r.code for r in corrected}
    if len(found) > 1:
        raise InputRejected(
            path,
            f"the corrected documents carry different CodRef {sorted(found)}: issue one note each",
        )
    code = found.pop()
    if code in (codes.ANNULS, codes.CORRECTS_TEXT) and len(corrected) > 1:
        raise InputRejected(
            path,
            f"a note with CodRef {code} ({codes.REFERENCE_CODES[code]}) names a single document; "
            f"this one names {len(corrected)}",
        )
    return code


def first_dte(references: Iterable[DteReference], issuer: str) -> Reference | None:
    """The first reference naming a DTE, as the platform's Reference (None when there is none)."""
    for index, reference in enumerate(references):
        if reference.names_dte and not reference.is_global:
            return Reference(
                number=reference.folio,
                document_key=document_key(issuer, int(reference.document_type), reference.folio),
                issue_date=reference.date,
                document_type=reference.document_type,
                field=f"document.cl.references[{index}]",
            )
    return None


def document_key(issuer: str, dte_type: int, folio: int | str) -> str:
    """A DTE's identity: `<RUT emisor>-<TipoDTE>-<Folio>` (e.g. 76192083-9-33-1)."""
    return f"{issuer}-{dte_type}-{folio}"
