"""CAF files: accepted when the SII signed them, refused with a clear reason otherwise; the
SII's oddly-versioned certificates as trusted keys."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from services.core.rejection import InputRejected
from services.countries.cl import caf, ted
from services.countries.cl.caf import generate_caf, parse_caf, valid_until
from services.countries.cl.flatten import flattened
from services.countries.cl.folio_key import generate_folio_key
from services.countries.cl.pack import ChilePack
from services.countries.cl.sii_keys import UnusableKey, load_sii_key

RUT = "76192083-9"
FA = dt.date(2025, 1, 2)
TODAY = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def sii_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


@pytest.fixture(scope="module")
def caf_33(sii_key):
    return generate_caf(RUT, 33, 1, 100, FA, sii_key, 100, "EMPRESA DE PRUEBA Ñ SPA")


def load(content: bytes, sii_key, *, issuer: str = RUT, today: dt.date = TODAY):
    return parse_caf(issuer, content, "content", trusted_keys=(sii_key.public_key(),), today=today)


def refusal(content: bytes, sii_key, **kwargs: object) -> str:
    with pytest.raises(InputRejected) as refused:
        load(content, sii_key, **kwargs)
    assert refused.value.field == "content"
    return refused.value.rule


def test_a_caf_signed_by_a_trusted_key_is_accepted(caf_33, sii_key):
    content, private_pem = caf_33
    loaded = load(content, sii_key)
    spec = loaded.range
    assert (spec.country, spec.issuer, spec.document_types) == ("cl", RUT, ("33",))
    assert (spec.range_from, spec.range_to, spec.prefix) == (1, 100, "")
    assert spec.valid_from == FA and spec.valid_to == dt.date(2025, 7, 1)
    assert loaded.key_id == "33:1-100"
    assert loaded.private_key_pem.strip() == private_pem.strip()
    # The public part is the CAF element flattened, as every TED copies it, FRMA included.
    assert spec.public_authorization.startswith('<CAF version="1.0"><DA><RE>76192083-9</RE>')
    assert "\n" not in spec.public_authorization.split("<FRMA")[0]
    assert "EMPRESA DE PRUEBA Ñ SPA" in spec.public_authorization


def test_the_generated_caf_has_the_sii_shape(caf_33):
    content, _ = caf_33
    assert content.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>')
    assert b"<E>Aw==</E>" in content  # public exponent 3
    modulus = re.search(rb"<M>([^<]+)</M>", content).group(1)
    assert len(base64.b64decode(modulus)) == 64  # 512 bits, like the SII's CAF keys
    assert b"-----BEGIN RSA PRIVATE KEY-----" in content


def test_the_public_part_holds_no_private_key(caf_33, sii_key):
    loaded = load(caf_33[0], sii_key)
    assert "PRIVATE" not in loaded.range.public_authorization
    assert "private_key_pem" not in repr(loaded)


def test_a_caf_for_another_rut_is_refused(caf_33, sii_key):
    assert "is for RUT 76192083-9, not for issuer 77777777-7" in refusal(
        caf_33[0], sii_key, issuer="77777777-7"
    )


def test_a_caf_of_a_type_timbra_does_not_issue_is_refused(sii_key):
    content, _ = generate_caf(RUT, 39, 1, 10, FA, sii_key, 100, "EMPRESA")
    assert "authorises type 39" in refusal(content, sii_key)


def test_an_expired_caf_is_refused(caf_33, sii_key):
    rule = refusal(caf_33[0], sii_key, today=dt.date(2025, 7, 2))
    assert "expired after 2025-07-01" in rule and "CAF-3-517" in rule
    assert load(caf_33[0], sii_key, today=dt.date(2025, 7, 1))  # its last day


def test_a_caf_signed_by_another_key_is_refused(caf_33):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert "not the SII's" in refusal(caf_33[0], stranger)


def test_a_tampered_da_fails_frma(caf_33, sii_key):
    tampered = caf_33[0].replace(b"<H>100</H>", b"<H>900</H>")
    assert "FRMA" in refusal(tampered, sii_key)


def test_rsask_of_another_caf_is_refused(caf_33, sii_key):
    other, _ = generate_caf(RUT, 33, 101, 200, FA, sii_key, 100, "EMPRESA")
    rsask = re.compile(rb"<RSASK>.*?</RSASK>", re.S)
    swapped = rsask.sub(lambda _: rsask.search(other).group(0), caf_33[0])
    rule = refusal(swapped, sii_key)
    assert rule == "RSASK is not the private key of DA/RSAPK"
    assert "BEGIN" not in rule


def test_rsapubk_of_another_caf_is_refused(caf_33, sii_key):
    other, _ = generate_caf(RUT, 33, 101, 200, FA, sii_key, 100, "EMPRESA")
    rsapubk = re.compile(rb"<RSAPUBK>.*?</RSAPUBK>", re.S)
    swapped = rsapubk.sub(lambda _: rsapubk.search(other).group(0), caf_33[0])
    assert refusal(swapped, sii_key) == "RSAPUBK is not the public key of DA/RSAPK"


def test_without_trusted_keys_nothing_is_accepted(caf_33):
    with pytest.raises(InputRejected) as refused:
        parse_caf(RUT, caf_33[0], "content", trusted_keys=(), today=TODAY)
    assert "no trusted SII key" in refused.value.rule


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not xml", "not well-formed"),
        (b"<FOLIOS/>", "not a CAF's <AUTORIZACION>"),
        (
            b'<!DOCTYPE a [<!ENTITY x "boom">]><AUTORIZACION>&x;</AUTORIZACION>',
            "DOCTYPE",
        ),
        (b"<AUTORIZACION>" + b"x" * 70000 + b"</AUTORIZACION>", "at most"),
    ],
)
def test_hostile_or_foreign_files_are_refused(content, reason, sii_key):
    assert reason in refusal(content, sii_key)


@pytest.mark.parametrize(
    ("dte_type", "authorized", "until"),
    [
        (33, dt.date(2025, 1, 2), dt.date(2025, 7, 1)),
        (61, dt.date(2025, 8, 31), dt.date(2026, 2, 27)),  # no 31 February: the 28th, minus a day
        (56, dt.date(2024, 12, 15), dt.date(2025, 6, 14)),
        (34, dt.date(2025, 1, 2), caf.NEVER),
        (52, dt.date(2025, 1, 2), caf.NEVER),
    ],
)
def test_expiry_is_six_months_for_the_expiring_types(dte_type, authorized, until):
    assert valid_until(dte_type, authorized) == until


def _odd_version_certificate(key: rsa.RSAPrivateKey) -> bytes:
    """A self-signed certificate whose version field says 3 ("v4"), like the SII's 100.cer."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Servicio de Impuestos Internos")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(100)
        .not_valid_before(dt.datetime(2003, 4, 29, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2004, 4, 23, tzinfo=dt.UTC))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    version_v3 = bytes([0xA0, 0x03, 0x02, 0x01, 0x02])
    assert der.count(version_v3) == 1
    odd = der.replace(version_v3, bytes([0xA0, 0x03, 0x02, 0x01, 0x03]))
    body = base64.encodebytes(odd).replace(b"\n", b"")
    lines = b"\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return b"-----BEGIN CERTIFICATE-----\n" + lines + b"\n-----END CERTIFICATE-----\n"


