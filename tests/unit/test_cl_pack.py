"""ChilePack as the services use it: issuer registration, drafts, signer, authority client."""

from __future__ import annotations

import datetime as dt
import sys
import types
from zoneinfo import ZoneInfo

import grpc
import pytest
from lxml import etree

from services.core.rejection import InputRejected
from services.countries.cl import demo
from services.countries.cl.pack import PACK, ChilePack
from services.countries.cl.sandbox import create_sandbox
from services.countries.registry import pack_for
from timbra.v1 import document_pb2, issuing_pb2

SII = "{http://www.sii.cl/SiiDte}"
# 02:30 UTC on the 11th is 23:30 on the 10th in Santiago (UTC-3 in March).
ISSUED_AT = dt.datetime(2025, 3, 11, 2, 30, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sandbox():
    return create_sandbox(authorized_on=dt.date(2025, 3, 1))


def test_the_registry_finds_the_chilean_pack():
    pack = pack_for("cl")
    assert pack is PACK
    assert (pack.code, pack.authority) == ("cl", "SII")
    assert pack.timezone == ZoneInfo("America/Santiago")


def test_a_sandbox_issuer_registers():
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    assert issuer.tax_id == "76192083-9" and issuer.party.check_digit == "9"
    assert issuer.activity_codes == ("466302", "620200")
    assert issuer.authorization_date == dt.date(2024, 3, 1)
    assert (issuer.authorization_number, issuer.environment) == ("0", "2")


def _refusal(**changes: object) -> InputRejected:
    profile = demo.issuer_profile()
    for path, value in changes.items():
        target = profile
        *parents, last = path.split("__")
        for part in parents:
            target = getattr(target, part)
        if isinstance(value, list):
            del getattr(target, last)[:]
            getattr(target, last).extend(value)
        else:
            setattr(target, last, value)
    with pytest.raises(InputRejected) as refused:
        PACK.parse_issuer(profile, "issuer")
    return refused.value


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"party__tax_id": "76192083-1"}, "issuer.party.tax_id", "check digit"),
        ({"party__name": ""}, "issuer.party.name", "is required"),
        ({"party__business_activity": ""}, "issuer.party.business_activity", "is required"),
        ({"party__address__line": ""}, "issuer.party.address.line", "is required"),
        ({"party__address__city_name": ""}, "issuer.party.address.city_name", "is required"),
        ({"activity_codes": []}, "issuer.activity_codes", "1 to 4"),
        ({"activity_codes": ["1", "2", "3", "4", "5"]}, "issuer.activity_codes[0]", "6-digit"),
        ({"activity_codes": ["466302"] * 2}, "issuer.activity_codes[1]", "twice"),
        ({"activity_codes": ["46630"]}, "issuer.activity_codes[0]", "6-digit"),
        ({"authorization_date": ""}, "issuer.authorization_date", "FchResol"),
        ({"authorization_number": "1234567"}, "issuer.authorization_number", "NroResol"),
        ({"environment": "1"}, "issuer.authorization_number", "certification resolution"),
        ({"environment": "3"}, "issuer.environment", "1 (producción)"),
        ({"software_id": "x"}, "issuer.software_id", "DIAN"),
        ({"country": "co"}, "issuer.country", "must be 'cl'"),
    ],
)
def test_issuer_rules(changes, field, rule):
    refused = _refusal(**changes)
    assert refused.field == field
    assert rule in refused.rule


def test_a_production_issuer_has_a_resolution_number():
    profile = demo.issuer_profile()
    profile.authorization_number = "80"
    assert PACK.parse_issuer(profile, "issuer").environment == "1"


def test_manual_ranges_are_refused_in_favour_of_caf_files():
    with pytest.raises(InputRejected, match="LoadNumberingFile"):
        PACK.parse_range(issuing_pb2.NumberingRange(country="cl"), "range")


