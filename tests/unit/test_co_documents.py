"""Every DIAN document type through the pack: built, keyed, signed, schema-valid, verifiable.

The keys are recomputed here from the XML's own strings with hashlib (not with the pack's cufe
module), and the signatures are checked with libxmlsec1 (python-xmlsec). Other test modules
import the helpers below to build documents of any type.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache

import pytest
from lxml import etree

from services.core.untrusted_xml import parse as untrusted_parse
from services.countries.co import demo, schemas
from services.countries.co.namespaces import PREFIXES as NS
from services.countries.co.pack import PACK
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials, Draft, IssuerProfile, NumberingSlot
from services.signing import testca
from tests.signatures import libxmlsec_verify
from timbra.v1 import document_pb2 as pb

BOGOTA = timezone(timedelta(hours=-5))
ISSUED_AT = datetime(2026, 5, 4, 10, 30, 15, tzinfo=BOGOTA)
TODAY = ISSUED_AT.date()
ISSUER_NIT = "900373076"
ROOTS = {"Invoice": "inv", "CreditNote": "cn", "DebitNote": "dn"}
SCHEMES = {"01": "CUFE", "02": "CUFE", "04": "CUFE", "03": "CUDE", "91": "CUDE", "92": "CUDE"}
SCHEMES |= {"05": "CUDS", "95": "CUDS"}


@cache
def issuer() -> IssuerProfile:
    """The sandbox issuer, with a separate documento soporte software."""
    return PACK.parse_issuer(demo.issuer_profile(support_software=True), "issuer")


@cache
def _ranges() -> dict[str, object]:
    specs = [PACK.parse_range(r, "range") for r in demo.sandbox_ranges()]
    return {code: spec for spec in specs for code in spec.document_types}


def slot(document_type: str, number: int | None = None) -> NumberingSlot:
    """A number from the sandbox range that numbers `document_type`."""
    spec = _ranges()[document_type]
    return NumberingSlot(
        range_id=f"sandbox-{spec.prefix}",
        authorization=spec.authorization,
        prefix=spec.prefix,
        number=number if number is not None else spec.range_from + 7,
        range_from=spec.range_from,
        range_to=spec.range_to,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        technical_key=spec.technical_key,
    )


@cache
def credentials() -> Credentials:
    """A test certificate for the sandbox issuer."""
    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(
        authority, tax_id=ISSUER_NIT, name="Comercializadora Timbra Demo S.A.S."
    )
    return Credentials(private_key=key, certificate=certificate, chain=(authority.certificate,))


def signer() -> ColombianSigner:
    """A signer whose clock reads two seconds after ISSUED_AT."""
    return ColombianSigner(credentials(), clock=lambda: ISSUED_AT + timedelta(seconds=2))


def reference_to(draft: Draft) -> pb.BillingReference:
    """The BillingReference a note uses to name `draft`."""
    return pb.BillingReference(
        number=draft.number,
        document_key=draft.document_key,
        issue_date=draft.issue_date.isoformat(),
        document_type=draft.document_type,
    )


def demo_request(document_type: str, seed: int = 11) -> pb.Document:
    """A demo request of `document_type`; notes correct a freshly built 01 or 05."""
    if document_type in ("91", "92", "95"):
        corrected = "05" if document_type == "95" else "01"
        original = demo_request(corrected, seed)
        target = build(original)
        (document,) = demo.generate_documents(
            1,
            ISSUER_NIT,
            seed,
            today=TODAY,
            document_type=document_type,
            references=[reference_to(target)],
            originals=[original],
        )
        return document
    (document,) = demo.generate_documents(
        1,
        ISSUER_NIT,
        seed,
        today=TODAY,
        document_type=document_type,
        paper_range=(1, 5000),
        now=ISSUED_AT,
    )
    return document


def build(document: pb.Document, issued_at: datetime = ISSUED_AT) -> Draft:
    """Parse and build through the pack, with a number from the right range."""
    parsed = PACK.parse_document(document, "document")
    return PACK.build_draft(
        parsed, issuer(), slot(parsed.document_type, parsed.paper_number), issued_at
    )


def parse(xml: bytes) -> etree._Element:
    """Read XML as an outsider would: no entities, no network."""
    return untrusted_parse(xml)


def text(node: etree._Element, path: str) -> str:
    """The text of the only node at `path`."""
    (found,) = node.xpath(path, namespaces=NS)
    return found if isinstance(found, str) else found.text


def xmlsec_verify(xml: bytes) -> None:
    """Core XMLDSig validation by libxmlsec1, keyed by the certificate in KeyInfo."""
    libxmlsec_verify(parse(xml))


def recomputed_key(root: etree._Element, secret: str) -> str:
    """§1: the document key from the XML's own strings (CUDS in the IVA-only layout)."""
    type_code = root.findtext("cbc:InvoiceTypeCode", namespaces=NS) or root.findtext(
        "cbc:CreditNoteTypeCode", namespaces=NS
    )
    total = root.find("cac:LegalMonetaryTotal", NS)
    if total is None:
        total = root.find("cac:RequestedMonetaryTotal", NS)

    def tax(scheme: str) -> str:
        found = root.xpath(
            f"cac:TaxTotal[cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID='{scheme}']"
            "/cbc:TaxAmount",
            namespaces=NS,
        )
        return found[0].text if found else "0.00"

    schemes = ("01",) if type_code in ("05", "95") else ("01", "04", "03")
    party = "cac:{}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    preimage = (
        text(root, "cbc:ID")
        + text(root, "cbc:IssueDate")
        + text(root, "cbc:IssueTime")
        + text(total, "cbc:LineExtensionAmount")
        + "".join(scheme + tax(scheme) for scheme in schemes)
        + text(total, "cbc:PayableAmount")
        + text(root, party.format("AccountingSupplierParty"))
        + text(root, party.format("AccountingCustomerParty"))
        + secret
        + text(root, "cbc:ProfileExecutionID")
    )
    return hashlib.sha384(preimage.encode()).hexdigest()


