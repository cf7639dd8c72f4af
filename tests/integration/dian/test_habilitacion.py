"""Habilitación against the simulator: test sets made in the sandbox portal, documents sent with
SendTestSetAsync and followed with GetStatusZip, until the set is Accepted or Rejected."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime

import pytest
import requests

from services.countries.co import demo, habilitacion
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.pack import NumberingSlot, Submission, Verdict
from tests.integration.dian.support import NIT, Sandbox, find, poll_until, post
from timbra.v1 import document_pb2

# Each test takes its own stretch of DIAN's SETP test range.
_numbers = itertools.count(habilitacion.RANGE_FROM + 500)
_note_numbers = itertools.count(1)


def new_test_set(sandbox: Sandbox, required: dict | None = None) -> dict:
    body = {"nit": NIT, "software_id": sandbox.issuer.software_id, "kind": "invoice"}
    if required is not None:
        body["required"] = required
    return post(f"{sandbox.simulator.admin_url}/test-sets", body)


def set_shown(sandbox: Sandbox, test_set_id: str) -> dict:
    response = requests.get(f"{sandbox.simulator.admin_url}/test-sets/{test_set_id}", timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def send(sandbox: Sandbox, test_set_id: str, document_type: str, draft, signed: bytes) -> Verdict:
    submission = Submission(
        "doc",
        NIT,
        document_type,
        draft.number,
        draft.document_key,
        signed,
        "2",
        {"test_set_id": test_set_id},
    )
    delivery = sandbox.client.submit(submission)
    assert delivery.operation == "SendTestSetAsync" and delivery.verdict is None
    return poll_until(sandbox.client, submission, delivery.track_id)


def invoice(sandbox: Sandbox, seed: int, edit=None):
    return sandbox.invoice(habilitacion.slot(next(_numbers)), seed=seed, edit=edit)


def note(sandbox: Sandbox, document_type: str, original, seed: int):
    """A credit or debit note correcting an accepted invoice, numbered in the issuer's own
    note sequence (DIAN numbers invoices only)."""
    reference = document_pb2.BillingReference(
        number=original.number,
        document_key=original.document_key,
        issue_date=original.issue_date.isoformat(),
        document_type="01",
    )
    (document,) = demo.generate_documents(
        1, NIT, seed, document_type=document_type, references=[reference]
    )
    prefix = "NC" if document_type == "91" else "ND"
    slot = NumberingSlot(
        "notes",
        "",
        prefix,
        next(_note_numbers),
        1,
        999_999_999,
        habilitacion.VALID_FROM,
        habilitacion.VALID_TO,
    )
    issued_at = datetime.now(COLOMBIA_TIME)
    draft = PACK.build_draft(
        PACK.parse_document(document, "document"), sandbox.issuer, slot, issued_at
    )
    return draft, sandbox.signer.sign(draft.unsigned_xml, issued_at).signed_xml


def test_a_test_set_with_the_default_counts_is_accepted(sandbox: Sandbox) -> None:
    created = new_test_set(sandbox)
    test_set_id = created["test_set_id"]
    assert created["required"] == {
        "documents": 50,
        "accepted": 10,
        "invoices_accepted": 8,
        "credit_notes_accepted": 1,
        "debit_notes_accepted": 1,
    }
    assert created["status"] == "in_process" and created["range"]["prefix"] == "SETP"
    assert created["range"]["technical_key"] == habilitacion.TECHNICAL_KEY

    invoices = []
    for seed in range(100, 108):
        draft, signed = invoice(sandbox, seed)
        verdict = send(sandbox, test_set_id, "01", draft, signed)
        assert verdict.accepted, verdict
        invoices.append(draft)
    assert set_shown(sandbox, test_set_id)["status"] == "in_process"  # notes still missing

    credit = send(sandbox, test_set_id, "91", *note(sandbox, "91", invoices[0], 200))
    assert credit.accepted, credit
    assert "se encuentra" not in credit.status_description
    debit = send(sandbox, test_set_id, "92", *note(sandbox, "92", invoices[1], 201))
    assert debit.accepted, debit
    accepted_text = f"Set de prueba con identificador {test_set_id} se encuentra Aceptado."
    assert accepted_text in debit.status_description

    shown = set_shown(sandbox, test_set_id)
    assert shown["status"] == "accepted" and shown["status_text"] == accepted_text
    assert shown["counts"]["sent"] == shown["counts"]["accepted"] == 10
    assert shown["counts"]["invoices"] == {"sent": 8, "accepted": 8, "rejected": 0}
    assert shown["counts"]["credit_notes"]["accepted"] == 1
    assert shown["counts"]["debit_notes"]["accepted"] == 1

    # A decided set takes no more documents: GetStatusZip reports the set, not the document.
    draft, signed = invoice(sandbox, 108)
    late = send(sandbox, test_set_id, "01", draft, signed)
    assert not late.accepted and late.status_code == "2"
    assert late.status_description == accepted_text
    assert set_shown(sandbox, test_set_id)["counts"]["sent"] == 10


def wrong_cufe(digit: str):
    """An edit writing a CUFE that is not the document's (each `digit` a different one)."""

    def edit(root) -> None:
        find(root, "cbc:UUID").text = digit * 96

    return edit


