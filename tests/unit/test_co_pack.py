"""Colombia through the country-pack contract, as the services see it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from services.countries import registry
from services.countries.co import demo, habilitacion
from services.countries.co.pack import PACK, ColombiaPack
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials, Reference


def test_the_registry_finds_colombia():
    assert "co" in registry.available()
    assert registry.pack_for("co") is PACK
    assert isinstance(PACK, ColombiaPack)
    assert (PACK.code, PACK.authority) == ("co", "DIAN")
    assert PACK.timezone.utcoffset(None) == timedelta(hours=-5)
    assert PACK.timezone.dst(None) in (None, timedelta(0))


def test_parse_then_build_through_the_pack():
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    (document,) = demo.generate_documents(1, issuer.tax_id, seed=3)
    parsed = PACK.parse_document(document, "document")
    assert (parsed.document_type, parsed.currency) == ("01", "COP")
    assert parsed.customer_id == document.customer.tax_id
    assert str(parsed.payable_amount) == document.totals.payable_amount
    issued_at = datetime(2026, 5, 4, 8, 0, tzinfo=PACK.timezone)
    draft = PACK.build_draft(parsed, issuer, habilitacion.slot(990000042), issued_at)
    assert draft.number == "SETP990000042"
    assert (draft.document_type, draft.key_scheme, draft.environment) == ("01", "CUFE-SHA384", "2")
    assert len(draft.document_key) == 96 and draft.document_key.encode() in draft.unsigned_xml


def test_a_document_parsed_elsewhere_is_refused():
    issuer = PACK.parse_issuer(demo.issuer_profile(), "issuer")
    with pytest.raises(TypeError):
        PACK.build_draft(
            object(), issuer, habilitacion.slot(990000043), datetime.now(PACK.timezone)
        )


def test_the_signer_is_made_once_per_issuer_from_loaded_credentials():
    from services.signing import testca

    authority = testca.create_authority()
    key, certificate = testca.issue_signing_certificate(authority, tax_id="900373076", name="Demo")
    signer = PACK.create_signer(Credentials(private_key=key, certificate=certificate))
    assert isinstance(signer, ColombianSigner)


def test_the_soap_stack_is_not_loaded_to_parse_or_build():
    # In a fresh interpreter: other tests of this session may have imported the client.
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from services.countries.co import demo, habilitacion\n"
        "from services.countries.co.pack import PACK\n"
        "issuer = PACK.parse_issuer(demo.issuer_profile(), 'issuer')\n"
        "doc = PACK.parse_document(demo.generate_documents(1, issuer.tax_id)[0], 'document')\n"
        "PACK.build_draft(doc, issuer, habilitacion.slot(990000001), datetime.now(PACK.timezone))\n"
        "soap = ('zeep', 'services.countries.co.client')\n"
        "print(sorted(m for m in sys.modules if m.startswith(soap)))\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_authority_client_is_dians_soap_client():
    client = PACK.create_authority_client("http://127.0.0.1:9/WcfDianCustomerServices.svc", 1.0)
    try:
        assert client.authority == "DIAN"
        assert callable(client.submit) and callable(client.reconcile)
    finally:
        client.close()


def test_parsed_documents_expose_the_facts_services_read():
    from tests.unit.test_co_documents import demo_request

    invoice = PACK.parse_document(demo_request("01"), "document")
    assert (invoice.range_field, invoice.paper_number, invoice.paper_issued_at) == (
        "document.co.range_prefix",
        None,
        None,
    )
    assert invoice.reference is None
    note = PACK.parse_document(demo_request("91"), "document")
    assert isinstance(note.reference, Reference)
    assert note.reference.document_type == "01" and len(note.reference.document_key) == 96
    assert (note.document_type, note.currency) == ("91", "COP")
    assert note.payable_amount > 0 and note.customer_id


def test_the_contingency_variant_of_a_foreign_object_is_refused():
    with pytest.raises(TypeError):
        PACK.contingency_variant(object())
