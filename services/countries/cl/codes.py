"""SII codes timbra uses: document types, reference kinds, payment forms (sii-chile.md §1)."""

from __future__ import annotations

from dataclasses import dataclass

SII_RUT = "60803000-K"  # the SII itself: RutReceptor of every envelope uploaded to it
VAT_RATE = 19  # TasaIVA, a constant in Chile (LibreDTE `Sii::IVA`; official example)
CURRENCY = "CLP"
MAX_LINES = 60  # "El documento no podrá exceder de 60 líneas de ítem Detalle" ([FMT] p.8)
MAX_REFERENCES = 40
MAX_GLOBAL_ADJUSTMENTS = 20
ENVELOPE_LIMIT = 2000  # EnvioDTE_v10.xsd: "Se limita a 2.000 documentos el máximo por envío"

FACTURA = 33
FACTURA_EXENTA = 34
GUIA_DESPACHO = 52
NOTA_DEBITO = 56
NOTA_CREDITO = 61


@dataclass(frozen=True)
class DteKind:
    """What the SII fixes for one DTE type timbra issues."""

    code: int
    name: str
    # GiroRecep, DirRecep, CmnaRecep mandatory ([FMT] p.18-19): facturas and guías.
    full_receiver: bool
    note: bool = False  # Referencia mandatory, CodRef on every reference
    exempt: bool = False  # every amount is exempt (MntExe), no IVA
    vat: bool = True  # may carry MntNeto/TasaIVA/IVA
    payment_form_required: bool = False  # FmaPago "es obligatorio informar" for facturas
    # CAFs of these types expire 6 months after FA (sii-chile.md §3.2)
    caf_expires: bool = False


KINDS: dict[int, DteKind] = {
    FACTURA: DteKind(
        FACTURA,
        "factura electrónica",
        full_receiver=True,
        payment_form_required=True,
        caf_expires=True,
    ),
    FACTURA_EXENTA: DteKind(
        FACTURA_EXENTA,
        "factura no afecta o exenta electrónica",
        full_receiver=True,
        exempt=True,
        vat=False,
        payment_form_required=True,
    ),
    GUIA_DESPACHO: DteKind(GUIA_DESPACHO, "guía de despacho electrónica", full_receiver=True),
    NOTA_DEBITO: DteKind(
        NOTA_DEBITO, "nota de débito electrónica", full_receiver=False, note=True, caf_expires=True
    ),
    NOTA_CREDITO: DteKind(
        NOTA_CREDITO,
        "nota de crédito electrónica",
        full_receiver=False,
        note=True,
        caf_expires=True,
    ),
}

# Types whose CAFs expire 6 months after FA, including those timbra does not issue.
EXPIRING_CAF_TYPES = frozenset({33, 43, 46, 56, 61})

# Electronic documents (what a Referencia may name and issuing may look up).
DTE_TYPES = frozenset({33, 34, 39, 41, 43, 46, 52, 56, 61, 110, 111, 112})
# Paper tax documents that electronic notes may still correct ([FMT] p.41).
PAPER_TYPES = frozenset({30, 32, 35, 38, 40, 45, 50, 55, 60, 103})
# Non-tax documents a DTE may cite: 801 orden de compra ... 820 ([FMT] p.41).
OTHER_REFERENCE_TYPES = frozenset(range(801, 816)) | {820}

ANNULS, CORRECTS_TEXT, CORRECTS_AMOUNTS = 1, 2, 3
REFERENCE_CODES = {
    ANNULS: "anula documento de referencia",
    CORRECTS_TEXT: "corrige texto del documento de referencia",
    CORRECTS_AMOUNTS: "corrige montos",
}

PAYMENT_FORMS = {1: "contado", 2: "crédito", 3: "sin costo"}
PAYMENT_MEANS = frozenset({"CH", "LT", "EF", "PE", "TC", "CF", "OT"})  # MedioPago
TRANSFER_INDICATORS = {
    1: "operación constituye venta",
    2: "venta por efectuar",
    3: "consignación",
    4: "entrega gratuita",
    5: "traslado interno",
    6: "otros traslados no venta",
    7: "guía de devolución",
    8: "traslado para exportación (no venta)",
    9: "venta para exportación",
}
DISPATCH_TYPES = {
    1: "despacho por cuenta del receptor",
    2: "despacho por cuenta del emisor a instalaciones del cliente",
    3: "despacho por cuenta del emisor a otras instalaciones",
}
EXEMPT, NOT_BILLABLE = "1", "2"  # IndExe values timbra supports
EXEMPTIONS = {
    EXEMPT: "no afecto o exento de IVA",
    NOT_BILLABLE: "producto o servicio no facturable",
}