def test_a_test_set_with_too_many_rejections_is_rejected(sandbox: Sandbox) -> None:
    # Four documents, three of which must be accepted: a second rejection decides it.
    required = {
        "documents": 4,
        "accepted": 3,
        "invoices_accepted": 3,
        "credit_notes_accepted": 0,
        "debit_notes_accepted": 0,
    }
    test_set_id = new_test_set(sandbox, required)["test_set_id"]
    good = send(sandbox, test_set_id, "01", *invoice(sandbox, 300))
    assert good.accepted
    first = send(sandbox, test_set_id, "01", *invoice(sandbox, 301, wrong_cufe("1")))
    assert not first.accepted and "FAD06" in [m.rule for m in first.messages]
    assert set_shown(sandbox, test_set_id)["status"] == "in_process"
    second = send(sandbox, test_set_id, "01", *invoice(sandbox, 302, wrong_cufe("2")))
    assert not second.accepted
    rejected_text = f"Set de prueba con identificador {test_set_id} se encuentra Rechazado."
    assert rejected_text in second.status_description
    shown = set_shown(sandbox, test_set_id)
    assert shown["status"] == "rejected"
    assert (shown["counts"]["accepted"], shown["counts"]["rejected"]) == (1, 2)


def test_sett_is_the_providers_range(sandbox: Sandbox) -> None:
    body = {
        "nit": NIT,
        "software_id": sandbox.issuer.software_id,
        "operation_mode": "provider",
        "required": {"invoices_accepted": 1, "credit_notes_accepted": 0, "debit_notes_accepted": 0},
    }
    created = post(f"{sandbox.simulator.admin_url}/test-sets", body)
    assert (created["range"]["prefix"], created["range"]["from"], created["range"]["to"]) == (
        "SETT",
        1,
        5_000_000,
    )
    slot = replace(habilitacion.slot(4_000_000 + date.today().toordinal() % 1000), prefix="SETT")
    slot = replace(slot, range_from=1, range_to=5_000_000)
    verdict = send(sandbox, created["test_set_id"], "01", *sandbox.invoice(slot, seed=400))
    assert verdict.accepted, verdict
    assert "Aceptado" in verdict.status_description


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"software_id": "x"}, "nit"),
        ({"nit": NIT, "software_id": "x", "kind": "payroll"}, "kind"),
        ({"nit": NIT, "software_id": "x", "required": {"invoices_accepted": -1}}, "required"),
        ({"nit": NIT, "software_id": "x", "required": {"documents": 2}}, "required.documents"),
        ({"nit": NIT, "software_id": "x", "required": {"payroll": 1}}, "required.payroll"),
    ],
)
def test_the_portal_checks_what_a_test_set_asks(sandbox: Sandbox, body: dict, field: str) -> None:
    answer = post(f"{sandbox.simulator.admin_url}/test-sets", body, expect=400)
    assert answer["error"].startswith(field)


def test_unknown_software_and_sets_are_404(sandbox: Sandbox) -> None:
    body = {"nit": NIT, "software_id": "no-such-software"}
    assert "software_id" in post(f"{sandbox.simulator.admin_url}/test-sets", body, 404)["error"]
    missing = requests.get(
        f"{sandbox.simulator.admin_url}/test-sets/00000000-0000-4000-8000-000000000000",
        timeout=10,
    )
    assert missing.status_code == 404
