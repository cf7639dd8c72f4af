"""The SII's certification test sets ("set de pruebas", sii-chile.md §8.1), read into cases.

The SII sends a text file of sets (`SET BASICO - NUMERO DE ATENCION: 414175`, `SET GUIA DE
DESPACHO ...`), each of numbered cases (`CASO 414175-1`): the document to issue, its items
(ITEM, CANTIDAD, UNIDAD MEDIDA, PRECIO UNITARIO, DESCUENTO ITEM in tab-separated columns),
a global discount, the case a note refers to and why, and for guías the reason for the move
(MOTIVO) and who carries it (TRASLADO POR). Sets timbra does not issue (books: LIBRO DE VENTAS
…) are listed as skipped. `case_documents` (in `certification_documents`) turns cases into
requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from services.countries.cl import codes

DOCUMENT_TYPES = {
    "FACTURA ELECTRONICA": codes.FACTURA,
    "FACTURA NO AFECTA O EXENTA ELECTRONICA": codes.FACTURA_EXENTA,
    "FACTURA EXENTA ELECTRONICA": codes.FACTURA_EXENTA,
    "GUIA DE DESPACHO": codes.GUIA_DESPACHO,
    "GUIA DE DESPACHO ELECTRONICA": codes.GUIA_DESPACHO,
    "NOTA DE CREDITO ELECTRONICA": codes.NOTA_CREDITO,
    "NOTA DE DEBITO ELECTRONICA": codes.NOTA_DEBITO,
}
TRANSFER_REASONS = {  # MOTIVO → IndTraslado
    "VENTA": 1,
    "VENTA POR EFECTUAR": 2,
    "CONSIGNACION": 3,
    "ENTREGA GRATUITA": 4,
    "TRASLADO DE MATERIALES ENTRE BODEGAS DE LA EMPRESA": 5,
    "TRASLADO INTERNO": 5,
    "OTROS TRASLADOS NO VENTA": 6,
    "GUIA DE DEVOLUCION": 7,
}
CARRIERS = {  # TRASLADO POR → TipoDespacho
    "CLIENTE": 1,
    "EMISOR DEL DOCUMENTO AL LOCAL DEL CLIENTE": 2,
    "EMISOR DEL DOCUMENTO A OTRAS INSTALACIONES": 3,
}
_COLUMNS = {
    "ITEM": "name",
    "CANTIDAD": "quantity",
    "UNIDAD MEDIDA": "unit",
    "PRECIO UNITARIO": "price",
    "VALOR UNITARIO": "price",
    "DESCUENTO ITEM": "discount",
}
_SET = re.compile(r"SET (.+?) - NUMERO DE ATENCION:?\s*([0-9]+)")
_CASE = re.compile(r"CASO\s+([0-9]*-?[0-9]+)")
_REFERENCE = re.compile(r"(.+?) CORRESPONDIENTE A CASO\s+([0-9]*-?[0-9]+)")
_GLOBAL = re.compile(r"(DESCUENTO|RECARGO) GLOBAL ITEM(?:E)?S (AFECTOS|EXENTOS)")
_SPLIT = re.compile(r"\t+| {2,}")
_RULE = re.compile(r"=+")


class SetFormatError(ValueError):
    """The file does not read as an SII test set; names the line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class SetItem:
    """One item of a case, as the set writes it (names are copied exactly)."""

    name: str
    quantity: Decimal | None = None
    unit: str = ""
    price: Decimal | None = None
    discount_percent: Decimal | None = None

    @property
    def exempt(self) -> bool:
        """Sets mark exempt items with the word EXENTO in their name."""
        return "EXENTO" in self.name.upper().split()


@dataclass(frozen=True)
class Case:
    """One case: the document it asks for."""

    number: str  # e.g. 414175-1
    dte_type: int
    line: int
    items: tuple[SetItem, ...] = ()
    referenced_case: str = ""
    referenced_type: int = 0
    reference_reason: str = ""
    global_adjustments: tuple[tuple[bool, bool, Decimal], ...] = ()  # (charge, exempt, %)
    transfer_indicator: int = 0
    dispatch_type: int = 0


@dataclass(frozen=True)
class TestSet:
    """One set of the file: its name, attention number and cases."""

    name: str
    attention: str
    cases: tuple[Case, ...]


