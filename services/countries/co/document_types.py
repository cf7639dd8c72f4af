"""What DIAN fixes per document type: root element, profile, operation types, key and range.

Facts from dian-colombia.md §1 (which key and secret), §3.3 (CustomizationID, ProfileID, type
codes), §3.9 (documento soporte) and §8.1 (contingency types 03 and 04).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.countries.co import codes

INVOICE_ROOT = "Invoice"
CREDIT_NOTE_ROOT = "CreditNote"
DEBIT_NOTE_ROOT = "DebitNote"

# Which secret keys the document (§1): the range's technical key, or the software PIN.
TECHNICAL_KEY = "technical-key"
SOFTWARE_PIN = "software-pin"

# Families of numbering ranges: a range numbers the types of one family only.
INVOICE_RANGE = "invoice"  # 01, 02, 04: resolution + technical key
PAPER_RANGE = "paper"  # 03: the contingency (talonario) resolution, no key
SUPPORT_RANGE = "support"  # 05, 95: DS resolution, no key (§3.9)
NOTE_RANGE = "note"  # 91, 92: the issuer's own sequence, no resolution

_INVOICE_OPERATIONS = {codes.STANDARD_OPERATION: "Estándar"}
_SUPPORT_OPERATIONS = {"10": "Residente", "11": "No residente"}

# DiscrepancyResponse/ResponseCode (§3.3; DS adjustment concepts per the DS annex).
CREDIT_CONCEPTS: dict[str, str] = {
    "1": "Devolución parcial de los bienes y/o no aceptación parcial del servicio",
    "2": "Anulación de factura electrónica",
    "3": "Rebaja o descuento parcial o total",
    "4": "Ajuste de precio",
    "5": "Descuento comercial por pronto pago",
    "6": "Descuento comercial por volumen de ventas",
}
DEBIT_CONCEPTS: dict[str, str] = {
    "1": "Intereses",
    "2": "Gastos por cobrar",
    "3": "Cambio del valor",
    "4": "Otros",
}
SUPPORT_ADJUSTMENT_CONCEPTS: dict[str, str] = {
    "1": "Devolución parcial de los bienes y/o no aceptación parcial del servicio",
    "2": "Anulación del documento soporte en adquisiciones efectuadas a sujetos no obligados",
    "3": "Rebaja o descuento parcial o total",
    "4": "Ajuste de precio",
    "5": "Otros",
}


@dataclass(frozen=True)
class DocumentKind:
    """One DIAN document type and everything the builder and the rules derive from it."""

    code: str
    name: str
    root: str
    profile: str
    operations: dict[str, str]  # CustomizationID -> meaning; the first is the default
    key_scheme: str  # UUID@schemeName
    key_secret: str  # TECHNICAL_KEY or SOFTWARE_PIN
    range_family: str
    support: bool = False  # documento soporte family: the issuer is the buyer (§3.9)
    note: bool = False  # corrects another document; no InvoiceControl
    references: tuple[str, ...] = ()  # document types a note may correct
    concepts: dict[str, str] = field(default_factory=dict)
    # Notes whose operation type says "without reference" (22, 32).
    unreferenced_operations: tuple[str, ...] = ()

    @property
    def default_operation(self) -> str:
        """The CustomizationID used when the request leaves it empty."""
        return next(iter(self.operations))

    @property
    def type_code_element(self) -> str:
        """The header element carrying the type code ("" for DebitNote, which has none)."""
        return {INVOICE_ROOT: "InvoiceTypeCode", CREDIT_NOTE_ROOT: "CreditNoteTypeCode"}.get(
            self.root, ""
        )

    @property
    def line_element(self) -> str:
        """InvoiceLine, CreditNoteLine or DebitNoteLine."""
        return f"{self.root}Line"

    @property
    def quantity_element(self) -> str:
        """InvoicedQuantity, CreditedQuantity or DebitedQuantity."""
        return {
            INVOICE_ROOT: "InvoicedQuantity",
            CREDIT_NOTE_ROOT: "CreditedQuantity",
            DEBIT_NOTE_ROOT: "DebitedQuantity",
        }[self.root]

    @property
    def monetary_total_element(self) -> str:
        """LegalMonetaryTotal, or RequestedMonetaryTotal on debit notes (§1.2)."""
        return "RequestedMonetaryTotal" if self.root == DEBIT_NOTE_ROOT else "LegalMonetaryTotal"

    @property
    def invoice_control(self) -> bool:
        """Whether sts:InvoiceControl (the numbering resolution) is written: not on notes."""
        return not self.note

    @property
    def withholdings(self) -> bool:
        """Whether UBL lets the root carry WithholdingTaxTotal (Invoice only)."""
        return self.root == INVOICE_ROOT

    @property
    def prepayments(self) -> bool:
        """Whether UBL lets the root carry PrepaidPayment (not CreditNote)."""
        return self.root != CREDIT_NOTE_ROOT


_INVOICE_PROFILE = codes.INVOICE_PROFILE
_SUPPORT_PROFILE = (
    "DIAN 2.1: documento soporte en adquisiciones efectuadas a no obligados a facturar."
)
_ADJUSTMENT_PROFILE = (
    "DIAN 2.1: Nota de ajuste al documento soporte en adquisiciones efectuadas a sujetos no "
    "obligados a expedir factura o documento equivalente"
)
_INVOICED = (codes.INVOICE, codes.EXPORT, codes.PAPER_CONTINGENCY, codes.DIAN_CONTINGENCY)


def _invoice(code: str, name: str, key_scheme: str, secret: str, family: str) -> DocumentKind:
    return DocumentKind(
        code=code,
        name=name,
        root=INVOICE_ROOT,
        profile=_INVOICE_PROFILE,
        operations=_INVOICE_OPERATIONS,
        key_scheme=key_scheme,
        key_secret=secret,
        range_family=family,
    )


KINDS: dict[str, DocumentKind] = {
    kind.code: kind
    for kind in (
        _invoice(
            codes.INVOICE,
            "factura electrónica de venta",
            "CUFE-SHA384",
            TECHNICAL_KEY,
            INVOICE_RANGE,
        ),
        _invoice(
            codes.EXPORT, "factura de exportación", "CUFE-SHA384", TECHNICAL_KEY, INVOICE_RANGE
        ),
        # §1.2: DIAN-src keys the type-03 transmission document with the software PIN.
        _invoice(
            codes.PAPER_CONTINGENCY,
            "documento de contingencia del facturador (tipo 03)",
            "CUDE-SHA384",
            SOFTWARE_PIN,
            PAPER_RANGE,
        ),
        _invoice(
            codes.DIAN_CONTINGENCY,
            "factura de contingencia DIAN (tipo 04)",
            "CUFE-SHA384",
            TECHNICAL_KEY,
            INVOICE_RANGE,
        ),
        DocumentKind(
            code=codes.SUPPORT_DOCUMENT,
            name="documento soporte",
            root=INVOICE_ROOT,
            profile=_SUPPORT_PROFILE,
            operations=_SUPPORT_OPERATIONS,
            key_scheme="CUDS-SHA384",
            key_secret=SOFTWARE_PIN,
            range_family=SUPPORT_RANGE,
            support=True,
        ),
        DocumentKind(
            code=codes.CREDIT_NOTE,
            name="nota crédito",
            root=CREDIT_NOTE_ROOT,
            profile="DIAN 2.1: Nota Crédito de Factura Electrónica de Venta",
            operations={"20": "Nota crédito que referencia una factura", "22": "Sin referencia"},
            key_scheme="CUDE-SHA384",
            key_secret=SOFTWARE_PIN,
            range_family=NOTE_RANGE,
            note=True,
            references=_INVOICED,
            concepts=CREDIT_CONCEPTS,
            unreferenced_operations=("22",),
        ),
        DocumentKind(
            code=codes.DEBIT_NOTE,
            name="nota débito",
            root=DEBIT_NOTE_ROOT,
            profile="DIAN 2.1: Nota Débito de Factura Electrónica de Venta",
            operations={"30": "Nota débito que referencia una factura", "32": "Sin referencia"},
            key_scheme="CUDE-SHA384",
            key_secret=SOFTWARE_PIN,
            range_family=NOTE_RANGE,
            note=True,
            references=_INVOICED,
            concepts=DEBIT_CONCEPTS,
            unreferenced_operations=("32",),
        ),
        DocumentKind(
            code=codes.SUPPORT_ADJUSTMENT,
            name="nota de ajuste al documento soporte",
            root=CREDIT_NOTE_ROOT,
            profile=_ADJUSTMENT_PROFILE,
            operations=_SUPPORT_OPERATIONS,
            key_scheme="CUDS-SHA384",
            key_secret=SOFTWARE_PIN,
            range_family=SUPPORT_RANGE,
            support=True,
            note=True,
            references=(codes.SUPPORT_DOCUMENT,),
            concepts=SUPPORT_ADJUSTMENT_CONCEPTS,
        ),
    )
}

RANGE_FAMILIES: dict[str, tuple[str, ...]] = {
    INVOICE_RANGE: ("01", "02", "04"),
    PAPER_RANGE: ("03",),
    SUPPORT_RANGE: ("05", "95"),
    NOTE_RANGE: ("91", "92"),
}


def kind_of(code: str) -> DocumentKind:
    """The DocumentKind of a type code; KeyError for a code DIAN does not define here."""
    return KINDS[code]
