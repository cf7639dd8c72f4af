"""The checks of one SII XMLDSig signature (a DTE's or an envelope's) and of its certificate.

First the SII's restricted profile (sii-chile.md §5.1): one Signature after the signed element,
inclusive C14N, rsa-sha1, one Reference to `#<ID>` of exactly that element (an ID found once,
so a valid signature over some other element never passes), a SHA-1 digest, and a KeyInfo
whose RSAKeyValue is the key of its one X509Certificate. Then libxmlsec1 judges the digest and
the SignatureValue with the certificate's key (`core_validation`); the certificate's validity at
signing time is checked, and its chain only against a trust store the user gives.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.certificate_checks import (
    chain_problem,
    describe,
    validity_problem,
)
from services.countries.cl.signer_certificate import NoHolderRun, holder_run
from services.countries.cl.sii_xml import DS_NS
from services.countries.cl.verification import core_validation
from services.countries.cl.verification.report import Check
from services.countries.verification_report import Status

_NS = {"ds": DS_NS}


class NotSiiProfile(ValueError):
    """The signature departs from the SII's profile; the message says how."""


@dataclass(frozen=True)
class SignatureOutcome:
    """The checks of one signature, and who signed (None when the certificate was unreadable)."""

    checks: list[Check]
    certificate: x509.Certificate | None = None
    run: str = ""  # the holder's RUN the certificate names, "" when none


def _one(parent: etree._Element, path: str, what: str) -> etree._Element:
    found = parent.findall(path, _NS)
    if len(found) != 1:
        raise NotSiiProfile(f"the signature holds {len(found)} {what}, the SII's profile one")
    return found[0]


def _algorithm(parent: etree._Element, path: str, expected: str) -> None:
    algorithm = _one(parent, path, path.rsplit(":", 1)[-1]).get("Algorithm", "")
    if algorithm != expected:
        raise NotSiiProfile(f"{path.rsplit(':', 1)[-1]} is {algorithm!r}; the SII's is {expected}")


def _check_reference(
    root: etree._Element, signed_info: etree._Element, signed: etree._Element
) -> str:
    identifier = signed.get("ID", "")
    if not identifier:
        raise NotSiiProfile(f"the {etree.QName(signed).localname} has no ID to sign")
    reference = _one(signed_info, "ds:Reference", "Reference")
    if reference.get("URI") != f"#{identifier}":
        raise NotSiiProfile(
            f"the Reference points at {reference.get('URI')!r}, not at #{identifier}, "
            f"the {etree.QName(signed).localname}"
        )
    owners = root.xpath("//*[@ID=$id]", id=identifier)
    if len(owners) != 1 or owners[0] is not signed:
        # A repeated ID lets a forged element shadow the signed one (signature wrapping).
        raise NotSiiProfile(f"ID {identifier!r} occurs {len(owners)} times in the document")
    for transform in reference.findall("ds:Transforms/ds:Transform", _NS):
        if transform.get("Algorithm") not in core_validation.TRANSFORMS:
            raise NotSiiProfile(f"Transform {transform.get('Algorithm')!r} is not the SII's")
    _algorithm(reference, "ds:DigestMethod", core_validation.DIGEST_METHOD)
    return identifier


def _integer(element: etree._Element) -> int:
    try:
        raw = base64.b64decode("".join((element.text or "").split()), validate=True)
    except binascii.Error:
        raise NotSiiProfile(f"{etree.QName(element).localname} is not base64") from None
    return int.from_bytes(raw, "big")


