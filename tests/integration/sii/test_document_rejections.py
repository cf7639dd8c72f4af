"""Every per-document rejection the simulator claims, each triggered by a crafted bad DTE built
with the Chilean pack, in an envelope that is otherwise correct."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl import caf, envelope
from services.countries.cl.clock import CHILE_TIME
from services.countries.cl.sii_keys import load_sii_key
from services.countries.pack import Credentials, IssuerProfile, NumberingFile, Submission, Verdict
from tests.integration.sii.support import (
    COMPANY,
    NS,
    Company,
    post,
    raw_envelope,
    renumber,
    rules,
    settle,
    swap_caf,
    upload_raw,
    wait_for_report,
)
from timbra.v1 import document_pb2

TODAY = datetime.now(CHILE_TIME).date()


def verdicts(company: Company, items: list[Submission]) -> list[Verdict]:
    """Send `items` in one envelope and wait for each document's verdict."""
    client = company.client()
    try:
        deliveries = client.submit_batch(items)
        return [settle(client, i, d.track_id) for i, d in zip(items, deliveries, strict=True)]
    finally:
        client.close()


def rejected_with(verdict: Verdict, rule: str) -> None:
    """Check a verdict is a rejection of the document for exactly `rule`."""
    assert not verdict.accepted, verdict
    assert verdict.status_code == "RCH", verdict
    assert rules(verdict) == [rule], verdict


def load(company: Company, content: bytes, today: date) -> NumberingFile:
    """A CAF the pack would refuse today (expired, or not yet valid), loaded as of `today`."""
    certificate = requests.get(f"{company.simulator.admin_url}/sii-key/100.cer", timeout=10)
    key = load_sii_key(certificate.content)
    numbering = caf.parse_caf(COMPANY, content, "caf", trusted_keys=(key,), today=today)
    company.credentials = replace(
        company.credentials,
        folio_keys={**company.credentials.folio_keys, numbering.key_id: numbering.private_key_pem},
    )
    return numbering


def portal_caf(company: Company, authorized_on: date) -> bytes:
    """A factura CAF from the portal, authorised on `authorized_on`."""
    body = {"rut": COMPANY, "dte_type": 33, "count": 10, "authorized_on": authorized_on.isoformat()}
    return post(f"{company.simulator.admin_url}/cafs", body).content


def test_a_good_document_is_accepted_beside_a_bad_one(company: Company) -> None:
    good = company.documents(1, seed=2)
    bad = company.documents(
        1, seed=3, edit=lambda root: _set(root, "s:Encabezado/s:Totales/s:MntTotal", "1")
    )
    accepted, rejected = verdicts(company, good + bad)
    assert accepted.accepted and accepted.status_code == "DOK"
    rejected_with(rejected, "TED-3-511")


def _set(root: etree._Element, path: str, value: str) -> None:
    root.find(f"s:Documento/{path}", NS).text = value  # type: ignore[union-attr]


def test_a_dte_whose_signature_does_not_hold_is_rejected(company: Company) -> None:
    item = company.documents(1, seed=4)[0]
    giro = etree.fromstring(item.signed_xml).findtext(".//s:GiroEmis", namespaces=NS)
    tampered = item.signed_xml.replace(giro.encode("iso-8859-1"), b"Otro giro", 1)
    rejected_with(verdicts(company, [replace(item, signed_xml=tampered)])[0], "DTE-3-505")


def test_a_stamp_made_with_another_key_is_rejected(company: Company) -> None:
    other = company.caf(33, count=3)
    wrong = {company.ranges[33].key_id: other.private_key_pem}
    original = company.credentials
    company.credentials = replace(original, folio_keys=wrong)
    try:
        item = company.documents(1, seed=5)[0]
    finally:
        company.credentials = original
    rejected_with(verdicts(company, [item])[0], "TED-3-510")


def test_a_caf_not_signed_by_the_sii_is_rejected(company: Company) -> None:
    forger = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    content, _ = caf.generate_caf(COMPANY, 33, 900_001, 900_010, TODAY, forger, 100, "Forjada")
    numbering = caf.parse_caf(
        COMPANY, content, "caf", trusted_keys=(forger.public_key(),), today=TODAY
    )
    company.credentials = replace(
        company.credentials,
        folio_keys={**company.credentials.folio_keys, numbering.key_id: numbering.private_key_pem},
    )
    item = company.documents(1, seed=6, edit=swap_caf(numbering, 900_001))[0]
    rejected_with(verdicts(company, [item])[0], "CAF-3-516")


def test_a_folio_outside_its_caf_is_rejected(company: Company) -> None:
    beyond = company.ranges[33].range.range_to + 1
    item = company.documents(1, seed=7, edit=lambda root: renumber(root, beyond))[0]
    rejected_with(verdicts(company, [item])[0], "CAF-3-518")


def test_an_expired_caf_is_rejected(company: Company) -> None:
    authorized = TODAY - timedelta(days=200)  # more than 6 months ago
    numbering = load(company, portal_caf(company, authorized), authorized)
    edit = swap_caf(numbering, numbering.range.range_from)
    rejected_with(verdicts(company, company.documents(1, seed=8, edit=edit))[0], "CAF-3-517")


def test_a_document_dated_before_its_caf_is_rejected(company: Company) -> None:
    authorized = TODAY + timedelta(days=1)
    numbering = load(company, portal_caf(company, authorized), authorized)
    edit = swap_caf(numbering, numbering.range.range_from)
    rejected_with(verdicts(company, company.documents(1, seed=9, edit=edit))[0], "HED-3-305")


