"""Everything timbra emits for Chile is valid against the SII XSDs (from cl-sii's package
data) and read without complaint by cl-sii's own DTE parser and signature check."""

from __future__ import annotations

import datetime as dt

import pytest
from cl_sii.dte import parse as cl_sii_parse
from cl_sii.libs import xml_utils
from lxml import etree

from services.countries.cl import demo, envelope, schemas
from services.countries.cl.erp_totals import with_totals
from services.countries.cl.sandbox import create_sandbox
from timbra.v1 import document_pb2

ISSUED_AT = dt.datetime(2025, 3, 10, 15, 45, 12, tzinfo=dt.UTC)
REFERENCE = document_pb2.ChileReference(document_type="33", folio="1", date="2025-03-04")


@pytest.fixture(scope="module")
def sandbox():
    return create_sandbox(authorized_on=dt.date(2025, 3, 1))


def _text_correction(issuer: str) -> document_pb2.Document:
    document = demo.generate_documents(1, issuer, seed=9, dte_type=61, references=[REFERENCE])[0]
    del document.lines[:]
    document.lines.add(description="Corrige dirección\nDONDE DICE: Calle 1 DEBE DECIR: Calle 10")
    document.cl.references[0].code = 2
    return with_totals(document)


def _rich_factura(issuer: str) -> document_pb2.Document:
    """Exempt and not-billable lines, line and global discounts and surcharges, references."""
    document = demo.generate_documents(1, issuer, seed=21)[0]
    document.lines.add(
        description="Arriendo de bodega", quantity="1", unit_price="350000", exemption="1"
    )
    document.lines.add(
        description="Envase retornable", quantity="4", unit_price="1500", exemption="2"
    )
    line = document.lines.add(
        description="Cable 2,5 mm²", quantity="12.5", unit_price="499.9", unit_code="MT"
    )
    line.allowance_charges.add(percent="7.5")
    line.allowance_charges.add(charge=True, amount="250")
    document.allowance_charges.add(percent="4.25", reason="Descuento cliente frecuente")
    document.allowance_charges.add(amount="10000", exempt_amounts=True)
    document.allowance_charges.add(charge=True, amount="3500", reason="Flete")
    document.cl.references.add(document_type="801", folio="OC-2025-118", date="2025-03-01")
    document.cl.references.add(document_type="52", folio="311", date="2025-03-08")
    document.cl.payment_form = 2
    document.payment.due_date = "2025-04-09"
    document.payment.method_code = "CH"
    return with_totals(document)


def cases(issuer: str) -> dict[str, document_pb2.Document]:
    """Requests covering every type and the shapes the XSD constrains."""
    generate = demo.generate_documents
    guia_sin_precio = generate(1, issuer, seed=7, dte_type=52)[0]
    guia_sin_precio.cl.transfer_indicator = 5
    for line in guia_sin_precio.lines:
        line.ClearField("unit_price")
        line.ClearField("allowance_charges")
    guia_sin_precio.ClearField("allowance_charges")
    annulment = generate(1, issuer, seed=2, dte_type=61, references=[REFERENCE])[0]
    annulment.cl.references[0].code = 1
    return {
        "33": generate(1, issuer, seed=1)[0],
        "33 rich": _rich_factura(issuer),
        "34": generate(1, issuer, seed=34, dte_type=34)[0],
        "52": generate(1, issuer, seed=52, dte_type=52)[0],
        "52 sin precio": with_totals(guia_sin_precio),
        "56": generate(1, issuer, seed=56, dte_type=56, references=[REFERENCE])[0],
        "61 corrige montos": generate(1, issuer, seed=6, dte_type=61, references=[REFERENCE])[0],
        "61 anula": with_totals(annulment),
        "61 corrige texto": _text_correction(issuer),
    }


@pytest.fixture(scope="module")
def signed(sandbox) -> dict[str, bytes]:
    issued = {}
    for folio, (name, document) in enumerate(cases(sandbox.issuer.tax_id).items(), 1):
        issued[name] = sandbox.issue(document, folio, ISSUED_AT)[1]
    return issued


NAMES = list(cases("76192083-9"))


@pytest.mark.parametrize("name", NAMES)
def test_every_signed_dte_is_valid_against_the_sii_xsd(signed, name):
    assert schemas.validate(signed[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_cl_sii_parses_every_dte(signed, name):
    xml = xml_utils.parse_untrusted_xml(signed[name])
    cl_sii_parse.validate_dte_xml(xml)
    data = cl_sii_parse.parse_dte_xml(xml)
    assert data.emisor_rut.canonical == "76192083-9"
    assert data.tipo_dte.value == int(name.split()[0])
    root = etree.fromstring(signed[name])
    total = root.findtext(".//{http://www.sii.cl/SiiDte}MntTotal")
    assert data.monto_total == int(total)


def test_cl_sii_verifies_the_dte_signature_with_the_signer_certificate(signed, sandbox):
    xml = xml_utils.parse_untrusted_xml(signed["33 rich"])
    xml_utils.verify_xml_signature(xml, trusted_x509_cert=sandbox.certificate)


def test_an_envelope_of_every_type_is_valid(signed, sandbox):
    sobre = envelope.build_envelope(list(signed.values()), sandbox.issuer, sandbox.credentials)
    assert schemas.validate(sobre) == []


def test_the_schema_catches_what_the_sii_would_reject(signed):
    broken = signed["33"].replace(b"<TasaIVA>19</TasaIVA>", b"<TasaIVA>19.005</TasaIVA>")
    errors = schemas.validate(broken)
    assert errors and "TasaIVA" in errors[0]
    assert schemas.validate(b"<DTE") != []
