"""XML namespaces of DIAN's UBL 2.1 documents and their signatures (dian-colombia.md §3.1)."""

from __future__ import annotations

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
DEBIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2"
ATTACHED_DOCUMENT_NS = "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2"
APPLICATION_RESPONSE_NS = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
STS_NS = "dian:gov:co:facturaelectronica:Structures-2-1"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NS = "http://uri.etsi.org/01903/v1.3.2#"
XADES141_NS = "http://uri.etsi.org/01903/v1.4.1#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Declared once on the root, as DIAN's samples do; the root itself is unprefixed because DIAN
# expects the document element in the default namespace.
INVOICE_NSMAP: dict[str | None, str] = {
    None: INVOICE_NS,
    "cac": CAC_NS,
    "cbc": CBC_NS,
    "ds": DS_NS,
    "ext": EXT_NS,
    "sts": STS_NS,
    "xades": XADES_NS,
    "xades141": XADES141_NS,
    "xsi": XSI_NS,
}
INVOICE_SCHEMA_LOCATION = (
    f"{INVOICE_NS} http://docs.oasis-open.org/ubl/os-UBL-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd"
)

# Per root element: the same declarations with the root's own namespace as the default.
ROOT_NAMESPACES: dict[str, str] = {
    "Invoice": INVOICE_NS,
    "CreditNote": CREDIT_NOTE_NS,
    "DebitNote": DEBIT_NOTE_NS,
    "AttachedDocument": ATTACHED_DOCUMENT_NS,
}
NSMAPS: dict[str, dict[str | None, str]] = {
    root: {**INVOICE_NSMAP, None: ns} for root, ns in ROOT_NAMESPACES.items()
}
SCHEMA_LOCATIONS: dict[str, str] = {
    root: f"{ns} http://docs.oasis-open.org/ubl/os-UBL-2.1/xsd/maindoc/UBL-{root}-2.1.xsd"
    for root, ns in ROOT_NAMESPACES.items()
}

# For XPath queries over documents read back (tests, signer, simulator).
PREFIXES: dict[str, str] = {
    "inv": INVOICE_NS,
    "cn": CREDIT_NOTE_NS,
    "dn": DEBIT_NOTE_NS,
    "ad": ATTACHED_DOCUMENT_NS,
    "ar": APPLICATION_RESPONSE_NS,
    "cac": CAC_NS,
    "cbc": CBC_NS,
    "ext": EXT_NS,
    "sts": STS_NS,
    "ds": DS_NS,
    "xades": XADES_NS,
}

# Clark-notation prefixes ("{uri}") so builders can write CBC + "ID" without lookups.
INV = "{" + INVOICE_NS + "}"
CAC = "{" + CAC_NS + "}"
CBC = "{" + CBC_NS + "}"
EXT = "{" + EXT_NS + "}"
STS = "{" + STS_NS + "}"
DS = "{" + DS_NS + "}"
XADES = "{" + XADES_NS + "}"
XSI = "{" + XSI_NS + "}"

# Written by hand so the declaration uses double quotes, as DIAN's samples do.
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