def _certificate(signature: etree._Element) -> tuple[x509.Certificate, bytes]:
    node = _one(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate", "X509Certificate")
    try:
        der = base64.b64decode("".join((node.text or "").split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as error:
        raise NotSiiProfile(f"the X509Certificate cannot be read: {error}") from None
    key = certificate.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise NotSiiProfile("the certificate's key is not RSA; the SII signs with rsa-sha1")
    value = _one(signature, "ds:KeyInfo/ds:KeyValue/ds:RSAKeyValue", "RSAKeyValue")
    announced = (
        _integer(_one(value, "ds:Modulus", "Modulus")),
        _integer(_one(value, "ds:Exponent", "Exponent")),
    )
    if announced != (key.public_numbers().n, key.public_numbers().e):
        raise NotSiiProfile("the RSAKeyValue is not the key of the X509Certificate")
    return certificate, der


def _profile(
    root: etree._Element, signed: etree._Element
) -> tuple[etree._Element, str, x509.Certificate, bytes]:
    """(Signature, ID signed, certificate, its DER); NotSiiProfile saying how it departs."""
    parent = signed.getparent()
    signatures = parent.findall("ds:Signature", _NS) if parent is not None else []
    if not signatures:
        raise NotSiiProfile(f"not signed: no Signature after the {etree.QName(signed).localname}")
    if len(signatures) > 1:
        raise NotSiiProfile(f"{len(signatures)} Signature elements; the SII's profile has one")
    signature = signatures[0]
    signed_info = _one(signature, "ds:SignedInfo", "SignedInfo")
    _algorithm(signed_info, "ds:CanonicalizationMethod", core_validation.CANONICALIZATION)
    _algorithm(signed_info, "ds:SignatureMethod", core_validation.SIGNATURE_METHOD)
    identifier = _check_reference(root, signed_info, signed)
    return signature, identifier, *_certificate(signature)


def _certificate_checks(
    certificate: x509.Certificate,
    signed_at: datetime | None,
    anchors: Sequence[x509.Certificate] | None,
    now: datetime,
    document: str,
) -> list[Check]:
    moment = signed_at or now
    when = "at signing time" if signed_at else "now (the signing time is unreadable)"
    problem = validity_problem(certificate, moment)
    checks = [
        Check(
            "certificate.validity",
            Status.judged(not problem),
            f"{describe(certificate)}; {when} " + (problem or "within its validity period"),
            document=document,
        )
    ]
    if anchors is None:
        checks.append(
            Check(
                "certificate.chain",
                Status.INFO,
                "not checked: no trust store given (--trust-store)",
                enforced=False,
                document=document,
            )
        )
    else:
        chain = chain_problem(certificate, (), anchors, moment)
        checks.append(
            Check(
                "certificate.chain",
                Status.judged(not chain),
                chain or "chains to an authority of the trust store",
                document=document,
            )
        )
    return checks


def signature_checks(
    root: etree._Element,
    signed: etree._Element,
    document: str,
    *,
    signed_at: datetime | None,
    anchors: Sequence[x509.Certificate] | None,
    now: datetime,
) -> SignatureOutcome:
    """Every check of the signature over `signed` (a Documento or a SetDTE) in `root`'s tree."""
    name = etree.QName(signed).localname
    try:
        signature, identifier, certificate, der = _profile(root, signed)
    except NotSiiProfile as problem:
        return SignatureOutcome([Check("signature", Status.FAIL, str(problem), document=document)])
    try:
        run = holder_run(certificate)
    except NoHolderRun:
        run = ""
    signer = certificate.subject.rfc4514_string()
    core = core_validation.core_validation(root, signature, der)
    checks = [
        Check(
            "signature",
            Status.PASS,
            f"SII profile (rsa-sha1, one Reference to the {name}); signed by {signer}"
            + (f", RUN {run}" if run else ", whose certificate names no RUN"),
            document=document,
        ),
        Check(
            "signature.reference",
            Status.judged(core.digest_matches),
            f"URI=#{identifier}: digest "
            + (
                "matches"
                if core.digest_matches
                else f"does not match: the {name} changed after it was signed"
            ),
            document=document,
        ),
        Check(
            "signature.value",
            Status.judged(core.value_matches and not core.problem),
            core.problem
            or "SignatureValue "
            + ("verifies" if core.value_matches else "does not verify")
            + " over SignedInfo with the certificate's key (libxmlsec1)",
            document=document,
        ),
        *_certificate_checks(certificate, signed_at, anchors, now, document),
    ]
    return SignatureOutcome(checks, certificate, run)
