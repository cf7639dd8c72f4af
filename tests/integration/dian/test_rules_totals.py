"""Totals, taxes, withholdings, allowances and payment means, one rule broken at a time.

Each document is a pack invoice whose unsigned XML is edited (staying valid UBL 2.1, which the
simulator checks first), re-keyed as its issuer would, then signed by the pack's signer.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from tests.integration.dian.support import UBL, Sandbox, find
from tests.integration.dian.test_rules import edited

CAC, CBC = f"{{{UBL['cac']}}}", f"{{{UBL['cbc']}}}"
TOTALS = "cac:LegalMonetaryTotal"
Edit = Callable[[etree._Element], None]


def shift(path: str, by: str) -> Edit:
    """Add `by` to the amount at `path`."""

    def change(root: etree._Element) -> None:
        node = find(root, path)
        node.text = f"{Decimal(node.text) + Decimal(by):.2f}"

    return change


def element(tag: str, *children: etree._Element, text: str = "", **attrib: str) -> etree._Element:
    node = etree.Element(tag, attrib)
    node.text = text or None
    node.extend(children)
    return node


def money(tag: str, value: str) -> etree._Element:
    return element(CBC + tag, text=value, currencyID="COP")


def before(path: str, new: Callable[[], etree._Element]) -> Edit:
    """Insert a new element just before the one at `path` (schema order)."""
    return lambda root: find(root, path).addprevious(new())


def allowance(id_: str, indicator: str, amount: str, base: str, percent: str = "0") -> Edit:
    return before(
        "cac:TaxTotal",
        lambda: element(
            CAC + "AllowanceCharge",
            element(CBC + "ID", text=id_),
            element(CBC + "ChargeIndicator", text=indicator),
            element(CBC + "AllowanceChargeReason", text="Descuento"),
            element(CBC + "MultiplierFactorNumeric", text=percent),
            money("Amount", amount),
            money("BaseAmount", base),
        ),
    )


def withholding(scheme: str, base: str, percent: str, tax: str, total: str) -> Edit:
    return before(
        TOTALS,
        lambda: element(
            CAC + "WithholdingTaxTotal",
            money("TaxAmount", total),
            element(
                CAC + "TaxSubtotal",
                money("TaxableAmount", base),
                money("TaxAmount", tax),
                element(
                    CAC + "TaxCategory",
                    element(CBC + "Percent", text=percent),
                    element(CAC + "TaxScheme", element(CBC + "ID", text=scheme)),
                ),
            ),
        ),
    )


def test_a_pack_invoice_with_withholdings_and_a_zero_discount_is_accepted(
    sandbox: Sandbox,
) -> None:
    assert (
        edited(
            sandbox,
            allowance("1", "false", "0.00", "100.00"),
            withholding("06", "100000.00", "2.50", "2500.00", "2500.00"),
        )
        == []
    )


# --- monetary totals ---------------------------------------------------------------------


def test_line_total_other_than_the_lines_is_fau02(sandbox: Sandbox) -> None:
    line = "cac:InvoiceLine/cbc:LineExtensionAmount"
    # The line changes with its base and tax untouched: only the sum of lines disagrees.
    assert edited(sandbox, shift(line, "5.00")) == ["FAU02"]


def test_tax_exclusive_other_than_the_line_bases_is_fau04(sandbox: Sandbox) -> None:
    assert edited(sandbox, shift(f"{TOTALS}/cbc:TaxExclusiveAmount", "7.00")) == ["FAU04"]


def test_tax_inclusive_other_than_lines_plus_taxes_is_fau06(sandbox: Sandbox) -> None:
    changes = (
        shift(f"{TOTALS}/cbc:TaxInclusiveAmount", "7.00"),
        shift(f"{TOTALS}/cbc:PayableAmount", "7.00"),
    )
    assert edited(sandbox, *changes) == ["FAU06"]


def test_allowance_and_charge_totals_other_than_their_groups_are_fau08_and_fau10(
    sandbox: Sandbox,
) -> None:
    payable = f"{TOTALS}/cbc:PayableAmount"
    allowances = shift(f"{TOTALS}/cbc:AllowanceTotalAmount", "3.00")
    assert edited(sandbox, allowances, shift(payable, "-3.00")) == ["FAU08"]
    charges = shift(f"{TOTALS}/cbc:ChargeTotalAmount", "3.00")
    assert edited(sandbox, charges, shift(payable, "3.00")) == ["FAU10"]


def test_a_prepaid_total_without_its_payments_is_fau12(sandbox: Sandbox) -> None:
    prepaid = before(f"{TOTALS}/cbc:PayableAmount", lambda: money("PrepaidAmount", "1000.00"))
    assert edited(sandbox, prepaid) == ["FAU12"]


def test_a_payable_amount_other_than_the_formula_is_fau14(sandbox: Sandbox) -> None:
    assert edited(sandbox, shift(f"{TOTALS}/cbc:PayableAmount", "10.00")) == ["FAU14"]


# --- taxes and withholdings ----------------------------------------------------------------


def test_a_tax_amount_other_than_base_times_rate_is_fas07(sandbox: Sandbox) -> None:
    line_tax = "cac:InvoiceLine/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"
    assert edited(sandbox, shift(line_tax, "0.05")) == ["FAS07"]


def test_a_tax_total_other_than_its_subtotals_is_fas02(sandbox: Sandbox) -> None:
    assert edited(sandbox, shift("cac:TaxTotal/cbc:TaxAmount", "0.01")) == ["FAS02"]


def test_two_groups_of_one_tax_are_fas01b(sandbox: Sandbox) -> None:
    def duplicate(root: etree._Element) -> None:
        group = copy.deepcopy(find(root, "cac:TaxTotal"))
        for amount in group.iter(CBC + "TaxAmount", CBC + "TaxableAmount"):
            amount.text = "0.00"
        for extra in group.findall("cac:TaxSubtotal", UBL)[1:]:
            group.remove(extra)
        find(root, TOTALS).addprevious(group)

    assert edited(sandbox, duplicate) == ["FAS01b"]


def test_withholding_groups(sandbox: Sandbox) -> None:
    retefuente = withholding("06", "100000.00", "2.50", "2500.00", "2500.00")
    assert edited(sandbox, retefuente, retefuente) == ["FAT01"]
    assert edited(sandbox, withholding("06", "100000.00", "2.50", "2500.00", "2400.00")) == [
        "FAT02"
    ]
    assert edited(sandbox, withholding("05", "19000.00", "15.00", "2900.00", "2900.00")) == [
        "FAT07"
    ]


# --- allowances and charges ----------------------------------------------------------------


def test_document_allowances_and_charges(sandbox: Sandbox) -> None:
    assert edited(sandbox, allowance("2", "false", "0.00", "100.00")) == ["FAQ02"]
    # "1" is a valid xsd:boolean, but DIAN wants the literal "true" or "false".
    assert edited(sandbox, allowance("1", "1", "0.00", "100.00")) == ["FAQ03"]
    assert edited(sandbox, allowance("1", "false", "0.00", "100.00", percent="101")) == ["FAQ06"]
    assert edited(sandbox, allowance("1", "false", "0.01", "0.00")) == ["FAQ07"]


# --- payment means -------------------------------------------------------------------------


def _remove(path: str) -> Edit:
    def change(root: etree._Element) -> None:
        for node in root.findall(path, UBL):
            node.getparent().remove(node)

    return change


def _set(path: str, value: str) -> Edit:
    return lambda root: setattr(find(root, path), "text", value)


def test_payment_means(sandbox: Sandbox) -> None:
    assert edited(sandbox, _remove("cac:PaymentMeans")) == ["FAN01"]
    assert edited(sandbox, _set("cac:PaymentMeans/cbc:ID", "3")) == ["FAN02"]
    assert edited(sandbox, _set("cac:PaymentMeans/cbc:PaymentMeansCode", "ABC")) == ["FAN03"]
    credit = (
        _set("cac:PaymentMeans/cbc:ID", "2"),
        _remove("cac:PaymentMeans/cbc:PaymentDueDate"),
    )
    assert edited(sandbox, *credit) == ["FAN04"]
