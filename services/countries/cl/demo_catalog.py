"""The stand-in ERP's catalogue: Chilean-looking buyers (invented names, valid RUTs), comunas,
giros and products with and without IVA. Check digits are computed, never typed."""

from __future__ import annotations

from dataclasses import dataclass

from services.countries.cl.rut import Rut, check_digit


def _rut(body: int) -> str:
    return Rut(body, check_digit(body)).text


@dataclass(frozen=True)
class Company:
    """A buyer as an ERP's customer master holds it."""

    rut: str
    name: str
    giro: str
    address: str
    commune: str
    email: str = ""


COMPANIES = (
    Company(
        _rut(76543219),
        "Constructora Los Aromos Limitada",
        "Construcción de edificios",
        "Av. Vicuña Mackenna 3540",
        "Macul",
        "dte@losaromos.cl",
    ),
    Company(
        _rut(77214630),
        "Distribuidora Araucanía SpA",
        "Venta al por mayor de alimentos",
        "Camino a Cajón 1820",
        "Temuco",
    ),
    Company(
        _rut(96812450),
        "Inversiones Peñalolén S.A.",
        "Actividades de sociedades de cartera",
        "Av. Grecia 8735, piso 4",
        "Peñalolén",
        "facturas@invpenalolen.cl",
    ),
    Company(
        _rut(76981324),
        "Agrícola Valle del Elqui Ltda.",
        "Cultivo de uva destinada a producción de pisco",
        "Ruta 41 km 14",
        "Vicuña",
    ),
    Company(
        _rut(77650281),
        "Ñuble Maderas y Ferretería SpA",
        "Venta al por menor de artículos de ferretería",
        "Calle Libertad 1045",
        "Chillán",
        "contabilidad@nublemaderas.cl",
    ),
    Company(
        _rut(76015938),
        "Transportes Cordillera Austral Ltda.",
        "Transporte de carga por carretera",
        "Av. Colón 2210",
        "Punta Arenas",
    ),
    Company(
        _rut(99541270),
        "Clínica Dental Ñuñoa S.A.",
        "Actividades de atención odontológica",
        "Av. Irarrázaval 2850",
        "Ñuñoa",
        "administracion@dentalnunoa.cl",
    ),
    Company(
        _rut(77893016),
        "Servicios Informáticos Bío-Bío SpA",
        "Actividades de programación informática",
        "Barros Arana 940, of. 1203",
        "Concepción",
    ),
    Company(
        _rut(76302557),
        "Panadería y Pastelería La Espiga Ltda.",
        "Elaboración de productos de panadería",
        "Los Carrera 615",
        "Quilpué",
    ),
    Company(
        _rut(78110463),
        "Minera Desierto de Atacama S.A.",
        "Extracción de minerales de cobre",
        "Av. Grecia 1950",
        "Antofagasta",
        "proveedores@mineraatacama.cl",
    ),
)


@dataclass(frozen=True)
class Product:
    """An item an ERP sells: name, unit, net price range in pesos, and whether it is exempt."""

    name: str
    unit: str
    low: int
    high: int
    exempt: bool = False
    fractional: bool = False  # sold by weight or length


PRODUCTS = (
    Product("Cemento Portland saco 25 kg", "UN", 3900, 5200),
    Product("Fierro estriado 12 mm x 6 m", "UN", 6100, 7800),
    Product("Pintura látex blanca galón", "GL", 12900, 18500),
    Product("Cable eléctrico 2,5 mm²", "MT", 420, 690, fractional=True),
    Product("Clavos de acero 2 pulgadas", "KG", 1790, 2490, fractional=True),
    Product("Plancha OSB 15 mm 1,22 x 2,44", "UN", 13200, 16900),
    Product("Servicio de instalación de cerámica", "M2", 6500, 9800, fractional=True),
    Product("Harina de trigo saco 25 kg", "UN", 14500, 17900),
    Product("Aceite vegetal 5 L", "UN", 8900, 11400),
    Product("Licencia anual software de gestión", "UN", 180000, 420000),
    Product("Soporte técnico mensual", "HR", 28000, 45000, fractional=True),
    Product("Arriendo de oficina sin amoblar", "MES", 650000, 1400000, exempt=True),
    Product("Transporte escolar mensual", "MES", 38000, 62000, exempt=True),
    Product("Curso de capacitación SENCE", "UN", 95000, 240000, exempt=True),
    Product("Flete de exportación", "UN", 120000, 380000, exempt=True),
    Product("Consulta dental de urgencia", "UN", 25000, 45000, exempt=True),
)

TEXT_CORRECTIONS = (
    ("la dirección del receptor", "Av. Vicuña Mackenna 3540", "Av. Vicuña Mackenna 3450"),
    ("el giro del receptor", "Construcción", "Construcción de edificios"),
    ("la razón social del receptor", "Distribuidora Araucania SPA", "Distribuidora Araucanía SpA"),
)
RETURN_REASONS = (
    "Devolución de mercaderías",
    "Descuento comercial posterior",
    "Diferencia de precio",
)
DEBIT_REASONS = ("Intereses por mora", "Flete no incluido en la factura", "Diferencia de precio")
