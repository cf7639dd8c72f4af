"""`sign-co` and `sign-cl`: the signing stage alone, on ready drafts.

Each worker process builds its own issuer, certificate (and for Chile, CAF folio keys) and a set
of distinct realistic drafts, exactly as issuing would hand them to signing; none of that is
timed. The measured work is the country signer on those drafts: for DIAN the XAdES-EPES
signature, for the SII the TED stamp with the CAF key and the XMLDSig of the Documento. After
the timed run, the last document signed is verified with the country's own verifier, so a
figure is never published for signatures that would not verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from services.bench.parallel import Work
from services.countries.pack import Draft


@dataclass(frozen=True)
class SigningJob:
    """What one signing worker does: `documents` signatures over `distinct` drafts."""

    country: str
    documents: int
    distinct: int = 100


_BOGOTA = timezone(timedelta(hours=-5))


def _colombian_drafts(distinct: int) -> tuple[Callable[[Draft], bytes], list[Draft]]:
    from services.countries.co import demo, habilitacion, verify
    from services.countries.co.pack import PACK
    from services.countries.pack import Credentials
    from services.signing import testca

    authority = testca.create_authority("timbra bench CA")
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    key, certificate = testca.issue_signing_certificate(
        authority, tax_id=issuer.tax_id, name=issuer.party.name
    )
    today = datetime.now(_BOGOTA)
    requests = demo.generate_documents(distinct, issuer.tax_id, seed=7, today=today.date())
    drafts = [
        PACK.build_draft(
            PACK.parse_document(request, "document"),
            issuer,
            habilitacion.slot(habilitacion.RANGE_FROM + 1 + n),
            today,
        )
        for n, request in enumerate(requests)
    ]
    signer = PACK.create_signer(Credentials(key, certificate, (authority.certificate,)))

    def sign(draft: Draft) -> bytes:
        # As the signing service does: a canonical draft is digested as it stands.
        return signer.sign(
            draft.unsigned_xml, draft.issued_at, canonical=draft.canonical
        ).signed_xml

    def check(signed: bytes) -> list[str]:
        report = verify.verify_bytes(signed, technical_key=habilitacion.TECHNICAL_KEY)
        return [f"{c.name}: {c.detail}" for c in report.failures] + (
            [report.error] if report.error else []
        )

    _checks["co"] = check
    return sign, drafts


def _chilean_drafts(distinct: int) -> tuple[Callable[[Draft], bytes], list[Draft]]:
    from services.countries.cl import codes, demo, verify
    from services.countries.cl.sandbox import create_sandbox

    sandbox = create_sandbox(authorized_on=date.today() - timedelta(days=1))
    issued_at = datetime.now(UTC)
    requests = demo.generate_documents(distinct, sandbox.issuer.tax_id, seed=7)
    drafts = [
        sandbox.pack.build_draft(
            sandbox.pack.parse_document(request, "document"),
            sandbox.issuer,
            sandbox.slot(codes.FACTURA, folio),
            issued_at,
        )
        for folio, request in enumerate(requests, 1)
    ]
    signer = sandbox.signer

    def sign(draft: Draft) -> bytes:
        return signer.sign(
            draft.unsigned_xml, draft.issued_at, canonical=draft.canonical
        ).signed_xml

    def check(signed: bytes) -> list[str]:
        report = verify.verify_bytes(signed, sii_keys=[sandbox.trusted_key_pem])
        return [f"{c.name}: {c.detail}" for c in report.failures] + (
            [report.error] if report.error else []
        )

    _checks["cl"] = check
    return sign, drafts


_PREPARE = {"co": _colombian_drafts, "cl": _chilean_drafts}
_checks: dict[str, Callable[[bytes], list[str]]] = {}


def signing_for(job: SigningJob) -> Work:
    """Prepare a worker (credentials, drafts); its run signs `job.documents` of them."""
    sign, drafts = _PREPARE[job.country](job.distinct)
    sign(drafts[0])  # warm every code path before timing
    signed: list[bytes] = []

    def run() -> int:
        last = b""
        for n in range(job.documents):
            last = sign(drafts[n % len(drafts)])
        signed.append(last)
        return job.documents

    def finish() -> None:
        problems = _checks[job.country](signed[-1])
        if problems:
            raise AssertionError(f"a benchmarked signature does not verify: {problems}")

    return Work(run, finish)
