"""SII schema validation of DTEs and envelopes, with the XSDs the `cl-sii` package ships.

The XSDs are located through the installed distribution (never copied into this repository)
and compiled once per process by `services.core.xsd`, reading local files only.
`EnvioDTE_v10.xsd` includes `DTE_v10.xsd`, so one schema validates both a DTE and an EnvioDTE.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from services.core.xsd import PackagedSchema, SchemaUnavailable, parse_for_validation

__all__ = ["SchemaUnavailable", "schema_folder", "validate"]

_SCHEMA = PackagedSchema(
    "cl-sii", "cl_sii/data/ref/factura_electronica/schemas-xml", "EnvioDTE_v10.xsd"
)


def schema_folder() -> Path:
    """The installed cl-sii package's folder of SII XSDs."""
    return _SCHEMA.folder()


def validate(document: bytes | etree._Element) -> list[str]:
    """Schema errors of a DTE or EnvioDTE ("line N: message"); empty when it is valid."""
    root = parse_for_validation(document)
    if isinstance(root, list):
        return root
    return _SCHEMA.validate(root)
