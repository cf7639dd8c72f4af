"""`timbra verify` on real signed documents, broken ones and hostile files."""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from lxml import etree

from services.countries.co import demo, habilitacion
from services.countries.co.attached_document import build_attached_document
from services.countries.co.clock import COLOMBIA_TIME
from services.countries.co.pack import PACK
from services.countries.co.registration import parse_issuer
from services.countries.co.verification import keys, schema_check
from services.countries.co.verification.reading import read_document
from services.countries.co.verification.report import VerificationReport
from services.countries.co.verify import MAX_FILE_BYTES, verify_bytes, verify_file
from services.countries.co.xades import ColombianSigner
from services.countries.pack import Credentials
from services.countries.verification_report import Status
from services.signing import testca
from timbra.v1 import document_pb2

KEY = habilitacion.TECHNICAL_KEY
PIN = demo.SANDBOX_SOFTWARE_PIN
NOW = datetime.now(COLOMBIA_TIME)


@cache
def authority() -> testca.TestAuthority:
    return testca.create_authority()


@cache
def signer() -> ColombianSigner:
    key, certificate = testca.issue_signing_certificate(authority(), tax_id="900373076", name="D")
    return ColombianSigner(Credentials(key, certificate, (authority().certificate,)))


def unsigned_invoice(seed: int = 3) -> bytes:
    issuer = parse_issuer(demo.issuer_profile(), "issuer")
    document = PACK.parse_document(demo.generate_documents(1, issuer.tax_id, seed=seed)[0], "doc")
    return PACK.build_draft(document, issuer, habilitacion.slot(990000001), NOW).unsigned_xml


@cache
def signed_invoice() -> bytes:
    return signer().sign(unsigned_invoice(), NOW).signed_xml