def test_a_folio_used_with_other_data_is_rejected(company: Company) -> None:
    first = company.documents(1, seed=10)[0]
    assert verdicts(company, [first])[0].accepted
    again = company.documents(1, seed=11, folio=int(first.number))[0]
    rejected_with(verdicts(company, [again])[0], "DTE-3-101")


def test_the_same_document_sent_twice_stays_accepted(company: Company) -> None:
    item = company.documents(1, seed=12)[0]
    assert verdicts(company, [item])[0].accepted

    def later(dtes: list[bytes], issuer: IssuerProfile, credentials: Credentials) -> bytes:
        # Another envelope around the same DTE (the same second would give the same file).
        moment = datetime.now(UTC) + timedelta(seconds=1)
        return envelope.build_envelope(dtes, issuer, credentials, signed_at=moment)

    client = company.client(envelope_builder=later)
    track_id = client.submit_batch([item])[0].track_id
    verdict = settle(client, item, track_id)
    client.close()
    report = requests.get(f"{company.simulator.admin_url}/informes/{track_id}", timeout=10)
    assert b"(DTE-3-100)" in report.content, "the SII saw a repeated DTE"
    assert verdict.accepted and verdict.status_code == "DOK", "what the SII holds decides"


def test_an_annulled_folio_is_rejected(company: Company) -> None:
    folio = next(company.folios[33])
    body = {"rut": COMPANY, "dte_type": 33, "from": folio, "to": folio, "reason": "error"}
    post(f"{company.simulator.admin_url}/annulments", body)
    item = company.documents(1, seed=13, folio=folio)[0]
    rejected_with(verdicts(company, [item])[0], "DTE-3-601")


def test_a_dte_of_another_issuer_is_rejected(company: Company) -> None:
    def other_issuer(root: etree._Element) -> None:
        _set(root, "s:Encabezado/s:Emisor/s:RUTEmisor", "96874030-K")

    item = company.documents(1, seed=14, edit=other_issuer)[0]
    # The pack refuses to envelope another issuer's DTE: the envelope is assembled by hand.
    reception = upload_raw(company, raw_envelope([item.signed_xml], company.credentials))
    assert reception.findtext("STATUS") == "0", etree.tostring(reception)
    report = wait_for_report(company, reception.findtext("TRACKID"))
    assert report.findtext("REVISIONENVIO/REVISIONDTE/ESTADO").startswith("RCH")
    assert report.findtext("REVISIONENVIO/REVISIONDTE/DETALLE").startswith("(DTE-3-102)")


def test_reparos_accept_the_document_with_notifications(company: Company) -> None:
    def off_by_one(root: etree._Element) -> None:
        for path in ("s:Encabezado/s:Totales/s:IVA", "s:Encabezado/s:Totales/s:MntTotal"):
            node = root.find(f"s:Documento/{path}", NS)
            node.text = str(int(node.text) + 1)
        stamp = root.find("s:Documento/s:TED/s:DD/s:MNT", NS)
        stamp.text = str(int(stamp.text) + 1)

    verdict = verdicts(company, company.documents(1, seed=15, edit=off_by_one))[0]
    assert verdict.accepted and verdict.status_code == "RLV", verdict
    assert rules(verdict) == ["TOT-1-601"] and not verdict.messages[0].rejection


@pytest.fixture(scope="module")
def invoice(company: Company) -> Submission:
    """An accepted factura for the notes to correct."""
    company.use(company.caf(61, count=50))
    item = company.documents(1, seed=16)[0]
    assert verdicts(company, [item])[0].accepted
    return item


def note(company: Company, invoice: Submission, seed: int, **edits: object) -> Submission:
    """A signed credit note correcting `invoice`."""
    root = etree.fromstring(invoice.signed_xml)
    issued = root.findtext(".//s:IdDoc/s:FchEmis", namespaces=NS)
    reference = document_pb2.ChileReference(document_type="33", folio=invoice.number, date=issued)
    return company.documents(1, 61, seed=seed, references=[reference], **edits)[0]


def test_a_note_correcting_an_accepted_invoice_is_accepted(
    company: Company, invoice: Submission
) -> None:
    assert verdicts(company, [note(company, invoice, 17)])[0].accepted


def test_a_note_without_references_is_rejected(company: Company, invoice: Submission) -> None:
    def drop(root: etree._Element) -> None:
        for reference in root.findall("s:Documento/s:Referencia", NS):
            reference.getparent().remove(reference)

    rejected_with(verdicts(company, [note(company, invoice, 18, edit=drop)])[0], "REF-3-415")


def test_a_note_reference_without_codref_is_rejected(company: Company, invoice: Submission) -> None:
    def drop(root: etree._Element) -> None:
        for code in root.findall("s:Documento/s:Referencia/s:CodRef", NS):
            code.getparent().remove(code)

    rejected_with(verdicts(company, [note(company, invoice, 19, edit=drop)])[0], "REF-3-758")


def test_a_note_on_a_document_the_sii_never_received_is_rejected(
    company: Company, invoice: Submission
) -> None:
    unsent = replace(invoice, number=str(company.ranges[33].range.range_to))
    rejected_with(verdicts(company, [note(company, unsent, 20)])[0], "REF-3-750")