def _number(text: str, line: int, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise SetFormatError(line, f"{what} {text!r} is not a number") from None
    if value <= 0:
        raise SetFormatError(line, f"{what} must be positive, got {text!r}")
    return value


class _CaseBuilder:
    """Accumulates the lines of one case."""

    def __init__(self, number: str, line: int) -> None:
        self.number, self.line = number, line
        self.fields: dict[str, object] = {"items": [], "global_adjustments": []}
        self.columns: list[str] = []

    def feed(self, cells: list[str], line: int) -> None:
        """Take one line of the case, split into its tab-separated cells."""
        key = cells[0].rstrip(":").strip().upper()
        value = cells[1].strip() if len(cells) > 1 else ""
        if key == "ITEM":
            unknown = [c for c in cells if c.strip().upper() not in _COLUMNS]
            if unknown:
                raise SetFormatError(line, f"unknown item column {unknown[0]!r}")
            self.columns = [_COLUMNS[c.strip().upper()] for c in cells]
        elif key == "DOCUMENTO":
            if value.upper() not in DOCUMENT_TYPES:
                raise SetFormatError(line, f"document {value!r} is not one timbra issues")
            self.fields["dte_type"] = DOCUMENT_TYPES[value.upper()]
        elif key == "REFERENCIA":
            match = _REFERENCE.fullmatch(value.upper())
            if match is None or match.group(1) not in DOCUMENT_TYPES:
                raise SetFormatError(line, f"reference {value!r} names no document of a case")
            self.fields["referenced_type"] = DOCUMENT_TYPES[match.group(1)]
            self.fields["referenced_case"] = match.group(2)
        elif key == "RAZON REFERENCIA":
            self.fields["reference_reason"] = value
        elif key == "MOTIVO":
            if value.upper() not in TRANSFER_REASONS:
                raise SetFormatError(line, f"MOTIVO {value!r} is not a known IndTraslado")
            self.fields["transfer_indicator"] = TRANSFER_REASONS[value.upper()]
        elif key == "TRASLADO POR":
            if value.upper() not in CARRIERS:
                raise SetFormatError(line, f"TRASLADO POR {value!r} is not a known TipoDespacho")
            self.fields["dispatch_type"] = CARRIERS[value.upper()]
        elif (match := _GLOBAL.fullmatch(key)) is not None:
            adjustment = (match.group(1) == "RECARGO", match.group(2) == "EXENTOS")
            percent = _number(value, line, "the global percentage")
            self.fields["global_adjustments"].append((*adjustment, percent))  # type: ignore[attr-defined]
        elif self.columns:
            self.fields["items"].append(self._item(cells, line))  # type: ignore[attr-defined]
        else:
            raise SetFormatError(line, f"unexpected line {' '.join(cells)!r}")

    def _item(self, cells: list[str], line: int) -> SetItem:
        if len(cells) > len(self.columns):
            raise SetFormatError(
                line, f"the item has {len(cells)} columns, the header {len(self.columns)}"
            )
        values = dict(zip(self.columns, (c.strip() for c in cells), strict=False))
        return SetItem(
            name=values["name"],
            quantity=_number(values["quantity"], line, "CANTIDAD")
            if values.get("quantity")
            else None,
            unit=values.get("unit", ""),
            price=_number(values["price"], line, "PRECIO UNITARIO")
            if values.get("price")
            else None,
            discount_percent=(
                _number(values["discount"], line, "DESCUENTO ITEM")
                if values.get("discount")
                else None
            ),
        )

    def build(self) -> Case:
        """The finished case; SetFormatError when it names no document."""
        if "dte_type" not in self.fields:
            raise SetFormatError(self.line, f"CASO {self.number} names no DOCUMENTO")
        fields = dict(self.fields)
        fields["items"] = tuple(fields["items"])  # type: ignore[arg-type]
        fields["global_adjustments"] = tuple(fields["global_adjustments"])  # type: ignore[arg-type]
        return Case(number=self.number, line=self.line, **fields)  # type: ignore[arg-type]


def parse_sets(text: str) -> tuple[tuple[TestSet, ...], tuple[str, ...]]:
    """The sets of a test-set file timbra can issue, and the names of those it skips."""
    sets: list[TestSet] = []
    skipped: list[str] = []
    name = attention = ""
    cases: list[Case] = []
    case: _CaseBuilder | None = None
    issuing = False

    def close_set() -> None:
        """Finish the current case and, if timbra issues it, the current set."""
        nonlocal case
        if case is not None:
            cases.append(case.build())
            case = None
        if issuing and name:
            sets.append(TestSet(name, attention, tuple(cases)))

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or _RULE.fullmatch(line):
            continue
        if (found := _SET.match(line)) is not None:
            close_set()
            name, attention, cases = found.group(1).strip(), found.group(2), []
            issuing = not name.upper().startswith("LIBRO")
            if not issuing:
                skipped.append(f"SET {name}")
        elif not issuing:
            continue
        elif (found := _CASE.fullmatch(line)) is not None:
            if case is not None:
                cases.append(case.build())
            case = _CaseBuilder(found.group(1), number)
        elif case is None:
            raise SetFormatError(number, f"expected a SET or CASO heading, got {line!r}")
        else:
            case.feed(_SPLIT.split(line), number)
    close_set()
    if not sets and not skipped:
        raise SetFormatError(1, "no SET ... - NUMERO DE ATENCION heading found")
    return tuple(sets), tuple(skipped)
