"""Chilean time and the date formats of the SII (FechaType, FechaHoraType).

DTE dates are the Chilean calendar date and SII timestamps (TSTED, TmstFirma, TmstFirmaEnv)
are Chilean wall-clock time without an offset. Chile changes offset during the year (and has
changed its rules several times), so the tz database is used rather than a fixed offset.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.core.rejection import InputRejected

CHILE_TIME = ZoneInfo("America/Santiago")
# FechaType and FechaHoraType accept 2000-01-01 .. 2050-12-31 only (SiiTypes_v10.xsd).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2050, 12, 31)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def in_chile(moment: datetime) -> datetime:
    """The same instant on Chilean time; a naive datetime is refused (its zone is unknown)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is required, got {moment!r}")
    return moment.astimezone(CHILE_TIME)


def timestamp(moment: datetime) -> str:
    """An SII FechaHoraType: Chilean wall-clock time, AAAA-MM-DDTHH:MI:SS, no offset."""
    return in_chile(moment).strftime("%Y-%m-%dT%H:%M:%S")


def parse_date(text: str, field: str) -> date:
    """A date written YYYY-MM-DD within the SII's range, refused with the field path."""
    if not _ISO_DATE.fullmatch(text):
        raise InputRejected(field, f"must be a date written YYYY-MM-DD, got {text!r}")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputRejected(field, f"is not a calendar date: {text!r}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputRejected(field, f"must fall between {FIRST_DAY} and {LAST_DAY}, got {text}")
    return day
