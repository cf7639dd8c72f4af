"""The signature part of a verification report: libxmlsec1's verdict, XAdES properties, chain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from cryptography import x509
from lxml import etree

from services.core.signature_core import ReferenceResult
from services.countries import certificate_checks
from services.countries.co.verification.signature import (
    SignatureExamination,
    examine,
    signing_day,
)
from services.countries.verification_report import Check, Status


def _covers(reference: ReferenceResult) -> str:
    if not reference.uri:
        return 'URI="" (the whole document, enveloped)'
    if reference.type.endswith("#SignedProperties"):
        return f"URI={reference.uri} (the signed XAdES properties)"
    return f"URI={reference.uri}"


def _core(found: SignatureExamination) -> list[Check]:
    core = found.core
    if core is None:
        return [Check("signature.value", Status.FAIL, "the signature could not be verified")]
    checks = [
        Check(
            "signature.reference",
            Status.judged(reference.digest_matches),
            f"{_covers(reference)}: digest "
            + (
                "matches"
                if reference.digest_matches
                else "does not match: what it covers changed after signing"
            ),
        )
        for reference in core.references
    ]
    if core.problem:
        checks.append(Check("signature.value", Status.FAIL, core.problem))
    else:
        checks.append(
            Check(
                "signature.value",
                Status.judged(core.signature_value_matches),
                "SignatureValue "
                + ("verifies" if core.signature_value_matches else "does not verify")
                + " over SignedInfo with the KeyInfo certificate's key (libxmlsec1)",
            )
        )
    return checks


def _properties(found: SignatureExamination, issue_date: str) -> list[Check]:
    day = signing_day(found.signing_time)
    policy_ok = found.policy_hash_matches and found.policy_identifier_matches
    roles = ", ".join(found.claimed_roles) or "none"
    return [
        Check(
            "signature.policy",
            Status.judged(policy_ok),
            f"identifier {found.policy_identifier or '(missing)'}, hash "
            + ("is DIAN's policy v2" if found.policy_hash_matches else "is not DIAN's policy"),
        ),
        Check(
            "signature.signing_time",
            Status.judged(day is not None and day == issue_date),
            f"SigningTime {found.signing_time or '(missing)'} (Colombian date {day}); "
            f"IssueDate {issue_date or '(missing)'}",
        ),
        Check(
            "signature.certificate_digest",
            Status.judged(found.cert_digest_matches),
            "xades:CertDigest "
            + ("matches" if found.cert_digest_matches else "does not match")
            + " the KeyInfo certificate",
        ),
        Check(
            "signature.issuer_serial",
            Status.judged(found.issuer_name_matches and found.serial_matches),
            f"X509IssuerName {'matches' if found.issuer_name_matches else 'differs'}, "
            f"X509SerialNumber {'matches' if found.serial_matches else 'differs'}",
        ),
        Check(
            "signature.claimed_role",
            Status.judged(found.role_is_dians),
            f"ClaimedRole {roles} (DIAN's policy: supplier or third party)",
        ),
    ]


def _moment(signing_time: str, now: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(signing_time)
    except ValueError:
        return now
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _certificate(
    found: SignatureExamination, anchors: Sequence[x509.Certificate] | None, now: datetime
) -> list[Check]:
    certificate = found.certificate
    if certificate is None:
        return []
    moment = _moment(found.signing_time, now)
    validity = certificate_checks.validity_problem(certificate, moment)
    checks = [
        Check(
            "certificate.validity",
            Status.judged(not validity),
            f"{certificate_checks.describe(certificate)}; at signing time "
            + (validity or "within its validity period"),
        )
    ]
    if anchors is None:
        checks.append(
            Check(
                "certificate.chain",
                Status.INFO,
                "not checked: no trust store given (DIAN checks it against ONAC's authorities)",
                enforced=False,
            )
        )
    else:
        problem = certificate_checks.chain_problem(certificate, found.chain, anchors, moment)
        checks.append(
            Check(
                "certificate.chain",
                Status.judged(not problem),
                problem or "chains to an authority of the trust store",
            )
        )
    return checks


def signature_checks(
    root: etree._Element,
    issue_date: str,
    anchors: Sequence[x509.Certificate] | None,
    now: datetime,
) -> list[Check]:
    """Every signature check of a document whose cbc:IssueDate is `issue_date`."""
    found = examine(root)
    if found.blocking is not None:
        rule, text = found.blocking.rule, found.blocking.text
        return [Check("signature", Status.FAIL, f"{text} (DIAN rule {rule})")]
    return [
        Check("signature", Status.PASS, "XAdES-EPES enveloped signature in ext:UBLExtensions"),
        *_core(found),
        *_properties(found, issue_date),
        *_certificate(found, anchors, now),
    ]
