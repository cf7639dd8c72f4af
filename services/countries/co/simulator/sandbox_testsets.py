"""The sandbox portal's test sets, as DIAN's habilitación portal hands them out (reference §7).

POST /sandbox/test-sets {"nit", "software_id", "kind": "invoice"|"support",
"operation_mode": "own"|"provider", "required": {...}} gives a TestSetId; GET
/sandbox/test-sets/{id} shows its requirements, counts and status.
"""

from __future__ import annotations

import re
from datetime import datetime

from aiohttp import web

from services.core.portal import BadRequest, body_of, error, refuse_unknown, string_field
from services.countries.co.simulator.lookups import test_range
from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.sandbox import SERVICE_KEY
from services.countries.co.simulator.service import DianService
from services.countries.co.simulator.testsets import (
    KINDS,
    OPERATION_MODES,
    Requirements,
    TestSet,
)

_NIT = re.compile(r"[0-9]{1,15}")
_SOFTWARE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_FIELDS = {"nit", "software_id", "kind", "operation_mode", "required"}


def _shown(service: DianService, test_set: TestSet) -> dict[str, object]:
    counts = service.test_sets.counts(test_set.test_set_id)
    return {
        "test_set_id": test_set.test_set_id,
        "nit": test_set.nit,
        "software_id": test_set.software_id,
        "kind": test_set.kind,
        "operation_mode": test_set.operation_mode,
        "status": test_set.status,
        "status_text": (
            f"Set de prueba con identificador {test_set.test_set_id} se encuentra "
            f"{test_set.status_text}."
        ),
        "required": {
            "documents": test_set.required.documents,
            "accepted": test_set.required.accepted,
            **{f"{g}_accepted": n for g, n in test_set.required.per_group.items()},
        },
        "counts": {
            "sent": counts.sent,
            "accepted": counts.accepted,
            "rejected": counts.rejected,
            **{group: counts.groups.get(group, {}) for group in KINDS[test_set.kind]},
        },
        "range": test_range(test_set.operation_mode) if test_set.kind == "invoice" else None,
        "created_at": test_set.created_at,
    }


async def create_test_set(request: web.Request) -> web.Response:
    """POST /sandbox/test-sets: a new test set for a registered issuer and software."""
    try:
        body = await body_of(request)
        refuse_unknown(body, _FIELDS)
        nit = string_field(body, "nit", _NIT)
        software_id = string_field(body, "software_id", _SOFTWARE_ID)
        if nit is None or software_id is None:
            raise BadRequest(f"{'nit' if nit is None else 'software_id'}: is required")
        kind = string_field(body, "kind") or "invoice"
        if kind not in KINDS:
            raise BadRequest(f"kind: must be one of {', '.join(KINDS)}")
        mode = string_field(body, "operation_mode") or "own"
        if mode not in OPERATION_MODES:
            raise BadRequest(f"operation_mode: must be one of {', '.join(OPERATION_MODES)}")
        required = Requirements.read(kind, body.get("required"))
    except ValueError as problem:  # BadRequest included
        return error(400, str(problem))
    service = request.app[SERVICE_KEY]
    software = await service.in_database(service.registry.software, software_id)
    if software is None:
        return error(404, f"software_id: {software_id} is not registered")
    if not await service.in_database(service.registry.is_enrolled, nit):
        return error(404, f"nit: issuer {nit} is not registered (POST /sandbox/issuers first)")

    def create() -> dict[str, object]:
        """Make the set and show it, in one database-thread call."""
        made = service.test_sets.create(
            nit, software_id, kind, mode, required, datetime.now(BOGOTA)
        )
        return _shown(service, made)

    return web.json_response(await service.in_database(create), status=201)


async def show_test_set(request: web.Request) -> web.Response:
    """GET /sandbox/test-sets/{id}: a test set's requirements, counts and status."""
    service = request.app[SERVICE_KEY]
    test_set_id = request.match_info["test_set_id"].lower()

    def find() -> dict[str, object] | None:
        """The set as shown, or None."""
        found = service.test_sets.get(test_set_id)
        return _shown(service, found) if found is not None else None

    shown = await service.in_database(find)
    if shown is None:
        return error(404, f"test_set_id: no test set {test_set_id}")
    return web.json_response(shown)


def add_routes(app: web.Application) -> None:
    """Mount the test-set endpoints on `app`."""
    app.router.add_post("/sandbox/test-sets", create_test_set)
    app.router.add_get("/sandbox/test-sets/{test_set_id}", show_test_set)
