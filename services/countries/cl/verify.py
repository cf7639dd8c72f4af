"""`timbra verify` for SII files: a single DTE or an EnvioDTE, ours or another program's.

Each file gets a VerificationReport of named checks: the schema (the SII's XSDs from cl-sii);
for an envelope, its signature over SetDTE in the envelope's full context and its Carátula
(counts, issuer, sender); for every DTE — inside an envelope, as the standalone bytes it was
signed as — its XMLDSig signature checked by libxmlsec1, its TED (FRMT against the CAF inside
it, DD against the document), its CAF (what it authorises, its expiry, and its FRMA against the
SII keys given with --sii-key), and the signing certificate (its chain only with --trust-store).
A file that is not XML, carries a DOCTYPE, or is too big gets a clear error in its report:
verifying reads the file itself and nothing else, and never touches the network.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.core.untrusted_xml import declares_doctype
from services.countries.cl import schemas
from services.countries.cl.sii_keys import UnusableKey, load_sii_keys
from services.countries.cl.sii_xml import SII_NS
from services.countries.cl.verification import reading
from services.countries.cl.verification.caratula import caratula_checks
from services.countries.cl.verification.report import ENVELOPE, Check, VerificationReport
from services.countries.cl.verification.signature import SignatureOutcome, signature_checks
from services.countries.cl.verification.stamp import stamp_checks
from services.countries.cl.verification.standalone import (
    AS_WRITTEN,
    SignedForm,
    envelope_forms,
    signed_element,
)
from services.countries.cl.xml_input import MAX_INPUT, UnreadableXml, parse_xml
from services.countries.verification_input import (
    Unverifiable,
    doctype_refusal,
    read_bounded,
    read_trust_store,
)
from services.countries.verification_report import Status, errors_summary

__all__ = [
    "MAX_FILE_BYTES",
    "VerificationReport",
    "recognises",
    "verify_bytes",
    "verify_file",
    "verify_for_cli",
]

MAX_FILE_BYTES = MAX_INPUT
"""The largest file read: the pack's own bound, far above an EnvioDTE of 2,000 DTEs."""
MAX_KEY_BYTES = 1024 * 1024  # an SII key or certificate file is a few hundred bytes
_DECLARED_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class _Options:
    sii_keys: tuple[rsa.RSAPublicKey, ...]
    anchors: tuple[x509.Certificate, ...] | None
    now: datetime


def recognises(head: bytes) -> bool:
    """Whether the start of a file looks like an SII document (the DTE namespace is there)."""
    return SII_NS.encode("ascii") in head


def verify_file(
    path: str | Path,
    *,
    sii_keys: Sequence[bytes] = (),
    trust_store: str | Path | None = None,
    now: datetime | None = None,
) -> VerificationReport:
    """Verify one DTE or EnvioDTE file; never raises on what the file holds.

    `sii_keys` are the SII's public keys the CAFs' FRMA must verify with (PEM keys or the SII's
    certificate files); `trust_store` (a PEM bundle) makes the certificate chain enforced.
    """
    source = str(path)
    try:
        data = read_bounded(path, MAX_FILE_BYTES)
        keys = _trusted_sii_keys(sii_keys)
        anchors = tuple(read_trust_store(trust_store)) if trust_store is not None else None
    except Unverifiable as problem:
        return VerificationReport(source, error=str(problem))
    return _verify(data, source, _Options(keys, anchors, now or datetime.now(UTC)))


def verify_bytes(
    data: bytes,
    source: str = "<bytes>",
    *,
    sii_keys: Sequence[bytes] = (),
    now: datetime | None = None,
) -> VerificationReport:
    """Verify a DTE or EnvioDTE already in memory (what `verify_file` does after reading)."""
    if len(data) > MAX_FILE_BYTES:
        return VerificationReport(source, error=f"larger than {MAX_FILE_BYTES} bytes: refused")
    try:
        keys = _trusted_sii_keys(sii_keys)
    except Unverifiable as problem:
        return VerificationReport(source, error=str(problem))
    return _verify(data, source, _Options(keys, None, now or datetime.now(UTC)))


def _trusted_sii_keys(keys: Sequence[bytes]) -> tuple[rsa.RSAPublicKey, ...]:
    try:
        return load_sii_keys(list(keys))
    except UnusableKey as error:
        raise Unverifiable(f"--sii-key: {error}") from None


def _unreadable(source: str, data: bytes, error: Exception) -> VerificationReport:
    if "DOCTYPE" in str(error) or "entity references" in str(error):
        return VerificationReport(source, error=doctype_refusal("SII"))
    return VerificationReport(
        source, error=f"not an XML document timbra can read{_encoding_hint(data)}: {error}"
    )


def _encoding_hint(data: bytes) -> str:
    """Why the bytes may not have parsed: an unknown declared encoding, or bytes not in it."""
    declared = _DECLARED_ENCODING.match(data)
    if declared is None:
        return ""
    name = declared.group(1).decode("ascii")
    try:
        data.decode(name)
    except LookupError:
        return f" (it declares {name}, an encoding unknown here)"
    except UnicodeDecodeError as problem:
        return f" (its bytes are not {name}, the encoding it declares: byte {problem.start})"
    return ""


