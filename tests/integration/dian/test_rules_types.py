"""Invoice types other than 01 through the simulator: export (02), DIAN contingency (04) and
the transmission of a paper contingency invoice (03)."""

from __future__ import annotations

import itertools

import pytest
from lxml import etree

from tests.integration.dian.support import Sandbox, find, resolution_for, rules
from tests.integration.dian.test_rules import build, send

_numbers = itertools.count(1)


def test_an_export_invoice_in_foreign_currency_is_accepted(sandbox: Sandbox) -> None:
    signed = build(sandbox, "02", sandbox.slot())
    root = etree.fromstring(signed)
    assert find(root, "cbc:InvoiceTypeCode").text == "02"
    assert find(root, "cbc:DocumentCurrencyCode").text != "COP"  # FAD15/FAR apply
    assert rules(send(sandbox, signed)) == []


def test_a_dian_contingency_invoice_is_keyed_and_numbered_like_01(sandbox: Sandbox) -> None:
    signed = build(sandbox, "04", sandbox.slot())
    assert find(etree.fromstring(signed), "cbc:InvoiceTypeCode").text == "04"
    assert rules(send(sandbox, signed)) == []
    wrong_key = build(sandbox, "04", sandbox.slot(technical_key="0" * 40))
    assert rules(send(sandbox, wrong_key)) == ["FAD06"]


@pytest.fixture(scope="module")
def paper_range(sandbox: Sandbox) -> dict:
    """The issuer's paper contingency (talonario) resolution."""
    return resolution_for(
        sandbox, kind="paper", prefix="CONT", valid_from="2020-01-01", **{"from": 1, "to": 5000}
    )


def test_a_paper_invoice_is_transmitted_from_its_contingency_range(
    sandbox: Sandbox, paper_range: dict
) -> None:
    number = next(_numbers)
    slot = sandbox.slot(paper_range, number=number, technical_key="")
    signed = build(sandbox, "03", slot, paper_range=(number, number))
    assert find(etree.fromstring(signed), "cbc:UUID").get("schemeName") == "CUDE-SHA384"
    assert rules(send(sandbox, signed)) == []


def test_a_paper_invoice_under_an_invoice_resolution_is_fad05e(sandbox: Sandbox) -> None:
    number = next(sandbox.numbers)
    slot = sandbox.slot(number=number)
    signed = build(sandbox, "03", slot, paper_range=(number, number))
    assert rules(send(sandbox, signed)) == ["FAD05e"]
