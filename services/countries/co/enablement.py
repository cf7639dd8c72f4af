"""Habilitación: passing DIAN's test set through the platform, as a business does before going to
production (reference §7).

The issuer enters habilitación with DIAN's TestSetId; timbra then sends its documents with
SendTestSetAsync and follows each with GetStatusZip. This run issues the set through the public
gRPC API like any ERP would: invoices on DIAN's test range (SETP, resolution 18760000001), then
credit and debit notes correcting accepted invoices, and reports per document type until DIAN
says the set is accepted, or why not.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import grpc
from rich.console import Console
from rich.live import Live
from rich.table import Table

from services.countries.co import demo, habilitacion
from timbra.v1 import document_pb2, issuing_pb2, issuing_pb2_grpc

KINDS = {"01": "invoices", "91": "credit notes", "92": "debit notes"}
# The issuer's own sequences for notes (DIAN numbers only invoices).
NOTE_RANGES = {"91": "NC", "92": "ND"}


@dataclass
class SetReport:
    """What happened to the test set."""

    sent: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    rejected: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    set_status: str = ""

    @property
    def set_accepted(self) -> bool:
        """Whether DIAN declared the test set accepted."""
        return "aceptado" in self.set_status.lower()

    def table(self) -> Table:
        """Progress per document type, for a person."""
        table = Table(title="DIAN test set")
        for column in ("document type", "sent", "accepted", "rejected"):
            table.add_column(column)
        for code, name in KINDS.items():
            table.add_row(
                f"{name} ({code})",
                str(self.sent[code]),
                str(self.accepted[code]),
                str(self.rejected[code]),
            )
        return table


async def _ensure_ranges(stub: issuing_pb2_grpc.IssuingStub, issuer: str) -> None:
    ranges = await stub.ListNumberingRanges(
        issuing_pb2.ListNumberingRangesRequest(country="co", issuer=issuer)
    )
    have = {(r.prefix, r.authorization) for r in ranges.ranges}
    test = habilitacion.range_spec(issuer)
    if (test.prefix, test.authorization) not in have:
        await stub.RegisterNumberingRange(
            issuing_pb2.NumberingRange(
                country="co",
                issuer=issuer,
                document_types=["01", "02", "04"],
                authorization=test.authorization,
                prefix=test.prefix,
                range_from=test.range_from,
                range_to=test.range_to,
                valid_from=test.valid_from.isoformat(),
                valid_to=test.valid_to.isoformat(),
                technical_key=test.technical_key,
            )
        )
    for kind, prefix in NOTE_RANGES.items():
        if not any(r.prefix == prefix and kind in r.document_types for r in ranges.ranges):
            await stub.RegisterNumberingRange(
                issuing_pb2.NumberingRange(
                    country="co",
                    issuer=issuer,
                    document_types=[kind],
                    prefix=prefix,
                    range_from=1,
                    range_to=999_999_999,
                    valid_from=test.valid_from.isoformat(),
                    valid_to=test.valid_to.isoformat(),
                )
            )


async def _issue(
    stub: issuing_pb2_grpc.IssuingStub,
    documents: list[document_pb2.Document],
    report: SetReport,
    refresh: Any,
) -> list[issuing_pb2.DocumentUpdate]:
    """Issue over one stream; the final update of each document, accepted ones first."""
    run = uuid.uuid4().hex[:10]
    kinds = {}

    async def requests() -> AsyncIterator[issuing_pb2.IssueRequest]:
        for index, document in enumerate(documents):
            request_id = f"habilitacion-{run}-{index}"
            kinds[request_id] = document.co.document_type
            report.sent[document.co.document_type] += 1
            refresh()
            yield issuing_pb2.IssueRequest(request_id=request_id, document=document)

    finals = []
    async for update in stub.IssueStream(requests()):
        kind = kinds.get(update.request_id, "01")
        if update.HasField("error"):
            report.rejected[kind] += 1
            report.reasons[f"{update.error.field}: {update.error.rule}"] += 1
        elif update.state == issuing_pb2.ACCEPTED:
            report.accepted[kind] += 1
            finals.append(update)
        elif update.state == issuing_pb2.REJECTED:
            report.rejected[kind] += 1
            for message in update.verdict.messages:
                if message.rejection:
                    report.reasons[f"{message.rule}: {message.text}"] += 1
        else:
            continue
        if update.verdict.status_description:
            report.set_status = _set_status(update.verdict) or report.set_status
        refresh()
    return finals


def _set_status(verdict: document_pb2.AuthorityVerdict) -> str:
    for text in [verdict.status_description, *(m.text for m in verdict.messages)]:
        if "set de prueba" in text.lower():
            return text
    return ""


def _references(accepted: list[issuing_pb2.DocumentUpdate], views: dict[str, Any]) -> list:
    return [
        document_pb2.BillingReference(
            number=update.number,
            document_key=update.document_key,
            issue_date=views[update.document_id].issue_date,
            document_type="01",
        )
        for update in accepted
    ]


async def run_habilitacion(
    target: str,
    test_set_id: str,
    *,
    issuer: str = "",
    invoices: int = 30,
    credit_notes: int = 10,
    debit_notes: int = 10,
    seed: int = 0,
    console: Console | None = None,
) -> SetReport:
    """Send DIAN's test set through the platform at `target`; the report says how it went."""
    report = SetReport()
    async with grpc.aio.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        if not issuer:
            ranges = await stub.ListNumberingRanges(
                issuing_pb2.ListNumberingRangesRequest(country="co")
            )
            if not ranges.ranges:
                raise SystemExit("no Colombian issuer is registered on the platform")
            issuer = ranges.ranges[0].issuer
        await _ensure_ranges(stub, issuer)
        await stub.SetTestSet(
            issuing_pb2.SetTestSetRequest(country="co", issuer=issuer, test_set_id=test_set_id)
        )
        with Live(report.table(), console=console or Console(), auto_refresh=False) as live:

            def refresh() -> None:
                live.update(report.table(), refresh=True)

            bills = demo.generate_documents(invoices, issuer, seed)
            for bill in bills:
                bill.co.range_prefix = habilitacion.PREFIX
            accepted = await _issue(stub, bills, report, refresh)
            if not accepted:
                return report
            views = {}
            for update in accepted:
                views[update.document_id] = await stub.GetDocument(
                    issuing_pb2.GetDocumentRequest(document_id=update.document_id)
                )
            references = _references(accepted, views)
            notes = [
                *demo.generate_documents(
                    credit_notes, issuer, seed + 1, document_type="91", references=references
                ),
                *demo.generate_documents(
                    debit_notes, issuer, seed + 2, document_type="92", references=references
                ),
            ]
            await _issue(stub, notes, report, refresh)
    return report


def main(target: str, test_set_id: str, **options: Any) -> int:
    """Run habilitación and print the outcome; exit status 0 only when the set is accepted."""
    console = Console()
    report = asyncio.run(run_habilitacion(target, test_set_id, console=console, **options))
    if report.set_accepted:
        console.print(f"[bold green]{report.set_status}[/]")
        console.print(
            "Next: register your production resolution (timbra co ranges fetch) and leave "
            "habilitación (timbra co habilitacion --leave)."
        )
        return 0
    console.print(f"[bold red]The test set is not accepted.[/] {report.set_status}")
    for reason, times in report.reasons.most_common():
        console.print(f"  {times:>4} × {reason}")
    return 1
