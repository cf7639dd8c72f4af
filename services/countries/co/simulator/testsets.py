"""DIAN's test sets (habilitación, dian-colombia.md §7): what a set requires, how its documents
count, and when it is accepted or rejected.

A set is created in the portal for one NIT and software and identified by a TestSetId (a UUID).
Documents sent with SendTestSetAsync count toward it. It becomes Accepted when the accepted
documents of every group reach their required number, and Rejected when the rejected documents
exceed `documents - accepted` (the documents it requires, less those that must be accepted):
DIAN's own update rule. Once decided, a set stays decided and takes no more documents.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime

# Document type codes per counting group (DIAN counts 01, 02, 03 and its 04 as invoices).
GROUPS: dict[str, tuple[str, ...]] = {
    "invoices": ("01", "02", "03", "04"),
    "credit_notes": ("91",),
    "debit_notes": ("92",),
    "support_documents": ("05",),
    "adjustment_notes": ("95",),
}
KINDS: dict[str, tuple[str, ...]] = {
    "invoice": ("invoices", "credit_notes", "debit_notes"),
    "support": ("support_documents", "adjustment_notes"),
}
# Providers' guides: 50 documents, at least 8 invoices, 1 credit and 1 debit note accepted. The
# documento soporte numbers follow the same pattern (no source states them).
DEFAULT_ACCEPTED = {
    "invoices": 8,
    "credit_notes": 1,
    "debit_notes": 1,
    "support_documents": 8,
    "adjustment_notes": 1,
}
DEFAULT_DOCUMENTS = 50
IN_PROCESS, ACCEPTED, REJECTED = "in_process", "accepted", "rejected"
STATUS_TEXT = {IN_PROCESS: "En Proceso", ACCEPTED: "Aceptado", REJECTED: "Rechazado"}
# DIAN's test numbering (§7): SETP for own software, SETT for a provider's.
OPERATION_MODES = {"own": "SETP", "provider": "SETT"}


def group_of(document_type: str) -> str:
    """The counting group of a document type ("" when it counts in the totals only)."""
    for group, types in GROUPS.items():
        if document_type in types:
            return group
    return ""


@dataclass(frozen=True)
class Requirements:
    """How many documents a set requires, and how many of each group must be accepted."""

    documents: int
    accepted: int  # TotalDocumentAcceptedRequired
    per_group: dict[str, int]  # accepted required, by group

    @classmethod
    def read(cls, kind: str, body: object) -> Requirements:
        """Requirements from a portal request's "required" object; ValueError names the field."""
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise ValueError("required: must be a JSON object")
        groups = KINDS[kind]
        allowed = {"documents", "accepted", *(f"{group}_accepted" for group in groups)}
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"required.{sorted(unknown)[0]}: unknown field")

        def count(name: str, default: int) -> int:
            """One count of the request, checked."""
            value = body.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
                raise ValueError(f"required.{name}: must be an integer from 0 to 10000")
            return value

        per_group = {g: count(f"{g}_accepted", DEFAULT_ACCEPTED[g]) for g in groups}
        accepted = count("accepted", sum(per_group.values()))
        documents = count("documents", max(DEFAULT_DOCUMENTS, accepted))
        if accepted < sum(per_group.values()):
            raise ValueError("required.accepted: must be at least the sum of the groups' counts")
        if documents < accepted:
            raise ValueError("required.documents: must be at least required.accepted")
        return cls(documents, accepted, per_group)


@dataclass
class Counts:
    """Documents sent, accepted and rejected: in total and per group."""

    sent: int = 0
    accepted: int = 0
    rejected: int = 0
    groups: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class TestSet:
    """One test set: its owner, what it requires, and where it stands."""

    __test__ = False  # a domain class, not a pytest test

    test_set_id: str
    nit: str
    software_id: str
    kind: str
    operation_mode: str
    required: Requirements
    status: str
    created_at: str

    @property
    def status_text(self) -> str:
        """The status as DIAN words it ("Aceptado", "Rechazado", "En Proceso")."""
        return STATUS_TEXT[self.status]


