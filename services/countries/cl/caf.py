"""CAF files (Código de Autorización de Folios): checking the SII's, and issuing test ones.

A CAF is `AUTORIZACION` → `CAF` (`DA` signed by the SII in `FRMA`) + `RSASK` (the folio
private key, PKCS#1 PEM) + `RSAPUBK` (sii-chile.md §3). Loading one checks FRMA (SHA1withRSA
over the flattened DA) against the trusted SII keys, that it is the issuer's and of a type
timbra issues, that RSASK and RSAPUBK are the pair DA/RSAPK announces, and that it has not
expired (types 33, 43, 46, 56, 61: 6 months after FA). The range keeps the CAF element, flattened,
exactly as every TED copies it; RSASK goes to the signing service only and is never logged.
"""

from __future__ import annotations

import base64
import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.core.rejection import InputRejected, precondition_failed
from services.countries.cl import codes, rut
from services.countries.cl.flatten import NotFlattenable, flattened, flattened_text
from services.countries.cl.folio_key import generate_folio_key
from services.countries.cl.sii_text import clipped
from services.countries.cl.ted import ALGORITHM, sign_dd, verify_signature
from services.countries.cl.xml_input import UnreadableXml, parse_xml
from services.countries.pack import NumberingFile, RangeSpec

MAX_CAF_BYTES = 64 * 1024
NEVER = date(9999, 12, 31)  # the validity of CAFs that do not expire
EXPIRY_MONTHS = 6


@dataclass(frozen=True)
class CafData:
    """What a CAF's DA authorises."""

    issuer: str  # RE
    company: str  # RS
    dte_type: int  # TD
    first: int  # RNG/D
    last: int  # RNG/H
    authorized_on: date  # FA
    modulus: int  # RSAPK/M
    exponent: int  # RSAPK/E
    sii_key_id: str  # IDK

    @property
    def key_id(self) -> str:
        """How the signer finds this CAF's private key: `<TD>:<D>-<H>`."""
        return f"{self.dte_type}:{self.first}-{self.last}"


