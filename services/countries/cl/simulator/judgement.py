"""Judging an inspected envelope against what the SII already holds, and recording the result.

Runs on the database thread, which serialises every read-then-write: two envelopes carrying the
same folio still give one acceptance. Per DTE, in the SII's order: the issuer must be the
uploading company; a folio already received is a repeat (same data, DTE-3-100) or a reuse
(other data, DTE-3-101); an annulled folio is refused (DTE-3-601); then the inspection's own
first rejection; then references to DTEs the SII never received (REF-3-750). A DTE accepted
earlier in the same envelope counts as received for those that follow it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from services.countries.cl.simulator import codes
from services.countries.cl.simulator.codes import Finding, finding
from services.countries.cl.simulator.document_check import DocumentCheck
from services.countries.cl.simulator.dte_facts import NOTE_TYPES, DocumentFacts
from services.countries.cl.simulator.informe import Revision, build_informe
from services.countries.cl.simulator.inspection import Inspection
from services.countries.cl.simulator.ledger import (
    Ledger,
    Outcome,
    StoredDocument,
    TypeCount,
    UploadRecord,
)
from services.countries.cl.simulator.registry import Registry

ELECTRONIC_TYPES = frozenset({33, 34, 43, 46, 52, 56, 61, 110, 111, 112})


@dataclass
class _Tally:
    informed: int = 0
    accepted: int = 0
    rejected: int = 0
    repairs: int = 0


class Judge:
    """Decides each DTE of an inspected upload and records the outcome."""

    def __init__(self, registry: Registry, ledger: Ledger) -> None:
        self.registry = registry
        self.ledger = ledger

    def _held(
        self, facts: DocumentFacts, accepted: dict[tuple[int, int], DocumentFacts]
    ) -> DocumentFacts | StoredDocument | None:
        earlier = accepted.get((facts.dte_type, facts.folio))
        return earlier or self.ledger.received(facts.issuer, facts.dte_type, facts.folio)

    def _ledger_problem(
        self, check: DocumentCheck, company: str, accepted: dict[tuple[int, int], DocumentFacts]
    ) -> Finding | None:
        facts = check.facts
        if facts.issuer != company:
            return finding("DTE-3-102", rut=facts.issuer)
        held = self._held(facts, accepted)
        if held is not None:
            same = facts.same_data(held.issued_on, held.receiver, held.total)
            return finding("DTE-3-100") if same else finding("DTE-3-101", folio=facts.folio)
        if self.registry.annulled(facts.issuer, facts.dte_type, facts.folio):
            return finding("DTE-3-601", folio=facts.folio)
        rejection = next((f for f in check.findings if f.severity >= 3), None)
        if rejection is not None:
            return rejection
        for reference in facts.references:
            kind, folio = reference.document_type, reference.folio
            if not (kind.isdigit() and int(kind) in ELECTRONIC_TYPES and folio.isdigit()):
                continue
            if int(folio) == 0:
                continue  # IndGlobal: a reference to many documents, not to one
            if accepted.get((int(kind), int(folio))) is None and not self.ledger.received(
                facts.issuer, int(kind), int(folio)
            ):
                return finding("REF-3-750", dte_type=kind, folio=folio)
        return None

    def _accept(self, facts: DocumentFacts, state: str, track_id: int) -> None:
        stored = StoredDocument(facts.issued_on, facts.receiver, facts.total, state, track_id)
        self.ledger.record_document(facts.issuer, facts.dte_type, facts.folio, stored)
        if facts.dte_type not in NOTE_TYPES:
            return
        for reference in facts.references:
            kind, folio = reference.document_type, reference.folio
            if kind.isdigit() and folio.isdigit() and reference.code in (1, 2, 3):
                self.ledger.record_modification(
                    facts.issuer,
                    int(kind),
                    int(folio),
                    facts.dte_type,
                    facts.folio,
                    reference.code,
                )

    def judge(
        self, upload: UploadRecord, inspection: Inspection, received_at: datetime
    ) -> tuple[Outcome, bytes]:
        """Decide every DTE of an inspected upload and record the accepted ones; the outcome
        and the report (informe)."""
        tallies: dict[int, _Tally] = defaultdict(_Tally)
        accepted: dict[tuple[int, int], DocumentFacts] = {}
        revisions: list[Revision] = []
        for check in inspection.documents:
            facts = check.facts
            tally = tallies[facts.dte_type]
            tally.informed += 1
            problem = self._ledger_problem(check, upload.company, accepted)
            if problem is not None:
                tally.rejected += 1
                revisions.append(
                    Revision(facts.dte_type, facts.folio, codes.DTE_REJECTED, (problem.line(),))
                )
                continue
            state = codes.DTE_ACCEPTED
            if check.findings:
                heavy = any(f.severity == 2 for f in check.findings)
                state = codes.DTE_REPAIRS if heavy else codes.DTE_LIGHT_REPAIRS
                lines = tuple(f.line() for f in check.findings)
                revisions.append(Revision(facts.dte_type, facts.folio, state, lines))
                tally.repairs += 1
            tally.accepted += 1
            accepted[(facts.dte_type, facts.folio)] = facts
            self._accept(facts, state, upload.track_id)
        counts = tuple(
            TypeCount(kind, t.informed, t.accepted, t.rejected, t.repairs)
            for kind, t in sorted(tallies.items())
        )
        outcome = Outcome(inspection.stages, inspection.errors, counts)
        informe = build_informe(
            company=upload.company,
            sender=upload.sender,
            track_id=upload.track_id,
            received_at=received_at,
            state=outcome.stages[-1],
            counts=counts,
            errors=inspection.errors,
            revisions=revisions,
        )
        return outcome, informe
