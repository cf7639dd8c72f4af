"""Refusals of a whole upload: DTEUpload's STATUS codes (synchronous) and the envelope states
RSC, RCT and RFR (asynchronous), each triggered by a crafted envelope or request."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from lxml import etree

from services.countries.cl import envelope
from services.countries.cl.client import SiiClient
from services.countries.cl.client.wire import Wire
from services.countries.pack import Credentials, IssuerProfile, SubmissionInDoubt, Verdict
from tests.integration.sii.support import (
    NS,
    OTHER_COMPANY,
    Company,
    raw_envelope,
    rules,
    sandbox_credentials,
    settle,
    upload_raw,
    wait_for_report,
)


def refused(company: Company, items: list, **client_options: object) -> list[Verdict]:
    """Send `items` in one envelope; each document's verdict (at upload, or once polled)."""
    client = company.client(**client_options)
    try:
        deliveries = client.submit_batch(items)
        return [
            d.verdict if d.verdict is not None else settle(client, i, d.track_id)
            for i, d in zip(items, deliveries, strict=True)
        ]
    finally:
        client.close()


def test_a_schema_invalid_envelope_is_rejected_whole(company: Company) -> None:
    def no_giro(root: etree._Element) -> None:
        giro = root.find("s:Documento/s:Encabezado/s:Emisor/s:GiroEmis", NS)
        giro.getparent().remove(giro)

    items = company.documents(1, seed=30) + company.documents(1, seed=31, edit=no_giro)
    for verdict in refused(company, items):
        assert not verdict.accepted and verdict.status_code == "RSC", verdict
        assert "ENV-3-0" in rules(verdict), "the report's schema errors come with it"


def _tampered(dtes: list[bytes], issuer: IssuerProfile, credentials: Credentials) -> bytes:
    content = envelope.build_envelope(dtes, issuer, credentials)
    start = content.index(b"<TmstFirmaEnv>") + len(b"<TmstFirmaEnv>")
    return content[:start] + b"2020-01-01T00:00:00" + content[start + 19 :]


def test_an_envelope_whose_signature_does_not_hold_is_rejected(company: Company) -> None:
    [verdict] = refused(company, company.documents(1, seed=32), envelope_builder=_tampered)
    assert not verdict.accepted and verdict.status_code == "RFR", verdict


def test_an_envelope_signed_by_someone_not_authorised_is_rejected(company: Company) -> None:
    stranger = sandbox_credentials("7880442-4", "Juan Soto")

    def signed_by_stranger(dtes: list[bytes], issuer: IssuerProfile, _: Credentials) -> bytes:
        return envelope.build_envelope(dtes, issuer, stranger, sender_run="13185095-6")

    [verdict] = refused(company, company.documents(1, seed=33), envelope_builder=signed_by_stranger)
    assert not verdict.accepted and verdict.status_code == "RFR", verdict


def test_a_cover_with_another_resolution_is_rejected(company: Company) -> None:
    items = [
        replace(
            i, transmission_options={**i.transmission_options, "sii_resolution_date": "2020-05-05"}
        )
        for i in company.documents(1, seed=34)
    ]
    [verdict] = refused(company, items)
    assert not verdict.accepted and verdict.status_code == "RCT", verdict
    assert "CRT-3-19" in rules(verdict)


def test_a_cover_naming_another_sender_is_rejected(company: Company) -> None:
    def other_sender(dtes: list[bytes], issuer: IssuerProfile, credentials: Credentials) -> bytes:
        return envelope.build_envelope(dtes, issuer, credentials, sender_run="7880442-4")

    [verdict] = refused(company, company.documents(1, seed=35), envelope_builder=other_sender)
    assert not verdict.accepted and verdict.status_code == "RCT", verdict


def test_a_cover_whose_subtotals_do_not_count_its_dtes_is_rejected(company: Company) -> None:
    item = company.documents(1, seed=36)[0]
    content = raw_envelope([item.signed_xml], company.credentials, subtotals={"33": 2})
    report = wait_for_report(company, upload_raw(company, content).findtext("TRACKID"))
    assert report.findtext("IDENTIFICACION/ESTADO").startswith("RCT")


def test_a_cover_of_another_company_is_rejected(company: Company) -> None:
    item = company.documents(1, seed=37)[0]
    content = raw_envelope([item.signed_xml], company.credentials, issuer=OTHER_COMPANY)
    report = wait_for_report(company, upload_raw(company, content).findtext("TRACKID"))
    assert report.findtext("IDENTIFICACION/ESTADO").startswith("RCT")
    assert "RutEmisor" in report.findtext("ERRORENVIO/DETERRENVIO")


def test_a_file_that_is_not_an_envelope_is_refused_at_upload(company: Company) -> None:
    [verdict] = refused(
        company, company.documents(1, seed=38), envelope_builder=lambda *_: b"<html>no</html>"
    )
    assert not verdict.accepted and verdict.status_code == "7", verdict


def test_an_upload_for_an_unregistered_company_is_refused(company: Company) -> None:
    item = company.documents(1, seed=39)[0]
    content = raw_envelope([item.signed_xml], company.credentials)
    reception = upload_raw(company, content, rut_company=OTHER_COMPANY)
    assert (reception.findtext("STATUS"), reception.findtext("TRACKID")) == ("6", None)


def test_an_upload_by_a_sender_the_company_did_not_authorise_is_refused(company: Company) -> None:
    stranger = sandbox_credentials("7880442-4", "Juan Soto")
    client = SiiClient(company.simulator.service_url, 10, credentials=stranger)
    [delivery] = client.submit_batch(company.documents(1, seed=40))
    client.close()
    assert delivery.verdict is not None and delivery.verdict.status_code == "1"
    assert not delivery.verdict.accepted and not delivery.track_id


def test_an_upload_naming_another_sender_than_the_token_is_refused(company: Company) -> None:
    content = raw_envelope([company.documents(1, seed=41)[0].signed_xml], company.credentials)
    reception = upload_raw(company, content, rut_sender="7880442-4")
    assert reception.findtext("STATUS") == "1"


def test_an_empty_file_is_refused(company: Company) -> None:
    assert upload_raw(company, b"").findtext("STATUS") == "2"


def test_an_upload_without_a_valid_token_is_refused(company: Company) -> None:
    wire = Wire(company.simulator.service_url, 10)
    fields = {"rutSender": "13185095", "dvSender": "6", "rutCompany": "76192083", "dvCompany": "9"}
    reception = wire.upload("NOTATOKEN1234", fields, "envio.xml", b"<x/>")
    wire.close()
    assert reception.findtext("STATUS") == "5"


def test_the_same_file_twice_is_in_doubt_then_reconciled(company: Company) -> None:
    items = company.documents(1, seed=42)
    moment = datetime.now(UTC)

    def fixed(dtes: list[bytes], issuer: IssuerProfile, credentials: Credentials) -> bytes:
        return envelope.build_envelope(dtes, issuer, credentials, signed_at=moment)

    client = company.client(envelope_builder=fixed)
    track_id = client.submit_batch(items)[0].track_id
    with pytest.raises(SubmissionInDoubt, match="STATUS 99"):
        client.submit_batch(items)
    assert settle(client, items[0], track_id).accepted
    found = client.reconcile(items[0])
    client.close()
    assert found is not None and found.verdict.accepted and found.verdict.status_code == "DOK"
