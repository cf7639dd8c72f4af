"""The JSON requests of a simulator's sandbox portal: reading a body's fields, and refusing a
request with the field and the rule it breaks (HTTP 4xx, `{"error": "<field>: <rule>"}`)."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from datetime import date

from aiohttp import web

# Where each simulator mounts its portal; the URL it announces as `admin_url`.
PORTAL_PATH = "/sandbox"


class BadRequest(ValueError):
    """A portal request naming the field and the rule it breaks."""


def error(status: int, message: str) -> web.Response:
    """A JSON error answer naming the field and the rule."""
    return web.json_response({"error": message}, status=status)


async def body_of(request: web.Request) -> dict[str, object]:
    """The request's JSON object; BadRequest otherwise."""
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("body: must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("body: must be a JSON object")
    return body


def refuse_unknown(body: dict[str, object], known: Collection[str], what: str = "field") -> None:
    """BadRequest naming the first (alphabetically) of `body`'s fields not in `known`."""
    unknown = set(body) - set(known)
    if unknown:
        raise BadRequest(f"{sorted(unknown)[0]}: unknown {what}")


def string_field(
    body: dict[str, object], name: str, pattern: re.Pattern[str] | None = None
) -> str | None:
    """A string field matching `pattern`, or None when absent; BadRequest otherwise."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or (pattern is not None and not pattern.fullmatch(value)):
        raise BadRequest(f"{name}: invalid value {value!r}")
    return value


def integer_field(
    body: dict[str, object], name: str, default: int | None = None, *, digits: int | None = None
) -> int:
    """A non-negative integer field (below 10^`digits` when given), `default` when absent;
    BadRequest otherwise, also when it is absent without a default."""
    value = body.get(name, default)
    # bool is an int to Python, never to a JSON client.
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < 0
        or (digits is not None and value >= 10**digits)
    ):
        below = "" if digits is None else f" below 10^{digits}"
        raise BadRequest(f"{name}: must be a non-negative integer{below}")
    return value


def ranged_integer(body: dict[str, object], name: str, low: int, high: int, default: int) -> int:
    """An integer field from `low` to `high`, `default` when absent; BadRequest otherwise."""
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BadRequest(f"{name}: must be an integer from {low} to {high}")
    return value


def flag_field(body: dict[str, object], name: str, default: bool) -> bool:
    """A true/false field, `default` when absent; BadRequest otherwise."""
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise BadRequest(f"{name}: must be true or false")
    return value


def date_field(body: dict[str, object], name: str, default: date) -> date:
    """A date field written YYYY-MM-DD, `default` when absent; BadRequest otherwise."""
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadRequest(f"{name}: must be a date YYYY-MM-DD")
