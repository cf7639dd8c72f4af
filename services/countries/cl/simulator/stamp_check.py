"""Checking a DTE's stamp (TED) and the CAF inside it, in the SII's order.

The CAF's FRMA must verify with the "SII" key its IDK names (this simulator's own), over the
flattened DA (reference §3.2); the CAF must authorise this issuer, type and folio, must not
have expired (6 months for types 33, 43, 46, 56 and 61), and must predate the emission. Then
FRMT must verify with the CAF's public key over the flattened DD (§4.2), and DD must say what
the document says.
"""

from __future__ import annotations

import base64
import binascii
import calendar
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl.simulator.codes import Finding, finding
from services.countries.cl.simulator.dte_facts import NS, DocumentFacts, document_of, text
from services.countries.cl.simulator.flattening import NotFlattenable, flattened

EXPIRING_TYPES = frozenset({33, 43, 46, 56, 61})
CAF_MONTHS = 6
_DD_FIELDS = {"RE": "issuer", "TD": "dte_type", "F": "folio", "FE": "issued_on", "RR": "receiver"}


def months_after(day: date, months: int) -> date:
    """`day` moved `months` calendar months on (clamped to the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _b64(value: str) -> bytes:
    return base64.b64decode("".join(value.split()), validate=True)


def _verifies(key: rsa.RSAPublicKey, signature: str, data: bytes) -> bool:
    try:
        key.verify(_b64(signature), data, padding.PKCS1v15(), hashes.SHA1())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def _caf_key(da: etree._Element) -> rsa.RSAPublicKey | None:
    try:
        modulus = int.from_bytes(_b64(text(da, "s:RSAPK/s:M")), "big")
        exponent = int.from_bytes(_b64(text(da, "s:RSAPK/s:E")), "big")
        return rsa.RSAPublicNumbers(exponent, modulus).public_key()
    except (binascii.Error, ValueError):
        return None


def check_caf(
    caf: etree._Element, facts: DocumentFacts, sii_keys: dict[int, rsa.RSAPublicKey]
) -> Finding | None:
    """The first problem of the CAF a DTE carries, or None."""
    da = caf.find("s:DA", NS)
    idk = text(caf, "s:DA/s:IDK")
    key = sii_keys.get(int(idk)) if idk.isdigit() else None
    try:
        signed = (
            key is not None
            and da is not None
            and _verifies(key, text(caf, "s:FRMA"), flattened(da))
        )
    except NotFlattenable:
        signed = False
    if not signed:
        return finding("CAF-3-516", idk=idk)
    low, high = text(caf, "s:DA/s:RNG/s:D"), text(caf, "s:DA/s:RNG/s:H")
    if (
        text(caf, "s:DA/s:RE") != facts.issuer
        or text(caf, "s:DA/s:TD") != str(facts.dte_type)
        or not (low.isdigit() and high.isdigit() and int(low) <= facts.folio <= int(high))
    ):
        return finding("CAF-3-518", folio=facts.folio, dte_type=facts.dte_type)
    authorized = date.fromisoformat(text(caf, "s:DA/s:FA"))
    signed_on = facts.signed_at.date() if facts.signed_at else facts.issued_on
    if facts.dte_type in EXPIRING_TYPES and signed_on > months_after(authorized, CAF_MONTHS):
        return finding("CAF-3-517", authorized=authorized.isoformat())
    if facts.issued_on < authorized:
        return finding("HED-3-305", issued=facts.issued_on, authorized=authorized.isoformat())
    return None


def _dd_mismatch(dd: etree._Element, facts: DocumentFacts) -> str | None:
    for name, attribute in _DD_FIELDS.items():
        value = getattr(facts, attribute)
        expected = value.isoformat() if isinstance(value, date) else str(value)
        if text(dd, f"s:{name}") != expected:
            return name
    if text(dd, "s:MNT") != str(facts.total):
        return "MNT"
    return None


def check_stamp(
    dte: etree._Element, facts: DocumentFacts, sii_keys: dict[int, rsa.RSAPublicKey]
) -> Finding | None:
    """The first problem of a DTE's TED (its CAF first), or None."""
    ted = document_of(dte).find("s:TED", NS)
    dd = ted.find("s:DD", NS) if ted is not None else None
    caf = dd.find("s:CAF", NS) if dd is not None else None
    if ted is None or dd is None or caf is None:
        return finding("TED-3-511", field="TED")
    problem = check_caf(caf, facts, sii_keys)
    if problem is not None:
        return problem
    da = caf.find("s:DA", NS)
    key = _caf_key(da) if da is not None else None
    try:
        stamped = key is not None and _verifies(key, text(ted, "s:FRMT"), flattened(dd))
    except NotFlattenable:
        stamped = False
    if not stamped:
        return finding("TED-3-510")
    mismatch = _dd_mismatch(dd, facts)
    return finding("TED-3-511", field=mismatch) if mismatch else None
