"""Credit (91) and debit (92) notes through the simulator: keyed with the PIN, referencing an
invoice the simulator accepted from the same issuer, dated on or after it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest
from lxml import etree

from services.countries.co.nit import check_digit
from services.countries.pack import NumberingSlot
from tests.integration.dian.support import OTHER_NIT, TODAY, Sandbox, find, post, rules
from tests.integration.dian.test_rules import build, reference_to, send

PREFIXES = {"91": "NC", "92": "ND"}
REFERENCE = "cac:BillingReference/cac:InvoiceDocumentReference"
_numbers = itertools.count(1)


def note_slot(kind: str) -> NumberingSlot:
    """A fresh note number: the issuer's own sequence, no DIAN resolution."""
    return NumberingSlot(
        "notes",
        "",
        PREFIXES[kind],
        next(_numbers),
        1,
        99_999_999,
        TODAY,
        TODAY + timedelta(days=365),
        "",
    )


@pytest.fixture(scope="module")
def invoice(sandbox: Sandbox) -> bytes:
    """An invoice the simulator accepted, for the notes to correct."""
    signed = build(sandbox, "01", sandbox.slot())
    assert send(sandbox, signed).accepted
    return signed


def note(
    sandbox: Sandbox,
    kind: str,
    corrected: bytes,
    edit: Callable[[etree._Element], None] | None = None,
    sign_as_of: timedelta = timedelta(0),
) -> list[str]:
    """The rules a note correcting `corrected` breaks (after `edit`, re-keyed)."""
    references = [reference_to(corrected)]
    signed = build(
        sandbox, kind, note_slot(kind), references=references, edit=edit, sign_as_of=sign_as_of
    )
    return rules(send(sandbox, signed))


def _set(path: str, value: str) -> Callable[[etree._Element], None]:
    return lambda root: setattr(find(root, path), "text", value)


@pytest.mark.parametrize("kind", ["91", "92"])
def test_a_note_of_an_accepted_invoice_is_accepted(
    sandbox: Sandbox, invoice: bytes, kind: str
) -> None:
    assert note(sandbox, kind, invoice) == []


@pytest.mark.parametrize(("kind", "prefix"), [("91", "C"), ("92", "D")])
def test_note_reference_rules(sandbox: Sandbox, invoice: bytes, kind: str, prefix: str) -> None:
    unknown = _set(f"{REFERENCE}/cbc:UUID", "ab" * 48)
    assert note(sandbox, kind, invoice, unknown) == [f"{prefix}BG04a"]
    wrong_number = _set(f"{REFERENCE}/cbc:ID", "SETP1")
    assert note(sandbox, kind, invoice, wrong_number) == [f"{prefix}BG03"]

    def algorithm(root: etree._Element) -> None:
        find(root, f"{REFERENCE}/cbc:UUID").set("schemeName", "CUDS-SHA384")

    assert note(sandbox, kind, invoice, algorithm) == [f"{prefix}BG05"]
    # Dated (and signed) the day before the invoice it corrects.
    earlier = _set("cbc:IssueDate", (TODAY - timedelta(days=1)).isoformat())
    assert note(sandbox, kind, invoice, earlier, timedelta(days=-1)) == [f"{prefix}BG06"]


def test_a_note_of_operation_20_without_its_reference_is_cbg02(
    sandbox: Sandbox, invoice: bytes
) -> None:
    def unreference(root: etree._Element) -> None:
        reference = find(root, "cac:BillingReference")
        reference.getparent().remove(reference)

    assert note(sandbox, "91", invoice, unreference) == ["CBG02"]


def test_a_note_of_another_issuers_invoice_is_cbg04b(sandbox: Sandbox) -> None:
    admin = sandbox.simulator.admin_url
    software = post(f"{admin}/issuers", {"nit": OTHER_NIT, "name": "Otra S.A.S."})
    resolution = post(f"{admin}/resolutions", {"nit": OTHER_NIT, "valid_from": "2020-01-01"})
    other = replace(
        sandbox.issuer,
        party=replace(sandbox.issuer.party, tax_id=OTHER_NIT, check_digit=check_digit(OTHER_NIT)),
        software_id=software["software_id"],
        software_pin=software["software_pin"],
    )
    theirs = build(sandbox, "01", sandbox.slot(resolution), issuer=other)
    assert send(sandbox, theirs).accepted
    assert note(sandbox, "91", theirs) == ["CBG04b"]


@pytest.mark.parametrize(("kind", "rule"), [("91", "CAD06"), ("92", "DAD06")])
def test_a_note_keyed_with_the_technical_key_instead_of_the_pin(
    sandbox: Sandbox, invoice: bytes, kind: str, rule: str
) -> None:
    signed = build(
        sandbox,
        kind,
        note_slot(kind),
        references=[reference_to(invoice)],
        edit=lambda root: None,
        secret=sandbox.resolution["technical_key"],
    )
    verdict = send(sandbox, signed)
    assert rules(verdict) == [rule]
    assert verdict.messages[0].text == "Valor del CUDE no está calculado correctamente."


@pytest.mark.parametrize(("kind", "rule"), [("91", "CAD09e"), ("92", "DAD09e")])
def test_a_note_signed_on_another_day(
    sandbox: Sandbox, invoice: bytes, kind: str, rule: str
) -> None:
    assert note(sandbox, kind, invoice, sign_as_of=timedelta(days=1)) == [rule]
