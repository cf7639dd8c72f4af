"""The RUT check digit (módulo 11) with the reference's §2 vectors, reading and refusals."""

from __future__ import annotations

import pytest

from services.core.rejection import InputRejected
from services.countries.cl import rut

# sii-chile.md §2: cl-sii doctests, the SII itself, the SII's test RUT, and others.
VECTORS = [
    "60910000-1",
    "76555835-2",
    "76177907-9",
    "76369187-K",
    "77879240-0",
    "96874030-K",
    "60803000-K",
    "97975000-5",
    "7880442-4",
    "77777777-7",
    "66666666-6",
    "55555555-5",
    "76192083-9",
    "13185095-6",
    "76354771-K",
    "96670340-7",
    "12345678-5",
]


@pytest.mark.parametrize("text", VECTORS)
def test_reference_vectors_have_the_right_check_digit(text):
    body, digit = text.split("-")
    assert rut.check_digit(int(body)) == digit
    assert rut.from_text(text).text == text


def test_check_digits_zero_and_k_come_from_11_and_10():
    # 11 - (sum mod 11) == 11 gives 0; == 10 gives K.
    assert rut.check_digit(77879240) == "0"
    assert rut.check_digit(76369187) == "K"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("12.345.678-5", "12345678-5"),
        ("76369187-k", "76369187-K"),
        ("07880442-4", "7880442-4"),  # zero-padded, as in certificates
        (" 60803000-K ", "60803000-K"),
    ],
)
def test_lenient_forms_are_written_canonically(text, canonical):
    assert rut.from_text(text).text == canonical


@pytest.mark.parametrize(
    "text", ["55666777-8", "11222333-4", "12345678-4", "12345678", "1234567890-1", "ABC-1", "0-0"]
)
def test_bad_ruts_are_refused(text):
    # LibreDTE's placeholder RUTs (55666777-8, 11222333-4) have wrong check digits.
    with pytest.raises(ValueError):
        rut.from_text(text)


def test_a_refusal_names_the_field_and_the_expected_digit():
    with pytest.raises(InputRejected) as refused:
        rut.parse_rut("12345678-4", "document.customer.tax_id")
    assert refused.value.field == "document.customer.tax_id"
    assert "needs 5" in refused.value.rule


def test_an_empty_rut_is_required():
    with pytest.raises(InputRejected, match="is required"):
        rut.parse_rut("", "issuer.party.tax_id")


def test_split_body_and_digit_are_checked_on_the_digit_field():
    assert rut.parse_split("76192083", "9", "p.tax_id", "p.check_digit").text == "76192083-9"
    with pytest.raises(InputRejected) as refused:
        rut.parse_split("76192083", "8", "p.tax_id", "p.check_digit")
    assert refused.value.field == "p.check_digit"


def test_a_whole_rut_with_a_contradicting_digit_field_is_refused():
    with pytest.raises(InputRejected) as refused:
        rut.parse_split("76192083-9", "4", "p.tax_id", "p.check_digit")
    assert refused.value.field == "p.check_digit"


def test_a_body_without_digit_asks_for_it():
    with pytest.raises(InputRejected) as refused:
        rut.parse_split("76192083", "", "p.tax_id", "p.check_digit")
    assert refused.value.field == "p.check_digit"


def test_a_lookup_key_must_already_be_canonical():
    assert rut.canonical("76192083-9", "document.issuer") == "76192083-9"
    with pytest.raises(InputRejected, match="write the RUT as 76192083-9"):
        rut.canonical("76.192.083-9", "document.issuer")
