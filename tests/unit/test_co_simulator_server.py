"""The simulator embedded in-process (`build_app`, thread pool), and its load-test tool."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from services.countries.co import demo
from services.countries.co.client import DianClient
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.simulator import build_app, loadtest
from services.countries.co.simulator.server import MAX_REQUEST_BYTES
from services.countries.pack import Credentials, NumberingSlot, Submission
from services.signing import testca

NIT = "900373076"


def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id=NIT, name="Demo")
    return Credentials(key, certificate, (authority.certificate,))


def signed_invoice(software: dict, resolution: dict, signing: Credentials) -> Submission:
    profile = demo.issuer_profile(NIT, "Demo S.A.S.")
    profile.software_id, profile.software_pin = software["software_id"], software["software_pin"]
    slot = NumberingSlot(
        "r",
        resolution["resolution_number"],
        resolution["prefix"],
        resolution["from"],
        resolution["from"],
        resolution["to"],
        date.fromisoformat(resolution["valid_from"]),
        date.fromisoformat(resolution["valid_to"]),
        resolution["technical_key"],
    )
    now = datetime.now(COLOMBIA_TIME)
    document = PACK.parse_document(demo.generate_documents(1, NIT, seed=5)[0], "document")
    draft = PACK.build_draft(document, parse_issuer(profile, "issuer"), slot, now)
    signer = PACK.create_signer(signing)
    signed = signer.sign(draft.unsigned_xml, now).signed_xml
    return Submission("d", NIT, "01", draft.number, draft.document_key, signed, "2")


async def scenario(data_dir: Path) -> None:
    runner = web.AppRunner(build_app(data_dir, workers=2))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.post(f"{base}/sandbox/issuers", json={"nit": NIT, "name": "D"}) as r:
                software = await r.json()
            async with http.post(f"{base}/sandbox/resolutions", json={"nit": NIT}) as r:
                resolution = await r.json()
            async with http.post(
                f"{base}/WcfDianCustomerServices.svc",
                data=b"x" * (MAX_REQUEST_BYTES + 1),
                headers={"Content-Type": "application/soap+xml"},
            ) as r:
                assert r.status == 413
        signing = credentials()
        submission = await asyncio.to_thread(signed_invoice, software, resolution, signing)
        client = DianClient(f"{base}/WcfDianCustomerServices.svc", timeout=10, credentials=signing)
        # The client is synchronous: call it off the loop that serves the simulator.
        delivery = await asyncio.to_thread(client.submit, submission)
        assert delivery.verdict.accepted, delivery.verdict
        status = await asyncio.to_thread(client.get_status, submission.document_key)
        assert status is not None and status.accepted
        client.close()
    finally:
        await runner.cleanup()


def test_the_application_runs_in_process_with_a_thread_pool(tmp_path: Path) -> None:
    asyncio.run(scenario(tmp_path))


def test_the_load_test_sends_every_invoice_and_measures() -> None:
    result = loadtest.run(20, 4, ["--threads"])
    assert result["requests"] == result["accepted"] == 20
    assert result["per_second"] > 0
