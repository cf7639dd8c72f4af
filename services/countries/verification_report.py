"""What `timbra verify` reports about a file, whatever its country: named checks, each passed,
failed, reported or not runnable, for people (one line a check) and for machines (JSON).

Each country's report (`co.verification.report`, `cl.verification.report`) extends these with
what its documents are (a CUFE and its preimage; the DTEs of an envelope) and renders itself.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

ERRORS_SHOWN = 5  # schema errors named in a check's detail; the rest are counted


class Status(StrEnum):
    """The outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    INFO = "info"  # reported, not judged (e.g. the key preimage when no secret was given)
    UNAVAILABLE = "unavailable"  # could not be run here (e.g. the XSDs are missing)

    @classmethod
    def judged(cls, ok: bool) -> Status:
        """PASS when `ok`, FAIL otherwise."""
        return cls.PASS if ok else cls.FAIL


@dataclass(frozen=True)
class Check:
    """One named check: `signature.value`, `schema`, `certificate.chain`, ..."""

    name: str
    status: Status
    detail: str = ""
    enforced: bool = True  # a failure of an enforced check fails the report

    @property
    def failed(self) -> bool:
        """Whether this check fails the report."""
        return self.enforced and self.status is Status.FAIL

    @property
    def label(self) -> str:
        """How the report names the check."""
        return self.name

    def line(self) -> str:
        """The check for people: `[PASS] name: detail`."""
        mark = self.status.value.upper()
        if self.status is Status.FAIL and not self.enforced:
            mark = "FAIL, not enforced"
        return f"[{mark}] {self.label}: {self.detail}".rstrip(": ")

    def as_dict(self) -> dict[str, object]:
        """The check as JSON-ready data."""
        return {
            "name": self.name,
            "status": self.status.value,
            "enforced": self.enforced,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Report:
    """What every country's report of one file holds; each country adds its own fields."""

    source: str  # the file path
    document: str = ""  # what the file was read as; "" when it could not be read
    error: str = ""  # why the file could not be verified at all (not XML, hostile, too big)
    checks: tuple[Check, ...] = ()

    @property
    def passed(self) -> bool:
        """True only when the file was readable and every enforced check passed."""
        return not self.error and bool(self.checks) and not self.failures

    @property
    def failures(self) -> tuple[Check, ...]:
        """The enforced checks that failed."""
        return tuple(check for check in self.checks if check.failed)

    def check(self, name: str) -> tuple[Check, ...]:
        """The checks with that name (several for `signature.reference`)."""
        return tuple(found for found in self.checks if found.name == name)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data: what every country's begins with."""
        return {
            "source": self.source,
            "passed": self.passed,
            "error": self.error,
            "document": self.document,
        }

    def to_json(self) -> str:
        """The report as one JSON object (UTF-8 text, non-ASCII kept)."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)


def errors_summary(errors: Sequence[str], shown: int = ERRORS_SHOWN) -> str:
    """A schema check's detail: the first `shown` errors, and how many more there are."""
    more = len(errors) - shown
    return "; ".join(errors[:shown]) + (f" (and {more} more)" if more > 0 else "")
