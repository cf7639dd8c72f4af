"""Dates and moments from the API, read strictly and refused with their field path."""

from __future__ import annotations

import re
from datetime import date, datetime

from services.core.rejection import InputRejected

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3339 with seconds and an explicit offset (or Z): a moment from paper is never guessed.
_RFC3339 = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)


def parse_date(text: str, field: str) -> date:
    """A calendar date written YYYY-MM-DD (and nothing else date.fromisoformat would take)."""
    if not _ISO_DATE.fullmatch(text):
        raise InputRejected(field, f"must be a date written YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise InputRejected(field, f"is not a calendar date: {text!r}") from error


def parse_moment(text: str, field: str) -> datetime:
    """An instant written RFC 3339 with its offset, e.g. 2026-05-04T10:30:00-05:00."""
    if not _RFC3339.fullmatch(text):
        raise InputRejected(
            field,
            f"must be an RFC 3339 time with offset like 2026-05-04T10:30:00-05:00, got {text!r}",
        )
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise InputRejected(field, f"is not a valid time: {text!r}") from error
