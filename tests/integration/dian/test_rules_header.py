"""Header rules, one broken at a time: key algorithm and environment, DIAN extension, software,
type code, currency and exchange rate, line count, party identifications."""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from services.countries.co.nit import check_digit
from tests.integration.dian.support import UBL, Sandbox, find
from tests.integration.dian.test_rules import edited

CAC, CBC = f"{{{UBL['cac']}}}", f"{{{UBL['cbc']}}}"
EXT = "{urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2}"
Edit = Callable[[etree._Element], None]
SUPPLIER = "cac:AccountingSupplierParty/cac:Party"
CUSTOMER = "cac:AccountingCustomerParty/cac:Party"


def _set(path: str, value: str) -> Edit:
    return lambda root: setattr(find(root, path), "text", value)


def _attribute(path: str, name: str, value: str) -> Edit:
    return lambda root: find(root, path).set(name, value)


def _remove(path: str) -> Edit:
    def change(root: etree._Element) -> None:
        node = find(root, path)
        node.getparent().remove(node)

    return change


def test_key_algorithm_and_environment(sandbox: Sandbox) -> None:
    assert edited(sandbox, _attribute("cbc:UUID", "schemeName", "CUFE-SHA1")) == ["FAD08"]
    environment = (_set("cbc:ProfileExecutionID", "3"), _attribute("cbc:UUID", "schemeID", "3"))
    assert edited(sandbox, *environment) == ["FAD04"]


def test_a_second_dian_extension_is_fab03(sandbox: Sandbox) -> None:
    def duplicate(root: etree._Element) -> None:
        extension = find(root, "ext:UBLExtensions/ext:UBLExtension".replace("ext:", EXT))
        extension.addnext(copy.deepcopy(extension))

    assert edited(sandbox, duplicate) == ["FAB03"]


def test_missing_software_id_and_security_code(sandbox: Sandbox) -> None:
    assert edited(sandbox, _remove(".//sts:SoftwareSecurityCode")) == ["FAB27a"]
    assert edited(sandbox, _remove(".//sts:SoftwareID")) == ["FAB24a"]


def test_an_unknown_invoice_type_is_fad12a(sandbox: Sandbox) -> None:
    assert edited(sandbox, _set("cbc:InvoiceTypeCode", "07")) == ["FAD12a"]


def test_line_count_other_than_the_lines_is_fad16(sandbox: Sandbox) -> None:
    assert edited(sandbox, _set("cbc:LineCountNumeric", "99")) == ["FAD16"]


def test_a_currency_id_other_than_the_documents_is_fad15b(sandbox: Sandbox) -> None:
    assert edited(sandbox, _attribute("cac:TaxTotal/cbc:TaxAmount", "currencyID", "USD")) == [
        "FAD15b"
    ]


# --- foreign currency ----------------------------------------------------------------------


def in_currency(code: str, rate: dict[str, str] | None) -> Edit:
    """Write every amount in `code` and add a PaymentExchangeRate with `rate`'s elements."""

    def change(root: etree._Element) -> None:
        find(root, "cbc:DocumentCurrencyCode").text = code
        for child in root:
            if child.tag == EXT + "UBLExtensions":
                continue
            for node in child.iter():
                if isinstance(node.tag, str) and node.get("currencyID"):
                    node.set("currencyID", code)
        if rate is not None:
            group = etree.Element(CAC + "PaymentExchangeRate")
            for tag, value in rate.items():
                etree.SubElement(group, CBC + tag).text = value
            find(root, "cac:TaxTotal").addprevious(group)

    return change


RATE = {
    "SourceCurrencyCode": "USD",
    "SourceCurrencyBaseRate": "1.00",
    "TargetCurrencyCode": "COP",
    "TargetCurrencyBaseRate": "1.00",
    "CalculationRate": "4000.00",
    "Date": "2026-01-02",
}


def test_a_foreign_currency_document_needs_its_exchange_rate(sandbox: Sandbox) -> None:
    assert edited(sandbox, in_currency("USD", RATE)) == []
    assert edited(sandbox, in_currency("USD", None)) == ["FAR01"]
    assert edited(sandbox, in_currency("USD", {**RATE, "SourceCurrencyCode": "EUR"})) == ["FAR02"]
    assert edited(sandbox, in_currency("USD", {**RATE, "SourceCurrencyBaseRate": "4000"})) == [
        "FAR03"
    ]
    assert edited(sandbox, in_currency("USD", {**RATE, "TargetCurrencyCode": "EUR"})) == ["FAR04"]


def test_a_currency_outside_iso_4217_is_fad15a(sandbox: Sandbox) -> None:
    rate = {**RATE, "SourceCurrencyCode": "XYZ"}
    assert edited(sandbox, in_currency("XYZ", rate)) == ["FAD15a"]


# --- party identifications -----------------------------------------------------------------


def wrong_dv(path: str) -> Edit:
    def change(root: etree._Element) -> None:
        node = find(root, path)
        node.set("schemeID", str((int(check_digit(node.text)) + 1) % 10))

    return change


def test_the_software_providers_dv(sandbox: Sandbox) -> None:
    assert edited(sandbox, _attribute(".//sts:ProviderID", "schemeID", "")) == ["FAB22a"]
    assert edited(sandbox, wrong_dv(".//sts:ProviderID")) == ["FAB22b"]


def test_the_issuers_identification(sandbox: Sandbox) -> None:
    assert edited(sandbox, wrong_dv(f"{SUPPLIER}/cac:PartyTaxScheme/cbc:CompanyID")) == ["FAJ24"]
    assert edited(sandbox, wrong_dv(f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID")) == ["FAJ47"]
    legal_id = f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID"
    assert edited(sandbox, _attribute(legal_id, "schemeName", "13")) == ["FAJ48"]


def test_the_buyers_identification(sandbox: Sandbox) -> None:
    # The sandbox's default invoice (seed 1) is to a company, identified by NIT and DV.
    company = f"{CUSTOMER}/cac:PartyTaxScheme/cbc:CompanyID"
    assert edited(sandbox, wrong_dv(company)) == ["FAK24"]
    assert edited(sandbox, _remove(company)) == ["FAK21"]