def write(tmp_path: Path, content: bytes, name: str = "fv.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def statuses(report: VerificationReport, name: str) -> list[Status]:
    return [check.status for check in report.check(name)]


def test_a_valid_signed_invoice_passes_every_check(tmp_path: Path) -> None:
    report = verify_file(write(tmp_path, signed_invoice()), technical_key=KEY, pin=PIN)
    assert report.passed, report.render()
    assert not [check for check in report.checks if check.status is Status.FAIL]
    assert statuses(report, "signature.reference") == [Status.PASS] * 3
    for name in (
        "schema",
        "signature.value",
        "signature.policy",
        "signature.signing_time",
        "signature.certificate_digest",
        "signature.issuer_serial",
        "signature.claimed_role",
        "certificate.validity",
        "key",
        "software_security_code",
    ):
        assert statuses(report, name) == [Status.PASS], name
    assert (report.document, report.document_type, report.key_name) == ("Invoice", "01", "CUFE")
    data = json.loads(report.to_json())
    assert data["passed"] is True and data["number"] == "SETP990000001"
    assert report.render().splitlines()[0].endswith(": PASSED")


def test_a_change_after_signing_names_the_broken_reference(tmp_path: Path) -> None:
    tampered = signed_invoice().replace(b"<cbc:Description>", b"<cbc:Description>X", 1)
    report = verify_file(write(tmp_path, tampered), technical_key=KEY)
    assert not report.passed
    references = report.check("signature.reference")
    assert [c.status for c in references] == [Status.FAIL, Status.PASS, Status.PASS]
    assert 'URI=""' in references[0].detail and "changed after signing" in references[0].detail
    # SignedInfo itself is intact: the value still verifies, only the document changed.
    assert statuses(report, "signature.value") == [Status.PASS]
    assert "FAILED" in report.render() and '[FAIL] signature.reference: URI=""' in report.render()


def test_a_forged_signature_value_is_told_apart_from_a_changed_document(tmp_path: Path) -> None:
    root = etree.fromstring(signed_invoice())
    value = root.find(".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue")
    value.text = ("B" if value.text[0] != "B" else "C") + value.text[1:]
    report = verify_file(write(tmp_path, etree.tostring(root, xml_declaration=True)))
    assert statuses(report, "signature.reference") == [Status.PASS] * 3
    assert statuses(report, "signature.value") == [Status.FAIL] and not report.passed


def test_a_wrong_technical_key_fails_and_no_key_prints_the_preimage(tmp_path: Path) -> None:
    path = write(tmp_path, signed_invoice())
    wrong = verify_file(path, technical_key="0" * 40)
    assert statuses(wrong, "key") == [Status.FAIL] and not wrong.passed
    assert "0" * 40 not in wrong.to_json()  # the secret is never written out

    unkeyed = verify_file(path)
    (check,) = unkeyed.check("key")
    assert check.status is Status.INFO and not check.enforced and unkeyed.passed
    assert "--technical-key" in check.detail
    facts = read_document(etree.fromstring(signed_invoice()))
    assert unkeyed.preimage == keys.preimage(facts, "{technical_key}")
    assert unkeyed.preimage.endswith("{technical_key}2")
    # The preimage is exactly what DIAN hashes: with the key in place it gives the CUFE.
    real = unkeyed.preimage.replace("{technical_key}", KEY)
    assert keys.sha384_hex(real) == unkeyed.document_key
    assert f"CUFE preimage: {unkeyed.preimage}" in unkeyed.render()


def test_signing_on_another_day_fails_the_signing_time_check(tmp_path: Path) -> None:
    late = signer().sign(unsigned_invoice(), NOW + timedelta(days=1)).signed_xml
    report = verify_file(write(tmp_path, late), technical_key=KEY)
    (check,) = report.check("signature.signing_time")
    assert check.status is Status.FAIL and not report.passed
    assert statuses(report, "signature.value") == [Status.PASS]


def test_the_certificate_chain_is_enforced_only_with_a_trust_store(tmp_path: Path) -> None:
    path = write(tmp_path, signed_invoice())
    untrusted = write(tmp_path, testca.create_authority().pem(), "other-ca.pem")
    trusted = write(tmp_path, authority().pem(), "our-ca.pem")

    without = verify_file(path, technical_key=KEY)
    (check,) = without.check("certificate.chain")
    assert check.status is Status.INFO and not check.enforced and without.passed

    refused = verify_file(path, technical_key=KEY, trust_store=untrusted)
    assert statuses(refused, "certificate.chain") == [Status.FAIL] and not refused.passed

    accepted = verify_file(path, technical_key=KEY, trust_store=trusted)
    assert statuses(accepted, "certificate.chain") == [Status.PASS] and accepted.passed

    broken = verify_file(path, trust_store=write(tmp_path, b"not a pem", "bad.pem"))
    assert "trust store" in broken.error and not broken.passed


def pack_document(kind: str) -> tuple[bytes, str]:
    """A signed document of any type from the pack, and the secret its key needs."""
    issuer = parse_issuer(demo.issuer_profile(), "issuer")
    references = None
    if kind in ("91", "92", "95"):
        corrected = read_document(
            etree.fromstring(pack_document("05" if kind == "95" else "01")[0])
        )
        references = [
            document_pb2.BillingReference(
                number=corrected.number,
                document_key=corrected.uuid,
                issue_date=corrected.issue_date,
                document_type=corrected.document_type,
            )
        ]
    paper = (1, 1) if kind == "03" else None
    generated = "01" if kind == "04" else kind
    (request,) = demo.generate_documents(
        1, issuer.tax_id, seed=6, document_type=generated, references=references, paper_range=paper
    )
    document = PACK.parse_document(request, "document")
    if kind == "04":
        document = PACK.contingency_variant(document)
    cufe = kind in ("01", "02", "04")
    slot = habilitacion.slot(990000005)
    if not cufe:
        # Paper (03) and DS (05) ranges have a resolution but no key; notes have neither.
        authorization = "18760000009" if kind in ("03", "05") else ""
        prefix = {"03": "CONT", "05": "SEDS"}.get(kind, "N")
        slot = replace(slot, authorization=authorization, prefix=prefix, technical_key="")
        slot = replace(slot, number=1, range_from=1, range_to=999)
    draft = PACK.build_draft(document, issuer, slot, NOW)
    signed = signer().sign(draft.unsigned_xml, draft.issued_at).signed_xml
    return signed, KEY if cufe else PIN


@pytest.mark.parametrize("kind", ["01", "02", "03", "04", "05", "91", "92", "95"])
def test_every_document_type_of_the_pack_verifies_with_its_own_secret(
    tmp_path: Path, kind: str
) -> None:
    signed, secret = pack_document(kind)
    options = {"technical_key": secret} if secret == KEY else {"pin": secret}
    report = verify_file(write(tmp_path, signed), **options)
    assert report.passed, report.render()
    assert report.document_type == kind and statuses(report, "key") == [Status.PASS]
    expected = {"01": "CUFE", "02": "CUFE", "04": "CUFE", "05": "CUDS", "95": "CUDS"}
    assert report.key_name == expected.get(kind, "CUDE")


def test_the_cuds_layout_is_a_switch_and_the_other_layout_is_named(tmp_path: Path) -> None:
    signed, pin = pack_document("05")  # keyed with the default layout (IVA only)
    path = write(tmp_path, signed)
    assert verify_file(path, pin=pin, variant=keys.CudsVariant.TAX_01_ONLY).passed
    other = verify_file(path, pin=pin, variant=keys.CudsVariant.DIAN_SOURCE)
    (check,) = other.check("key")
    assert check.status is Status.FAIL and "matches the tax-01-only CUDS layout" in check.detail


def test_documents_in_memory_are_verified_the_same_way() -> None:
    anchors = [authority().certificate]
    report = verify_bytes(signed_invoice(), "memory", technical_key=KEY, trust_anchors=anchors)
    assert report.passed and statuses(report, "certificate.chain") == [Status.PASS]
    assert "refused" in verify_bytes(b" " * (MAX_FILE_BYTES + 1)).error


def test_without_a_schema_validator_the_schema_is_reported_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_check, "schemas", None)
    report = verify_file(write(tmp_path, signed_invoice()), technical_key=KEY)
    (check,) = report.check("schema")
    assert check.status is Status.UNAVAILABLE and not check.enforced and report.passed


