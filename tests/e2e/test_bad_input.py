"""Bad input is refused with the field path and the rule, and nothing is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import grpc
import pytest

from services.countries.co.nit import check_digit
from tests import flows
from tests.e2e.test_embedded_flow import stored_event_count
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc

INVALID = grpc.StatusCode.INVALID_ARGUMENT
PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION


def _missing_customer_id(d):
    d.customer.tax_id = ""


def _wrong_check_digit(d):
    d.customer.id_type = "31"
    d.customer.tax_id = "900373076"
    d.customer.check_digit = "5"


def _negative_quantity(d):
    d.lines[0].quantity = "-2"


def _totals_do_not_add_up(d):
    d.totals.payable_amount = str(Decimal(d.totals.payable_amount) + Decimal("0.01"))


def _unknown_country(d):
    d.country = "zz"


def _exponent_amount(d):
    d.lines[0].unit_price = "1e3"


def _three_decimals(d):
    d.lines[0].unit_price = "12.345"


def _unregistered_issuer(d):
    d.issuer = "800000001"


CASES = [
    (_missing_customer_id, INVALID, "document.customer.tax_id"),
    (_wrong_check_digit, INVALID, "document.customer.check_digit"),
    (_negative_quantity, INVALID, "document.lines[0].quantity"),
    (_totals_do_not_add_up, INVALID, "document.totals.payable_amount"),
    (_unknown_country, INVALID, "document.country"),
    (_exponent_amount, INVALID, "document.lines[0].unit_price"),
    (_three_decimals, INVALID, "document.lines[0].unit_price"),
    (_unregistered_issuer, PRECONDITION, "document.issuer"),
]


@pytest.mark.parametrize(("spoil", "code", "field"), CASES, ids=[c[0].__name__[1:] for c in CASES])
def test_refused_with_field_and_rule_and_nothing_written(embedded, spoil, code, field):
    [request] = flows.requests_for(embedded["target"], 1, seed=11)
    spoil(request.document)
    before = stored_event_count(embedded["data_dir"])
    with (
        grpc.insecure_channel(embedded["target"]) as channel,
        pytest.raises(grpc.RpcError) as refused,
    ):
        issuing_pb2_grpc.IssuingStub(channel).Issue(request)
    error = refused.value
    assert error.code() == code, error.details()
    metadata = dict(error.trailing_metadata())
    assert metadata["timbra-field"] == field, error.details()
    assert metadata["timbra-rule-bin"].decode() in error.details()
    assert error.details().startswith(f"{field}: ")
    # the same refusal over a stream arrives as an update, and the stream goes on
    updates = flows.issue_streams(embedded["target"], [[request]])[request.request_id]
    assert updates[0].error.field == field and updates[0].error.code == code.value[0]
    assert stored_event_count(embedded["data_dir"]) == before


def _register(stub, nit: str, prefix: str, range_to: int, valid_to: dt.date) -> None:
    stub.RegisterIssuer(
        issuing_pb2.IssuerProfile(
            country="co",
            party=document_pb2.Party(
                tax_id=nit,
                check_digit=check_digit(nit),
                id_type="31",
                name=f"Prueba {prefix} S.A.S.",
                person_type=document_pb2.PERSON_TYPE_LEGAL,
                tax_responsibilities=["O-13"],
                tax_scheme="01",
                address=document_pb2.Address(
                    line="Calle 1 # 2-3",
                    city_code="05001",
                    city_name="Medellín",
                    subdivision_code="05",
                    subdivision_name="Antioquia",
                    country="CO",
                ),
            ),
            software_id="b1c2d3e4-0000-4000-8000-000000000001",
            software_pin="12345",
            environment="2",
        )
    )
    stub.RegisterNumberingRange(
        issuing_pb2.NumberingRange(
            country="co",
            issuer=nit,
            document_types=["01"],
            authorization="18760000099",
            prefix=prefix,
            range_from=1,
            range_to=range_to,
            valid_from=(valid_to - dt.timedelta(days=365)).isoformat(),
            valid_to=valid_to.isoformat(),
            technical_key="0123456789abcdef0123456789abcdef01234567",
        )
    )


def test_an_exhausted_range_refuses_the_next_document_and_writes_nothing(embedded):
    nit = "900111222"
    [a, b, c] = flows.requests_for(embedded["target"], 3, seed=12)
    for request in (a, b, c):
        request.document.issuer = nit
        request.document.co.range_prefix = "TINY"
    with grpc.insecure_channel(embedded["target"]) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        _register(stub, nit, "TINY", 2, dt.date.today() + dt.timedelta(days=300))
        # wait for both to be final (this issuer has no certificate: signing refuses them), so
        # nothing else is being written while we count
        first = flows.issue_streams(embedded["target"], [[a, b]])
        assert [first[r.request_id][0].number for r in (a, b)] == ["TINY1", "TINY2"]
        assert all(first[r.request_id][-1].state == issuing_pb2.REJECTED for r in (a, b))
        assert first[a.request_id][-1].verdict.messages[0].rule == "CERTIFICATE"
        before = stored_event_count(embedded["data_dir"])
        with pytest.raises(grpc.RpcError) as refused:
            stub.Issue(c)
    assert refused.value.code() == PRECONDITION
    assert "exhausted" in refused.value.details()
    assert dict(refused.value.trailing_metadata())["timbra-field"] == "document.co.range_prefix"
    assert stored_event_count(embedded["data_dir"]) == before


def test_an_expired_range_is_refused(embedded):
    nit = "900333444"
    [request] = flows.requests_for(embedded["target"], 1, seed=13)
    request.document.issuer = nit
    with grpc.insecure_channel(embedded["target"]) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        _register(stub, nit, "OLD", 100, dt.date.today() - dt.timedelta(days=1))
        before = stored_event_count(embedded["data_dir"])
        with pytest.raises(grpc.RpcError) as refused:
            stub.Issue(request)
    assert refused.value.code() == PRECONDITION
    assert "expired" in refused.value.details()
    assert stored_event_count(embedded["data_dir"]) == before
