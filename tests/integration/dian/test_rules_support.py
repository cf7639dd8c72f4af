"""Documento soporte (05) and its nota de ajuste (95) through the simulator: issued by the buyer
(the customer party), numbered from a documento soporte range, keyed with the PIN (CUDS)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta

import pytest
from lxml import etree

from services.countries.co.nit import check_digit
from services.countries.pack import NumberingSlot
from tests.integration.dian.support import TODAY, Sandbox, find, resolution_for, rules
from tests.integration.dian.test_rules import build, reference_to, send

_numbers = itertools.count(1)
SELLER_ID = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
BUYER_ID = "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"


@pytest.fixture(scope="module")
def support_range(sandbox: Sandbox) -> dict:
    """A documento soporte resolution of the sandbox issuer (no technical key)."""
    return resolution_for(
        sandbox, kind="support", prefix="SEDS", **{"from": 984000000, "to": 985000000}
    )


def support_slot(sandbox: Sandbox, resolution: dict) -> NumberingSlot:
    return sandbox.slot(resolution, number=resolution["from"] + next(_numbers), technical_key="")


def adjustment_slot() -> NumberingSlot:
    """A nota de ajuste's number: the issuer's own sequence."""
    return NumberingSlot(
        "ajustes", "", "NA", next(_numbers), 1, 99_999_999, TODAY, TODAY + timedelta(days=365), ""
    )


@pytest.fixture(scope="module")
def support_document(sandbox: Sandbox, support_range: dict) -> bytes:
    """A documento soporte the simulator accepted."""
    signed = build(sandbox, "05", support_slot(sandbox, support_range))
    verdict = send(sandbox, signed)
    assert verdict.accepted and verdict.messages == (), verdict
    return signed


def test_a_nota_de_ajuste_of_an_accepted_documento_soporte_is_accepted(
    sandbox: Sandbox, support_document: bytes
) -> None:
    signed = build(sandbox, "95", adjustment_slot(), references=[reference_to(support_document)])
    assert rules(send(sandbox, signed)) == []


def test_a_documento_soporte_numbers_from_a_support_range_only(sandbox: Sandbox) -> None:
    signed = build(sandbox, "05", sandbox.slot(number=next(sandbox.numbers)))
    assert rules(send(sandbox, signed)) == ["DSAD05e"]


def test_a_cuds_keyed_with_a_technical_key_is_dsad06(sandbox: Sandbox, support_range: dict) -> None:
    slot = support_slot(sandbox, support_range)
    signed = build(sandbox, "05", slot, edit=lambda root: None, secret="0" * 40)
    verdict = send(sandbox, signed)
    assert rules(verdict) == ["DSAD06"]
    assert verdict.messages[0].text == "Valor del CUDS no está calculado correctamente."


def test_a_documento_soporte_signed_on_another_day_is_dsad09e(
    sandbox: Sandbox, support_range: dict
) -> None:
    slot = support_slot(sandbox, support_range)
    assert rules(send(sandbox, build(sandbox, "05", slot, sign_as_of=timedelta(days=1)))) == [
        "DSAD09e"
    ]


def wrong_dv(path: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        node = find(root, path)
        node.set("schemeName", "31")
        node.set("schemeID", str((int(check_digit(node.text)) + 1) % 10))

    return change


def test_roles_are_reversed_in_the_party_rules(sandbox: Sandbox, support_range: dict) -> None:
    # The buyer issues the DS: its DV is DSAK24 (K, customer group); the seller's DSAJ24b.
    buyer = build(sandbox, "05", support_slot(sandbox, support_range), edit=wrong_dv(BUYER_ID))
    assert rules(send(sandbox, buyer)) == ["DSAK24"]
    seller = build(sandbox, "05", support_slot(sandbox, support_range), edit=wrong_dv(SELLER_ID))
    assert rules(send(sandbox, seller)) == ["DSAJ24b"]


def test_nota_de_ajuste_rules(sandbox: Sandbox, support_document: bytes) -> None:
    references = [reference_to(support_document)]

    def unknown(root: etree._Element) -> None:
        find(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID").text = "cd" * 48

    signed = build(sandbox, "95", adjustment_slot(), references=references, edit=unknown)
    verdict = send(sandbox, signed)
    assert rules(verdict) == ["NSBG04"]
    assert verdict.messages[0].text == "CUDS de DS referenciada no existe."
    wrong = build(
        sandbox, "95", adjustment_slot(), references=references, edit=lambda r: None, secret="1"
    )
    assert rules(send(sandbox, wrong)) == ["NSAD06"]
