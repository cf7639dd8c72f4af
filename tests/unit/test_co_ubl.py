"""The unsigned DIAN UBL 2.1 invoice: structure, element order, CUFE and the DIAN extensions."""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from services.core.decimals import round_half_up
from services.core.rejection import InputRejected
from services.countries.co import cufe, demo, habilitacion
from services.countries.co.invoice import parse_invoice
from services.countries.co.namespaces import PREFIXES as NS
from services.countries.co.pack import PACK
from services.countries.co.ubl import build_draft
from timbra.v1 import document_pb2 as pb

BOGOTA = timezone(timedelta(hours=-5))
ISSUED_AT = datetime(2026, 5, 4, 10, 30, 15, tzinfo=BOGOTA)

# OASIS UBL 2.1 sequences (UBL-Invoice-2.1.xsd, UBL-CommonAggregateComponents-2.1.xsd), limited
# to the elements a DIAN invoice uses; a builder that writes out of order fails these.
INVOICE_ORDER = [
    "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID", "ID",
    "CopyIndicator", "UUID", "IssueDate", "IssueTime", "DueDate", "InvoiceTypeCode", "Note",
    "TaxPointDate", "DocumentCurrencyCode", "LineCountNumeric", "InvoicePeriod", "OrderReference",
    "BillingReference", "AccountingSupplierParty", "AccountingCustomerParty", "Delivery",
    "PaymentMeans", "PaymentTerms", "PrepaidPayment", "AllowanceCharge", "PaymentExchangeRate",
    "TaxTotal", "WithholdingTaxTotal", "LegalMonetaryTotal", "InvoiceLine",
]  # fmt: skip
SEQUENCES = {
    "AccountingSupplierParty": ["AdditionalAccountID", "Party"],
    "AccountingCustomerParty": ["AdditionalAccountID", "Party"],
    "Party": [
        "IndustryClassificationCode", "PartyIdentification", "PartyName", "PhysicalLocation",
        "PartyTaxScheme", "PartyLegalEntity", "Contact",
    ],
    "PartyTaxScheme": [
        "RegistrationName", "CompanyID", "TaxLevelCode", "RegistrationAddress", "TaxScheme",
    ],
    "PartyLegalEntity": ["RegistrationName", "CompanyID", "CorporateRegistrationScheme"],
    "Address": [
        "ID", "CityName", "PostalZone", "CountrySubentity", "CountrySubentityCode",
        "AddressLine", "Country",
    ],
    "RegistrationAddress": [
        "ID", "CityName", "PostalZone", "CountrySubentity", "CountrySubentityCode",
        "AddressLine", "Country",
    ],
    "Contact": ["Name", "Telephone", "ElectronicMail"],
    "PaymentMeans": ["ID", "PaymentMeansCode", "PaymentDueDate"],
    "TaxTotal": ["TaxAmount", "TaxSubtotal"],
    "TaxSubtotal": ["TaxableAmount", "TaxAmount", "TaxCategory"],
    "TaxCategory": ["ID", "Name", "Percent", "TaxScheme"],
    "LegalMonetaryTotal": [
        "LineExtensionAmount", "TaxExclusiveAmount", "TaxInclusiveAmount", "AllowanceTotalAmount",
        "ChargeTotalAmount", "PrepaidAmount", "PayableAmount",
    ],
    "InvoiceLine": ["ID", "InvoicedQuantity", "LineExtensionAmount", "TaxTotal", "Item", "Price"],
    "Item": ["Description", "SellersItemIdentification", "StandardItemIdentification"],
    "Price": ["PriceAmount", "BaseQuantity"],
    "DianExtensions": [
        "InvoiceControl", "InvoiceSource", "SoftwareProvider", "SoftwareSecurityCode",
        "AuthorizationProvider", "QRCode",
    ],
    "InvoiceControl": ["InvoiceAuthorization", "AuthorizationPeriod", "AuthorizedInvoices"],
}  # fmt: skip


def issuer(environment: str = "2"):
    profile = demo.issuer_profile()
    profile.environment = environment
    return PACK.parse_issuer(profile, "issuer")


