"""Inspecting hostile or broken SendBillSync archives: everything unusable is ZB01, 89 or ZA01."""

from __future__ import annotations

import io
import time
import zipfile
from decimal import Decimal

import pytest

from services.core.untrusted_xml import UnsafeXml, parse
from services.countries.co.simulator.archive import MAX_DOCUMENT_BYTES, ONLY_ONE
from services.countries.co.simulator.facts import SchemaViolation, read_invoice
from services.countries.co.simulator.inspection import inspect_archive

INVOICE_NS = (
    'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
    'xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" '
    'xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1"'
)


def invoice(uuid: str = "AB" * 48, payable: str = "119000.00") -> bytes:
    """A minimal unsigned invoice with what the rules read."""
    return f"""<Invoice {INVOICE_NS}><ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>
<sts:DianExtensions><sts:InvoiceControl><sts:InvoiceAuthorization>18760000001</sts:InvoiceAuthorization>
<sts:AuthorizedInvoices><sts:Prefix>SETP</sts:Prefix></sts:AuthorizedInvoices></sts:InvoiceControl>
<sts:SoftwareProvider><sts:SoftwareID>sw</sts:SoftwareID></sts:SoftwareProvider>
<sts:SoftwareSecurityCode>CAFE</sts:SoftwareSecurityCode></sts:DianExtensions>
</ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>
<cbc:ProfileExecutionID>2</cbc:ProfileExecutionID><cbc:ID>SETP990000001</cbc:ID>
<cbc:UUID schemeID="2" schemeName="CUFE-SHA384">{uuid}</cbc:UUID>
<cbc:IssueDate>2026-03-02</cbc:IssueDate><cbc:IssueTime>10:15:00-05:00</cbc:IssueTime>
<cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>
<cac:AccountingSupplierParty><cac:Party><cac:PartyTaxScheme><cbc:RegistrationName>Demo</cbc:RegistrationName>
<cbc:CompanyID>900373076</cbc:CompanyID></cac:PartyTaxScheme></cac:Party></cac:AccountingSupplierParty>
<cac:AccountingCustomerParty><cac:Party><cac:PartyTaxScheme><cbc:CompanyID>222222222222</cbc:CompanyID>
</cac:PartyTaxScheme></cac:Party></cac:AccountingCustomerParty>
<cac:TaxTotal><cbc:TaxAmount>19000.00</cbc:TaxAmount><cac:TaxSubtotal>
<cbc:TaxAmount>19000.00</cbc:TaxAmount><cac:TaxCategory><cac:TaxScheme>
<cbc:ID>01</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
<cac:LegalMonetaryTotal><cbc:LineExtensionAmount>100000.00</cbc:LineExtensionAmount>
<cbc:PayableAmount>{payable}</cbc:PayableAmount></cac:LegalMonetaryTotal></Invoice>""".encode()


def zipped(*files: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def test_the_facts_are_read_from_the_xml() -> None:
    facts = read_invoice(parse(invoice()))
    assert facts.number == "SETP990000001" and facts.consecutive == "990000001"
    assert facts.uuid == "ab" * 48 and facts.uuid_scheme_id == "2"
    assert facts.taxes == {"01": Decimal("19000.00")}
    assert facts.totals.payable == Decimal("119000.00")
    assert (facts.supplier_nit, facts.customer_id) == ("900373076", "222222222222")
    assert (facts.authorization, facts.prefix, facts.software_id) == ("18760000001", "SETP", "sw")
    assert facts.security_code == "cafe"


def test_an_unsigned_but_readable_invoice_reaches_the_signature_check() -> None:
    inspection = inspect_archive(zipped(("fv1.xml", invoice())))
    assert inspection.xml_name == "fv1" and inspection.facts is not None
    assert [f.rule for f in inspection.signature.findings] == ["ZE01"]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<Invoice>&lol9;</Invoice>"""


def test_billion_laughs_is_refused_without_expanding() -> None:
    started = time.perf_counter()
    inspection = inspect_archive(zipped(("fv.xml", BILLION_LAUGHS)))
    assert inspection.schema_problem and inspection.facts is None
    assert time.perf_counter() - started < 1


def test_an_external_entity_is_not_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    hostile = (
        invoice()
        .replace(
            b"<Invoice ",
            f'<!DOCTYPE Invoice [<!ENTITY x SYSTEM "{secret.as_uri()}">]><Invoice '.encode(),
        )
        .replace(b"<cbc:ID>SETP990000001", b"<cbc:ID>&x;")
    )
    inspection = inspect_archive(zipped(("fv.xml", hostile)))
    assert inspection.schema_problem and "TOP-SECRET" not in repr(inspection)
    with pytest.raises(UnsafeXml):
        parse(hostile)


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4 not xml",
        b"<Invoice><unclosed></Invoice>",
        invoice()
        .replace(b"<Invoice ", b"<Order ")
        .replace(b"</Invoice>", b"</Order>")
        .replace(b"xsd:Invoice-2", b"xsd:Order-2"),
        invoice(uuid=""),
        invoice(payable="1,190.00"),
        invoice().replace(b"2026-03-02", b"02/03/2026"),
    ],
    ids=["not-xml", "malformed", "not-a-dian-document", "no-uuid", "bad-amount", "bad-date"],
)
def test_unreadable_documents_are_schema_failures(content: bytes) -> None:
    inspection = inspect_archive(zipped(("fv.xml", content)))
    assert inspection.schema_problem and inspection.facts is None


def as_note(root: str, totals: str = "LegalMonetaryTotal", type_code: str = "") -> bytes:
    """The minimal invoice re-rooted as a credit or debit note."""
    note = (
        invoice()
        .replace(b"Invoice", root.encode())
        .replace(b"<cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>", type_code.encode())
    )
    return note.replace(b"LegalMonetaryTotal", totals.encode())


def test_credit_and_debit_notes_are_inspected_too() -> None:
    credit = inspect_archive(zipped(("nc.xml", as_note("CreditNote"))))
    assert credit.facts is not None and credit.facts.document_type == "91"
    debit = inspect_archive(zipped(("nd.xml", as_note("DebitNote", "RequestedMonetaryTotal"))))
    assert debit.facts is not None and debit.facts.document_type == "92"
    assert debit.facts.totals.payable == Decimal("119000.00")
    # A debit note's totals are its RequestedMonetaryTotal: a LegalMonetaryTotal is not read.
    assert inspect_archive(zipped(("nd.xml", as_note("DebitNote")))).schema_problem


def test_schema_violations_name_the_element() -> None:
    with pytest.raises(SchemaViolation) as problem:
        read_invoice(parse(invoice(uuid="")))
    assert "cbc:UUID" in str(problem.value)


def test_archive_problems_and_size_are_reported_apart() -> None:
    assert inspect_archive(zipped(("a.xml", b"<a/>"), ("b.xml", b"<b/>"))).archive_problem == (
        ONLY_ONE
    )
    big = b"<Invoice>" + bytes(range(32, 127)) * (MAX_DOCUMENT_BYTES // 95 + 1) + b"</Invoice>"
    assert inspect_archive(zipped(("fv.xml", big))).too_large