ALL_TYPES = ["01", "02", "03", "05", "91", "92", "95"]


@pytest.fixture(scope="module", params=ALL_TYPES)
def built(request):
    document_type = request.param
    draft = build(demo_request(document_type))
    signed = signer().sign(draft.unsigned_xml, draft.issued_at)
    return document_type, draft, signed.signed_xml


def test_every_type_is_schema_valid_once_signed(built):
    _, _, signed = built
    assert schemas.validate(signed) == []


def test_every_signature_verifies_with_libxmlsec1(built):
    xmlsec_verify(built[2])


def test_every_key_is_recomputed_from_the_xml(built):
    document_type, draft, signed = built
    root = parse(signed)
    profile = issuer()
    secret = {
        "CUFE": _ranges()[document_type if document_type != "04" else "01"].technical_key,
        "CUDE": profile.software_pin,
        "CUDS": profile.support_software_pin,
    }[SCHEMES[document_type]]
    uuid = root.find("cbc:UUID", NS)
    assert uuid.get("schemeName") == f"{SCHEMES[document_type]}-SHA384" == draft.key_scheme
    assert uuid.text == draft.document_key == recomputed_key(root, secret)
    assert uuid.get("schemeID") == "2"


def test_the_header_says_what_the_document_is(built):
    document_type, draft, signed = built
    root = parse(signed)
    name = etree.QName(root).localname
    expected_root = {"91": "CreditNote", "95": "CreditNote", "92": "DebitNote"}
    assert name == expected_root.get(document_type, "Invoice")
    assert root.prefix is None and draft.document_type == document_type
    code = root.findtext("cbc:InvoiceTypeCode", namespaces=NS) or root.findtext(
        "cbc:CreditNoteTypeCode", namespaces=NS
    )
    assert code == (None if document_type == "92" else document_type)
    customization = {"91": "20", "92": "30"}.get(document_type, "10")
    assert text(root, "cbc:CustomizationID") == customization
    profiles = {
        "05": "DIAN 2.1: documento soporte en adquisiciones",
        "95": "DIAN 2.1: Nota de ajuste al documento soporte",
        "91": "DIAN 2.1: Nota Crédito de Factura",
        "92": "DIAN 2.1: Nota Débito de Factura",
    }
    assert text(root, "cbc:ProfileID").startswith(
        profiles.get(document_type, "DIAN 2.1: Factura Electrónica de Venta")
    )
    lines = root.findall(f"cac:{name}Line", NS)
    assert text(root, "cbc:LineCountNumeric") == str(len(lines)) != "0"


def test_notes_carry_no_invoice_control_and_invoices_do(built):
    document_type, _, signed = built
    control = parse(signed).find(".//sts:DianExtensions/sts:InvoiceControl", NS)
    assert (control is None) == (document_type in ("91", "92", "95"))


