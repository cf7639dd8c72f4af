"""Secrets at rest: AES-256-GCM sealing of private keys, PINs and technical keys.

Each sealed value is bound to a context string (what it is and whose it is) as associated
data, so a sealed PIN cannot be replayed as somebody else's key. The master key comes from
`TIMBRA_MASTER_KEY` (base64, 32 bytes) or, for the embedded default, from a key file created
once in the data directory with owner-only permissions.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1"
_KEY_FILE = "master.key"


class Vault:
    """Seals and opens secrets with one master key; never logs or returns the key."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(master_key)
        self._master = master_key

    def derive_key(self, purpose: str) -> bytes:
        """A separate 32-byte key for `purpose` (e.g. one service's event-store encryption)."""
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
            self._master
        )

    def __repr__(self) -> str:
        return "Vault(<sealed>)"

    def seal(self, secret: bytes, context: str) -> str:
        """Encrypt `secret` for storage; `context` must be given again to open it."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, secret, context.encode())
        return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, token: str, context: str) -> bytes:
        """Decrypt a sealed secret; fails if it was tampered with or sealed for another context."""
        version, _, payload = token.partition(":")
        if version != _VERSION:
            raise ValueError(f"unknown sealed-secret version {version!r}")
        raw = base64.b64decode(payload)
        return self._aead.decrypt(raw[:12], raw[12:], context.encode())


def master_key(configured: str, data_dir: Path) -> bytes:
    """The configured master key, or the data directory's key file (created on first use)."""
    if configured:
        key = base64.b64decode(configured)
        if len(key) != 32:
            raise ValueError("TIMBRA_MASTER_KEY must be base64 of exactly 32 bytes")
        return key
    path = data_dir / _KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        # Write a private temp file, then hard-link it into place: two processes starting
        # together end up with one key, and nobody ever reads a half-written file.
        tmp = data_dir / f".{_KEY_FILE}.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(base64.b64encode(AESGCM.generate_key(bit_length=256)))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = base64.b64decode(path.read_bytes().strip())
    if len(key) != 32:
        raise ValueError(f"{path} does not hold a 32-byte base64 key")
    return key
