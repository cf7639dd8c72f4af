"""The verification report of one SII file: named checks per DTE, for people and for machines."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

ENVELOPE = "EnvioDTE"  # the `document` of the checks about the envelope as a whole


class Status(StrEnum):
    """The outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    INFO = "info"  # reported, not judged (e.g. the CAF's FRMA when no SII key was given)
    UNAVAILABLE = "unavailable"  # could not be run here (e.g. the SII's XSDs are missing)


@dataclass(frozen=True)
class Check:
    """One named check (`signature.reference`, `ted.frmt`, ...) about one DTE or the envelope."""

    name: str
    status: Status
    detail: str = ""
    enforced: bool = True  # a failure of an enforced check fails the report
    document: str = ""  # the DTE's label (its Documento ID, e.g. T33F12), EnvioDTE, or "" (file)

    @property
    def failed(self) -> bool:
        """Whether this check fails the report."""
        return self.enforced and self.status is Status.FAIL

    @property
    def label(self) -> str:
        """The check's name, preceded by what it is about."""
        return f"{self.document} {self.name}" if self.document else self.name

    def as_dict(self) -> dict[str, object]:
        """The check as JSON-ready data."""
        return {
            "name": self.name,
            "document": self.document,
            "status": self.status.value,
            "enforced": self.enforced,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class DteSummary:
    """What a DTE says it is, as read from the file (empty fields when absent)."""

    label: str  # how its checks name it: the Documento ID, made unique
    dte_type: str
    folio: str
    issuer: str
    receiver: str
    issued_on: str
    total: str

    def describe(self) -> str:
        """One line for people."""
        return (
            f"tipo {self.dte_type or '?'} folio {self.folio or '?'}, {self.issued_on or '?'}, "
            f"{self.issuer or '?'} -> {self.receiver or '?'}, MntTotal {self.total or '?'}"
        )

    def as_dict(self) -> dict[str, str]:
        """The summary as JSON-ready data."""
        return {
            "label": self.label,
            "dte_type": self.dte_type,
            "folio": self.folio,
            "issuer": self.issuer,
            "receiver": self.receiver,
            "issued_on": self.issued_on,
            "total": self.total,
        }


@dataclass(frozen=True)
class VerificationReport:
    """Everything `timbra verify` found about one SII file."""

    source: str  # the file path
    document: str = ""  # DTE or EnvioDTE; "" when the file could not be read as either
    error: str = ""  # why the file could not be verified at all (not XML, hostile, too big)
    checks: tuple[Check, ...] = ()
    dtes: tuple[DteSummary, ...] = ()

    @property
    def passed(self) -> bool:
        """True only when the file was readable and every enforced check passed."""
        return not self.error and bool(self.checks) and not self.failures

    @property
    def failures(self) -> tuple[Check, ...]:
        """The enforced checks that failed."""
        return tuple(check for check in self.checks if check.failed)

    def check(self, name: str, document: str | None = None) -> tuple[Check, ...]:
        """The checks with that name (about `document` only, when given)."""
        return tuple(
            found
            for found in self.checks
            if found.name == name and (document is None or found.document == document)
        )

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "source": self.source,
            "passed": self.passed,
            "error": self.error,
            "document": self.document,
            "failures": [check.label for check in self.failures],
            "dtes": [dte.as_dict() for dte in self.dtes],
            "checks": [check.as_dict() for check in self.checks],
        }

    def to_json(self) -> str:
        """The report as one JSON object (non-ASCII kept)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def render(self) -> str:
        """The report for people: the verdict naming what failed, then one line per check."""
        failures = self.failures
        verdict = "PASSED" if self.passed else "FAILED"
        if failures:
            named = ", ".join(check.label for check in failures)
            verdict += f" ({len(failures)} of {len(self.checks)} checks failed: {named})"
        lines = [f"{self.source}: {verdict}"]
        if self.error:
            lines.append(f"  error: {self.error}")
        if self.document:
            lines.append(f"  document: {self.document}, {len(self.dtes)} DTE(s)")
        described = {dte.label: dte for dte in self.dtes}
        current = None
        for check in self.checks:
            if check.document != current and check.document in described:
                lines.append(f"  {check.document}: {described[check.document].describe()}")
            current = check.document
            mark = check.status.value.upper()
            if check.status is Status.FAIL and not check.enforced:
                mark = "FAIL, not enforced"
            lines.append(f"    [{mark}] {check.label}: {check.detail}".rstrip(": "))
        return "\n".join(lines)
