"""The simulator's signature check; the examination itself lives in `verification.signature`."""

from __future__ import annotations

from services.countries.co.verification.signature import (
    BAD_VALUE,
    NOT_EPES,
    NOT_SIGNED,
    POLICY_HASHES,
    SignatureCheck,
    check_signature,
)

__all__ = [
    "BAD_VALUE",
    "NOT_EPES",
    "NOT_SIGNED",
    "POLICY_HASHES",
    "SignatureCheck",
    "check_signature",
]
