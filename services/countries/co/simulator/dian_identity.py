"""The simulator's own "DIAN" signing certificate, and its signature on ApplicationResponses.

On first start the simulator makes a root CA and a signing certificate issued by it to DIAN's
NIT, and keeps both in its data directory. The private keys are sealed with the vault
(AES-256-GCM), whose master key is a key file in the same directory: never kept in clear. The
certificate and the CA are published at GET /sandbox/dian-certificate so that verifiers
(`timbra verify`) can check DIAN's signature on an ApplicationResponse.

Signing runs in the validation workers: a process worker loads the identity in its initializer
(`load`), a thread pool shares the server's (`use`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_der_private_key,
)

from services.core.vault import Vault, master_key
from services.countries.co.simulator.responses import DIAN_NAME, DIAN_NIT
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials
from services.signing import testca

FILE_NAME = "dian-identity.json"
CA_NAME = "DIAN simulador - autoridad raiz (timbra sandbox)"
# Reissued when less than this is left, so a long-lived sandbox never signs with an expired one.
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class DianIdentity:
    """DIAN's signing key and certificate, and the CA that issued it."""

    certificate: x509.Certificate
    authority: testca.TestAuthority = field(repr=False)
    private_key: rsa.RSAPrivateKey = field(repr=False)

    def pem_chain(self) -> str:
        """The signing certificate, then the CA, in PEM."""
        return (self.certificate.public_bytes(Encoding.PEM) + self.authority.pem()).decode()

    def credentials(self) -> Credentials:
        """The identity as the Colombian signer takes it."""
        return Credentials(self.private_key, self.certificate, (self.authority.certificate,))


def _seal(vault: Vault, key: rsa.RSAPrivateKey, context: str) -> str:
    der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    return vault.seal(der, context)


def _open(vault: Vault, token: str, context: str) -> rsa.RSAPrivateKey:
    key = load_der_private_key(vault.open(token, context), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{context}: not an RSA key")
    return key


def _issue(authority: testca.TestAuthority) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    return testca.issue_signing_certificate(authority, tax_id=DIAN_NIT, name=DIAN_NAME)


def _write(path: Path, vault: Vault, identity: DianIdentity) -> None:
    record = {
        "ca_certificate": identity.authority.pem().decode(),
        "ca_key": _seal(vault, identity.authority.key, "dian-simulator:ca-key"),
        "certificate": identity.certificate.public_bytes(Encoding.PEM).decode(),
        "key": _seal(vault, identity.private_key, "dian-simulator:signing-key"),
    }
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(record, handle, indent=2)
    os.replace(temporary, path)


def load_or_create(data_dir: Path, now: datetime | None = None) -> DianIdentity:
    """The identity kept in `data_dir`, made on first use and renewed before it expires."""
    now = now or datetime.now(UTC)
    data_dir.mkdir(parents=True, exist_ok=True)
    vault = Vault(master_key("", data_dir))
    path = data_dir / FILE_NAME
    if not path.exists():
        authority = testca.create_authority(CA_NAME)
        key, certificate = _issue(authority)
        identity = DianIdentity(certificate, authority, key)
        _write(path, vault, identity)
        return identity
    record = json.loads(path.read_text())
    authority = testca.TestAuthority(
        _open(vault, record["ca_key"], "dian-simulator:ca-key"),
        x509.load_pem_x509_certificate(record["ca_certificate"].encode()),
    )
    identity = DianIdentity(
        x509.load_pem_x509_certificate(record["certificate"].encode()),
        authority,
        _open(vault, record["key"], "dian-simulator:signing-key"),
    )
    if identity.certificate.not_valid_after_utc - now < RENEW_BEFORE:
        key, certificate = _issue(authority)
        identity = DianIdentity(certificate, authority, key)
        _write(path, vault, identity)
    return identity


_signer: ColombianSigner | None = None


def use(identity: DianIdentity) -> None:
    """Sign with `identity` in this process from now on."""
    global _signer
    _signer = ColombianSigner(identity.credentials())


def load(data_dir: str) -> None:
    """Load the identity kept in `data_dir` and sign with it in this process (a worker)."""
    use(load_or_create(Path(data_dir)))


def sign_application_response(unsigned_xml: bytes, issued_at: datetime) -> bytes:
    """DIAN's XAdES-EPES signature on one of its ApplicationResponses."""
    if _signer is None:
        raise RuntimeError("the DIAN identity is not loaded in this process")
    return _signer.sign(unsigned_xml, issued_at).signed_xml
