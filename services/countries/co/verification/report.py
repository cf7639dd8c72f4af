"""The verification report of one file: named checks, for people (`render`) and machines (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """The outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    INFO = "info"  # reported, not judged (e.g. the key preimage when no secret was given)
    UNAVAILABLE = "unavailable"  # could not be run here (e.g. no schema validator)


@dataclass(frozen=True)
class Check:
    """One named check: `signature.value`, `key`, `certificate.chain`, ..."""

    name: str
    status: Status
    detail: str = ""
    enforced: bool = True  # a failure of an enforced check makes the report fail

    @property
    def failed(self) -> bool:
        """Whether this check fails the report."""
        return self.enforced and self.status is Status.FAIL

    def as_dict(self) -> dict[str, object]:
        """The check as JSON-ready data."""
        return {
            "name": self.name,
            "status": self.status.value,
            "enforced": self.enforced,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class VerificationReport:
    """Everything `timbra verify` found about one file (or one document inside it)."""

    source: str  # the file path, or "path > part" for a document inside a container
    document: str = ""  # the root element (Invoice, CreditNote, ...), "" when unreadable
    document_type: str = ""  # 01..05, 91, 92, 95, 96 (ApplicationResponse)
    number: str = ""  # cbc:ID
    document_key: str = ""  # cbc:UUID as written
    key_name: str = ""  # CUFE, CUDE, CUDS or "CUDE (evento)"
    preimage: str = ""  # the string hashed for the key, secret as a placeholder when not given
    error: str = ""  # why the file could not be verified at all (not XML, hostile, too big)
    checks: tuple[Check, ...] = ()
    embedded: tuple[VerificationReport, ...] = ()  # documents inside an AttachedDocument or ZIP

    @property
    def passed(self) -> bool:
        """True only when the file was readable and every enforced check passed, inside too."""
        if self.error or not (self.checks or self.embedded):
            return False
        return not any(check.failed for check in self.checks) and all(
            inner.passed for inner in self.embedded
        )

    def check(self, name: str) -> tuple[Check, ...]:
        """The checks with that name (several for `signature.reference`)."""
        return tuple(found for found in self.checks if found.name == name)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "source": self.source,
            "passed": self.passed,
            "error": self.error,
            "document": self.document,
            "document_type": self.document_type,
            "number": self.number,
            "document_key": self.document_key,
            "key_name": self.key_name,
            "preimage": self.preimage,
            "checks": [check.as_dict() for check in self.checks],
            "embedded": [inner.as_dict() for inner in self.embedded],
        }

    def to_json(self) -> str:
        """The report as one JSON object (UTF-8 text, non-ASCII kept)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def render(self, indent: str = "") -> str:
        """The report for people: a verdict line, then one line per check."""
        lines = [f"{indent}{self.source}: {'PASSED' if self.passed else 'FAILED'}"]
        inner = indent + "  "
        if self.error:
            lines.append(f"{inner}error: {self.error}")
        if self.document:
            described = " ".join(p for p in (self.document, self.document_type, self.number) if p)
            key = f" ({self.key_name} {self.document_key})" if self.document_key else ""
            lines.append(f"{inner}document: {described}{key}")
        for check in self.checks:
            mark = check.status.value.upper()
            if check.status is Status.FAIL and not check.enforced:
                mark = "FAIL, not enforced"
            lines.append(f"{inner}[{mark}] {check.name}: {check.detail}".rstrip(": "))
        if self.preimage:
            lines.append(f"{inner}{self.key_name or 'key'} preimage: {self.preimage}")
        lines.extend(report.render(inner) for report in self.embedded)
        return "\n".join(lines)
