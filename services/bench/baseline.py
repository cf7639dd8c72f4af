"""The four measured workers of `baseline-facho`: timbra and facho, each building and signing
an invoice from its request, and each signing invoices already built.

Every worker starts from the same invoice requests: timbra's demo sales invoices (seed 7), less
those facho 0.2.1's model cannot hold (`facho_can_hold`), numbered alike in DIAN's habilitación
range and issued at the same moment, and signs with a certificate of a fresh local test CA.
Preparing that is not timed. Timbra signs the way `sign-co` measures it (services/bench/
signing.py). After the timed run, the last document is verified (timbra's by timbra's DIAN
verifier, facho's by facho's verifier and by libxmlsec1), so that a figure is never published
for documents that did not sign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.bench.parallel import Work
from services.countries.co import codes, demo, habilitacion
from services.countries.co.clock import COLOMBIA_TIME
from timbra.v1 import document_pb2

FACHO, TIMBRA = "facho", "timbra"
BUILD_AND_SIGN, SIGN_ONLY = "build_and_sign", "sign_only"
_SEED = 7
# Customer tax schemes in facho 0.2.1's TipoImpuesto list (it has no ZA, "IVA e INC").
_FACHO_PARTY_SCHEMES = frozenset({codes.IVA, "04", "ZZ"})


@dataclass(frozen=True)
class BaselineJob:
    """One measured worker: which implementation, which work, how many documents."""

    implementation: str  # FACHO or TIMBRA
    mode: str  # BUILD_AND_SIGN or SIGN_ONLY
    documents: int
    distinct: int = 100


def facho_can_hold(request: document_pb2.Document) -> bool:
    """Whether facho 0.2.1's invoice model can hold this request without changing it: IVA
    only (no withholdings), no discounts, charges or advances (its line discounts do not work,
    its totals add document discounts instead of subtracting them), a customer with an address
    and a tax scheme in its code list."""
    customer = request.customer
    return (
        not request.allowance_charges
        and not request.co.prepayments
        and customer.HasField("address")
        and customer.tax_scheme in _FACHO_PARTY_SCHEMES
        and all(
            not line.allowance_charges and all(tax.scheme == codes.IVA for tax in line.taxes)
            for line in request.lines
        )
    )


def baseline_requests(
    issuer: str, distinct: int, issued_at: datetime
) -> list[document_pb2.Document]:
    """The first `distinct` demo sales invoices facho can hold; the same in every worker."""
    chosen: list[document_pb2.Document] = []
    batch = 4 * distinct
    while len(chosen) < distinct:
        # The same seed and a growing count give the same invoices first, so this is stable.
        requests = demo.generate_documents(batch, issuer, seed=_SEED, today=issued_at.date())
        chosen = [request for request in requests if facho_can_hold(request)][:distinct]
        batch *= 2
    return chosen


@dataclass(frozen=True)
class _Setting:
    """What every worker shares: the issuer, its certificate, the requests, their numbers."""

    profile: Any  # issuing_pb2.IssuerProfile
    authority: Any  # testca.TestAuthority
    key: Any
    certificate: Any
    requests: list[document_pb2.Document]
    numbers: list[int]
    issued_at: datetime


def _setting(distinct: int) -> _Setting:
    from services.signing import testca

    profile = demo.issuer_profile()
    authority = testca.create_authority("timbra bench CA")
    key, certificate = testca.issue_signing_certificate(
        authority, tax_id=profile.party.tax_id, name=profile.party.name
    )
    # Whole seconds: DIAN's IssueTime has no fraction, facho's and timbra's alike.
    issued_at = datetime.now(COLOMBIA_TIME).replace(microsecond=0)
    requests = baseline_requests(profile.party.tax_id, distinct, issued_at)
    numbers = [habilitacion.RANGE_FROM + 1 + n for n in range(len(requests))]
    return _Setting(profile, authority, key, certificate, requests, numbers, issued_at)


def _timed(
    documents: int, distinct: int, make: Callable[[int], bytes], check: Callable[[bytes], list[str]]
) -> Work:
    """A Work making `documents` documents (document n from input n mod `distinct`), then
    checking the last one made."""
    make(0)  # warm every code path before timing
    last: list[bytes] = []

    def run() -> int:
        made = b""
        for n in range(documents):
            made = make(n % distinct)
        last.append(made)
        return documents

    def finish() -> None:
        problems = check(last[-1])
        if problems:
            raise AssertionError(f"a benchmarked document does not verify: {problems}")

    return Work(run, finish)


def _timbra(job: BaselineJob, setting: _Setting) -> Work:
    from services.countries.co import verify
    from services.countries.co.pack import PACK
    from services.countries.pack import Credentials

    issuer = PACK.parse_issuer(setting.profile, "issuer")
    signer = PACK.create_signer(
        Credentials(setting.key, setting.certificate, (setting.authority.certificate,))
    )
    slots = [habilitacion.slot(number) for number in setting.numbers]

    def draft(n: int) -> Any:
        parsed = PACK.parse_document(setting.requests[n], "document")
        return PACK.build_draft(parsed, issuer, slots[n], setting.issued_at)

    def check(signed: bytes) -> list[str]:
        report = verify.verify_bytes(signed, technical_key=habilitacion.TECHNICAL_KEY)
        return [f"{c.name}: {c.detail}" for c in report.failures] + (
            [report.error] if report.error else []
        )

    if job.mode == BUILD_AND_SIGN:

        def make(n: int) -> bytes:
            built = draft(n)
            return signer.sign(
                built.unsigned_xml, built.issued_at, canonical=built.canonical
            ).signed_xml

    else:
        drafts = [draft(n) for n in range(len(setting.requests))]

        def make(n: int) -> bytes:
            return signer.sign(
                drafts[n].unsigned_xml, drafts[n].issued_at, canonical=drafts[n].canonical
            ).signed_xml

    return _timed(job.documents, len(setting.requests), make, check)


def _facho(job: BaselineJob, setting: _Setting) -> Work:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from services.bench import facho_invoice as fi
    from services.bench.facho_loader import forbid_network, load_facho

    forbid_network()
    facho = load_facho()
    # No passphrase: facho reads the PKCS#12 again at every signature, and a passphrase's key
    # derivation would be counted against it.
    bundle = pkcs12.serialize_key_and_certificates(
        b"timbra bench",
        setting.key,
        setting.certificate,
        [setting.authority.certificate],
        serialization.NoEncryption(),
    )
    signer = fi.facho_signer(facho, bundle)
    supplier = fi.facho_supplier(facho, setting.profile)
    certificate_der = setting.certificate.public_bytes(serialization.Encoding.DER)

    def unsigned(n: int) -> bytes:
        invoice = fi.facho_invoice(
            facho, setting.requests[n], supplier, setting.numbers[n], setting.issued_at
        )
        return fi.facho_unsigned_xml(facho, invoice, setting.profile)

    def check(signed: bytes) -> list[str]:
        return fi.facho_signature_problems(facho, signed, bundle, certificate_der)

    if job.mode == BUILD_AND_SIGN:

        def make(n: int) -> bytes:
            return fi.facho_sign(signer, unsigned(n))

    else:
        built = [unsigned(n) for n in range(len(setting.requests))]

        def make(n: int) -> bytes:
            return fi.facho_sign(signer, built[n])

    return _timed(job.documents, len(setting.requests), make, check)


def baseline_for(job: BaselineJob) -> Work:
    """Prepare one worker of the baseline (a parallel.Task); its run makes `job.documents`."""
    setting = _setting(job.distinct)
    prepare = {TIMBRA: _timbra, FACHO: _facho}[job.implementation]
    return prepare(job, setting)