def credit_document() -> pb.Document:
    """A company buyer, credit sale with due date, a note, an order reference and 3 rates."""
    (document,) = demo.generate_documents(1, "900373076", seed=7, today=date(2026, 5, 4))
    document.customer.CopyFrom(
        pb.Party(
            tax_id="860046645",
            name="Cliente Ejemplo S.A.S.",
            tax_responsibilities=["O-13", "O-15"],
            tax_scheme="01",
            email="compras@cliente.com.co",
            phone="6045550199",
            address=pb.Address(
                line="Calle 10 # 43-12",
                city_code="05001",
                city_name="Medellín",
                subdivision_name="Antioquia",
            ),
        )
    )
    document.ClearField("lines")
    document.lines.extend(
        [
            pb.Line(
                description="Portátil",
                quantity="1",
                unit_price="2400000.00",
                item_code="TEC-1",
                standard_item_code="43211503",
                taxes=[pb.LineTax(scheme="01", percent="19")],
            ),
            pb.Line(
                description="Café 500 g",
                quantity="12",
                unit_price="15042.02",
                taxes=[pb.LineTax(scheme="01", percent="5")],
            ),
            pb.Line(
                description="Carne de res",
                quantity="2.375",
                unit_code="KGM",
                unit_price="31900.00",
                taxes=[pb.LineTax(scheme="01", percent="0")],
            ),
        ]
    )
    document.totals.CopyFrom(
        pb.Totals(
            line_extension_amount="2656266.74",
            tax_exclusive_amount="2656266.74",
            tax_inclusive_amount="3121291.95",
            payable_amount="3121291.95",
        )
    )
    document.payment.CopyFrom(pb.Payment(means="2", method_code="42", due_date="2026-06-03"))
    document.ClearField("notes")
    document.notes.append("Pedido 4471")
    document.co.order_reference = "OC-4471"
    return document


@pytest.fixture(scope="module")
def draft():
    return build_draft(
        parse_invoice(credit_document()), issuer(), habilitacion.slot(990000123), ISSUED_AT
    )


@pytest.fixture(scope="module")
def root(draft):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(draft.unsigned_xml, parser)


def text(node, path: str) -> str:
    (found,) = node.xpath(path, namespaces=NS)
    return found if isinstance(found, str) else found.text


def local_names(node) -> list[str]:
    return [etree.QName(child).localname for child in node]


def assert_in_order(node, order: list[str]) -> None:
    names = local_names(node)
    assert set(names) <= set(order), (etree.QName(node).localname, set(names) - set(order))
    positions = [order.index(name) for name in names]
    assert positions == sorted(positions), (etree.QName(node).localname, names)


def test_the_root_is_an_unprefixed_invoice_with_compact_utf8(draft, root):
    # Drafts are their own inclusive C14N 1.0 form: UTF-8 without an XML declaration (the
    # signer writes it), and the signer may digest them as they stand.
    assert draft.unsigned_xml.startswith(b"<Invoice xmlns=")
    assert draft.canonical
    assert etree.tostring(root, method="c14n", exclusive=False) == draft.unsigned_xml
    assert b">\n<" not in draft.unsigned_xml and b">  <" not in draft.unsigned_xml
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert root.prefix is None
    assert "Colombia" in draft.unsigned_xml.decode("utf-8")  # UTF-8, not character references


def test_every_aggregate_follows_the_ubl_sequence(root):
    assert_in_order(root, INVOICE_ORDER)
    checked = set()
    for node in root.iter():
        name = etree.QName(node).localname
        if name in SEQUENCES:
            assert_in_order(node, SEQUENCES[name])
            checked.add(name)
    assert checked == set(SEQUENCES)


def test_header_values(draft, root):
    assert local_names(root)[:10] == [
        "UBLExtensions", "UBLVersionID", "CustomizationID", "ProfileID", "ProfileExecutionID",
        "ID", "UUID", "IssueDate", "IssueTime", "DueDate",
    ]  # fmt: skip
    assert text(root, "cbc:UBLVersionID") == "UBL 2.1"
    assert text(root, "cbc:CustomizationID") == "10"
    assert text(root, "cbc:ProfileID") == "DIAN 2.1: Factura Electrónica de Venta"
    assert text(root, "cbc:ProfileExecutionID") == "2"
    assert text(root, "cbc:ID") == "SETP990000123" == draft.number
    assert text(root, "cbc:IssueDate") == "2026-05-04"
    assert text(root, "cbc:IssueTime") == "10:30:15-05:00"
    assert text(root, "cbc:InvoiceTypeCode") == "01"
    assert text(root, "cbc:DocumentCurrencyCode") == "COP"
    assert (
        text(root, "cbc:LineCountNumeric") == "3" == str(len(root.findall("cac:InvoiceLine", NS)))
    )
    assert text(root, "cac:OrderReference/cbc:ID") == "OC-4471"
    assert text(root, "cbc:Note") == "Pedido 4471"
    assert text(root, "cac:PaymentMeans/cbc:ID") == "2"
    assert text(root, "cac:PaymentMeans/cbc:PaymentDueDate") == "2026-06-03"
    assert set(root.xpath("//@currencyID")) == {"COP"}
    assert (draft.issue_date, draft.payable_amount) == (date(2026, 5, 4), Decimal("3121291.95"))


