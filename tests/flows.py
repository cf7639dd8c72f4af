"""End-to-end flows run against a platform at `target`, embedded or distributed alike."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Iterable

import grpc

from services.countries.registry import demo_documents
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

FINAL = (issuing_pb2.ACCEPTED, issuing_pb2.REJECTED)


def sandbox_issuer(target: str, country: str = "co") -> str:
    """The issuer of the first registered range (the sandbox issuer)."""
    with grpc.insecure_channel(target) as channel:
        ranges = issuing_pb2_grpc.IssuingStub(channel).ListNumberingRanges(
            issuing_pb2.ListNumberingRangesRequest(country=country)
        )
    return ranges.ranges[0].issuer


def requests_for(target: str, count: int, seed: int = 0) -> list[issuing_pb2.IssueRequest]:
    """`count` demo requests for the sandbox issuer, each with a fresh request id."""
    issuer = sandbox_issuer(target)
    run = uuid.uuid4().hex[:10]
    return [
        issuing_pb2.IssueRequest(request_id=f"e2e-{run}-{i}", document=document)
        for i, document in enumerate(demo_documents("co", count, issuer, seed))
    ]


async def _stream(target: str, requests: list[issuing_pb2.IssueRequest]) -> dict[str, list]:
    updates: dict[str, list] = {r.request_id: [] for r in requests}

    async def produce():
        for request in requests:
            yield request

    async with grpc.aio.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        async for update in stub.IssueStream(produce()):
            updates[update.request_id].append(update)
    return updates


def issue_streams(
    target: str, batches: Iterable[list[issuing_pb2.IssueRequest]], timeout: float = 600
) -> dict[str, list]:
    """Send each batch over its own IssueStream concurrently; every request's updates."""

    async def run() -> list[dict[str, list]]:
        return await asyncio.wait_for(
            asyncio.gather(*(_stream(target, list(b)) for b in batches)), timeout
        )

    merged: dict[str, list] = {}
    for part in asyncio.run(run()):
        merged.update(part)
    return merged


def final_update(updates: list) -> issuing_pb2.DocumentUpdate:
    """The last update of a request, which must be final."""
    assert updates, "no update at all"
    last = updates[-1]
    assert not last.HasField("error"), last.error
    assert last.state in FINAL, f"stream ended in state {last.state}"
    return last


def consecutive(number: str) -> int:
    """The consecutive part of a document number (its prefix stripped)."""
    return int(re.search(r"[0-9]+$", number).group())  # type: ignore[union-attr]


def numbers_of(target: str, issuer: str) -> list[str]:
    """Every document number of an issuer, as recorded."""
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        return [
            v.number for v in stub.ListDocuments(issuing_pb2.ListDocumentsRequest(issuer=issuer))
        ]


def assert_no_gap_no_duplicate(target: str, issuer: str) -> None:
    """Every number from each range's start to its next number went to exactly one document.

    Ranges whose numbers come from paper (CO type 03) are left out: their numbers are entered
    as printed, not handed out in sequence.
    """
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        ranges = stub.ListNumberingRanges(
            issuing_pb2.ListNumberingRangesRequest(issuer=issuer)
        ).ranges
    sequential = [r for r in ranges if "03" not in r.document_types]
    paper_prefixes = tuple(r.prefix for r in ranges if "03" in r.document_types)
    numbers = [n for n in numbers_of(target, issuer) if not n.startswith(paper_prefixes or ("\0",))]
    assert len(numbers) == len(set(numbers)), "a number was given twice"
    expected = {f"{r.prefix}{n}" for r in sequential for n in range(r.range_from, r.next_number)}
    gaps, strays = sorted(expected - set(numbers)), sorted(set(numbers) - expected)
    assert not gaps and not strays, f"gaps: {gaps[:10]}, strays: {strays[:10]}"