def valid_until(dte_type: int, authorized_on: date) -> date:
    """The last day a CAF may stamp: the day before FA + 6 months, or NEVER for its type."""
    if dte_type not in codes.EXPIRING_CAF_TYPES:
        return NEVER
    month = authorized_on.month - 1 + EXPIRY_MONTHS
    year, month = authorized_on.year + month // 12, month % 12 + 1
    day = min(authorized_on.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


def _b64_int(text: str | None, what: str) -> int:
    try:
        return int.from_bytes(base64.b64decode((text or "").strip(), validate=True), "big")
    except ValueError:
        raise ValueError(f"{what} is not base64") from None


def _read_da(da: etree._Element) -> CafData:
    def text(name: str) -> str:
        """The stripped text of a DA child; ValueError when it is missing."""
        value = da.findtext(name)
        if value is None or not value.strip():
            raise ValueError(f"DA/{name} is missing")
        return value.strip()

    if da.find("RSAPK") is None:
        raise ValueError("DA has no RSAPK (only RSA CAFs are supported; DSAPK is not)")
    first, last = int(text("RNG/D")), int(text("RNG/H"))
    if not 1 <= first <= last < 10**10:
        raise ValueError(f"DA/RNG {first}-{last} is not a folio range")
    return CafData(
        issuer=rut.from_text(text("RE")).text,
        company=text("RS"),
        dte_type=int(text("TD")),
        first=first,
        last=last,
        authorized_on=date.fromisoformat(text("FA")),
        modulus=_b64_int(text("RSAPK/M"), "DA/RSAPK/M"),
        exponent=_b64_int(text("RSAPK/E"), "DA/RSAPK/E"),
        sii_key_id=text("IDK"),
    )


def _structure(content: bytes) -> tuple[etree._Element, etree._Element, CafData]:
    """(CAF element, AUTORIZACION root, DA data); ValueError saying what is wrong."""
    root = parse_xml(content, limit=MAX_CAF_BYTES)
    if root.tag != "AUTORIZACION":
        raise ValueError(f"the root element is <{root.tag}>, not a CAF's <AUTORIZACION>")
    caf = root.find("CAF")
    if caf is None or caf.get("version") != "1.0":
        raise ValueError('AUTORIZACION has no <CAF version="1.0">')
    da, frma = caf.find("DA"), caf.find("FRMA")
    if da is None or frma is None or frma.get("algoritmo") != ALGORITHM:
        raise ValueError(f'CAF needs DA and FRMA algoritmo="{ALGORITHM}"')
    return caf, root, _read_da(da)


def _keys(root: etree._Element, data: CafData) -> bytes:
    """RSASK as PEM, after checking RSASK and RSAPUBK are the pair DA/RSAPK announces."""
    private_pem = (root.findtext("RSASK") or "").strip().encode("ascii", "replace") + b"\n"
    public_pem = (root.findtext("RSAPUBK") or "").strip().encode("ascii", "replace") + b"\n"
    try:
        private = serialization.load_pem_private_key(private_pem, None)
    except (ValueError, TypeError):
        raise ValueError("RSASK is not an unencrypted PEM RSA private key") from None
    try:
        public = serialization.load_pem_public_key(public_pem)
    except ValueError:
        raise ValueError("RSAPUBK is not a PEM public key") from None
    if not isinstance(private, rsa.RSAPrivateKey) or not isinstance(public, rsa.RSAPublicKey):
        raise ValueError("RSASK and RSAPUBK must be RSA keys")
    announced = (data.modulus, data.exponent)
    own = private.public_key().public_numbers()
    if (own.n, own.e) != announced:
        raise ValueError("RSASK is not the private key of DA/RSAPK")
    numbers = public.public_numbers()
    if (numbers.n, numbers.e) != announced:
        raise ValueError("RSAPUBK is not the public key of DA/RSAPK")
    return private_pem


def parse_caf(
    issuer: str,
    content: bytes,
    path: str,
    *,
    trusted_keys: tuple[rsa.RSAPublicKey, ...],
    today: date,
) -> NumberingFile:
    """A CAF for `issuer`, checked; InputRejected on `path` saying why it is refused."""
    try:
        caf, root, data = _structure(content)
        signed = flattened(caf.find("DA"))  # type: ignore[arg-type]
    except (UnreadableXml, NotFlattenable, ValueError) as error:
        raise InputRejected(path, f"not a usable CAF file: {error}") from None
    if not trusted_keys:
        raise precondition_failed(
            path, "no trusted SII key is configured, so no CAF signature (FRMA) can be checked"
        )
    frma = (caf.findtext("FRMA") or "").strip()
    if not any(verify_signature(signed, frma, key) for key in trusted_keys):
        raise InputRejected(
            path,
            f"the CAF's signature (FRMA, IDK {data.sii_key_id}) is not the SII's: it does not "
            "verify with any trusted SII key",
        )
    owner = rut.parse_rut(issuer, "issuer").text
    if data.issuer != owner:
        raise InputRejected(path, f"the CAF is for RUT {data.issuer}, not for issuer {owner}")
    if data.dte_type not in codes.KINDS:
        issued = ", ".join(str(code) for code in codes.KINDS)
        raise InputRejected(
            path, f"the CAF authorises type {data.dte_type}; timbra issues {issued}"
        )
    try:
        private_pem = _keys(root, data)
    except ValueError as error:
        raise InputRejected(path, str(error)) from None
    until = valid_until(data.dte_type, data.authorized_on)
    if until < today:
        raise InputRejected(
            path,
            f"the CAF for type {data.dte_type}, folios {data.first}-{data.last}, authorised on "
            f"{data.authorized_on}, expired after {until} (6 months; the SII rejects CAF-3-517)",
        )
    spec = RangeSpec(
        country="cl",
        issuer=owner,
        document_types=(str(data.dte_type),),
        authorization=data.key_id,
        prefix="",
        range_from=data.first,
        range_to=data.last,
        valid_from=data.authorized_on,
        valid_to=until,
        public_authorization=flattened_text(caf),
    )
    return NumberingFile(range=spec, key_id=data.key_id, private_key_pem=private_pem)


def _b64(number: int) -> str:
    return base64.b64encode(number.to_bytes((number.bit_length() + 7) // 8, "big")).decode()


def generate_caf(
    rut_text: str,
    dte_type: int,
    folio_from: int,
    folio_to: int,
    authorized_on: date,
    issuer_key: rsa.RSAPrivateKey,
    issuer_key_id: int | str,
    company_name: str,
) -> tuple[bytes, bytes]:
    """A CAF signed by `issuer_key` (the SII simulator's, or a test's) and its private key PEM.

    For tests and the simulator only. The folio key is 512-bit RSA with e = 3, like the SII's.
    """
    number = rut.from_text(rut_text).text
    folio_key = generate_folio_key()
    public = folio_key.public_key().public_numbers()
    root = etree.Element("AUTORIZACION")
    caf = etree.SubElement(root, "CAF", version="1.0")
    da = etree.SubElement(caf, "DA")
    for name, value in (("RE", number), ("RS", clipped(company_name, 40)), ("TD", str(dte_type))):
        etree.SubElement(da, name).text = value
    rng = etree.SubElement(da, "RNG")
    etree.SubElement(rng, "D").text = str(folio_from)
    etree.SubElement(rng, "H").text = str(folio_to)
    etree.SubElement(da, "FA").text = authorized_on.isoformat()
    rsapk = etree.SubElement(da, "RSAPK")
    etree.SubElement(rsapk, "M").text = _b64(public.n)
    etree.SubElement(rsapk, "E").text = _b64(public.e)
    etree.SubElement(da, "IDK").text = str(issuer_key_id)
    frma = etree.SubElement(caf, "FRMA", algoritmo=ALGORITHM)
    frma.text = sign_dd(flattened(da), issuer_key)
    private_pem = folio_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_pem = folio_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    etree.SubElement(root, "RSASK").text = private_pem.decode("ascii")
    etree.SubElement(root, "RSAPUBK").text = public_pem.decode("ascii")
    # Indented like the SII's own files, so loading must flatten what it signs and copies.
    etree.indent(root)
    content = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n' + etree.tostring(
        root, encoding="ISO-8859-1", xml_declaration=False
    )
    return content, private_pem
