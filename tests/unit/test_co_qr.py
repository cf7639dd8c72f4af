"""The QR content of the graphic representation (dian-colombia.md §9), read from signed XML."""

from __future__ import annotations

import pytest

from services.countries.co.qr import qr_text, qr_url
from tests.unit.test_co_documents import build, demo_request, parse, signer, text


def lines_of(document_type: str) -> tuple[dict[str, str], object]:
    draft = build(demo_request(document_type))
    signed = signer().sign(draft.unsigned_xml, draft.issued_at).signed_xml
    pairs = [line.split(": ", 1) for line in qr_text(signed).split("\n")]
    return dict(pairs), parse(signed)


def test_an_invoice_qr_names_every_field_in_order():
    values, root = lines_of("01")
    assert list(values) == [
        "NumFac", "FecFac", "HorFac", "NitFac", "DocAdq", "ValFac", "ValIva", "ValOtroIm",
        "ValTolFac", "CUFE", "QRCode",
    ]  # fmt: skip
    assert values["NumFac"] == text(root, "cbc:ID")
    assert values["HorFac"] == text(root, "cbc:IssueTime")
    assert values["NitFac"] == "900373076"
    assert values["ValTolFac"] == text(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    assert values["CUFE"] == text(root, "cbc:UUID")
    assert values["QRCode"] == text(root, ".//sts:QRCode") == qr_url("2", values["CUFE"])
    assert values["QRCode"].startswith("https://catalogo-vpfe-hab.dian.gov.co/document/searchqr")


def test_a_ds_qr_uses_the_ds_names_and_roles():
    values, root = lines_of("05")
    assert list(values) == [
        "NumDS", "FecDS", "HorDS", "NumSNO", "DocABS", "ValDS", "ValIva", "ValTolDS", "CUDS",
        "QRCode",
    ]  # fmt: skip
    assert values["DocABS"] == "900373076"  # the buyer issues the DS
    assert values["NumSNO"] == text(
        root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    )
    assert values["CUDS"] == text(root, "cbc:UUID")


def test_other_taxes_are_summed_apart_from_iva():
    from tests.unit.test_co_totals import worked_example

    draft = build(worked_example())
    values = dict(line.split(": ", 1) for line in qr_text(draft.unsigned_xml).split("\n"))
    assert (values["ValIva"], values["ValOtroIm"], values["ValFac"]) == (
        "342.00",
        "44.83",
        "2300.00",
    )


def test_a_debit_note_qr_names_its_cude():
    values, _ = lines_of("92")
    assert "CUDE" in values and "CUFE" not in values


def test_production_keys_point_at_the_production_catalogue():
    assert (
        qr_url("1", "abc") == "https://catalogo-vpfe.dian.gov.co/document/searchqr?documentkey=abc"
    )


def test_what_is_not_a_dian_document_is_refused():
    with pytest.raises(ValueError, match="monetary total"):
        qr_text(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")
    with pytest.raises(ValueError, match="DOCTYPE is not allowed"):
        qr_text(b'<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>')
