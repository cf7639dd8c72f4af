"""getEstDte: what the SII holds under a folio, in each of the reference's states."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from services.countries.cl.client import SiiClient
from services.countries.cl.client.documents import DocumentFacts, document_facts
from services.countries.pack import Submission
from tests.integration.sii.support import COMPANY, NS, OTHER_COMPANY, Company, post, settle
from timbra.v1 import document_pb2


@pytest.fixture(scope="module")
def client(company: Company) -> SiiClient:
    """A client of the simulator."""
    return company.client()


@pytest.fixture(scope="module")
def accepted(company: Company, client: SiiClient) -> Submission:
    """A factura the SII accepted."""
    item = company.documents(1, seed=80)[0]
    assert settle(client, item, client.submit_batch([item])[0].track_id).accepted
    return item


def estado(client: SiiClient, facts: DocumentFacts) -> str:
    """getEstDte's ESTADO for `facts`."""
    return client.document_status(facts).estado


def test_a_received_document_whose_data_match(client: SiiClient, accepted: Submission) -> None:
    answer = client.document_status(document_facts(accepted.signed_xml))
    assert (answer.estado, answer.header["ERR_CODE"]) == ("DOK", "0")


def test_a_received_document_asked_with_other_data(client: SiiClient, accepted: Submission) -> None:
    facts = document_facts(accepted.signed_xml)
    assert estado(client, replace(facts, total=facts.total + 1)) == "DNK"


def test_an_authorised_folio_never_received(client: SiiClient, company: Company) -> None:
    facts = document_facts(company.documents(1, seed=81)[0].signed_xml)
    assert estado(client, facts) == "FAU"


def test_a_folio_no_caf_authorises(client: SiiClient, accepted: Submission) -> None:
    facts = document_facts(accepted.signed_xml)
    assert estado(client, replace(facts, folio=99_999_999)) == "FNA"


def test_an_annulled_folio(client: SiiClient, company: Company) -> None:
    facts = document_facts(company.documents(1, seed=82)[0].signed_xml)
    body = {"rut": COMPANY, "dte_type": 33, "from": facts.folio, "to": facts.folio}
    post(f"{company.simulator.admin_url}/annulments", body)
    assert estado(client, facts) == "FAN"


def test_a_company_that_may_not_issue(client: SiiClient, accepted: Submission) -> None:
    facts = document_facts(accepted.signed_xml)
    assert estado(client, replace(facts, issuer=OTHER_COMPANY)) == "EMP"


def test_a_document_annulled_by_a_credit_note(
    client: SiiClient, company: Company, accepted: Submission
) -> None:
    company.use(company.caf(61, count=10))
    issued = etree.fromstring(accepted.signed_xml).findtext(".//s:FchEmis", namespaces=NS)
    reference = document_pb2.ChileReference(document_type="33", folio=accepted.number, date=issued)

    def annuls(root: etree._Element) -> None:
        root.find("s:Documento/s:Referencia/s:CodRef", NS).text = "1"

    note = company.documents(1, 61, seed=83, references=[reference], edit=annuls)[0]
    assert settle(client, note, client.submit_batch([note])[0].track_id).accepted
    answer = client.document_status(document_facts(accepted.signed_xml))
    assert (answer.estado, answer.header["ERR_CODE"]) == ("ANC", "15")
    verdict = client.reconcile(accepted)
    assert verdict is not None and verdict.verdict.accepted
    assert verdict.verdict.messages[0].rule == "ANC" and not verdict.verdict.messages[0].rejection


def test_a_received_document_asked_with_another_date(
    client: SiiClient, accepted: Submission
) -> None:
    facts = document_facts(accepted.signed_xml)
    other_day = facts.issued_on.replace(year=facts.issued_on.year - 1)
    assert estado(client, replace(facts, issued_on=other_day)) == "DNK"
