"""Issuing CAF files, as the SII's folio download does: signed (FRMA) with the simulator's key.

The file is the SII's `AUTORIZACION` (reference §3.1): the CAF (DA with a fresh 512-bit,
exponent-3 RSA public key, and FRMA, SHA1withRSA over the flattened DA by the "SII" key), then
the key pair as RSASK (PKCS#1 PEM) and RSAPUBK (SPKI PEM). When the Chilean pack's own
`caf.generate_caf` is installed it builds the file; otherwise this module does.
"""

from __future__ import annotations

import base64
import importlib
from collections.abc import Callable
from datetime import date
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl.simulator.flattening import flattened
from services.countries.cl.simulator.short_rsa import generate_private_key
from services.countries.cl.simulator.sii_key import SiiKey

NAME_LIMIT = 40  # DA/RS is at most 40 characters


def _b64_integer(value: int) -> str:
    return base64.b64encode(value.to_bytes((value.bit_length() + 7) // 8, "big")).decode()


def _element(parent: etree._Element, name: str, text: str) -> etree._Element:
    child = etree.SubElement(parent, name)
    child.text = text
    return child


def _own_caf(
    sii: SiiKey, rut: str, name: str, dte_type: int, low: int, high: int, authorized_on: date
) -> tuple[bytes, bytes]:
    key = generate_private_key(512, 3)
    numbers = key.public_key().public_numbers()
    root = etree.Element("AUTORIZACION")
    caf = etree.SubElement(root, "CAF", version="1.0")
    da = etree.SubElement(caf, "DA")
    _element(da, "RE", rut)
    _element(da, "RS", name[:NAME_LIMIT])
    _element(da, "TD", str(dte_type))
    rng = etree.SubElement(da, "RNG")
    _element(rng, "D", str(low))
    _element(rng, "H", str(high))
    _element(da, "FA", authorized_on.isoformat())
    rsapk = etree.SubElement(da, "RSAPK")
    _element(rsapk, "M", _b64_integer(numbers.n))
    _element(rsapk, "E", _b64_integer(numbers.e))
    _element(da, "IDK", str(sii.idk))
    signature = sii.private_key.sign(flattened(da), padding.PKCS1v15(), hashes.SHA1())
    frma = _element(caf, "FRMA", base64.b64encode(signature).decode())
    frma.set("algoritmo", "SHA1withRSA")
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _element(root, "RSASK", private_pem.decode().strip())
    _element(root, "RSAPUBK", public_pem.decode().strip())
    # Real CAF files come indented, one element a line: kept so, since clients must flatten DA.
    etree.indent(root, space="")
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1"), private_pem


def _pack_generator() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("services.countries.cl.caf")
    except ImportError:
        return None
    return getattr(module, "generate_caf", None)


def _with_private_key(caf_xml: bytes, private_pem: bytes) -> bytes:
    """The CAF file with RSASK/RSAPUBK added, when the pack's generator left them out."""
    root = etree.fromstring(caf_xml)
    if root.find("RSASK") is None:
        key = serialization.load_pem_private_key(private_pem, password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        traditional = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _element(root, "RSASK", traditional.decode().strip())
        _element(root, "RSAPUBK", public.decode().strip())
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")


def issue_caf(
    sii: SiiKey, rut: str, name: str, dte_type: int, low: int, high: int, authorized_on: date
) -> bytes:
    """The CAF file (with its private key, RSASK) for folios `low`..`high` of `dte_type`."""
    generate = _pack_generator()
    if generate is None:
        return _own_caf(sii, rut, name, dte_type, low, high, authorized_on)[0]
    caf_xml, private_pem = generate(
        rut, dte_type, low, high, authorized_on, sii.private_key, sii.idk, name[:NAME_LIMIT]
    )
    return _with_private_key(caf_xml, private_pem)
