"""The verifier's own key recomputation against DIAN's vectors (reference §1.5) and layouts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.countries.co.verification import keys
from services.countries.co.verification.events import EventFacts, event_preimage
from services.countries.co.verification.facts import (
    DocumentFacts,
    MonetaryTotals,
    PartyFacts,
    PartyId,
    TaxSubtotalFacts,
    TaxTotalFacts,
)


def facts(
    kind: str,
    number: str,
    when: tuple[str, str],
    amounts: tuple[str, str],
    taxes: dict[str, str],
    parties: tuple[str, str],
    environment: str,
) -> DocumentFacts:
    groups = tuple(
        TaxTotalFacts(Decimal(amount), (TaxSubtotalFacts(code, Decimal(amount)),))
        for code, amount in taxes.items()
    )
    return DocumentFacts(
        root="Invoice",
        document_type=kind,
        number=number,
        uuid="",
        issue_date=when[0],
        issue_time=when[1],
        environment=environment,
        totals=MonetaryTotals(Decimal(amounts[0]), Decimal(amounts[1])),
        supplier=PartyFacts(tax_id=PartyId(parties[0])),
        customer=PartyFacts(tax_id=PartyId(parties[1])),
        tax_totals=groups,
    )


V1 = facts(
    "01",
    "323200000129",
    ("2019-01-16", "10:53:10-05:00"),
    ("1500000.00", "1785000.00"),
    {"01": "285000.00"},
    ("700085371", "800199436"),
    "1",
)


def test_the_anexo_cufe_vector_v1() -> None:
    key = "693ff6f2a553c3646a063436fd4dd9ded0311471"
    assert keys.preimage(V1, key) == (
        "3232000001292019-01-1610:53:10-05:001500000.0001285000.00040.00030.00"
        "1785000.00700085371800199436693ff6f2a553c3646a063436fd4dd9ded03114711"
    )
    assert keys.document_key(V1, key) == (
        "8bb918b19ba22a694f1da11c643b5e9de39adf60311cf179179e9b33381030bc"
        "d4c3c3f156c506ed5908f9276f5bd9b4"
    )


def test_the_debit_note_cude_vector_v3() -> None:
    note = facts(
        "92",
        "ND1001",
        ("2019-01-18", "10:58:00-05:00"),
        ("30000.00", "32400.00"),
        {"04": "2400.00"},
        ("900197264", "10254102"),
        "2",
    )
    assert keys.key_spec("92") is keys.CUDE
    assert keys.document_key(note, "10201") == (
        "3fa73a86d57d9341c536afde1f85c4efd9d4591c2c22bce4dfb0e6b0d2e83b8f"
        "047a8bde7098292e9d2493e60d1c31da"
    )


def test_the_cuds_layouts() -> None:
    support = facts(
        "05",
        "DS1",
        ("2026-03-02", "10:00:00-05:00"),
        ("100.00", "119.00"),
        {"01": "19.00", "04": "8.00"},
        ("1018419008", "900373076"),
        "2",
    )
    head = "DS12026-03-0210:00:00-05:00100.00"
    assert keys.preimage(support, "PIN") == f"{head}0119.00119.001018419008900373076PIN2"
    assert keys.preimage(support, "PIN", keys.CudsVariant.DIAN_SOURCE) == (
        f"{head}0119.00048.00030.00119.001018419008900373076PIN2"
    )


@pytest.mark.parametrize(
    ("kind", "name", "secret"),
    [
        ("01", "CUFE", "technical_key"),
        ("02", "CUFE", "technical_key"),
        ("04", "CUFE", "technical_key"),
        ("03", "CUDE", "software_pin"),
        ("91", "CUDE", "software_pin"),
        ("92", "CUDE", "software_pin"),
        ("05", "CUDS", "software_pin"),
        ("95", "CUDS", "software_pin"),
    ],
)
def test_which_key_each_type_has(kind: str, name: str, secret: str) -> None:
    spec = keys.key_spec(kind)
    assert (spec.name, spec.secret, spec.scheme_name) == (name, secret, f"{name}-SHA384")


def test_amounts_are_truncated_not_rounded() -> None:
    assert keys.amount_text(Decimal("10.129")) == "10.12"
    assert keys.amount_text(Decimal("7")) == "7.00"


EVENT = EventFacts(
    number="1",
    issue_date="2026-03-02",
    issue_time="10:00:00-05:00",
    sender_nit="800197268",
    receiver_nit="900373076",
    response_code="030",
    response_list_id="",
    reference_id="SETP990000001",
    reference_type_code="01",
    uuid="",
    uuid_scheme_name="CUDE-SHA384",
)


def test_the_event_cude_layout_and_its_blank_endorsement_exception() -> None:
    assert event_preimage(EVENT, "P") == (
        "12026-03-0210:00:00-05:00800197268900373076030SETP99000000101P"
    )
    blank = EventFacts(**{**EVENT.__dict__, "response_code": "037", "response_list_id": "2"})
    assert event_preimage(blank, "P") == "12026-03-0210:00:00-05:009003730760372SETP99000000101P"
