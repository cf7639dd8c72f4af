"""The sandbox portal's security endpoints: which certificates WS-Security trusts, and DIAN's
own signing certificate.

GET /sandbox/trust shows the trust store; PUT /sandbox/trust {"enforced": bool} turns the
check on or off; POST /sandbox/trust/authorities {"certificate_pem"} adds a trusted CA.
GET /sandbox/dian-certificate gives the certificate DIAN's ApplicationResponses are signed
with and its CA (JSON); GET /sandbox/dian-certificate.pem gives both as one PEM file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from services.core.portal import BadRequest, body_of, error, string_field
from services.countries.co.simulator.sandbox import IDENTITY_KEY, SECURITY_KEY, SERVICE_KEY
from services.countries.co.simulator.trust import fingerprint, read_pem


async def show_trust(request: web.Request) -> web.Response:
    """GET /sandbox/trust: whether trust is enforced, and what is trusted."""
    return web.json_response(request.app[SECURITY_KEY].trust.describe())


async def enforce_trust(request: web.Request) -> web.Response:
    """PUT /sandbox/trust: turn the chain-of-trust check on or off."""
    try:
        body = await body_of(request)
        enforced = body.get("enforced")
        if set(body) != {"enforced"} or not isinstance(enforced, bool):
            raise BadRequest("enforced: must be true or false (and the only field)")
    except BadRequest as problem:
        return error(400, str(problem))
    service = request.app[SERVICE_KEY]
    await service.in_database(service.trust.enforce, enforced)
    request.app[SECURITY_KEY].trust.enforced = enforced
    return await show_trust(request)


async def add_authority(request: web.Request) -> web.Response:
    """POST /sandbox/trust/authorities: trust the certificates a CA issues."""
    try:
        body = await body_of(request)
        pem = string_field(body, "certificate_pem")
        if pem is None:
            raise BadRequest("certificate_pem: is required")
    except BadRequest as problem:
        return error(400, str(problem))
    try:
        authority = read_pem(pem)
    except ValueError as problem:
        return error(400, f"certificate_pem: {problem}")
    try:
        is_ca = authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        return error(400, "certificate_pem: not a CA certificate (BasicConstraints ca=true)")
    service = request.app[SERVICE_KEY]
    await service.in_database(service.trust.add, authority, True, datetime.now(UTC))
    request.app[SECURITY_KEY].trust.authorities[fingerprint(authority)] = authority
    return web.json_response(request.app[SECURITY_KEY].trust.describe(), status=201)


async def dian_certificate(request: web.Request) -> web.Response:
    """GET /sandbox/dian-certificate: DIAN's signing certificate and its CA, in PEM."""
    identity = request.app[IDENTITY_KEY]
    return web.json_response(
        {
            "certificate_pem": identity.certificate.public_bytes(Encoding.PEM).decode(),
            "ca_certificate_pem": identity.authority.pem().decode(),
            "certificate_sha256": fingerprint(identity.certificate),
            "subject": identity.certificate.subject.rfc4514_string(),
            "not_after": identity.certificate.not_valid_after_utc.isoformat(),
        }
    )


async def dian_certificate_pem(request: web.Request) -> web.Response:
    """GET /sandbox/dian-certificate.pem: the certificate then its CA, one PEM file."""
    return web.Response(
        text=request.app[IDENTITY_KEY].pem_chain(), content_type="application/x-pem-file"
    )


def add_routes(app: web.Application) -> None:
    """Mount the security endpoints on `app`."""
    app.router.add_get("/sandbox/trust", show_trust)
    app.router.add_put("/sandbox/trust", enforce_trust)
    app.router.add_post("/sandbox/trust/authorities", add_authority)
    app.router.add_get("/sandbox/dian-certificate", dian_certificate)
    app.router.add_get("/sandbox/dian-certificate.pem", dian_certificate_pem)
