"""SendBillSync throughput: `python -m services.countries.co.simulator.loadtest --count 2000`.

It starts a simulator process on a scratch data directory, enrols a sandbox issuer, builds and
signs invoices with the country pack beforehand, and signs each request's WS-Security header
too (signing is the platform's cost, not DIAN's; the simulator verifies every header), then
sends them concurrently and prints one JSON line: requests, accepted, seconds, per_second.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import aiohttp
import requests
from lxml import etree

from services.countries.co import demo
from services.countries.co.client import zip_document
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.wssecurity import SOAP, WCF, WSA, DianWsSecurity
from services.countries.pack import Credentials, NumberingSlot
from services.signing import testca

NIT = "900373076"
_ACTION = "http://wcf.dian.colombia/IWcfDianCustomerServices/SendBillSync"
_CONTENT_TYPE = f'application/soap+xml; charset=utf-8; action="{_ACTION}"'
# Requests are signed before the run starts; their timestamps must outlive it.
_LIFETIME = timedelta(hours=1)


def envelope(service_url: str, content: bytes, security: DianWsSecurity) -> bytes:
    """A SendBillSync envelope with WS-Addressing and a signed WS-Security header."""
    root = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "wsa": WSA, "wcf": WCF})
    header = etree.SubElement(root, f"{{{SOAP}}}Header")
    etree.SubElement(header, f"{{{WSA}}}Action").text = _ACTION
    etree.SubElement(header, f"{{{WSA}}}MessageID").text = f"urn:uuid:{uuid.uuid4()}"
    etree.SubElement(header, f"{{{WSA}}}To").text = service_url
    call = etree.SubElement(etree.SubElement(root, f"{{{SOAP}}}Body"), f"{{{WCF}}}SendBillSync")
    etree.SubElement(call, f"{{{WCF}}}fileName").text = "z.zip"
    etree.SubElement(call, f"{{{WCF}}}contentFile").text = base64.b64encode(content).decode()
    return etree.tostring(security.secure(root))


def signed_envelopes(admin_url: str, service_url: str, count: int) -> list[bytes]:
    """Enrol an issuer and return `count` SendBillSync envelopes of distinct signed invoices."""
    software = requests.post(
        f"{admin_url}/issuers", json={"nit": NIT, "name": "Carga S.A.S."}, timeout=10
    ).json()
    resolution = requests.post(f"{admin_url}/resolutions", json={"nit": NIT}, timeout=10).json()
    profile = demo.issuer_profile(NIT, "Carga S.A.S.")
    profile.software_id, profile.software_pin = software["software_id"], software["software_pin"]
    issuer = parse_issuer(profile, "issuer")
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id=NIT, name="Carga")
    credentials = Credentials(key, certificate, (authority.certificate,))
    signer = PACK.create_signer(credentials)
    security = DianWsSecurity(credentials, lifetime=_LIFETIME)
    now = datetime.now(COLOMBIA_TIME)
    envelopes = []
    for offset, document in enumerate(demo.generate_documents(count, NIT, seed=11)):
        slot = NumberingSlot(
            "load",
            resolution["resolution_number"],
            resolution["prefix"],
            resolution["from"] + offset,
            resolution["from"],
            resolution["to"],
            date.fromisoformat(resolution["valid_from"]),
            date.fromisoformat(resolution["valid_to"]),
            resolution["technical_key"],
        )
        draft = PACK.build_draft(PACK.parse_document(document, "document"), issuer, slot, now)
        signed = signer.sign(draft.unsigned_xml, now).signed_xml
        envelopes.append(envelope(service_url, zip_document("fv.xml", signed), security))
    return envelopes


async def send_all(service_url: str, envelopes: list[bytes], concurrency: int) -> tuple[int, float]:
    """Send every envelope over `concurrency` keep-alive connections; (accepted, seconds)."""
    pending = list(reversed(envelopes))
    accepted = 0

    async def sender(session: aiohttp.ClientSession) -> None:
        """Send envelopes one after another on one connection until none are left."""
        nonlocal accepted
        while pending:
            body = pending.pop()
            headers = {"Content-Type": _CONTENT_TYPE}
            async with session.post(service_url, data=body, headers=headers) as response:
                accepted += b"<b:IsValid>true</b:IsValid>" in await response.read()

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(sender(session) for _ in range(concurrency)))
        return accepted, time.perf_counter() - started


def run(count: int, concurrency: int, simulator_arguments: list[str]) -> dict[str, object]:
    """Start a simulator, load it, stop it; the measurement as a dict."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        (Path(scratch) / "simulator.log").open("ab") as log,
    ):
        command = [sys.executable, "-m", "services.countries.co.simulator", "--data-dir", scratch]
        process = subprocess.Popen(
            [*command, *simulator_arguments], stdout=subprocess.PIPE, stderr=log
        )
        try:
            assert process.stdout is not None
            urls = json.loads(process.stdout.readline())
            envelopes = signed_envelopes(urls["admin_url"], urls["service_url"], count)
            accepted, seconds = asyncio.run(send_all(urls["service_url"], envelopes, concurrency))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            process.stdout.close()
    return {
        "requests": count,
        "accepted": accepted,
        "concurrency": concurrency,
        "simulator_arguments": simulator_arguments,
        "seconds": round(seconds, 3),
        "per_second": round(count / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: --count N --concurrency C [-- simulator arguments, e.g. --threads]."""
    parser = argparse.ArgumentParser(prog="python -m services.countries.co.simulator.loadtest")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("simulator_arguments", nargs=argparse.REMAINDER)
    arguments = parser.parse_args(argv)
    extra = [a for a in arguments.simulator_arguments if a != "--"]
    print(json.dumps(run(arguments.count, arguments.concurrency, extra)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
