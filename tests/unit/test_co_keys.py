"""CUFE/CUDE and NIT check digits against DIAN's published vectors (dian-colombia.md §1.5, §4)."""

import hashlib
from decimal import Decimal

import pytest

from services.countries.co import cufe, nit


def test_cufe_matches_the_anexo_example_v1():
    fields = cufe.KeyFields(
        number="323200000129",
        issue_date="2019-01-16",
        issue_time="10:53:10-05:00",
        line_extension=Decimal("1500000.00"),
        taxes={"01": Decimal("285000.00")},
        payable=Decimal("1785000.00"),
        supplier_nit="700085371",
        customer_id="800199436",
        environment="1",
    )
    key = "693ff6f2a553c3646a063436fd4dd9ded0311471"
    assert fields.preimage(key) == (
        "3232000001292019-01-1610:53:10-05:001500000.0001285000.00040.00030.00"
        "1785000.00700085371800199436693ff6f2a553c3646a063436fd4dd9ded03114711"
    )
    assert cufe.cufe(fields, key) == (
        "8bb918b19ba22a694f1da11c643b5e9de39adf60311cf179179e9b33381030bc"
        "d4c3c3f156c506ed5908f9276f5bd9b4"
    )


def test_cude_matches_the_debit_note_vector_v3():
    fields = cufe.KeyFields(
        number="ND1001",
        issue_date="2019-01-18",
        issue_time="10:58:00-05:00",
        line_extension=Decimal("30000.00"),
        taxes={"04": Decimal("2400.00")},
        payable=Decimal("32400.00"),
        supplier_nit="900197264",
        customer_id="10254102",
        environment="2",
    )
    assert cufe.cude(fields, "10201") == (
        "3fa73a86d57d9341c536afde1f85c4efd9d4591c2c22bce4dfb0e6b0d2e83b8f"
        "047a8bde7098292e9d2493e60d1c31da"
    )


def test_amounts_are_truncated_not_rounded():
    assert cufe.amount(Decimal("10.129")) == "10.12"
    assert cufe.amount(Decimal("7")) == "7.00"


@pytest.mark.parametrize(
    ("number", "digit"),
    [
        ("800197268", "4"),
        ("1018419008", "5"),
        ("90010828", "1"),
        ("901210113", "3"),
        ("900373076", "4"),
        ("860046645", "9"),
    ],
)
def test_nit_check_digit(number, digit):
    assert nit.check_digit(number) == digit
    assert nit.is_valid(number, digit)
    assert not nit.is_valid(number, str((int(digit) + 1) % 10))


def test_nit_rejects_non_digits():
    with pytest.raises(ValueError):
        nit.check_digit("80019726A")
    assert not nit.is_valid("", "0")


def _support_fields() -> cufe.KeyFields:
    # A DS: the seller not obliged to invoice (supplier) is a cédula, the buyer the issuer.
    return cufe.KeyFields(
        number="SEDS984000001",
        issue_date="2026-05-04",
        issue_time="10:30:15-05:00",
        line_extension=Decimal("60000.00"),
        taxes={"01": Decimal("0.00")},
        payable=Decimal("60000.00"),
        supplier_nit="1018419008",
        customer_id="900373076",
        environment="2",
    )


def test_cuds_defaults_to_the_iva_only_layout():
    fields = _support_fields()
    preimage = (
        "SEDS9840000012026-05-0410:30:15-05:0060000.00010.0060000.001018419008900373076246802"
    )
    assert fields.preimage("24680", taxes=("01",)) == preimage
    assert cufe.cuds(fields, "24680") == hashlib.sha384(preimage.encode()).hexdigest()


def test_cuds_dian_src_layout_adds_inc_and_ica_and_keeps_the_seller_first():
    # DIAN's validator hashes receiverCode then senderCode for a 05; a DS's sender is its
    # issuer (the buyer), so that is the seller (NumSNO) first, as in the XML.
    fields = _support_fields()
    taxes = "010.00040.00030.00"
    ds = f"SEDS9840000012026-05-0410:30:15-05:0060000.00{taxes}60000.001018419008900373076246802"
    layout = cufe.CudsLayout.DIAN_SRC
    assert cufe.cuds(fields, "24680", layout) == hashlib.sha384(ds.encode()).hexdigest()
    assert cufe.cuds(fields, "24680", layout) != cufe.cuds(fields, "24680")
