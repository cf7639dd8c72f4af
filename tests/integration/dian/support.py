"""Helpers for the DIAN simulator tests: an issuer enrolled with a running simulator, and
invoices built and signed by the Colombian pack exactly as the platform does."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import requests
from lxml import etree

from services.core.simulators import SimulatorProcess, start_simulator
from services.countries.co import demo
from services.countries.co.client import DianClient
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.dian_answers import BatchStatus
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.pack import (
    Credentials,
    Draft,
    IssuerProfile,
    NumberingSlot,
    Submission,
    Verdict,
)
from services.signing import testca

NIT = "900373076"
OTHER_NIT = "901210113"
UBL = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "sts": "dian:gov:co:facturaelectronica:Structures-2-1",
    "ar": "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2",
}
TODAY = datetime.now(COLOMBIA_TIME).date()


def start(data_dir: Path) -> SimulatorProcess:
    """The simulator as its own process, checked to announce both of its URLs."""
    running = start_simulator("co", data_dir)
    assert running.service_url.endswith("/WcfDianCustomerServices.svc")
    assert running.admin_url.endswith("/sandbox")
    return running


def post(url: str, body: object, expect: int = 201) -> dict:
    """POST JSON to the sandbox portal and check the status."""
    response = requests.post(url, json=body, timeout=10)
    assert response.status_code == expect, response.text
    return response.json()


def credentials_for(nit: str = NIT, name: str = "Demo") -> Credentials:
    """A signing certificate for `nit` from a fresh test CA (documents and WS-Security)."""
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id=nit, name=name)
    return Credentials(key, certificate, (authority.certificate,))


@dataclass
class Sandbox:
    """An issuer enrolled with the simulator, and what the pack needs to invoice as it."""

    simulator: SimulatorProcess
    client: DianClient
    issuer: IssuerProfile
    resolution: dict
    signer: object
    numbers: Iterator[int]
    credentials: Credentials | None = None

    def new_client(self, timeout: float = 10, **options: object) -> DianClient:
        """Another client of the simulator, signing its requests as this issuer."""
        return DianClient(
            self.simulator.service_url, timeout, credentials=self.credentials, **options
        )

    def slot(self, resolution: dict | None = None, **changes: object) -> NumberingSlot:
        resolution = resolution or self.resolution
        slot = NumberingSlot(
            range_id="test",
            authorization=resolution["resolution_number"],
            prefix=resolution["prefix"],
            number=next(self.numbers) if resolution is self.resolution else resolution["from"],
            range_from=resolution["from"],
            range_to=resolution["to"],
            valid_from=date.fromisoformat(resolution["valid_from"]),
            valid_to=date.fromisoformat(resolution["valid_to"]),
            technical_key=resolution["technical_key"],
        )
        return replace(slot, **changes)

    def invoice(
        self,
        slot: NumberingSlot | None = None,
        *,
        issuer: IssuerProfile | None = None,
        edit: Callable[[etree._Element], None] | None = None,
        sign_as_of: timedelta = timedelta(0),
        seed: int = 1,
    ) -> tuple[Draft, bytes]:
        """Build and sign one invoice; `edit` changes the unsigned XML before signing."""
        issuer = issuer or self.issuer
        document = demo.generate_documents(1, issuer.tax_id, seed=seed)[0]
        issued_at = datetime.now(COLOMBIA_TIME)
        draft = PACK.build_draft(
            PACK.parse_document(document, "document"), issuer, slot or self.slot(), issued_at
        )
        unsigned = draft.unsigned_xml
        if edit is not None:
            root = etree.fromstring(unsigned)
            edit(root)
            unsigned = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        signed = self.signer.sign(unsigned, issued_at + sign_as_of)
        return draft, signed.signed_xml

    def submit(self, draft: Draft, signed_xml: bytes) -> Verdict:
        submission = Submission(
            "doc", self.issuer.tax_id, "01", draft.number, draft.document_key, signed_xml, "2"
        )
        return self.client.submit(submission).verdict


def enrol(simulator: SimulatorProcess, resolution: dict | None = None, **fields: object) -> Sandbox:
    """Register NIT's software (and a resolution, unless given) and make its signer."""
    software = post(f"{simulator.admin_url}/issuers", {"nit": NIT, "name": "Demo S.A.S."})
    resolution = resolution or post(f"{simulator.admin_url}/resolutions", {"nit": NIT, **fields})
    profile = demo.issuer_profile(NIT, "Demo S.A.S.")
    profile.software_id, profile.software_pin = software["software_id"], software["software_pin"]
    credentials = credentials_for()
    return Sandbox(
        simulator,
        DianClient(simulator.service_url, timeout=10, credentials=credentials),
        parse_issuer(profile, "issuer"),
        resolution,
        PACK.create_signer(credentials),
        itertools.count(resolution["from"] + 1),
        credentials,
    )


def rules(verdict: Verdict) -> list[str]:
    return [message.rule for message in verdict.messages]


def find(root: etree._Element, path: str) -> etree._Element:
    node = root.find(path, UBL)
    assert node is not None, path
    return node


def resolution_for(sandbox: Sandbox, **fields: object) -> dict:
    return post(f"{sandbox.simulator.admin_url}/resolutions", {"nit": NIT, **fields})


def put(url: str, body: object, expect: int = 200) -> dict:
    """PUT JSON to the sandbox portal and check the status."""
    response = requests.put(url, json=body, timeout=10)
    assert response.status_code == expect, response.text
    return response.json()


def settle(client: DianClient, zip_key: str, seconds: float = 30) -> BatchStatus:
    """GetStatusZip until the batch is no longer pending."""
    deadline = time.monotonic() + seconds
    while True:
        status = client.get_status_zip(zip_key)
        if not status.pending or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def poll_until(client: DianClient, submission: Submission, track_id: str) -> Verdict:
    """poll() until DIAN's verdict on an asynchronous delivery is in."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        verdict = client.poll(submission, track_id)
        if verdict is not None:
            return verdict
        time.sleep(0.1)
    raise AssertionError(f"no verdict for {track_id} in 30 s")
