"""Colombian legal time: a fixed UTC-05:00 (Colombia has had no daylight saving since 1993)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# A fixed offset rather than zoneinfo's America/Bogota: no tz database lookups on the hot
# path, and the offset DIAN expects in IssueTime and SigningTime is always "-05:00".
COLOMBIA_TIME = timezone(timedelta(hours=-5), "America/Bogota")


def in_colombia(moment: datetime) -> datetime:
    """The same instant on Colombian time; a naive datetime is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    return moment.astimezone(COLOMBIA_TIME)


def issue_time_text(moment: datetime) -> str:
    """cbc:IssueTime as DIAN writes and hashes it: HH:MM:SS-05:00."""
    return f"{in_colombia(moment):%H:%M:%S}-05:00"