def test_a_schema_invalid_document_fails_the_schema_check(tmp_path: Path) -> None:
    invalid = signed_invoice().replace(
        b"<cbc:UBLVersionID>", b"<cbc:Unknown/><cbc:UBLVersionID>", 1
    )
    report = verify_file(write(tmp_path, invalid), technical_key=KEY)
    assert statuses(report, "schema") == [Status.FAIL] and not report.passed


# --- containers ----------------------------------------------------------------------------


def application_response(pin: str = PIN, code: str = "02") -> bytes:
    """A signed ApplicationResponse about the signed invoice, keyed with `pin`."""
    facts = read_document(etree.fromstring(signed_invoice()))
    day, hour = facts.issue_date, facts.issue_time
    key = keys.sha384_hex(f"AR1{day}{hour}800197268900373076{code}{facts.number}01{pin}")
    ubl = "urn:oasis:names:specification:ubl:schema:xsd:"
    xml = f"""<ApplicationResponse xmlns="{ubl}ApplicationResponse-2"
 xmlns:cac="{ubl}CommonAggregateComponents-2" xmlns:cbc="{ubl}CommonBasicComponents-2"
 xmlns:ext="{ubl}CommonExtensionComponents-2"><ext:UBLExtensions><ext:UBLExtension>
<ext:ExtensionContent/></ext:UBLExtension></ext:UBLExtensions>
<cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID><cbc:CustomizationID>1</cbc:CustomizationID>
<cbc:ProfileID>DIAN 2.1</cbc:ProfileID><cbc:ProfileExecutionID>2</cbc:ProfileExecutionID>
<cbc:ID>AR1</cbc:ID><cbc:UUID schemeName="CUDE-SHA384">{key}</cbc:UUID>
<cbc:IssueDate>{day}</cbc:IssueDate><cbc:IssueTime>{hour}</cbc:IssueTime>
<cac:SenderParty><cac:PartyTaxScheme><cbc:RegistrationName>DIAN</cbc:RegistrationName>
<cbc:CompanyID schemeID="4" schemeName="31">800197268</cbc:CompanyID>
<cac:TaxScheme><cbc:ID>01</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:SenderParty>
<cac:ReceiverParty><cac:PartyTaxScheme><cbc:RegistrationName>Demo</cbc:RegistrationName>
<cbc:CompanyID schemeID="4" schemeName="31">900373076</cbc:CompanyID>
<cac:TaxScheme><cbc:ID>01</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme></cac:ReceiverParty>
<cac:DocumentResponse><cac:Response><cbc:ResponseCode>{code}</cbc:ResponseCode>
<cbc:Description>Documento validado por la DIAN</cbc:Description></cac:Response>
<cac:DocumentReference><cbc:ID>{facts.number}</cbc:ID>
<cbc:UUID schemeName="CUFE-SHA384">{facts.uuid}</cbc:UUID>
<cbc:DocumentTypeCode>01</cbc:DocumentTypeCode></cac:DocumentReference></cac:DocumentResponse>
</ApplicationResponse>""".encode()
    issued = datetime.fromisoformat(f"{day}T{hour}")
    return signer().sign(xml, issued).signed_xml


def test_an_application_response_is_verified_with_its_event_key(tmp_path: Path) -> None:
    path = write(tmp_path, application_response())
    report = verify_file(path, pin=PIN)
    assert report.passed, report.render()
    assert (report.document, report.document_type, report.key_name) == (
        "ApplicationResponse",
        "96",
        "CUDE (evento)",
    )
    assert statuses(verify_file(path, pin="00000"), "key") == [Status.FAIL]
    assert verify_file(path).preimage.endswith("SETP99000000101{software_pin}")


def test_an_attached_document_is_verified_with_what_it_carries(tmp_path: Path) -> None:
    container = build_attached_document(signed_invoice(), application_response(), signer=signer())
    report = verify_file(write(tmp_path, container), technical_key=KEY, pin=PIN)
    assert report.passed, report.render()
    assert [inner.document for inner in report.embedded] == ["Invoice", "ApplicationResponse"]
    assert statuses(report, "container.key") == [Status.PASS]
    assert statuses(report, "signature.value") == [Status.PASS]

    tampered_invoice = signed_invoice().replace(b"<cbc:Description>", b"<cbc:Description>X", 1)
    unsigned = build_attached_document(tampered_invoice, None)
    broken = verify_file(write(tmp_path, unsigned, "ad.xml"), technical_key=KEY)
    assert not broken.passed and not broken.embedded[0].passed
    assert statuses(broken, "signature") == [Status.INFO]  # an unsigned container is allowed


