"""The TED (Timbre Electrónico DTE): its DD and the FRMT signature made with the CAF's key.

DD carries RE, TD, F, FE, RR, RSR (the receiver's name, first 40 characters), MNT, IT1 (the
first item's name, first 40 characters), the CAF exactly as the SII issued it (DA + FRMA) and
TSTED (sii-chile.md §4.1). FRMT is SHA1withRSA (PKCS#1 v1.5) over the flattened DD
(`flatten.flattened`), base64. The TED is written at draft time with an empty FRMT; the signer,
which alone holds the folio key, fills it (`stamp`).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl import sii_xml
from services.countries.cl.flatten import flattened
from services.countries.cl.sii_text import clipped
from services.countries.cl.xml_input import parse_xml

SII_NS = sii_xml.SII_NS
ALGORITHM = "SHA1withRSA"
FIELD_LIMIT = 40  # RSR and IT1


@dataclass(frozen=True)
class StampFields:
    """What the DD says about a document."""

    issuer: str  # RE
    dte_type: int  # TD
    folio: int  # F
    issue_date: date  # FE
    receiver: str  # RR
    receiver_name: str  # RznSocRecep (clipped to RSR here)
    total: Decimal | int  # MNT
    first_item: str  # NmbItem of the first line (clipped to IT1 here)
    caf: str  # the CAF element (DA + FRMA), flattened, as the range carries it
    stamped_at: str  # TSTED, AAAA-MM-DDTHH:MI:SS


def _tag(namespace: str | None, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _in_namespace(element: etree._Element, namespace: str | None) -> etree._Element:
    copy = etree.Element(_tag(namespace, etree.QName(element).localname), dict(element.attrib))
    copy.text = element.text
    for child in element:
        copy.append(_in_namespace(child, namespace))
    return copy


def caf_element(caf: str) -> etree._Element:
    """The CAF element of a range's public authorisation (our own flattened copy)."""
    element = parse_xml(caf.encode("utf-8"))  # no declaration: read as UTF-8
    if element.tag != "CAF":
        raise ValueError(f"the public authorisation is not a CAF element: <{element.tag}>")
    return element


def dd_element(fields: StampFields, namespace: str | None = SII_NS) -> etree._Element:
    """The DD element, in the DTE's namespace (or none, for tests of the flattened form)."""
    dd = etree.Element(_tag(namespace, "DD"))
    receiver_name = clipped(fields.receiver_name, FIELD_LIMIT) or fields.receiver
    values = (
        ("RE", fields.issuer),
        ("TD", str(fields.dte_type)),
        ("F", str(fields.folio)),
        ("FE", fields.issue_date.isoformat()),
        ("RR", fields.receiver),
        ("RSR", receiver_name),
        ("MNT", str(int(fields.total))),
        ("IT1", clipped(fields.first_item, FIELD_LIMIT)),
    )
    for name, value in values:
        etree.SubElement(dd, _tag(namespace, name)).text = value
    dd.append(_in_namespace(caf_element(fields.caf), namespace))
    etree.SubElement(dd, _tag(namespace, "TSTED")).text = fields.stamped_at
    return dd


def ted_element(fields: StampFields, frmt: str = "") -> etree._Element:
    """The TED element of a DTE; FRMT empty until the signer stamps it."""
    ted = etree.Element(_tag(SII_NS, "TED"), version="1.0")
    ted.append(dd_element(fields))
    etree.SubElement(ted, _tag(SII_NS, "FRMT"), algoritmo=ALGORITHM).text = frmt
    return ted


def sign_dd(dd: bytes, key: rsa.RSAPrivateKey) -> str:
    """FRMT: base64 SHA1withRSA of the flattened DD bytes."""
    return base64.b64encode(key.sign(dd, padding.PKCS1v15(), hashes.SHA1())).decode("ascii")


def verify_signature(data: bytes, signature_b64: str, key: rsa.RSAPublicKey) -> bool:
    """Whether a base64 SHA1withRSA signature (FRMT, FRMA) over `data` is `key`'s."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA1())
    except (InvalidSignature, ValueError):
        return False
    return True


def key_id(caf: etree._Element) -> str:
    """How the signer finds a CAF's private key: `<TD>:<D>-<H>` (e.g. 33:1-100)."""
    da = caf.find("DA") if caf.find("DA") is not None else caf.find(_tag(SII_NS, "DA"))
    if da is None:
        raise ValueError("the CAF has no DA")
    ns = SII_NS if da.tag.startswith("{") else None
    return "{}:{}-{}".format(
        da.findtext(_tag(ns, "TD")),
        da.findtext(f"{_tag(ns, 'RNG')}/{_tag(ns, 'D')}"),
        da.findtext(f"{_tag(ns, 'RNG')}/{_tag(ns, 'H')}"),
    )


def stamp(ted: etree._Element, key: rsa.RSAPrivateKey) -> str:
    """Sign the DD of a DTE's TED with the folio key and write FRMT; returns it."""
    dd = ted.find(_tag(SII_NS, "DD"))
    frmt = ted.find(_tag(SII_NS, "FRMT"))
    if dd is None or frmt is None:
        raise ValueError("the TED has no DD or FRMT")
    frmt.text = sign_dd(flattened(dd), key)
    return frmt.text


def caf_public_key(caf: etree._Element) -> rsa.RSAPublicKey:
    """The folio public key a CAF announces (DA/RSAPK), in or out of the DTE namespace."""
    ns = SII_NS if caf.tag.startswith("{") else None

    def number(name: str) -> int:
        """An RSAPK component (M or E) as an integer."""
        text = caf.findtext(f"{_tag(ns, 'DA')}/{_tag(ns, 'RSAPK')}/{_tag(ns, name)}") or ""
        return int.from_bytes(base64.b64decode(text.strip(), validate=True), "big")

    return rsa.RSAPublicNumbers(number("E"), number("M")).public_key()


def verify_stamp(ted: etree._Element) -> bool:
    """Whether a DTE's FRMT is the signature of its DD by the key its own CAF announces."""
    dd = ted.find(_tag(SII_NS, "DD"))
    caf = dd.find(_tag(SII_NS, "CAF")) if dd is not None else None
    if dd is None or caf is None:
        return False
    try:
        key = caf_public_key(caf)
    except ValueError:
        return False
    return verify_signature(flattened(dd), ted.findtext(_tag(SII_NS, "FRMT")) or "", key)
