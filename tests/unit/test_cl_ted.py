"""The TED: the reference's §10.3 vector byte for byte, and the pitfalls it guards against."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.countries.cl import ted
from services.countries.cl.flatten import NotFlattenable, flattened

# sii-chile.md §10.3: a throw-away 512-bit, e = 3 key (openssl genrsa -3 512), NOT an SII key.
KEY_PEM = b"""-----BEGIN RSA PRIVATE KEY-----
MIIBOQIBAAJBALKV6CjQwEp8frIYVFSbQm0MlcDZuLz63UCYAfyaRoaKBBFgCm5T
KxVGR5qpdVLNb+icKFaxV+sUvS/wzEVa+o8CAQMCQHcOmsXggDGoVHa64uMSLEiz
DoCRJdNR6NW6q/28LwRa5N+Itd0tHcGI7AUW632pH9HOsDS9RlduyRESwMutbWsC
IQDl4tvVewBpBF44pI/nfatt2Px+GCX3xmYU3ZeMWCDMfwIhAMbfNyQnjxVumqzu
dyyYpFJU6aHvb3ahiHq4vR67tgnxAiEAmUHn46dVm1g+0G21RP5ySTtS/rrD+oRE
DekPsuVrMv8CIQCElM9tb7S49Gcd9E9zEG2MOJvBSkpPFlr8eyi/J86xSwIgVZrL
MRcY5bkNlLXnIKNtWLPxMuBZvzYxzsOL6xtuhfg=
-----END RSA PRIVATE KEY-----
"""
CAF = (
    '<CAF version="1.0"><DA><RE>76192083-9</RE><RS>EMPRESA DE PRUEBA SPA</RS><TD>33</TD>'
    "<RNG><D>1</D><H>100</H></RNG><FA>2025-01-02</FA><RSAPK><M>spXoKNDASnx+shhUVJtCbQyVwNm4vPrdQJ"
    "gB/JpGhooEEWAKblMrFUZHmql1Us1v6JwoVrFX6xS9L/DMRVr6jw==</M><E>Aw==</E></RSAPK><IDK>666</IDK>"
    '</DA><FRMA algoritmo="SHA1withRSA">Tk9UIEEgUkVBTCBTSUkgU0lHTkFUVVJF</FRMA></CAF>'
)
EXPECTED_DD = (
    "<DD><RE>76192083-9</RE><TD>33</TD><F>1</F><FE>2025-01-03</FE><RR>77777777-7</RR>"
    "<RSR>CLIENTE &amp; CIA. LTDA.</RSR><MNT>119000</MNT><IT1>Servicio de ejemplo Ñandú</IT1>"
    + CAF
    + "<TSTED>2025-01-03T10:00:00</TSTED></DD>"
)
EXPECTED_FRMT = (
    "fkfYi1wbrhEODrZBZqpo4bNkfruVn+V1UR1xwjQaGZiuyKTD29pOpf36ZMtYix3SCRHpbefhLA7dkB2/msSs1Q=="
)
FIELDS = ted.StampFields(
    issuer="76192083-9",
    dte_type=33,
    folio=1,
    issue_date=date(2025, 1, 3),
    receiver="77777777-7",
    receiver_name="CLIENTE & CIA. LTDA.",
    total=119000,
    first_item="Servicio de ejemplo Ñandú",
    caf=CAF,
    stamped_at="2025-01-03T10:00:00",
)


@pytest.fixture(scope="module")
def key():
    return serialization.load_pem_private_key(KEY_PEM, None)


def test_the_dd_reproduces_the_reference_bytes():
    # Built in the DTE namespace, as in a document: the flattened form drops it.
    dd = flattened(ted.dd_element(FIELDS))
    assert dd == EXPECTED_DD.encode("iso-8859-1")
    assert len(dd) == 553
    assert hashlib.sha1(dd).hexdigest() == "6a5be2d6a4d2df58b270f2015840a894e8a5edf2"


def test_frmt_reproduces_the_reference_signature_byte_for_byte(key):
    assert ted.sign_dd(flattened(ted.dd_element(FIELDS)), key) == EXPECTED_FRMT


def test_hashing_utf8_instead_of_latin1_gives_another_signature(key):
    wrong = EXPECTED_DD.encode("utf-8")
    assert hashlib.sha1(wrong).hexdigest().startswith("50dcf070")
    assert ted.sign_dd(wrong, key) != EXPECTED_FRMT


def test_keeping_the_namespace_declaration_gives_another_signature(key):
    # What a DD cut out of a DTE without removing the namespace would look like (§10).
    with_namespace = EXPECTED_DD.replace("<DD>", '<DD xmlns="http://www.sii.cl/SiiDte">')
    assert ted.sign_dd(with_namespace.encode("iso-8859-1"), key) != EXPECTED_FRMT


def test_whitespace_between_tags_is_flattened_and_leaf_text_kept():
    indented = etree.fromstring(
        "<DD>\n  <RSR>EMPRESA  LTDA</RSR>\n  <CAF version='1.0'>\n    <DA><RE>1-9</RE></DA>\n"
        "  </CAF>\n  <X></X>\n</DD>"
    )
    assert flattened(indented) == (
        b'<DD><RSR>EMPRESA  LTDA</RSR><CAF version="1.0"><DA><RE>1-9</RE></DA></CAF><X></X></DD>'
    )


def test_mixed_content_cannot_be_flattened():
    with pytest.raises(NotFlattenable):
        flattened(etree.fromstring("<DD>text<RE>1-9</RE></DD>"))


def test_rsr_and_it1_are_the_first_40_characters():
    long = ted.StampFields(
        **{**FIELDS.__dict__, "receiver_name": "A" * 39 + " BCD", "first_item": "Ñ" * 45}
    )
    dd = ted.dd_element(long, namespace=None)
    assert dd.findtext("RSR") == "A" * 39  # clipped to 40, then trimmed
    assert dd.findtext("IT1") == "Ñ" * 40


def test_an_empty_receiver_name_falls_back_to_the_rut():
    dd = ted.dd_element(ted.StampFields(**{**FIELDS.__dict__, "receiver_name": "  "}), None)
    assert dd.findtext("RSR") == "77777777-7"


def test_a_stamped_ted_verifies_with_its_caf_key_and_not_when_changed(key):
    element = ted.ted_element(FIELDS)
    assert ted.stamp(element, key) == EXPECTED_FRMT
    assert ted.verify_stamp(element)
    element.find(f"{{{ted.SII_NS}}}DD/{{{ted.SII_NS}}}MNT").text = "119001"
    assert not ted.verify_stamp(element)


def test_the_key_id_names_type_and_range():
    assert ted.key_id(ted.caf_element(CAF)) == "33:1-100"


def test_hostile_nesting_is_refused_before_the_recursion_limit():
    from lxml import etree

    from services.countries.cl.flatten import NotFlattenable, flattened

    deep = etree.Element("DD")
    node = deep
    for _ in range(1500):  # built in memory: lxml's parser itself stops at 256 levels
        node = etree.SubElement(node, "X")
    node.text = "1"
    with pytest.raises(NotFlattenable, match="nested deeper"):
        flattened(deep)