def test_a_zip_is_read_member_by_member(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("fv.xml", signed_invoice())
        archive.writestr("fv.pdf", b"%PDF-1.7")
    report = verify_file(write(tmp_path, buffer.getvalue(), "z.zip"), technical_key=KEY)
    assert report.passed and [inner.document for inner in report.embedded] == ["Invoice"]
    assert "fv.pdf" in report.check("zip.member")[0].detail


# --- hostile and broken files --------------------------------------------------------------


class CountingHandler(BaseHTTPRequestHandler):
    """Counts every request: verifying must never fetch what a document points to."""

    hits = 0

    def do_GET(self) -> None:
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<x/>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def watched() -> str:
    server = HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    CountingHandler.hits = 0
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    assert CountingHandler.hits == 0, "the verifier fetched something from the network"


LAUGHS = b"".join(
    [b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha">']
    + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10)]
    + [b"]><Invoice>&l9;</Invoice>"]
)


def test_billion_laughs_is_refused_without_expanding(tmp_path: Path, watched: str) -> None:
    started = time.perf_counter()
    report = verify_file(write(tmp_path, LAUGHS))
    assert "DOCTYPE" in report.error and not report.passed
    assert time.perf_counter() - started < 1


def test_external_entities_are_neither_read_nor_fetched(tmp_path: Path, watched: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = signed_invoice().split(b"?>", 1)[1]
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY web SYSTEM "'
        + f"{watched}/entity".encode()
        + b'"><!ENTITY file SYSTEM "'
        + secret.as_uri().encode()
        + b'">]>'
        + body.replace(b"<cbc:UBLVersionID>", b"<cbc:UBLVersionID>&web;&file;", 1)
    )
    report = verify_file(write(tmp_path, hostile))
    assert report.error and "TOP-SECRET" not in report.to_json() + report.render()


def test_references_and_schema_locations_pointing_outside_are_not_followed(
    tmp_path: Path, watched: str
) -> None:
    pointed = signed_invoice().replace(
        b'UBL-Invoice-2.1.xsd"', f'UBL-Invoice-2.1.xsd {watched}/x.xsd"'.encode(), 1
    )
    root = etree.fromstring(pointed)
    reference = root.findall(".//{http://www.w3.org/2000/09/xmldsig#}Reference")[1]
    reference.set("URI", f"{watched}/keyinfo")
    report = verify_file(write(tmp_path, etree.tostring(root, xml_declaration=True)))
    (check,) = report.check("signature")
    assert check.status is Status.FAIL and "fuera del documento" in check.detail

    # A KeyInfo that points elsewhere for the key: the key is taken from X509Certificate only.
    root = etree.fromstring(signed_invoice())
    key_info = root.find(".//{http://www.w3.org/2000/09/xmldsig#}KeyInfo")
    retrieval = etree.SubElement(key_info, "{http://www.w3.org/2000/09/xmldsig#}RetrievalMethod")
    retrieval.set("URI", f"{watched}/key")
    report = verify_file(write(tmp_path, etree.tostring(root, xml_declaration=True)))
    assert [c.status for c in report.check("signature.reference")][1] is Status.FAIL


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as file:
        file.write(b"<Invoice>")
        file.seek(50 * 1024 * 1024)
        file.write(b"</Invoice>")
    started = time.perf_counter()
    report = verify_file(path)
    assert str(MAX_FILE_BYTES) in report.error and not report.passed
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.7 definitely not XML", "not an XML document"),
        (b"<Invoice><unclosed></Invoice>", "not an XML document"),
        (b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>", "not a DIAN"),
        (b"PK\x03\x04 broken zip", "not a readable ZIP"),
    ],
)
def test_files_that_are_not_dian_documents_get_a_clear_error(
    tmp_path: Path, content: bytes, says: str
) -> None:
    report = verify_file(write(tmp_path, content))
    assert says in report.error and not report.passed
    assert json.loads(report.to_json())["error"] == report.error


def test_a_zip_bomb_is_refused_before_it_inflates(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.xml", b"<a>" + b" " * (MAX_FILE_BYTES + 1) + b"</a>")
    assert len(buffer.getvalue()) < 100_000
    started = time.perf_counter()
    report = verify_file(write(tmp_path, buffer.getvalue(), "bomb.zip"))
    assert "inflates beyond" in report.error and not report.passed
    assert time.perf_counter() - started < 2


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    report = verify_file(tmp_path / "nowhere.xml")
    assert "cannot read" in report.error and not report.passed
