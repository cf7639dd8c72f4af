"""Countries a Colombian document may name, ISO 3166-1 alpha-2 code → Spanish name.

DIAN's Paises list is the whole ISO table with Spanish names (Country/Name languageID="es");
these are the countries Colombian trade meets most, and an unknown code is refused rather than
written without its name.
"""

from __future__ import annotations

COUNTRY_NAMES: dict[str, str] = {
    "CO": "Colombia",
    "AR": "Argentina",
    "AU": "Australia",
    "AT": "Austria",
    "BE": "Bélgica",
    "BO": "Bolivia",
    "BR": "Brasil",
    "CA": "Canadá",
    "CL": "Chile",
    "CN": "China",
    "CR": "Costa Rica",
    "CU": "Cuba",
    "DE": "Alemania",
    "DK": "Dinamarca",
    "DO": "República Dominicana",
    "EC": "Ecuador",
    "ES": "España",
    "FI": "Finlandia",
    "FR": "Francia",
    "GB": "Reino Unido",
    "GT": "Guatemala",
    "HN": "Honduras",
    "IE": "Irlanda",
    "IL": "Israel",
    "IN": "India",
    "IT": "Italia",
    "JP": "Japón",
    "KR": "Corea del Sur",
    "MX": "México",
    "NI": "Nicaragua",
    "NL": "Países Bajos",
    "NO": "Noruega",
    "NZ": "Nueva Zelanda",
    "PA": "Panamá",
    "PE": "Perú",
    "PL": "Polonia",
    "PR": "Puerto Rico",
    "PT": "Portugal",
    "PY": "Paraguay",
    "SE": "Suecia",
    "CH": "Suiza",
    "SV": "El Salvador",
    "TR": "Turquía",
    "AE": "Emiratos Árabes Unidos",
    "US": "Estados Unidos",
    "UY": "Uruguay",
    "VE": "Venezuela",
    "ZA": "Sudáfrica",
}
