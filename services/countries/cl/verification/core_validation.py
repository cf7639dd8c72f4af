"""XMLDSig core validation of an SII signature: what the SII's profile allows, and one verdict
for its single Reference and its SignatureValue.

libxmlsec1 does the work (`services.core.signature_core`, shared with Colombia); the SII's
documents point their Reference at an `ID` attribute. The profile check
(`verification/signature.py`) refuses every algorithm but these before libxmlsec1 runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import xmlsec
from lxml import etree

from services.core import signature_core

_C = xmlsec.constants
# What a Reference of an SII signature may say (the profile check refuses anything else).
TRANSFORMS = frozenset(
    t.href
    for t in (
        _C.TransformEnveloped,
        _C.TransformInclC14N,
        _C.TransformInclC14NWithComments,
        _C.TransformExclC14N,
        _C.TransformExclC14NWithComments,
    )
)
CANONICALIZATION = _C.TransformInclC14N.href
SIGNATURE_METHOD = _C.TransformRsaSha1.href
DIGEST_METHOD = _C.TransformSha1.href


@dataclass(frozen=True)
class CoreResult:
    """libxmlsec1's verdict, and which part broke when it is negative."""

    verified: bool
    digest_matches: bool
    value_matches: bool
    problem: str = ""  # why the parts could not be told apart, or why the whole still fails


def core_validation(
    root: etree._Element, signature: etree._Element, certificate_der: bytes
) -> CoreResult:
    """Verify a one-Reference rsa-sha1 signature with the certificate's key; say what broke."""
    core = signature_core.core_validation(root, signature, certificate_der, id_attribute="ID")
    if core.verified:
        return CoreResult(True, True, True)
    digest = bool(core.references) and not core.broken_references
    return CoreResult(False, digest, core.signature_value_matches, core.problem)
