"""The DIAN simulator validates like DIAN: an accepted invoice, then one rule broken at a time.

A document meant to break one rule is made by changing what the pack is given (the numbering
slot, the issuer's software, the signing day) or by editing the unsigned XML before the pack
signs it, so only the intended rule breaks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

import requests
from lxml import etree

from services.core.simulators import SimulatorProcess
from services.countries.co import demo
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.verification import keys
from services.countries.co.verification.reading import read_document
from services.countries.pack import (
    Draft,
    IssuerProfile,
    NumberingSlot,
    Submission,
    Verdict,
)
from tests.integration.dian.support import (
    NIT,
    OTHER_NIT,
    TODAY,
    UBL,
    Sandbox,
    find,
    post,
    resolution_for,
    rules,
)
from timbra.v1 import document_pb2

OTHER_SW = "7d1e5c2a-3b4f-4a6e-9c8d-0e1f2a3b4c5d"

# --- helpers shared by the test_rules_* modules ---------------------------------------------


def rekey(root: etree._Element, secret: str) -> None:
    """Give an edited, unsigned document the key its new values give (as its issuer would)."""
    find(root, "cbc:UUID").text = keys.document_key(read_document(root), secret)


def build(
    sandbox: Sandbox,
    kind: str,
    slot: NumberingSlot,
    *,
    seed: int = 1,
    references: Sequence[document_pb2.BillingReference] | None = None,
    edit: Callable[[etree._Element], None] | None = None,
    sign_as_of: timedelta = timedelta(0),
    paper_range: tuple[int, int] | None = None,
    issuer: IssuerProfile | None = None,
    secret: str | None = None,
) -> bytes:
    """A signed document of any DIAN type, built by the pack from the demo generator.

    `edit` changes the unsigned XML, which is then re-keyed with `secret`, by default the
    type's own (the slot's technical key for 01, 02 and 04, the software PIN for the others).
    Type 04 is an 01 issued during a DIAN outage.
    """
    issuer = issuer or sandbox.issuer
    generated = "01" if kind == "04" else kind
    (request,) = demo.generate_documents(
        1,
        issuer.tax_id,
        seed=seed,
        document_type=generated,
        references=references,
        paper_range=paper_range,
    )
    document = PACK.parse_document(request, "document")
    if kind == "04":
        document = PACK.contingency_variant(document)
    draft = PACK.build_draft(document, issuer, slot, datetime.now(COLOMBIA_TIME))
    unsigned = draft.unsigned_xml
    if edit is not None:
        root = etree.fromstring(unsigned)
        edit(root)
        if secret is None:
            cufe = keys.key_spec(kind) is keys.CUFE
            secret = slot.technical_key if cufe else issuer.software_pin
        rekey(root, secret)
        unsigned = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return sandbox.signer.sign(unsigned, draft.issued_at + sign_as_of).signed_xml


def reference_to(signed: bytes) -> document_pb2.BillingReference:
    """How a note names the signed document it corrects."""
    facts = read_document(etree.fromstring(signed))
    return document_pb2.BillingReference(
        number=facts.number,
        document_key=facts.uuid,
        issue_date=facts.issue_date,
        document_type=facts.document_type,
    )


def send(sandbox: Sandbox, signed: bytes) -> Verdict:
    """Submit a signed document under the number and key written in it."""
    root = etree.fromstring(signed)
    number, key = find(root, "cbc:ID").text, find(root, "cbc:UUID").text
    submission = Submission("doc", sandbox.issuer.tax_id, "01", number, key, signed, "2")
    return sandbox.client.submit(submission).verdict


def edited(sandbox: Sandbox, *edits: Callable[[etree._Element], None]) -> list[str]:
    """The rules broken by a pack invoice after `edits` to its unsigned XML (then re-keyed)."""

    def edit(root: etree._Element) -> None:
        for change in edits:
            change(root)
        rekey(root, sandbox.resolution["technical_key"])

    _, signed = sandbox.invoice(edit=edit)
    return rules(send(sandbox, signed))


# --- acceptance --------------------------------------------------------------------------


def test_a_valid_invoice_is_accepted(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    verdict = sandbox.submit(draft, signed)
    assert verdict.accepted and verdict.status_code == "00", verdict
    assert verdict.messages == ()
    assert verdict.document_key == draft.document_key == verdict.track_id
    assert "ha sido autorizada" in verdict.status_description
    response = etree.fromstring(verdict.response_xml)
    assert response.tag == f"{{{UBL['ar']}}}ApplicationResponse"
    sender = "cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID"
    assert find(response, sender).text == "800197268"
    assert find(response, "cac:DocumentResponse/cac:Response/cbc:ResponseCode").text == "02"
    reference = find(response, "cac:DocumentResponse/cac:DocumentReference")
    assert find(reference, "cbc:ID").text == draft.number
    assert find(reference, "cbc:UUID").text == draft.document_key


def test_the_wsdl_is_served_with_the_simulators_address(simulator: SimulatorProcess) -> None:
    response = requests.get(f"{simulator.service_url}?wsdl", timeout=10)
    assert response.status_code == 200
    assert f'location="{simulator.service_url}"' in response.text
    assert "SendBillSync" in response.text and "GetNumberingRange" in response.text


# --- one rule at a time --------------------------------------------------------------------


def test_a_change_after_signing_is_ze02(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice()
    tampered = signed.replace(b"<cbc:Description>", b"<cbc:Description>X", 1)
    assert rules(sandbox.submit(draft, tampered)) == ["ZE02"]


def test_an_amount_changed_after_signing_breaks_the_signature_and_the_cufe(
    sandbox: Sandbox,
) -> None:
    draft, signed = sandbox.invoice()
    root = etree.fromstring(signed)
    payable = find(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    tampered = signed.replace(
        f">{payable.text}</cbc:PayableAmount>".encode(), b">1.00</cbc:PayableAmount>"
    )
    verdict = sandbox.submit(draft, tampered)
    assert not verdict.accepted and rules(verdict) == ["ZE02", "FAD06", "FAU14"]


def test_an_unsigned_invoice_is_ze01(sandbox: Sandbox) -> None:
    draft, _ = sandbox.invoice()
    assert rules(sandbox.submit(draft, draft.unsigned_xml)) == ["ZE01"]


def test_signing_on_another_day_is_fad09e(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sign_as_of=timedelta(days=1))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09e"]


def test_a_wrong_technical_key_is_fad06(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(technical_key="0" * 40))
    verdict = sandbox.submit(draft, signed)
    assert rules(verdict) == ["FAD06"]
    assert verdict.messages[0].text == "Valor del CUFE no está calculado correctamente."


def test_an_environment_mismatch_is_fad07(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(edit=lambda root: find(root, "cbc:UUID").set("schemeID", "1"))
    assert rules(sandbox.submit(draft, signed)) == ["FAD07"]


def test_a_missing_authorisation_is_fab05a(sandbox: Sandbox) -> None:
    def drop(root: etree._Element) -> None:
        node = find(root, ".//sts:InvoiceAuthorization")
        node.getparent().remove(node)

    draft, signed = sandbox.invoice(edit=drop)
    assert rules(sandbox.submit(draft, signed)) == ["FAB05a"]


def test_an_unknown_resolution_is_fab05b(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(authorization="18760000000000"))
    assert rules(sandbox.submit(draft, signed)) == ["FAB05b"]


def test_another_issuers_resolution_is_fab05b(sandbox: Sandbox) -> None:
    admin = sandbox.simulator.admin_url
    post(f"{admin}/issuers", {"nit": OTHER_NIT, "name": "Otra S.A.S."})
    theirs = post(f"{admin}/resolutions", {"nit": OTHER_NIT, "valid_from": "2020-01-01"})
    slot = sandbox.slot(
        authorization=theirs["resolution_number"], technical_key=theirs["technical_key"]
    )
    draft, signed = sandbox.invoice(slot)
    assert rules(sandbox.submit(draft, signed)) == ["FAB05b"]


def test_period_dates_other_than_the_resolutions_are_fab07b_and_fab08b(sandbox: Sandbox) -> None:
    start = date.fromisoformat(sandbox.resolution["valid_from"])
    end = date.fromisoformat(sandbox.resolution["valid_to"])
    draft, signed = sandbox.invoice(sandbox.slot(valid_from=start - timedelta(days=1)))
    assert rules(sandbox.submit(draft, signed)) == ["FAB07b"]
    draft, signed = sandbox.invoice(sandbox.slot(valid_to=end + timedelta(days=1)))
    assert rules(sandbox.submit(draft, signed)) == ["FAB08b"]


def test_range_bounds_other_than_the_resolutions_are_fab11b_and_fab12b(sandbox: Sandbox) -> None:
    low, high = sandbox.resolution["from"], sandbox.resolution["to"]
    draft, signed = sandbox.invoice(sandbox.slot(range_from=low - 1))
    assert rules(sandbox.submit(draft, signed)) == ["FAB11b"]
    draft, signed = sandbox.invoice(sandbox.slot(range_to=high + 1))
    assert rules(sandbox.submit(draft, signed)) == ["FAB12b"]


def test_another_prefix_is_only_a_notification_fab10b(sandbox: Sandbox) -> None:
    draft, signed = sandbox.invoice(sandbox.slot(prefix="ABCD"))
    verdict = sandbox.submit(draft, signed)
    assert verdict.accepted and verdict.status_code == "00"
    assert [(m.rule, m.rejection) for m in verdict.messages] == [("FAB10b", False)]
    codes = etree.fromstring(verdict.response_xml).findall(
        ".//cac:LineResponse//cbc:ResponseCode", UBL
    )
    assert [code.text for code in codes] == ["0000", "FAB10b"]


def test_numbers_outside_the_authorised_range_are_fad05b_and_fad05c(sandbox: Sandbox) -> None:
    small = resolution_for(sandbox, prefix="RNG", **{"from": 100, "to": 200})

    def declare(tag: str, value: int) -> Callable[[etree._Element], None]:
        # The pack only builds numbers inside the range it is given: widen the slot, then
        # write the authorised bound back so that only the number is wrong.
        return lambda root: setattr(find(root, f".//sts:{tag}"), "text", str(value))

    below = sandbox.slot(small, number=99, range_from=99)
    draft, signed = sandbox.invoice(below, edit=declare("From", 100))
    assert rules(sandbox.submit(draft, signed)) == ["FAD05b"]
    above = sandbox.slot(small, number=201, range_to=201)
    draft, signed = sandbox.invoice(above, edit=declare("To", 200))
    assert rules(sandbox.submit(draft, signed)) == ["FAD05c"]


def test_a_number_outside_the_declared_prefix_is_fad05d(sandbox: Sandbox) -> None:
    # cbc:ID keeps SETP but InvoiceControl declares SETX: the consecutive cannot be located.
    draft, signed = sandbox.invoice(
        edit=lambda root: setattr(find(root, ".//sts:Prefix"), "text", "SETX")
    )
    verdict = sandbox.submit(draft, signed)
    assert [m.rule for m in verdict.messages if m.rejection] == ["FAD05d"]
    assert rules(verdict) == ["FAB10b", "FAD05d"]


def test_issue_dates_outside_the_authorised_period_are_fad09a_and_fad09b(
    sandbox: Sandbox,
) -> None:
    tomorrow, yesterday = TODAY + timedelta(days=1), TODAY - timedelta(days=1)

    def declare(tag: str, value: date) -> Callable[[etree._Element], None]:
        return lambda root: setattr(find(root, f".//cbc:{tag}"), "text", value.isoformat())

    future = resolution_for(sandbox, prefix="FUT", valid_from=tomorrow.isoformat())
    slot = sandbox.slot(future, valid_from=TODAY)
    draft, signed = sandbox.invoice(slot, edit=declare("StartDate", tomorrow))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09a"]

    past = resolution_for(sandbox, prefix="OLD", valid_from="2020-01-01", valid_to=str(yesterday))
    slot = sandbox.slot(past, valid_to=TODAY)
    draft, signed = sandbox.invoice(slot, edit=declare("EndDate", yesterday))
    assert rules(sandbox.submit(draft, signed)) == ["FAD09b"]


def test_a_range_associated_with_other_software_is_fab05c(sandbox: Sandbox) -> None:
    admin = sandbox.simulator.admin_url
    other = post(f"{admin}/issuers", {"nit": NIT, "name": "Demo S.A.S.", "software_id": OTHER_SW})
    associated = resolution_for(sandbox, prefix="ASOC", software_id=other["software_id"])
    draft, signed = sandbox.invoice(sandbox.slot(associated))
    assert rules(sandbox.submit(draft, signed)) == ["FAB05c"]


def test_a_security_code_from_another_pin_is_fab27b(sandbox: Sandbox) -> None:
    wrong_pin = replace(sandbox.issuer, software_pin="00000")
    draft, signed = sandbox.invoice(issuer=wrong_pin)
    verdict = sandbox.submit(draft, signed)
    assert rules(verdict) == ["FAB27b"]
    assert (
        verdict.messages[0].text == "Huella no corresponde a un software autorizado para este OFE."
    )


def test_software_not_registered_for_the_issuer_is_fab24b(sandbox: Sandbox) -> None:
    stranger = replace(
        sandbox.issuer, software_id="0b8f2d3e-0000-4000-8000-000000000000", software_pin="12345"
    )
    draft, signed = sandbox.invoice(issuer=stranger)
    assert rules(sandbox.submit(draft, signed)) == ["FAB24b"]


def test_the_same_invoice_twice_is_regla_90_which_the_client_reads_as_accepted(
    sandbox: Sandbox,
) -> None:
    draft, signed = sandbox.invoice()
    first = sandbox.submit(draft, signed)
    again = sandbox.submit(draft, signed)
    assert first.accepted and again.accepted
    assert again.status_code == "99" and rules(again) == ["90"]
    assert again.document_key == draft.document_key
    assert "Regla 90" in again.status_description
    assert again.response_xml == first.response_xml


def test_one_client_serves_several_threads(sandbox: Sandbox) -> None:
    invoices = [sandbox.invoice(seed=seed) for seed in range(24)]
    verdicts: list[Verdict] = []
    lock = threading.Lock()

    def deliver(batch: list[tuple[Draft, bytes]]) -> None:
        for draft, signed in batch:
            verdict = sandbox.submit(draft, signed)
            with lock:
                verdicts.append(verdict)

    threads = [threading.Thread(target=deliver, args=(invoices[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(verdicts) == 24 and all(v.accepted and v.status_code == "00" for v in verdicts)
    assert {v.document_key for v in verdicts} == {draft.document_key for draft, _ in invoices}