def test_a_draft_is_numbered_with_its_folio_and_identity(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=1)[0]
    parsed = sandbox.pack.parse_document(document, "document")
    draft = sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(33, 42), ISSUED_AT)
    assert draft.number == "42"
    assert draft.document_key == "76192083-9-33-42"
    assert draft.key_scheme == "SII-TED"
    assert draft.document_type == "33"
    assert draft.issue_date == dt.date(2025, 3, 10)  # the Chilean calendar date
    assert draft.issued_at.utcoffset() == dt.timedelta(hours=-3)
    # the envelope's Carátula names the SII resolution: it travels with the draft
    assert draft.transmission_options == {
        "sii_resolution_date": "2024-03-01",
        "sii_resolution_number": "0",
    }
    assert (draft.currency, draft.environment, draft.customer_id) == (
        "CLP",
        "2",
        parsed.customer_id,
    )
    assert draft.payable_amount == parsed.payable_amount
    root = etree.fromstring(draft.unsigned_xml)
    assert root.find(f"{SII}Documento").get("ID") == "T33F42"
    assert root.findtext(f"{SII}Documento/{SII}Encabezado/{SII}IdDoc/{SII}FchEmis") == "2025-03-10"
    dd = root.find(f"{SII}Documento/{SII}TED/{SII}DD")
    assert dd.findtext(f"{SII}TSTED") == "2025-03-10T23:30:05"
    assert dd.findtext(f"{SII}MNT") == str(parsed.payable_amount)
    assert root.findtext(f"{SII}Documento/{SII}TED/{SII}FRMT") == ""  # stamped by the signer


def test_a_caf_stamps_only_within_its_validity(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=1)[0]
    parsed = sandbox.pack.parse_document(document, "document")
    before = dt.datetime(2025, 2, 28, 15, tzinfo=dt.UTC)
    with pytest.raises(InputRejected) as refused:
        sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(33, 1), before)
    assert refused.value.code == grpc.StatusCode.FAILED_PRECONDITION
    assert refused.value.field == "document.cl.dte_type"
    expired = dt.datetime(2025, 9, 2, 15, tzinfo=dt.UTC)  # 33 expires 6 months after FA
    with pytest.raises(InputRejected, match="2025-08-31"):
        sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(33, 1), expired)


def test_a_slot_of_another_type_is_a_programming_error(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=1)[0]
    parsed = sandbox.pack.parse_document(document, "document")
    with pytest.raises(ValueError, match="CAF is not for"):
        sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(34, 1), ISSUED_AT)


def test_reference_and_due_dates_are_checked_against_the_issue_date(sandbox):
    reference = document_pb2.ChileReference(document_type="33", folio="1", date="2025-03-11")
    note = demo.generate_documents(
        1, sandbox.issuer.tax_id, seed=1, dte_type=61, references=[reference]
    )[0]
    parsed = sandbox.pack.parse_document(note, "document")
    with pytest.raises(InputRejected) as refused:
        sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(61, 1), ISSUED_AT)
    assert refused.value.field == "document.cl.references[0].date"
    factura = demo.generate_documents(1, sandbox.issuer.tax_id, seed=1)[0]
    factura.payment.due_date = "2025-03-09"
    parsed = sandbox.pack.parse_document(factura, "document")
    with pytest.raises(InputRejected) as refused:
        sandbox.pack.build_draft(parsed, sandbox.issuer, sandbox.slot(33, 2), ISSUED_AT)
    assert refused.value.field == "document.payment.due_date"


def test_chile_has_no_contingency_variant(sandbox):
    document = demo.generate_documents(1, sandbox.issuer.tax_id, seed=1)[0]
    assert PACK.contingency_variant(PACK.parse_document(document, "document")) is None


def test_a_document_of_another_pack_is_not_drafted(sandbox):
    with pytest.raises(TypeError):
        PACK.build_draft(object(), sandbox.issuer, sandbox.slot(33, 1), ISSUED_AT)  # type: ignore[arg-type]


def test_the_authority_client_is_the_sii_client_imported_lazily(monkeypatch, sandbox):
    made = {}

    class FakeSiiClient:
        def __init__(self, **kwargs: object) -> None:
            made.update(kwargs)

    module = types.ModuleType("services.countries.cl.client")
    module.SiiClient = FakeSiiClient  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "services.countries.cl.client", module)
    pack = ChilePack()
    client = pack.create_authority_client("http://127.0.0.1:1", 4.5, sandbox.credentials)
    assert isinstance(client, FakeSiiClient)
    assert made == {
        "endpoint": "http://127.0.0.1:1",
        "timeout": 4.5,
        "credentials": sandbox.credentials,
        "informe_url": None,
        "batch_wait": 3.0,
    }
    # where the SII's result reports can be read is configuration (the simulator's portal)
    pack.configure(
        [sandbox.trusted_key_pem],
        informe_url="http://127.0.0.1:1/sandbox/informes",
        envelope_size=500,
        envelope_wait=0.5,
    )
    configured = pack.create_authority_client("http://127.0.0.1:1", 4.5, sandbox.credentials)
    assert made["informe_url"] == "http://127.0.0.1:1/sandbox/informes"
    assert (configured.batch_size, made["batch_wait"]) == (500, 0.5)
    with pytest.raises(ValueError, match="2000"):
        pack.configure([], envelope_size=2001)
