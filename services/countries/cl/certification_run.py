"""Certification: running an SII test set ("set de pruebas") through the platform, as a business
does in the SII's certification environment (sii-chile.md §8.1).

Each case of the set becomes one DTE, issued through the public gRPC API like any ERP would,
with a `Referencia` to the case (TpoDocRef SET). Notes that correct an earlier case are issued
once that case has its folio. The run reports per case until every DTE is accepted, or why not.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import grpc
from rich.console import Console
from rich.table import Table

from services.countries.cl.certification import Case, parse_sets
from services.countries.cl.certification_documents import Issued, case_document, issue_order
from services.countries.cl.clock import CHILE_TIME
from timbra.v1 import issuing_pb2, issuing_pb2_grpc


@dataclass
class CaseResult:
    """What became of one case."""

    case: Case
    folio: str = ""
    state: str = "pending"
    reasons: list[str] = field(default_factory=list)


async def _issue_wave(
    stub: issuing_pb2_grpc.IssuingStub, documents: dict[str, object]
) -> dict[str, issuing_pb2.DocumentUpdate]:
    run = uuid.uuid4().hex[:8]
    by_request = {f"cert-{run}-{number}": number for number in documents}

    async def requests() -> AsyncIterator[issuing_pb2.IssueRequest]:
        for request_id, number in by_request.items():
            yield issuing_pb2.IssueRequest(request_id=request_id, document=documents[number])

    finals: dict[str, issuing_pb2.DocumentUpdate] = {}
    async for update in stub.IssueStream(requests()):
        if update.HasField("error") or update.state in (issuing_pb2.ACCEPTED, issuing_pb2.REJECTED):
            finals[by_request[update.request_id]] = update
    return finals


async def run_certification(target: str, set_file: Path, issuer: str = "") -> list[CaseResult]:
    """Issue every case of the set file; one result per case, in the set's order."""
    sets, _ = parse_sets(set_file.read_text(encoding="utf-8"))
    cases = [case for test_set in sets for case in issue_order(test_set.cases)]
    by_number = {case.number: case for case in cases}
    results = {case.number: CaseResult(case) for case in cases}
    issued: dict[str, Issued] = {}
    today = datetime.now(CHILE_TIME).date()
    async with grpc.aio.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        if not issuer:
            ranges = await stub.ListNumberingRanges(
                issuing_pb2.ListNumberingRangesRequest(country="cl")
            )
            if not ranges.ranges:
                raise SystemExit("no Chilean issuer with folios (a CAF) is registered")
            issuer = ranges.ranges[0].issuer
        pending = list(cases)
        while pending:
            # A wave: every case whose referenced case already has its folio.
            ready = [c for c in pending if not c.referenced_case or c.referenced_case in issued]
            if not ready:
                for case in pending:
                    results[case.number].state = "not issued"
                    results[case.number].reasons.append(
                        f"refers to CASO {case.referenced_case}, which was not accepted"
                    )
                break
            documents = {
                case.number: case_document(case, by_number, issuer, issued, today=today)
                for case in ready
            }
            finals = await _issue_wave(stub, documents)
            for case in ready:
                result, update = results[case.number], finals[case.number]
                if update.HasField("error"):
                    result.state = "refused"
                    result.reasons.append(f"{update.error.field}: {update.error.rule}")
                    continue
                result.folio = update.number
                result.state = issuing_pb2.DocumentState.Name(update.state).lower()
                result.reasons += [f"{m.rule}: {m.text}" for m in update.verdict.messages]
                if update.state == issuing_pb2.ACCEPTED:
                    issued[case.number] = Issued(case.dte_type, int(update.number), today)
            pending = [c for c in pending if c not in ready]
    return [results[case.number] for case in cases]


def report(results: list[CaseResult]) -> Table:
    """Per case, for a person."""
    table = Table(title="SII certification set")
    for column in ("case", "type", "folio", "state", "SII"):
        table.add_column(column)
    for result in results:
        table.add_row(
            result.case.number,
            str(result.case.dte_type),
            result.folio,
            result.state,
            "; ".join(result.reasons)[:120],
        )
    return table


def main(target: str, set_file: str, issuer: str = "") -> int:
    """Run the set and print the outcome; exit status 0 only when every case is accepted."""
    console = Console()
    results = asyncio.run(run_certification(target, Path(set_file), issuer))
    console.print(report(results))
    accepted = sum(result.state == "accepted" for result in results)
    console.print(f"{accepted} of {len(results)} cases accepted")
    return 0 if accepted == len(results) else 1
