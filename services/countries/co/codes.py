"""DIAN code lists timbra accepts (Anexo Técnico 1.9 tables; dian-colombia.md §3)."""

from __future__ import annotations

from decimal import Decimal

# Identification types (schemeName of PartyIdentification/ID and CompanyID), §3.4.
ID_TYPES: dict[str, str] = {
    "11": "Registro civil",
    "12": "Tarjeta de identidad",
    "13": "Cédula de ciudadanía",
    "21": "Tarjeta de extranjería",
    "22": "Cédula de extranjería",
    "31": "NIT",
    "41": "Pasaporte",
    "42": "Documento de identificación extranjero",
    "47": "PEP",
    "48": "PPT",
    "50": "NIT de otro país",
    "91": "NUIP",
}
NIT = "31"
CEDULA = "13"
# Colombian documents made of digits only; passports and foreign ids may carry letters.
NUMERIC_ID_TYPES = frozenset({"11", "12", "13", "21", "22", "31", "91"})
# Identifications of parties abroad (export buyers, non-resident DS sellers).
FOREIGN_ID_TYPES = frozenset({"41", "42", "50"})

# The "consumidor final" buyer of a retail sale without identification (Info-1.7 p.2).
FINAL_CONSUMER_ID = "222222222222"
FINAL_CONSUMER_NAME = "Consumidor final"

# AdditionalAccountID: the person type.
LEGAL_PERSON = "1"
NATURAL_PERSON = "2"

# Responsabilidades fiscales accepted since Anexo 1.7 (Info-1.7 p.6).
TAX_RESPONSIBILITIES: dict[str, str] = {
    "O-13": "Gran contribuyente",
    "O-15": "Autorretenedor",
    "O-23": "Agente de retención IVA",
    "O-47": "Régimen simple de tributación",
    "R-99-PN": "No responsable",
}
NO_RESPONSIBILITY = "R-99-PN"

# The tax scheme a party is registered under (PartyTaxScheme/TaxScheme), with DIAN's names.
PARTY_TAX_SCHEMES: dict[str, str] = {
    "01": "IVA",
    "04": "INC",
    "ZA": "IVA e INC",
    "ZZ": "No aplica",
}

# Taxes (TipoImpuesto) as TaxScheme ID and Name; the rates live in taxes.py.
IVA = "01"
ICA = "03"
INC = "04"
RETE_IVA = "05"
RETE_FUENTE = "06"
RETE_ICA = "07"
TAX_NAMES: dict[str, str] = {
    IVA: "IVA",
    ICA: "ICA",
    INC: "INC",
    RETE_IVA: "ReteIVA",
    RETE_FUENTE: "ReteFuente",
    RETE_ICA: "ReteICA",
}
IVA_RATES = (Decimal(0), Decimal(5), Decimal(16), Decimal(19))

# PaymentMeans/ID (FormasPago) and PaymentMeansCode (MediosPago, the methods seen in practice).
CASH = "1"
CREDIT = "2"
PAYMENT_MEANS = {CASH: "Contado", CREDIT: "Crédito"}
PAYMENT_METHODS: dict[str, str] = {
    "1": "Instrumento no definido",
    "10": "Efectivo",
    "20": "Cheque",
    "30": "Transferencia crédito",
    "31": "Transferencia débito",
    "42": "Consignación bancaria",
    "45": "Transferencia crédito bancaria",
    "46": "Transferencia débito interbancaria",
    "47": "Transferencia débito bancaria",
    "48": "Tarjeta crédito",
    "49": "Tarjeta débito",
    "71": "Bonos",
    "72": "Vales",
    "ZZZ": "Acuerdo mutuo",
}
DEFAULT_PAYMENT_METHOD = "10"

# StandardItemIdentification/ID @schemeID (TipoCodigoProducto).
ITEM_SCHEMES: dict[str, str] = {
    "001": "UNSPSC",
    "010": "GTIN",
    "999": "Estándar de adopción del contribuyente",
}

# UN/ECE rec 20 unit: 94 = unidad.
DEFAULT_UNIT = "94"

# Document types (the per-type facts are in document_types.py) and operation types.
INVOICE = "01"
EXPORT = "02"
PAPER_CONTINGENCY = "03"
DIAN_CONTINGENCY = "04"
SUPPORT_DOCUMENT = "05"
CREDIT_NOTE = "91"
DEBIT_NOTE = "92"
SUPPORT_ADJUSTMENT = "95"
STANDARD_OPERATION = "10"
INVOICE_PROFILE = "DIAN 2.1: Factura Electrónica de Venta"

# Environments (ProfileExecutionID, UUID@schemeID).
PRODUCTION = "1"
TESTING = "2"
ENVIRONMENTS = {PRODUCTION: "producción", TESTING: "pruebas (habilitación)"}

# DIAN itself, the AuthorizationProvider of every document, and its agency attributes.
DIAN_NIT = "800197268"
DIAN_CHECK_DIGIT = "4"
DIAN_AGENCY_ID = "195"
DIAN_AGENCY_NAME = "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"

COLOMBIA = "CO"


def qr_url(environment: str, document_key: str) -> str:
    """The DIAN document look-up URL written in sts:QRCode (habilitación or production)."""
    host = "catalogo-vpfe" if environment == PRODUCTION else "catalogo-vpfe-hab"
    return f"https://{host}.dian.gov.co/document/searchqr?documentkey={document_key}"
