"""Reading single values out of a DIAN document: namespaces, texts, amounts, dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from lxml import etree

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {
    "cac": f"{UBL}CommonAggregateComponents-2",
    "cbc": f"{UBL}CommonBasicComponents-2",
    "ext": f"{UBL}CommonExtensionComponents-2",
    # DIAN accepts both structure namespaces in practice (reference §3.1).
    "sts": "dian:gov:co:facturaelectronica:Structures-2-1",
    "sts1": "http://www.dian.gov.co/contratos/facturaelectronica/v1/Structures",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "xades": "http://uri.etsi.org/01903/v1.3.2#",
}
ROOTS = ("Invoice", "CreditNote", "DebitNote", "ApplicationResponse", "AttachedDocument")
"""The UBL 2.1 document elements DIAN exchanges, each in its own `{UBL}<name>-2` namespace."""

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?")


class SchemaViolation(ValueError):
    """The document lacks an element DIAN's schema requires, or a value has the wrong type."""


def root_name(root: etree._Element) -> str:
    """The UBL document name of a root element ("Invoice", ...), or "" when it is not one."""
    if not isinstance(root.tag, str):
        return ""
    qname = etree.QName(root)
    if qname.localname in ROOTS and qname.namespace == f"{UBL}{qname.localname}-2":
        return qname.localname
    return ""


def text(node: etree._Element | None, path: str) -> str:
    """The stripped text at `path` under `node` ("" when absent)."""
    if node is None:
        return ""
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def attribute(node: etree._Element | None, path: str, name: str) -> str:
    """An attribute of the element at `path` ("" when either is absent)."""
    if node is None:
        return ""
    found = node.find(path, NS)
    return (found.get(name) or "").strip() if found is not None else ""


def required(node: etree._Element, path: str) -> str:
    """The text at `path`; SchemaViolation when it is absent or empty."""
    value = text(node, path)
    if not value:
        raise SchemaViolation(f"{path} is required")
    return value


def decimal(value: str, where: str) -> Decimal:
    """A decimal as the schema's xsd:decimal allows it; SchemaViolation otherwise."""
    if not _DECIMAL.fullmatch(value):
        raise SchemaViolation(f"{where} is not a decimal: {value!r}")
    return Decimal(value)


def amount(node: etree._Element, path: str) -> Decimal:
    """A required decimal at `path`."""
    return decimal(required(node, path), path)


def optional_amount(node: etree._Element | None, path: str) -> Decimal | None:
    """A decimal at `path`, or None when the element is absent or empty."""
    value = text(node, path)
    return decimal(value, path) if value else None


def issue_date(root: etree._Element) -> str:
    """cbc:IssueDate, checked to be an xsd:date."""
    value = required(root, "cbc:IssueDate")
    try:
        valid = bool(_DATE.fullmatch(value)) and date.fromisoformat(value) is not None
    except ValueError:
        valid = False
    if not valid:
        raise SchemaViolation(f"cbc:IssueDate is not a date: {value!r}")
    return value


def issue_time(root: etree._Element) -> str:
    """cbc:IssueTime, checked to be an xsd:time."""
    value = required(root, "cbc:IssueTime")
    if not _TIME.fullmatch(value):
        raise SchemaViolation(f"cbc:IssueTime is not a time: {value!r}")
    return value
