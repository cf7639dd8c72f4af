"""The signature examination behind both the simulator and `timbra verify`: what broke, where."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from functools import cache

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from lxml import etree

from services.countries.co import demo, habilitacion
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.verification import containers, safe_xml
from services.countries.co.verification.signature import (
    examine,
    issuer_names_match,
    signing_day,
)
from services.countries.pack import Credentials
from services.signing import testca

DS = "{http://www.w3.org/2000/09/xmldsig#}"
XADES = "{http://uri.etsi.org/01903/v1.3.2#}"


@cache
def signed() -> bytes:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="D")
    issuer = parse_issuer(demo.issuer_profile(), "issuer")
    document = PACK.parse_document(demo.generate_documents(1, issuer.tax_id, seed=4)[0], "doc")
    now = datetime.now(COLOMBIA_TIME)
    draft = PACK.build_draft(document, issuer, habilitacion.slot(990000002), now)
    signer = PACK.create_signer(Credentials(key, certificate, (authority.certificate,)))
    return signer.sign(draft.unsigned_xml, now).signed_xml


def test_an_intact_signature_examines_clean() -> None:
    found = examine(safe_xml.parse(signed()))
    assert found.blocking is None and found.core is not None
    assert found.core.verified and found.core.signature_value_matches
    assert [r.digest_matches for r in found.core.references] == [True, True, True]
    assert found.cert_digest_matches and found.serial_matches and found.issuer_name_matches
    assert found.policy_hash_matches and found.policy_identifier_matches
    assert found.claimed_roles == ("supplier",) and found.role_is_dians


def test_a_change_in_the_signed_properties_names_that_reference() -> None:
    root = safe_xml.parse(signed())
    role = root.find(f".//{XADES}ClaimedRole")
    role.text = "third party"
    found = examine(root)
    assert [r.digest_matches for r in found.core.references] == [True, True, False]
    assert found.core.references[2].type.endswith("#SignedProperties")
    assert found.core.signature_value_matches and not found.core.verified
    assert found.role_is_dians  # "third party" is a role DIAN's policy names


def test_a_change_in_key_info_names_that_reference() -> None:
    root = safe_xml.parse(signed())
    data = root.find(f".//{DS}X509Data")
    etree.SubElement(data, f"{DS}X509SubjectName").text = "CN=intruder"
    found = examine(root)
    assert [r.digest_matches for r in found.core.references] == [True, False, True]


def test_issuer_names_match_whatever_the_order_and_spacing() -> None:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Certicámara S.A."),
            x509.NameAttribute(NameOID.COMMON_NAME, "AC SUBORDINADA"),
        ]
    )
    assert issuer_names_match(name.rfc4514_string(), name)
    assert issuer_names_match("C=CO, O=Certicámara S.A., CN=AC SUBORDINADA", name)
    assert not issuer_names_match("CN=AC SUBORDINADA,O=Otra,C=CO", name)
    assert not issuer_names_match("not a distinguished name ===", name)


def test_policy_identifier_tolerates_odoos_single_slash() -> None:
    root = safe_xml.parse(signed())
    identifier = root.find(f".//{XADES}SigPolicyId/{XADES}Identifier")
    identifier.text = identifier.text.replace("https://", "https:/")
    assert examine(root).policy_identifier_matches
    identifier.text = "https://example.com/policy.pdf"
    assert not examine(root).policy_identifier_matches


@pytest.mark.parametrize(
    ("signing_time", "day"),
    [
        ("2026-03-03T02:00:00Z", "2026-03-02"),
        ("2026-03-02T23:59:59.999-05:00", "2026-03-02"),
        ("2026-03-02T10:00:00", "2026-03-02"),
        ("yesterday", None),
    ],
)
def test_signing_day_is_the_colombian_date(signing_time: str, day: str | None) -> None:
    assert signing_day(signing_time) == day


def test_a_zip_with_too_many_members_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index in range(containers.MAX_MEMBERS + 1):
            archive.writestr(f"{index}.xml", b"<a/>")
    with pytest.raises(containers.ContainerProblem, match="at most"):
        containers.zip_parts(buffer.getvalue(), 1000)


def test_a_doctype_after_comments_and_a_bom_is_still_refused() -> None:
    hostile = (
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x -->\n<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>"
    )
    assert safe_xml.declares_doctype(hostile)
    assert not safe_xml.declares_doctype(b"<?xml version='1.0'?><a><!-- <!DOCTYPE --></a>")
    with pytest.raises(safe_xml.UnsafeXml, match="DOCTYPE"):
        safe_xml.parse(hostile)
