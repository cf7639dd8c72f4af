"""Every DTE type timbra issues (33, 34, 52, 56, 61), built by the pack, accepted by the
simulator; a note travelling in the same envelope as the factura it corrects."""

from __future__ import annotations

from lxml import etree

from services.countries.pack import Submission
from tests.integration.sii.support import NS, Company, settle
from timbra.v1 import document_pb2


def references(invoice: Submission) -> list[document_pb2.ChileReference]:
    """A reference to `invoice`, for notes."""
    issued = etree.fromstring(invoice.signed_xml).findtext(".//s:FchEmis", namespaces=NS)
    return [document_pb2.ChileReference(document_type="33", folio=invoice.number, date=issued)]


def test_every_type_in_one_envelope_is_accepted(company: Company) -> None:
    for kind in (34, 52, 56, 61):
        company.use(company.caf(kind, count=20))
    invoices = company.documents(2, 33, seed=100)
    items = [
        *invoices,
        *company.documents(2, 34, seed=101),
        *company.documents(2, 52, seed=102),
        *company.documents(1, 56, seed=103, references=references(invoices[0])),
        *company.documents(1, 61, seed=104, references=references(invoices[1])),
    ]
    client = company.client()
    deliveries = client.submit_batch(items)
    verdicts = [settle(client, i, d.track_id) for i, d in zip(items, deliveries, strict=True)]
    status = client.envelope_status(company.profile.tax_id, deliveries[0].track_id)
    client.close()
    assert [(i.document_type, v.accepted) for i, v in zip(items, verdicts, strict=True)] == [
        (i.document_type, True) for i in items
    ], [v.messages for v in verdicts if not v.accepted]
    assert sorted(status.counts) == [33, 34, 52, 56, 61]