def decide(required: Requirements, counts: Counts, status: str) -> str:
    """The status after a count update, by DIAN's rule (acceptance is checked first)."""
    if status != IN_PROCESS:
        return status
    if all(
        counts.groups.get(group, {}).get("accepted", 0) >= needed
        for group, needed in required.per_group.items()
    ):
        return ACCEPTED
    if counts.rejected > required.documents - required.accepted:
        return REJECTED
    return IN_PROCESS


_SCHEMA = """
CREATE TABLE IF NOT EXISTS test_sets (
    test_set_id TEXT PRIMARY KEY, nit TEXT NOT NULL, software_id TEXT NOT NULL,
    kind TEXT NOT NULL, operation_mode TEXT NOT NULL, required TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL
);
-- One row per document counted toward a set; a resend of the same document replaces its row.
CREATE TABLE IF NOT EXISTS test_set_documents (
    test_set_id TEXT NOT NULL REFERENCES test_sets(test_set_id), document TEXT NOT NULL,
    document_type TEXT NOT NULL, valid INTEGER NOT NULL, PRIMARY KEY (test_set_id, document)
);
"""
_COLUMNS = "test_set_id, nit, software_id, kind, operation_mode, required, status, created_at"


def _test_set(row: tuple) -> TestSet:
    test_set_id, nit, software_id, kind, mode, required, status, created_at = row
    return TestSet(
        test_set_id,
        nit,
        software_id,
        kind,
        mode,
        Requirements(**json.loads(required)),
        status,
        created_at,
    )


class TestSets:
    """Test sets and the documents counted toward them, in the simulator's database."""

    __test__ = False

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._db.executescript(_SCHEMA)

    def create(
        self,
        nit: str,
        software_id: str,
        kind: str,
        mode: str,
        required: Requirements,
        now: datetime,
    ) -> TestSet:
        """A new set in process, with a fresh TestSetId."""
        created = TestSet(
            str(uuid.uuid4()), nit, software_id, kind, mode, required, IN_PROCESS, now.isoformat()
        )
        self._db.execute(
            f"INSERT INTO test_sets ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                created.test_set_id,
                nit,
                software_id,
                kind,
                mode,
                json.dumps(asdict(required)),
                IN_PROCESS,
                created.created_at,
            ),
        )
        return created

    def get(self, test_set_id: str) -> TestSet | None:
        """The set with that id."""
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM test_sets WHERE test_set_id = ?", (test_set_id.lower(),)
        ).fetchone()
        return _test_set(row) if row else None

    def counts(self, test_set_id: str) -> Counts:
        """How the set's documents stand."""
        counts = Counts()
        rows = self._db.execute(
            "SELECT document_type, valid FROM test_set_documents WHERE test_set_id = ?",
            (test_set_id,),
        )
        for document_type, valid in rows:
            outcome = "accepted" if valid else "rejected"
            counts.sent += 1
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            group = group_of(document_type)
            if group:
                tally = counts.groups.setdefault(group, {"sent": 0, "accepted": 0, "rejected": 0})
                tally["sent"] += 1
                tally[outcome] += 1
        return counts

    def count(self, test_set: TestSet, document: str, document_type: str, valid: bool) -> str:
        """Count one processed document toward an in-process set; the set's new status."""
        if test_set.status != IN_PROCESS:
            return test_set.status
        self._db.execute(
            "INSERT INTO test_set_documents (test_set_id, document, document_type, valid) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(test_set_id, document) DO UPDATE SET "
            "document_type = excluded.document_type, valid = excluded.valid",
            (test_set.test_set_id, document, document_type, int(valid)),
        )
        status = decide(test_set.required, self.counts(test_set.test_set_id), IN_PROCESS)
        if status != IN_PROCESS:
            self._db.execute(
                "UPDATE test_sets SET status = ? WHERE test_set_id = ?",
                (status, test_set.test_set_id),
            )
        return status
