"""The verification report of one SII file: the shared checks (`verification_report`), each
about one DTE or the envelope, and what each DTE says it is."""

from __future__ import annotations

from dataclasses import dataclass

from services.countries import verification_report
from services.countries.verification_report import Report

ENVELOPE = "EnvioDTE"  # the `document` of the checks about the envelope as a whole


@dataclass(frozen=True)
class Check(verification_report.Check):
    """One named check (`signature.reference`, `ted.frmt`, ...) about one DTE or the envelope."""

    document: str = ""  # the DTE's label (its Documento ID, e.g. T33F12), EnvioDTE, or "" (file)

    @property
    def label(self) -> str:
        """The check's name, preceded by what it is about."""
        return f"{self.document} {self.name}" if self.document else self.name

    def as_dict(self) -> dict[str, object]:
        """The check as JSON-ready data, saying what it is about."""
        shared = super().as_dict()
        # `document` right after the name, where the JSON report has always had it.
        return {"name": shared.pop("name"), "document": self.document, **shared}


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
class VerificationReport(Report):
    """Everything `timbra verify` found about one SII file.

    `document` is DTE or EnvioDTE ("" when the file could not be read as either).
    """

    checks: tuple[Check, ...] = ()  # each saying which DTE it is about (or the envelope)
    dtes: tuple[DteSummary, ...] = ()

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
            **super().as_dict(),
            "failures": [check.label for check in self.failures],
            "dtes": [dte.as_dict() for dte in self.dtes],
            "checks": [check.as_dict() for check in self.checks],
        }

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
            lines.append(f"    {check.line()}")
        return "\n".join(lines)
