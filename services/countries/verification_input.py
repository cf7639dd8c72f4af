"""What `timbra verify` reads besides the XML itself, whatever the country: the file, never
more than a bound, and the trust store; and why a file is not verified at all.

Verifying reads the file and what the user names on the command line, and nothing else: never
the network, never what the document points at.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509

from services.countries.certificate_checks import TrustStoreProblem, load_trust_store


class Unverifiable(Exception):
    """The file cannot be verified at all; the message is its report's error."""


def read_bounded(path: str | Path, limit: int, note: str = "") -> bytes:
    """The file's bytes; Unverifiable when unreadable or larger than `limit` (`note` saying,
    for the user, why a legitimate file is never that big)."""
    try:
        with open(path, "rb") as file:
            # One byte more than allowed tells a file at the bound from a bigger one.
            data = file.read(limit + 1)
    except OSError as error:
        raise Unverifiable(f"cannot read the file: {error.strerror}") from None
    if len(data) > limit:
        raise Unverifiable(f"file larger than {limit} bytes: refused unread{note}")
    return data


def read_trust_store(path: str | Path) -> list[x509.Certificate]:
    """The certificates of the PEM bundle at `path` (--trust-store); Unverifiable when none."""
    try:
        return load_trust_store(Path(path).read_bytes())
    except (OSError, TrustStoreProblem) as error:
        raise Unverifiable(f"trust store {path}: {error}") from None


def doctype_refusal(authority: str) -> str:
    """The error of a file that declares a DOCTYPE, which no document of `authority` has."""
    return (
        "refused: the XML declares a DOCTYPE (entities or external references), "
        f"which no {authority} document carries; nothing in it was expanded or fetched"
    )
