"""Issuer and numbering-range registrations for Colombia: defaults and refusals with field paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from services.core.rejection import InputRejected
from services.countries.co import demo, habilitacion
from services.countries.co.pack import PACK
from timbra.v1 import issuing_pb2


def test_the_sandbox_issuer_parses_with_its_own_nit_as_provider():
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    assert (issuer.country, issuer.tax_id, issuer.party.check_digit) == ("co", "900373076", "4")
    assert (issuer.provider_tax_id, issuer.provider_check_digit) == ("900373076", "4")
    assert (issuer.environment, issuer.software_id) == ("2", demo.SANDBOX_SOFTWARE_ID)
    assert issuer.software_pin == demo.SANDBOX_SOFTWARE_PIN
    assert "software_pin" not in repr(issuer) and demo.SANDBOX_SOFTWARE_PIN not in repr(issuer)
    assert issuer.party.address is not None and issuer.party.address.city_code == "11001"


def test_a_technology_provider_is_kept_with_its_check_digit():
    profile = demo.issuer_profile()
    profile.provider_tax_id = "800197268"
    issuer = PACK.parse_issuer(profile, "issuer")
    assert (issuer.provider_tax_id, issuer.provider_check_digit) == ("800197268", "4")


def issuer_refusal(change: Callable[[issuing_pb2.IssuerProfile], object]) -> InputRejected:
    profile = demo.issuer_profile()
    change(profile)
    with pytest.raises(InputRejected) as caught:
        PACK.parse_issuer(profile, "issuer")
    return caught.value


ISSUER_CASES = [
    ("no party", lambda p: p.ClearField("party"), "issuer.party"),
    ("no NIT", lambda p: setattr(p.party, "tax_id", ""), "issuer.party.tax_id"),
    ("wrong DV", lambda p: setattr(p.party, "check_digit", "5"), "issuer.party.check_digit"),
    ("cédula issuer", lambda p: setattr(p.party, "id_type", "13"), "issuer.party.id_type"),
    ("no name", lambda p: setattr(p.party, "name", ""), "issuer.party.name"),
    ("no software id", lambda p: setattr(p, "software_id", ""), "issuer.software_id"),
    ("no pin", lambda p: setattr(p, "software_pin", ""), "issuer.software_pin"),
    ("environment 3", lambda p: setattr(p, "environment", "3"), "issuer.environment"),
    (
        "provider DV wrong",
        lambda p: (
            setattr(p, "provider_tax_id", "800197268"),
            setattr(p, "provider_check_digit", "7"),
        ),
        "issuer.provider_check_digit",
    ),
    (
        "provider not digits",
        lambda p: setattr(p, "provider_tax_id", "80019726-8"),
        "issuer.provider_tax_id",
    ),
    (
        "DV without provider",
        lambda p: setattr(p, "provider_check_digit", "4"),
        "issuer.provider_check_digit",
    ),
    ("CIIU of 3 digits", lambda p: setattr(p, "industry_code", "474"), "issuer.industry_code"),
]


@pytest.mark.parametrize(
    ("change", "field"), [c[1:] for c in ISSUER_CASES], ids=[c[0] for c in ISSUER_CASES]
)
def test_issuer_rules(change, field):
    assert issuer_refusal(change).field == field


def test_the_habilitacion_range_parses():
    spec = PACK.parse_range(demo.habilitacion_range(), "range")
    assert spec == habilitacion.range_spec("900373076")
    assert spec.valid_from == date(2019, 1, 19) and spec.document_types == ("01", "02", "04")
    assert habilitacion.TECHNICAL_KEY not in repr(spec)


def test_an_unprefixed_range_with_several_types_parses():
    request = demo.habilitacion_range()
    request.prefix = ""
    request.ClearField("document_types")
    request.document_types.extend(["01", "04"])
    spec = PACK.parse_range(request, "range")
    assert (spec.prefix, spec.document_types) == ("", ("01", "04"))


def range_refusal(change: Callable[[issuing_pb2.NumberingRange], object]) -> InputRejected:
    request = demo.habilitacion_range()
    change(request)
    with pytest.raises(InputRejected) as caught:
        PACK.parse_range(request, "range")
    return caught.value


RANGE_CASES = [
    ("other country", lambda r: setattr(r, "country", "cl"), "range.country"),
    ("issuer with DV", lambda r: setattr(r, "issuer", "900373076-4"), "range.issuer"),
    ("authorization missing", lambda r: setattr(r, "authorization", ""), "range.authorization"),
    (
        "authorization letters",
        lambda r: setattr(r, "authorization", "RES-18760"),
        "range.authorization",
    ),
    ("prefix of five", lambda r: setattr(r, "prefix", "SETPX"), "range.prefix"),
    ("prefix with dash", lambda r: setattr(r, "prefix", "F-1"), "range.prefix"),
    ("from zero", lambda r: setattr(r, "range_from", 0), "range.range_from"),
    ("to below from", lambda r: setattr(r, "range_to", 10), "range.range_to"),
    ("from not a date", lambda r: setattr(r, "valid_from", "19/01/2019"), "range.valid_from"),
    ("to missing", lambda r: setattr(r, "valid_to", ""), "range.valid_to"),
    ("to before from", lambda r: setattr(r, "valid_to", "2018-12-31"), "range.valid_to"),
    ("no technical key", lambda r: setattr(r, "technical_key", ""), "range.technical_key"),
    ("credit notes", lambda r: r.document_types.append("91"), "range.document_types[3]"),
    ("repeated type", lambda r: r.document_types.append("01"), "range.document_types[3]"),
]


@pytest.mark.parametrize(
    ("change", "field"), [c[1:] for c in RANGE_CASES], ids=[c[0] for c in RANGE_CASES]
)
def test_range_rules(change, field):
    assert range_refusal(change).field == field


def test_an_issuer_in_habilitacion_keeps_its_test_set_and_ds_software():
    profile = demo.issuer_profile(
        test_set_id="2B7C94A6-0F3E-4D51-9A8B-6C1D2E3F4A5B", support_software=True
    )
    issuer = PACK.parse_issuer(profile, "issuer")
    assert issuer.test_set_id == "2b7c94a6-0f3e-4d51-9a8b-6c1d2e3f4a5b"
    assert issuer.support_software_id == demo.SANDBOX_SUPPORT_SOFTWARE_ID
    assert issuer.support_software_pin == demo.SANDBOX_SUPPORT_SOFTWARE_PIN
    assert demo.SANDBOX_SUPPORT_SOFTWARE_PIN not in repr(issuer)
    plain = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    assert (plain.test_set_id, plain.support_software_id) == ("", "")


NEW_ISSUER_CASES = [
    ("test set not a UUID", lambda p: setattr(p, "test_set_id", "set-1"), "issuer.test_set_id"),
    (
        "DS pin without id",
        lambda p: setattr(p, "support_software_pin", "1"),
        "issuer.support_software_id",
    ),
    (
        "DS id without pin",
        lambda p: setattr(p, "support_software_id", "abc"),
        "issuer.support_software_pin",
    ),
    (
        "DS id with a space",
        lambda p: (
            setattr(p, "support_software_id", "a b"),
            setattr(p, "support_software_pin", "1"),
        ),
        "issuer.support_software_id",
    ),
]


@pytest.mark.parametrize(
    ("change", "field"), [c[1:] for c in NEW_ISSUER_CASES], ids=[c[0] for c in NEW_ISSUER_CASES]
)
def test_new_issuer_rules(change, field):
    assert issuer_refusal(change).field == field


def test_every_family_of_range_parses_with_its_own_requirements():
    specs = {
        spec.prefix: spec for spec in (PACK.parse_range(r, "r") for r in demo.sandbox_ranges())
    }
    assert specs["SETP"].document_types == ("01", "02", "04") and specs["SETP"].technical_key
    assert (specs["CONT"].document_types, specs["CONT"].technical_key) == (("03",), "")
    assert specs["SEDS"].document_types == ("05", "95") and specs["SEDS"].authorization
    credit = specs["NC"]
    assert (credit.document_types, credit.authorization) == (("91",), "")
    assert credit.valid_from < date(2020, 1, 1) and credit.valid_to > date(9000, 1, 1)


def test_an_empty_type_list_is_an_invoice_range():
    request = demo.habilitacion_range()
    request.ClearField("document_types")
    assert PACK.parse_range(request, "range").document_types == ("01", "02", "04")


def _family(types, **fields) -> issuing_pb2.NumberingRange:
    return demo.range_request(types, "X", 1, 100, **fields)


FAMILY_CASES = [
    ("DS without resolution", _family(["05"]), "range.authorization"),
    ("paper without resolution", _family(["03"]), "range.authorization"),
    ("invoice without key", _family(["01"], authorization="1876"), "range.technical_key"),
    ("notes with DS", _family(["91", "05"]), "range.document_types[1]"),
    ("paper with invoices", _family(["03", "01"], authorization="1"), "range.document_types[1]"),
    ("unknown type", _family(["07"]), "range.document_types[0]"),
    ("note resolution letters", _family(["92"], authorization="R1"), "range.authorization"),
]


@pytest.mark.parametrize(
    ("request_", "field"), [c[1:] for c in FAMILY_CASES], ids=[c[0] for c in FAMILY_CASES]
)
def test_range_family_rules(request_, field):
    with pytest.raises(InputRejected) as caught:
        PACK.parse_range(request_, "range")
    assert caught.value.field == field


def test_a_note_range_with_dates_keeps_them():
    request = _family(["91", "92"], authorization="18760000009")
    spec = PACK.parse_range(request, "range")
    assert spec.valid_from == habilitacion.VALID_FROM and spec.document_types == ("91", "92")
