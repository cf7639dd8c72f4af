"""Sample Colombian data for the demo ERP: municipalities (DANE codes), names and products."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class City:
    """A municipality with its DANE codes (department = first two digits)."""

    code: str
    name: str
    department: str
    area_code: str  # landline prefix since the 2022 numbering plan (601 Bogotá, 604 Antioquia…)


@dataclass(frozen=True)
class Product:
    """A product or service an ERP sells, with its IVA rate and a typical gross price range."""

    description: str
    unit_code: str
    iva: Decimal
    low: int  # pesos
    high: int
    item_code: str
    standard_code: str = ""  # UNSPSC commodity code when the ERP has one
    fractional: bool = False  # sold by weight or hours: quantities with decimals


CITIES = (
    City("11001", "Bogotá, D.C.", "Bogotá", "601"),
    City("05001", "Medellín", "Antioquia", "604"),
    City("05266", "Envigado", "Antioquia", "604"),
    City("05360", "Itagüí", "Antioquia", "604"),
    City("76001", "Cali", "Valle del Cauca", "602"),
    City("76520", "Palmira", "Valle del Cauca", "602"),
    City("08001", "Barranquilla", "Atlántico", "605"),
    City("13001", "Cartagena de Indias", "Bolívar", "605"),
    City("68001", "Bucaramanga", "Santander", "607"),
    City("68276", "Floridablanca", "Santander", "607"),
    City("66001", "Pereira", "Risaralda", "606"),
    City("17001", "Manizales", "Caldas", "606"),
    City("63001", "Armenia", "Quindío", "606"),
    City("54001", "San José de Cúcuta", "Norte de Santander", "607"),
    City("47001", "Santa Marta", "Magdalena", "605"),
    City("73001", "Ibagué", "Tolima", "608"),
    City("50001", "Villavicencio", "Meta", "608"),
    City("52001", "Pasto", "Nariño", "602"),
    City("41001", "Neiva", "Huila", "608"),
    City("23001", "Montería", "Córdoba", "604"),
    City("15001", "Tunja", "Boyacá", "608"),
    City("19001", "Popayán", "Cauca", "602"),
    City("25175", "Chía", "Cundinamarca", "601"),
    City("25754", "Soacha", "Cundinamarca", "601"),
)

FIRST_NAMES = (
    "María",
    "José",
    "Luis",
    "Ana",
    "Carlos",
    "Juan",
    "Sandra",
    "Andrés",
    "Diana",
    "Jorge",
    "Paola",
    "Camilo",
    "Valentina",
    "Santiago",
    "Natalia",
    "Felipe",
    "Laura",
    "Alejandro",
    "Catalina",
    "Julián",
    "Daniela",
    "Sebastián",
    "Mónica",
    "Óscar",
)
SURNAMES = (
    "Rodríguez",
    "Gómez",
    "González",
    "Martínez",
    "García",
    "López",
    "Hernández",
    "Sánchez",
    "Ramírez",
    "Pérez",
    "Díaz",
    "Muñoz",
    "Rojas",
    "Moreno",
    "Jiménez",
    "Vargas",
    "Castro",
    "Ortiz",
    "Restrepo",
    "Cardona",
    "Ospina",
    "Zapata",
    "Quintero",
    "Londoño",
)
COMPANY_WORDS = (
    (
        "Distribuidora",
        "Comercializadora",
        "Inversiones",
        "Soluciones",
        "Servicios",
        "Ferretería",
        "Droguería",
        "Constructora",
        "Transportes",
        "Alimentos",
        "Tecnología",
        "Confecciones",
        "Agroindustrial",
        "Importadora",
    ),
    (
        "Andina",
        "del Caribe",
        "del Pacífico",
        "La Sabana",
        "El Dorado",
        "Cafetera",
        "Santa Fe",
        "Antioqueña",
        "Llanera",
        "del Valle",
        "Integral",
        "Nacional",
        "Colombiana",
        "Horizonte",
    ),
    ("S.A.S.", "S.A.S.", "S.A.S.", "S.A.", "Ltda.", "& Cía. S.C.S."),
)
STREETS = ("Calle", "Carrera", "Avenida", "Transversal", "Diagonal")

# IVA rates as the ERP's product master would carry them: 19 % general, 5 % for some foods,
# 0 % (exento) for basic foods and school notebooks.
_19, _5, _0 = Decimal(19), Decimal(5), Decimal(0)
PRODUCTS = (
    Product(
        'Computador portátil 14" 16 GB RAM', "94", _19, 2_400_000, 4_800_000, "TEC-0101", "43211503"
    ),
    Product('Monitor LED 24"', "94", _19, 520_000, 890_000, "TEC-0102", "43211902"),
    Product("Mouse inalámbrico", "94", _19, 39_900, 129_900, "TEC-0103", "43211708"),
    Product("Teclado USB en español", "94", _19, 45_000, 159_000, "TEC-0104", "43211706"),
    Product("Cable HDMI 2 m", "94", _19, 15_900, 45_900, "TEC-0105"),
    Product("Resma papel carta 75 g", "94", _19, 18_500, 27_900, "PAP-0201", "14111507"),
    Product("Tóner impresora láser", "94", _19, 180_000, 420_000, "PAP-0202", "44103103"),
    Product("Silla ergonómica de oficina", "94", _19, 450_000, 1_200_000, "MOB-0301", "56112102"),
    Product("Licencia anual software contable", "94", _19, 890_000, 2_600_000, "SRV-0401"),
    Product("Soporte técnico en sitio", "HUR", _19, 85_000, 180_000, "SRV-0402", fractional=True),
    Product("Consultoría tributaria", "HUR", _19, 150_000, 380_000, "SRV-0403", fractional=True),
    Product("Mantenimiento preventivo de equipos", "94", _19, 120_000, 450_000, "SRV-0404"),
    Product("Cemento gris 50 kg", "94", _19, 29_500, 36_900, "FER-0501", "30111601"),
    Product("Pintura vinilo blanco galón", "94", _19, 48_000, 95_000, "FER-0502", "31211501"),
    Product("Café tostado molido 500 g", "94", _5, 16_900, 32_900, "ALI-0601", "50201706"),
    Product("Chocolate de mesa 500 g", "94", _5, 9_800, 16_500, "ALI-0602"),
    Product("Azúcar refinada 2,5 kg", "94", _5, 9_900, 14_900, "ALI-0603"),
    Product("Leche entera UHT 1 L", "94", _0, 3_900, 5_600, "ALI-0701", "50131701"),
    Product("Huevos AA x 30", "94", _0, 14_500, 21_000, "ALI-0702", "50131600"),
    Product("Carne de res (posta)", "KGM", _0, 28_000, 42_000, "ALI-0703", fractional=True),
    Product("Cuaderno cuadriculado 100 hojas", "94", _0, 3_500, 8_900, "PAP-0203", "14111514"),
)

NOTES = (
    "Gracias por su compra.",
    "Mercancía entregada en bodega principal.",
    "Favor consignar en la cuenta corriente Bancolombia No. 000-000000-00.",
    "Esta factura se asimila en sus efectos a una letra de cambio (art. 774 C. Co.).",
)


@dataclass(frozen=True)
class ForeignCity:
    """A city abroad where Colombian exporters sell, with its country and currency."""

    name: str
    region: str
    country: str  # ISO 3166-1 alpha-2
    currency: str
    postal_zone: str


FOREIGN_CITIES = (
    ForeignCity("Miami", "Florida", "US", "USD", "33131"),
    ForeignCity("Houston", "Texas", "US", "USD", "77002"),
    ForeignCity("New York", "New York", "US", "USD", "10013"),
    ForeignCity("Madrid", "Comunidad de Madrid", "ES", "EUR", "28013"),
    ForeignCity("Hamburgo", "Hamburgo", "DE", "EUR", "20095"),
    ForeignCity("Rotterdam", "Holanda Meridional", "NL", "EUR", "3011"),
    ForeignCity("Ciudad de Panamá", "Panamá", "PA", "USD", "0801"),
    ForeignCity("Quito", "Pichincha", "EC", "USD", "170150"),
    ForeignCity("Toronto", "Ontario", "CA", "CAD", "M5H 2N2"),
    ForeignCity("Ciudad de México", "CDMX", "MX", "MXN", "06000"),
)
FOREIGN_COMPANIES = (
    "Andean Coffee Importers LLC",
    "Global Flowers Distribution Inc.",
    "Tropical Fruits Trading GmbH",
    "Café Selecto Europa S.L.",
    "Pacific Textiles Corp.",
    "Northern Goods Ltd.",
    "Importadora del Istmo S.A.",
)
# Pesos per unit on an ordinary day, and how much the rate moves around it.
REFERENCE_RATES: dict[str, tuple[Decimal, Decimal]] = {
    "USD": (Decimal("4050.00"), Decimal("150.00")),
    "EUR": (Decimal("4400.00"), Decimal("160.00")),
    "CAD": (Decimal("2950.00"), Decimal("110.00")),
    "MXN": (Decimal("225.00"), Decimal("10.00")),
}

# What Colombia exports, priced per unit in the buyer's currency (exports are IVA-exempt).
EXPORT_PRODUCTS = (
    ("Café verde excelso, saco 70 kg", "94", 280, 420, "EXP-0101", "50201706"),
    ("Café tostado en grano 1 kg", "KGM", 14, 26, "EXP-0102", "50201706"),
    ("Rosas frescas, caja x 250 tallos", "94", 110, 190, "EXP-0201", "10161500"),
    ("Claveles frescos, caja x 500 tallos", "94", 90, 160, "EXP-0202", "10161500"),
    ("Banano Cavendish, caja 18,14 kg", "94", 12, 19, "EXP-0301", "50300000"),
    ("Aguacate Hass, caja 10 kg", "94", 22, 38, "EXP-0302", ""),
    ("Confecciones: camisa de algodón", "94", 9, 24, "EXP-0401", ""),
    ("Desarrollo de software (horas)", "HUR", 25, 60, "EXP-0501", ""),
)

# What a company buys from people not obliged to invoice (documento soporte): description,
# unit, price range in pesos, ReteFuente rate that applies (None: under the threshold).
SUPPORT_PURCHASES = (
    ("Transporte de mercancía Bogotá - Soacha", "94", 180_000, 650_000, Decimal(1)),
    ("Servicio de aseo y limpieza de oficinas", "94", 250_000, 900_000, Decimal(6)),
    ("Arrendamiento de bodega (mes)", "94", 1_800_000, 4_500_000, Decimal("3.5")),
    ("Reparación locativa y pintura", "94", 400_000, 2_200_000, Decimal(6)),
    ("Compra de café pergamino seco", "KGM", 14_000, 19_000, Decimal("0.5")),
    ("Honorarios por asesoría contable", "HUR", 60_000, 150_000, Decimal(10)),
    ("Compra de material reciclable", "KGM", 600, 1_800, None),
    ("Servicio de mensajería urbana", "94", 12_000, 45_000, None),
)
FOREIGN_FREELANCE = (
    ("Diseño gráfico (horas)", "HUR", 25, 70),
    ("Traducción técnica (páginas)", "94", 15, 40),
    ("Licencia de fuente tipográfica", "94", 40, 300),
)

CREDIT_REASONS = {
    "1": ("Devolución de mercancía en mal estado", "Devolución parcial de la mercancía"),
    "2": ("Anulación de la factura", "Anulación por error en la facturación"),
    "3": ("Descuento comercial otorgado", "Rebaja concedida sobre la factura"),
    "4": ("Ajuste de precio pactado", "Ajuste del precio unitario acordado"),
    "5": ("Descuento por pronto pago", "Pago dentro de los 10 días siguientes"),
    "6": ("Descuento por volumen de compras", "Volumen trimestral alcanzado"),
}
DEBIT_REASONS = {
    "1": ("Intereses de mora", "Intereses por pago fuera de plazo"),
    "2": ("Gastos de envío no facturados", "Flete adicional a la factura"),
    "3": ("Ajuste por cambio de precio", "Mayor valor del precio pactado"),
    "4": ("Otros cargos", "Cargo adicional acordado con el cliente"),
}
ADJUSTMENT_REASONS = {
    "1": ("Devolución parcial del bien comprado", "Devolución parcial"),
    "3": ("Descuento concedido por el vendedor", "Rebaja sobre el documento soporte"),
    "4": ("Ajuste del precio pactado", "Ajuste de precio"),
}