def test_the_cufe_is_recomputed_from_the_values_written(draft, root):
    uuid = root.find("cbc:UUID", NS)
    assert (uuid.get("schemeID"), uuid.get("schemeName")) == ("2", "CUFE-SHA384")
    iva = root.xpath(
        "cac:TaxTotal[cac:TaxSubtotal/cac:TaxCategory/cac:TaxScheme/cbc:ID='01']", namespaces=NS
    )
    fields = cufe.KeyFields(
        number=text(root, "cbc:ID"),
        issue_date=text(root, "cbc:IssueDate"),
        issue_time=text(root, "cbc:IssueTime"),
        line_extension=Decimal(text(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")),
        taxes={"01": Decimal(text(iva[0], "cbc:TaxAmount"))},
        payable=Decimal(text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")),
        supplier_nit=text(
            root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        ),
        customer_id=text(
            root, "cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
        ),
        environment=text(root, "cbc:ProfileExecutionID"),
    )
    expected = cufe.cufe(fields, habilitacion.TECHNICAL_KEY)
    assert uuid.text == expected == draft.document_key
    assert draft.key_scheme == "CUFE-SHA384"
    assert fields.preimage("<key>") == (
        "SETP990000123" "2026-05-04" "10:30:15-05:00" "2656266.74" "01465025.21" "040.00" "030.00"
        "3121291.95" "900373076" "860046645" "<key>" "2"
    )  # fmt: skip


def test_two_extensions_dian_first_and_an_empty_last_one_for_the_signature(root):
    extensions = root.findall("ext:UBLExtensions/ext:UBLExtension", NS)
    assert len(extensions) == 2
    assert len(root.findall(".//sts:DianExtensions", NS)) == 1
    assert extensions[0].find("ext:ExtensionContent/sts:DianExtensions", NS) is not None
    last = extensions[1].find("ext:ExtensionContent", NS)
    assert last is not None and len(last) == 0 and not last.text


def test_dian_extensions(root):
    dian = root.find(".//sts:DianExtensions", NS)
    control = dian.find("sts:InvoiceControl", NS)
    assert text(control, "sts:InvoiceAuthorization") == "18760000001"
    assert text(control, "sts:AuthorizationPeriod/cbc:StartDate") == "2019-01-19"
    assert text(control, "sts:AuthorizationPeriod/cbc:EndDate") == "2030-01-19"
    assert [text(control, f"sts:AuthorizedInvoices/sts:{n}") for n in ("Prefix", "From", "To")] == [
        "SETP",
        "990000000",
        "995000000",
    ]
    assert text(dian, "sts:InvoiceSource/cbc:IdentificationCode") == "CO"
    provider = dian.find("sts:SoftwareProvider/sts:ProviderID", NS)
    assert (provider.text, provider.get("schemeID"), provider.get("schemeName")) == (
        "900373076",
        "4",
        "31",
    )
    assert text(dian, "sts:SoftwareProvider/sts:SoftwareID") == demo.SANDBOX_SOFTWARE_ID
    expected_code = hashlib.sha384(
        f"{demo.SANDBOX_SOFTWARE_ID}{demo.SANDBOX_SOFTWARE_PIN}SETP990000123".encode()
    ).hexdigest()
    assert text(dian, "sts:SoftwareSecurityCode") == expected_code
    authority = dian.find("sts:AuthorizationProvider/sts:AuthorizationProviderID", NS)
    assert (authority.text, authority.get("schemeID"), authority.get("schemeName")) == (
        "800197268",
        "4",
        "31",
    )
    assert text(dian, "sts:QRCode") == (
        "https://catalogo-vpfe-hab.dian.gov.co/document/searchqr?documentkey="
        + text(root, "cbc:UUID")
    )


def test_production_uses_environment_1_and_the_production_qr_domain():
    draft = build_draft(
        parse_invoice(credit_document()), issuer("1"), habilitacion.slot(990000001), ISSUED_AT
    )
    root = etree.fromstring(draft.unsigned_xml)
    assert text(root, "cbc:ProfileExecutionID") == "1" == root.find("cbc:UUID", NS).get("schemeID")
    assert text(root, ".//sts:QRCode").startswith(
        "https://catalogo-vpfe.dian.gov.co/document/searchqr?"
    )
    assert draft.environment == "1"


def test_parties(root):
    supplier = root.find("cac:AccountingSupplierParty", NS)
    assert text(supplier, "cbc:AdditionalAccountID") == "1"
    party = supplier.find("cac:Party", NS)
    company_id = party.find("cac:PartyTaxScheme/cbc:CompanyID", NS)
    assert (company_id.text, company_id.get("schemeID"), company_id.get("schemeName")) == (
        "900373076",
        "4",
        "31",
    )
    assert text(party, "cac:PartyTaxScheme/cbc:TaxLevelCode") == "O-15"
    assert text(party, "cac:PartyTaxScheme/cac:TaxScheme/cbc:ID") == "01"
    assert text(party, "cac:PartyLegalEntity/cac:CorporateRegistrationScheme/cbc:ID") == "SETP"
    assert text(party, "cac:PhysicalLocation/cac:Address/cbc:ID") == "11001"
    assert text(party, "cbc:IndustryClassificationCode") == "4741"

    customer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    ident = customer.find("cac:PartyIdentification/cbc:ID", NS)
    assert (ident.text, ident.get("schemeName"), ident.get("schemeID")) == ("860046645", "31", "9")
    assert text(customer, "cac:PartyTaxScheme/cbc:TaxLevelCode") == "O-13;O-15"
    assert (
        text(customer, "cac:PartyTaxScheme/cac:RegistrationAddress/cbc:CountrySubentityCode")
        == "05"
    )
    assert text(customer, "cac:PartyLegalEntity/cbc:CompanyID") == "860046645"
    assert text(customer, "cac:Contact/cbc:ElectronicMail") == "compras@cliente.com.co"


def test_the_final_consumer_has_no_legal_entity_group():
    document = credit_document()
    document.customer.CopyFrom(pb.Party(tax_id="222222222222"))
    root = etree.fromstring(
        build_draft(
            parse_invoice(document), issuer(), habilitacion.slot(990000002), ISSUED_AT
        ).unsigned_xml
    )
    customer = root.find("cac:AccountingCustomerParty", NS)
    assert text(customer, "cbc:AdditionalAccountID") == "2"
    company_id = customer.find("cac:Party/cac:PartyTaxScheme/cbc:CompanyID", NS)
    assert (company_id.text, company_id.get("schemeName"), company_id.get("schemeID")) == (
        "222222222222",
        "13",
        None,
    )
    assert customer.find("cac:Party/cac:PartyLegalEntity", NS) is None


def amount(node, path: str) -> Decimal:
    return Decimal(text(node, path))


def test_taxes_and_totals_satisfy_dian_arithmetic(root):
    subtotals = root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    assert [text(s, "cac:TaxCategory/cbc:Percent") for s in subtotals] == ["0.00", "5.00", "19.00"]
    for subtotal in root.iter("{*}TaxSubtotal"):  # header and lines: FAS07
        taxable, percent = (
            amount(subtotal, "cbc:TaxableAmount"),
            amount(subtotal, "cac:TaxCategory/cbc:Percent"),
        )
        assert amount(subtotal, "cbc:TaxAmount") == round_half_up(taxable * percent / 100, 2)
    (header,) = root.findall("cac:TaxTotal", NS)
    assert amount(header, "cbc:TaxAmount") == sum(amount(s, "cbc:TaxAmount") for s in subtotals)
    lines = root.findall("cac:InvoiceLine", NS)
    for line in lines:
        quantity, price = (
            amount(line, "cbc:InvoicedQuantity"),
            amount(line, "cac:Price/cbc:PriceAmount"),
        )
        assert amount(line, "cbc:LineExtensionAmount") == round_half_up(quantity * price, 2)
    totals = root.find("cac:LegalMonetaryTotal", NS)
    line_sum = sum(amount(line, "cbc:LineExtensionAmount") for line in lines)
    assert amount(totals, "cbc:LineExtensionAmount") == line_sum == Decimal("2656266.74")
    assert amount(totals, "cbc:TaxExclusiveAmount") == sum(
        amount(s, "cbc:TaxableAmount") for s in subtotals
    )
    assert amount(totals, "cbc:TaxInclusiveAmount") == line_sum + amount(header, "cbc:TaxAmount")
    assert amount(totals, "cbc:PayableAmount") == Decimal("3121291.95")
    assert (
        text(totals, "cbc:AllowanceTotalAmount") == "0.00" == text(totals, "cbc:ChargeTotalAmount")
    )


def test_invoice_lines(root):
    first, _, third = root.findall("cac:InvoiceLine", NS)
    assert text(first, "cbc:ID") == "1"
    assert text(first, "cac:Item/cbc:Description") == "Portátil"
    assert text(first, "cac:Item/cac:SellersItemIdentification/cbc:ID") == "TEC-1"
    standard = first.find("cac:Item/cac:StandardItemIdentification/cbc:ID", NS)
    assert (standard.text, standard.get("schemeID"), standard.get("schemeName")) == (
        "43211503",
        "001",
        "UNSPSC",
    )
    quantity = third.find("cbc:InvoicedQuantity", NS)
    assert (quantity.text, quantity.get("unitCode")) == ("2.375", "KGM")
    assert text(third, "cbc:LineExtensionAmount") == "75762.50"
    assert text(third, "cac:TaxTotal/cbc:TaxAmount") == "0.00"
    assert text(third, "cac:Price/cbc:PriceAmount") == "31900.00"
    assert third.find("cac:Price/cbc:BaseQuantity", NS).get("unitCode") == "KGM"


def test_issue_date_and_time_are_colombian_even_for_a_utc_instant():
    utc = datetime(2026, 5, 5, 3, 59, 0, tzinfo=UTC)  # still 4 May in Bogotá
    draft = build_draft(
        parse_invoice(credit_document()), issuer(), habilitacion.slot(990000003), utc
    )
    root = etree.fromstring(draft.unsigned_xml)
    assert (text(root, "cbc:IssueDate"), text(root, "cbc:IssueTime")) == (
        "2026-05-04",
        "22:59:00-05:00",
    )
    assert draft.issued_at.utcoffset() == timedelta(hours=-5)


def test_an_issue_date_outside_the_resolution_is_a_failed_precondition():
    late = datetime(2030, 1, 20, 9, 0, tzinfo=BOGOTA)
    with pytest.raises(InputRejected) as caught:
        build_draft(parse_invoice(credit_document()), issuer(), habilitacion.slot(990000004), late)
    assert caught.value.code.name == "FAILED_PRECONDITION"
    assert "2030-01-20" in caught.value.rule


def test_a_naive_issue_time_is_refused():
    with pytest.raises(ValueError):
        build_draft(
            parse_invoice(credit_document()),
            issuer(),
            habilitacion.slot(990000005),
            datetime(2026, 5, 4),
        )


def test_building_is_fast():
    invoice, profile, slot = (
        parse_invoice(credit_document()),
        issuer(),
        habilitacion.slot(990000006),
    )
    rounds = 300
    started = time.perf_counter()
    for _ in range(rounds):
        build_draft(invoice, profile, slot, ISSUED_AT)
    per_document = (time.perf_counter() - started) / rounds
    # Typically ~0.2 ms on one core; the bound only catches an accidental order-of-magnitude loss.
    assert per_document < 0.005


def test_cached_fragments_give_identical_documents_across_threads():
    profile = issuer()
    invoices = [
        parse_invoice(d)
        for d in demo.generate_documents(40, "900373076", seed=9, today=date(2026, 5, 4))
    ]

    def build_all() -> list[bytes]:
        return [
            build_draft(inv, profile, habilitacion.slot(990000300 + i), ISSUED_AT).unsigned_xml
            for i, inv in enumerate(invoices)
        ]

    expected = build_all()
    assert build_all() == expected  # second pass served from the caches
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: build_all(), range(8)))
    assert all(result == expected for result in results)