def _verify(data: bytes, source: str, options: _Options) -> VerificationReport:
    # Refused on the bytes, so that libxml2 never reads an entity declaration at all.
    if declares_doctype(data):
        return _unreadable(source, data, UnreadableXml("a DOCTYPE is not accepted"))
    try:
        root = parse_xml(data, limit=MAX_FILE_BYTES)
    except UnreadableXml as error:
        return _unreadable(source, data, error)
    if root.tag == f"{{{SII_NS}}}DTE":
        return _dte_file(root, source, options)
    if root.tag == f"{{{SII_NS}}}EnvioDTE":
        return _envelope_file(root, data, source, options)
    return VerificationReport(
        source,
        error=f"the root element is {root.tag}: timbra verifies an SII DTE or EnvioDTE "
        f"(in {SII_NS})",
    )


def _encoding(root: etree._Element) -> Check:
    declared = root.getroottree().docinfo.encoding or "UTF-8"
    try:
        latin = codecs.lookup(declared).name == codecs.lookup("ISO-8859-1").name
    except LookupError:  # libxml2 knew it, Python does not: not ISO-8859-1 either way
        latin = False
    if latin:
        return Check("encoding", Status.PASS, "ISO-8859-1, as the SII's files are")
    return Check(
        "encoding",
        Status.INFO,
        f"{declared}: the SII's schemas and uploads use ISO-8859-1 (not judged)",
        enforced=False,
    )


def _schema(root: etree._Element) -> Check:
    what = etree.QName(root).localname
    try:
        errors = schemas.validate(root)
    except schemas.SchemaUnavailable as error:
        return Check(
            "schema", Status.UNAVAILABLE, f"the SII's XSDs are unavailable: {error}", False
        )
    if not errors:
        return Check("schema", Status.PASS, f"a valid {what} (the SII's XSDs, from cl-sii)")
    return Check("schema", Status.FAIL, errors_summary(errors))


def _signed_at(dte: etree._Element) -> datetime | None:
    return reading.chilean_time(reading.text(reading.document_of(dte), "s:TmstFirma"))


def _dte_signature(
    forms: Iterable[SignedForm], label: str, signed_at: datetime | None, options: _Options
) -> list[Check]:
    """The signature checks of the first form that verifies, else of the DTE as written."""
    first: SignatureOutcome | None = None
    for form in forms:
        signed = signed_element(form.root)
        if signed is None:
            missing = Check("signature", Status.FAIL, "the DTE has no Documento", document=label)
            outcome = SignatureOutcome([missing])
        else:
            outcome = signature_checks(
                form.root,
                signed,
                label,
                signed_at=signed_at,
                anchors=options.anchors,
                now=options.now,
            )
        first = first or outcome
        if not any(check.failed for check in outcome.checks if check.name.startswith("signature")):
            if form.how == AS_WRITTEN:
                return outcome.checks
            # Verified only in the other namespace form: say so on the profile line.
            profile, *rest = outcome.checks
            return [replace(profile, detail=f"{profile.detail}; verifies {form.how}"), *rest]
    return first.checks if first else []


def _dte_checks(
    dte: etree._Element, forms: Iterable[SignedForm] | str, label: str, options: _Options
) -> list[Check]:
    signed_at = _signed_at(dte)
    if isinstance(forms, str):
        signature = [Check("signature", Status.FAIL, forms, document=label)]
    else:
        signature = _dte_signature(forms, label, signed_at, options)
    return [*signature, *stamp_checks(dte, label, options.sii_keys, signed_at)]


def _dte_file(root: etree._Element, source: str, options: _Options) -> VerificationReport:
    (label,) = reading.labels([root])
    checks = [
        _encoding(root),
        _schema(root),
        *_dte_checks(root, [SignedForm(AS_WRITTEN, root)], label, options),
    ]
    return VerificationReport(
        source, document="DTE", checks=tuple(checks), dtes=(reading.summary(root, label),)
    )


def _envelope_file(
    root: etree._Element, data: bytes, source: str, options: _Options
) -> VerificationReport:
    checks = [_encoding(root), _schema(root)]
    set_dte = root.find("s:SetDTE", reading.NS)
    if set_dte is None:
        checks.append(
            Check("envelope", Status.FAIL, "the EnvioDTE has no SetDTE", document=ENVELOPE)
        )
        return VerificationReport(source, document=ENVELOPE, checks=tuple(checks))
    dtes = set_dte.findall("s:DTE", reading.NS)
    labels = reading.labels(dtes)
    signed_at = reading.chilean_time(reading.text(set_dte, "s:Caratula/s:TmstFirmaEnv"))
    outcome = signature_checks(
        root, set_dte, ENVELOPE, signed_at=signed_at, anchors=options.anchors, now=options.now
    )
    checks.extend(outcome.checks)
    run = outcome.run if outcome.certificate is not None else None
    checks.extend(caratula_checks(set_dte, dtes, labels, run))
    for dte, label, forms in zip(dtes, labels, envelope_forms(data, dtes), strict=True):
        checks.extend(_dte_checks(dte, forms, label, options))
    summaries = tuple(reading.summary(dte, label) for dte, label in zip(dtes, labels, strict=True))
    return VerificationReport(source, document=ENVELOPE, checks=tuple(checks), dtes=summaries)


def verify_for_cli(path: str, options: dict[str, str | None]) -> VerificationReport:
    """`timbra verify` for an SII file: --sii-key (paths joined by ':') and --trust-store."""
    keys = []
    for key_path in filter(None, (options.get("sii_key") or "").split(":")):
        try:
            with open(key_path, "rb") as file:
                keys.append(file.read(MAX_KEY_BYTES))
        except OSError as error:
            return VerificationReport(path, error=f"--sii-key {key_path}: {error.strerror}")
    return verify_file(path, sii_keys=keys, trust_store=options.get("trust_store"))