def test_the_habilitacion_issuer_gets_its_test_set_in_the_transmission_options():
    profile = demo.issuer_profile(test_set_id="2B7C94A6-0F3E-4D51-9A8B-6C1D2E3F4A5B")
    testing = PACK.parse_issuer(profile, "issuer")
    assert testing.test_set_id == "2b7c94a6-0f3e-4d51-9a8b-6c1d2e3f4a5b"
    parsed = PACK.parse_document(demo_request("01"), "document")
    draft = PACK.build_draft(parsed, testing, slot("01"), ISSUED_AT)
    assert draft.transmission_options == {"test_set_id": testing.test_set_id}
    assert build(demo_request("01")).transmission_options == {}


def test_an_export_is_in_the_buyers_currency_with_the_rate_to_pesos():
    document = demo_request("02")
    root = parse(build(document).unsigned_xml)
    currency = document.currency
    assert currency != "COP" and text(root, "cbc:DocumentCurrencyCode") == currency
    assert set(root.xpath("//@currencyID")) == {currency}  # FAD15
    rate = root.find("cac:PaymentExchangeRate", NS)
    assert text(rate, "cbc:SourceCurrencyCode") == currency
    assert text(rate, "cbc:TargetCurrencyCode") == "COP"
    assert text(rate, "cbc:SourceCurrencyBaseRate") == "1.00"
    assert text(rate, "cbc:TargetCurrencyBaseRate") == "1.00"
    assert Decimal(text(rate, "cbc:CalculationRate")) == Decimal(document.co.exchange_rate.rate)
    assert text(rate, "cbc:Date") == document.co.exchange_rate.date
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert text(buyer, "cac:PartyIdentification/cbc:ID/@schemeName") in ("42", "50")
    country = text(buyer, "cac:PhysicalLocation/cac:Address/cac:Country/cbc:IdentificationCode")
    assert country != "CO"
    assert {
        t.text for t in root.findall("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", NS)
    } == {"0.00"}


def test_the_documento_soporte_reverses_the_roles():
    document = demo_request("05")
    root = parse(build(document).unsigned_xml)
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert text(seller, "cac:PartyTaxScheme/cbc:CompanyID") == document.customer.tax_id
    assert text(buyer, "cac:PartyTaxScheme/cbc:CompanyID") == ISSUER_NIT
    # The issuer's branch (the prefix) goes with the issuer, wherever it stands.
    prefix = text(root, ".//sts:AuthorizedInvoices/sts:Prefix")
    assert text(buyer, "cac:PartyLegalEntity/cac:CorporateRegistrationScheme/cbc:ID") == prefix
    for line in root.findall("cac:InvoiceLine", NS):
        assert line.find("cac:InvoicePeriod/cbc:StartDate", NS) is not None
        assert {s.text for s in line.findall("cac:TaxTotal//cac:TaxScheme/cbc:ID", NS)} == {"01"}
    software = text(root, ".//sts:SoftwareProvider/sts:SoftwareID")
    assert software == demo.SANDBOX_SUPPORT_SOFTWARE_ID
    number = text(root, "cbc:ID")
    expected = hashlib.sha384(
        f"{software}{demo.SANDBOX_SUPPORT_SOFTWARE_PIN}{number}".encode()
    ).hexdigest()
    assert text(root, ".//sts:SoftwareSecurityCode") == expected


@pytest.mark.parametrize("document_type", ["91", "92", "95"])
def test_notes_name_the_document_they_correct(document_type):
    document = demo_request(document_type)
    root = parse(build(document).unsigned_xml)
    given = document.co.billing_reference
    reference = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    assert text(reference, "cbc:ID") == given.number
    assert text(reference, "cbc:UUID") == given.document_key
    scheme = "CUDS-SHA384" if document_type == "95" else "CUFE-SHA384"
    assert text(reference, "cbc:UUID/@schemeName") == scheme
    assert text(reference, "cbc:IssueDate") == given.issue_date
    discrepancy = root.find("cac:DiscrepancyResponse", NS)
    assert text(discrepancy, "cbc:ReferenceID") == given.number
    assert text(discrepancy, "cbc:ResponseCode") == document.co.correction_concept
    assert text(discrepancy, "cbc:Description") == document.co.correction_description
    total = "RequestedMonetaryTotal" if document_type == "92" else "LegalMonetaryTotal"
    assert root.find(f"cac:{total}", NS) is not None
    assert root.find("cac:WithholdingTaxTotal", NS) is None


