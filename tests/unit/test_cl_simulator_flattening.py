"""The simulator's own flattening (reference §4.2) against the reference's TED vector (§10.3)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from services.countries.cl.simulator.flattening import NotFlattenable, flattened
from services.countries.cl.simulator.stamp_check import months_after

DD = (
    "<DD><RE>76192083-9</RE><TD>33</TD><F>1</F><FE>2025-01-03</FE><RR>77777777-7</RR>"
    "<RSR>CLIENTE &amp; CIA. LTDA.</RSR><MNT>119000</MNT><IT1>Servicio de ejemplo Ñandú</IT1>"
    '<CAF version="1.0"><DA><RE>76192083-9</RE><RS>EMPRESA DE PRUEBA SPA</RS><TD>33</TD>'
    "<RNG><D>1</D><H>100</H></RNG><FA>2025-01-02</FA><RSAPK><M>spXoKNDASnx+shhUVJtCbQyVwNm4v"
    "PrdQJgB/JpGhooEEWAKblMrFUZHmql1Us1v6JwoVrFX6xS9L/DMRVr6jw==</M><E>Aw==</E></RSAPK>"
    '<IDK>666</IDK></DA><FRMA algoritmo="SHA1withRSA">Tk9UIEEgUkVBTCBTSUkgU0lHTkFUVVJF</FRMA>'
    "</CAF><TSTED>2025-01-03T10:00:00</TSTED></DD>"
)
FRMT = "fkfYi1wbrhEODrZBZqpo4bNkfruVn+V1UR1xwjQaGZiuyKTD29pOpf36ZMtYix3SCRHpbefhLA7dkB2/msSs1Q=="


def in_a_dte(dd: str) -> etree._Element:
    """The DD inside a namespaced, indented DTE, as it stands in a real document."""
    indented = dd.replace("><", ">\n      <")
    text = (
        f'<DTE xmlns="http://www.sii.cl/SiiDte">\n  <TED version="1.0">\n    {indented}\n'
        "  </TED>\n</DTE>"
    )
    return etree.fromstring(text.encode("utf-8")).find(".//{http://www.sii.cl/SiiDte}DD")


def test_the_reference_vector_flattens_to_the_signed_bytes() -> None:
    flat = flattened(in_a_dte(DD))
    assert len(flat) == 553
    assert hashlib.sha1(flat).hexdigest() == "6a5be2d6a4d2df58b270f2015840a894e8a5edf2"


def test_the_reference_frmt_verifies_over_the_flattened_dd() -> None:
    dd = in_a_dte(DD)
    da = dd.find(".//{http://www.sii.cl/SiiDte}DA")
    modulus = base64.b64decode(
        da.findtext("{http://www.sii.cl/SiiDte}RSAPK/{http://www.sii.cl/SiiDte}M")
    )
    key = rsa.RSAPublicNumbers(3, int.from_bytes(modulus, "big")).public_key()
    key.verify(base64.b64decode(FRMT), flattened(dd), padding.PKCS1v15(), hashes.SHA1())


def test_inner_spaces_of_a_leaf_are_kept() -> None:
    element = etree.fromstring("<RSR>EMPRESA  LTDA </RSR>")
    assert flattened(element) == b"<RSR>EMPRESA  LTDA </RSR>"


def test_empty_elements_are_written_open_and_closed() -> None:
    assert flattened(etree.fromstring("<A><B/></A>")) == b"<A><B></B></A>"


def test_mixed_content_and_non_latin1_text_are_refused() -> None:
    with pytest.raises(NotFlattenable):
        flattened(etree.fromstring("<A>text<B>x</B></A>"))
    with pytest.raises(NotFlattenable):
        flattened(etree.fromstring("<A>\u2603</A>"))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2025-01-31", 6, "2025-07-31"),
        ("2025-08-31", 6, "2026-02-28"),
        ("2024-12-15", 1, "2025-01-15"),
    ],
)
def test_months_after(day: str, months: int, expected: str) -> None:
    from datetime import date

    assert months_after(date.fromisoformat(day), months) == date.fromisoformat(expected)
