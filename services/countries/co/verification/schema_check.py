"""The schema part of a verification report: UBL 2.1 with the XSDs `co.schemas` loads.

The validator belongs to the documents' pack (`services.countries.co.schemas`). When it cannot
run here (module or XSDs missing), the report says the schema was not checked, and that check
is not enforced: a verification that could not be made is not a failure of the document.
"""

from __future__ import annotations

from lxml import etree

from services.countries.verification_report import Check, Status, errors_summary

_MISSING = "services.countries.co.schemas is not installed"
try:
    from services.countries.co import schemas
except ImportError as missing:  # the documents' pack ships it; without it: "not checked"
    schemas = None  # type: ignore[assignment]
    _MISSING = str(missing)


def schema_check(root: etree._Element) -> Check:
    """Validate against the UBL 2.1 XSDs; UNAVAILABLE (not enforced) when they cannot be used."""
    if schemas is None:
        return Check("schema", Status.UNAVAILABLE, f"no schema validator: {_MISSING}", False)
    try:
        errors = schemas.validate(root)
    except schemas.SchemaUnavailable as error:
        return Check("schema", Status.UNAVAILABLE, f"UBL 2.1 XSDs unavailable: {error}", False)
    if not errors:
        return Check("schema", Status.PASS, "valid UBL 2.1")
    return Check("schema", Status.FAIL, errors_summary(errors))