def test_a_paper_invoice_keeps_its_number_and_moment():
    document = demo_request("03")
    parsed = PACK.parse_document(document, "document")
    assert parsed.paper_number == document.co.paper.number
    assert parsed.range_field == "document.co.paper.number"
    entered = ISSUED_AT + timedelta(days=1)
    draft = PACK.build_draft(parsed, issuer(), slot("03", parsed.paper_number), entered)
    root = parse(draft.unsigned_xml)
    moment = datetime.fromisoformat(document.co.paper.issued_at)
    assert draft.issued_at == moment
    assert text(root, "cbc:IssueDate") == moment.date().isoformat()
    assert text(root, "cbc:IssueTime") == f"{moment:%H:%M:%S}-05:00"
    assert text(root, "cbc:ID") == f"CONT{parsed.paper_number}"
    with pytest.raises(ValueError, match="paper's number"):
        PACK.build_draft(parsed, issuer(), slot("03", parsed.paper_number + 1), entered)


def test_the_dian_contingency_variant_is_the_same_invoice_as_04():
    parsed = PACK.parse_document(demo_request("01"), "document")
    variant = PACK.contingency_variant(parsed)
    assert variant is not None and variant.document_type == "04"
    assert (variant.lines, variant.customer) == (parsed.lines, parsed.customer)
    draft = PACK.build_draft(variant, issuer(), slot("04"), ISSUED_AT)
    root = parse(draft.unsigned_xml)
    assert text(root, "cbc:InvoiceTypeCode") == "04"
    assert draft.key_scheme == "CUFE-SHA384"
    assert draft.document_key == recomputed_key(root, _ranges()["01"].technical_key)
    original = PACK.build_draft(parsed, issuer(), slot("01"), ISSUED_AT)
    # The type code is not in the CUFE: the same sale keeps its key whichever way it went.
    assert original.document_key == draft.document_key
    assert original.unsigned_xml != draft.unsigned_xml
    assert original.number == draft.number
    for other in ("02", "05", "91"):
        assert (
            PACK.contingency_variant(PACK.parse_document(demo_request(other), "document")) is None
        )


def test_a_debit_note_has_no_type_code_and_debit_lines():
    root = parse(build(demo_request("92")).unsigned_xml)
    assert root.find("cbc:InvoiceTypeCode", NS) is None
    assert root.find("cbc:CreditNoteTypeCode", NS) is None
    (line, *_) = root.findall("cac:DebitNoteLine", NS)
    assert line.find("cbc:DebitedQuantity", NS) is not None


@pytest.mark.parametrize("seed", range(6))
def test_demo_documents_of_every_type_sign_and_validate(seed):
    for document_type in ALL_TYPES:
        draft = build(demo_request(document_type, seed=100 + seed))
        signed = signer().sign(draft.unsigned_xml, draft.issued_at).signed_xml
        assert schemas.validate(signed) == [], document_type


def test_the_cuds_layout_switch_changes_only_the_ds_key():
    from services.countries.co.cufe import CudsLayout
    from services.countries.co.pack import ColombiaPack

    dian_src = ColombiaPack(CudsLayout.DIAN_SRC)
    for document_type, changes in (("05", True), ("01", False), ("91", False)):
        parsed = PACK.parse_document(demo_request(document_type), "document")
        ours = PACK.build_draft(parsed, issuer(), slot(document_type), ISSUED_AT)
        theirs = dian_src.build_draft(parsed, issuer(), slot(document_type), ISSUED_AT)
        assert (ours.document_key != theirs.document_key) == changes


def test_dates_before_the_issue_date_are_checked_when_building():
    document = demo_request("01")
    document.payment.CopyFrom(pb.Payment(means="2", method_code="42", due_date="2026-05-03"))
    parsed = PACK.parse_document(document, "document")
    from services.core.rejection import InputRejected

    with pytest.raises(InputRejected) as caught:
        PACK.build_draft(parsed, issuer(), slot("01"), ISSUED_AT)
    assert caught.value.field == "document.payment.due_date"
    note = demo_request("91")
    note.co.billing_reference.issue_date = (TODAY + timedelta(days=1)).isoformat()
    with pytest.raises(InputRejected) as caught:
        build(note)
    assert caught.value.field == "document.co.billing_reference.issue_date"
    assert date.fromisoformat(note.co.billing_reference.issue_date) > TODAY