def test_the_sii_certificate_with_an_odd_version_is_a_usable_trusted_key():
    sii_512 = generate_folio_key()  # 512 bits, e = 3: the SII's own keys look like this
    pem = _odd_version_certificate(sii_512)
    with pytest.raises(x509.InvalidVersion):
        x509.load_pem_x509_certificate(pem)  # the pitfall: cryptography refuses it
    key = load_sii_key(pem)
    assert key.public_numbers() == sii_512.public_key().public_numbers()
    # The DER form works too, and a CAF that key signed is accepted through the pack.
    der = base64.b64decode(b"".join(pem.split(b"\n")[1:-2]))
    assert load_sii_key(der).public_numbers() == key.public_numbers()
    content, _ = generate_caf(RUT, 33, 1, 50, FA, sii_512, 100, "EMPRESA")
    pack = ChilePack([pem], now=lambda: dt.datetime(2025, 2, 1, 12, tzinfo=dt.UTC))
    assert pack.parse_numbering_file(RUT, content, "content").key_id == "33:1-50"


def test_trusted_keys_as_pem_public_keys_through_configure(caf_33, sii_key):
    pack = ChilePack(now=lambda: dt.datetime(2025, 2, 1, 12, tzinfo=dt.UTC))
    with pytest.raises(InputRejected):
        pack.parse_numbering_file(RUT, caf_33[0], "content")
    public = sii_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pack.configure([other_pem, public])  # any trusted key may have signed it
    assert pack.parse_numbering_file(RUT, caf_33[0], "content").range.range_to == 100


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        b"\x30\x03\x02\x01\x01",
    ],
)
def test_unusable_trusted_keys_are_refused(data):
    with pytest.raises(UnusableKey):
        load_sii_key(data)


def test_a_caf_copied_into_a_ted_keeps_verifying_its_frma(caf_33, sii_key):
    loaded = load(caf_33[0], sii_key)
    element = ted.caf_element(loaded.range.public_authorization)
    assert ted.verify_signature(
        flattened(element.find("DA")), element.findtext("FRMA"), sii_key.public_key()
    )
