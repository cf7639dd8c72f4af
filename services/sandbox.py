"""Sandbox issuers: what a business gets from its authority's test portal, made locally.

On the first embedded run timbra creates its own test CA and, per country, a sandbox company
with a certificate from that CA, a software registration and a numbering authorisation from
the country's simulator, registered with issuing and signing through their public gRPC APIs,
so `timbra demo` works at once. The country pack's `sandbox` module knows the details.
Nothing secret is written in clear: the CA key is sealed with the deployment's vault.
"""

from __future__ import annotations

import importlib
import json
import logging
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from services.core.vault import Vault
from services.countries.registry import pack_for
from services.signing import testca

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SandboxIssuer:
    """The sandbox issuer, as registered."""

    country: str
    tax_id: str
    name: str
    software_id: str
    authorization: str
    prefix: str


def post(url: str, body: dict[str, Any]) -> bytes:
    """POST JSON to a simulator's sandbox portal (on loopback); the raw answer (a CAF file...)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def post_json(url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST JSON to a simulator's sandbox portal; its JSON answer."""
    return json.loads(post(url, body))


def sandbox_authority(data_dir: Path, vault: Vault) -> testca.TestAuthority:
    """The sandbox CA: created once, its key kept sealed in the data directory."""
    folder = data_dir / "sandbox"
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "ca.pem", folder / "ca.key.sealed"
    if cert_path.exists() and key_path.exists():
        key = serialization.load_der_private_key(
            vault.open(key_path.read_text(), "sandbox-ca"), password=None
        )
        return testca.TestAuthority(key, x509.load_pem_x509_certificate(cert_path.read_bytes()))  # type: ignore[arg-type]
    authority = testca.create_authority()
    key_der = authority.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path.write_text(vault.seal(key_der, "sandbox-ca"))
    key_path.chmod(0o600)
    cert_path.write_bytes(authority.pem())
    return authority


def ensure(
    country: str,
    issuing: grpc.Channel,
    signing: grpc.Channel,
    simulator_admin_url: str,
    data_dir: Path,
    vault: Vault,
) -> SandboxIssuer:
    """Make sure the country's sandbox issuer is registered; returns it."""
    pack_for(country, field="country")
    module = importlib.import_module(f"services.countries.{country}.sandbox")
    authority = sandbox_authority(data_dir, vault)
    return module.enrol(issuing, signing, simulator_admin_url, data_dir, authority, vault)


def save_transport_credentials(
    data_dir: Path, country: str, pkcs12: bytes, password: str, vault: Vault
) -> None:
    """Keep the sandbox's web-service credentials where transmission finds them: the PKCS#12
    (encrypted by its password) and its password, sealed."""
    bundle, sealed = transport_files(data_dir, country)
    bundle.write_bytes(pkcs12)
    sealed.write_text(vault.seal(password.encode(), f"transport|{country}"))
    sealed.chmod(0o600)


def transport_files(data_dir: Path, country: str) -> tuple[Path, Path]:
    """Where the sandbox keeps a country's transport PKCS#12 and its sealed password."""
    folder = data_dir / "sandbox"
    return folder / f"{country}-transport.p12", folder / f"{country}-transport.password.sealed"
