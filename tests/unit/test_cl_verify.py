"""`timbra verify` on SII files built by the pack: valid DTEs and envelopes, and broken ones."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.cli import main
from services.countries.cl import demo, envelope, sii_xml, xmldsig
from services.countries.cl.caf import generate_caf, parse_caf
from services.countries.cl.folio_key import generate_folio_key
from services.countries.cl.pack import PACK
from services.countries.cl.registration import parse_issuer
from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.cl.simulator.sii_key import odd_certificate, x509_pem
from services.countries.cl.verification.report import ENVELOPE, VerificationReport
from services.countries.cl.verify import verify_file, verify_for_cli
from services.countries.pack import Credentials, IssuerProfile, NumberingFile, NumberingSlot
from services.countries.registry import verifier_for
from services.countries.verification_report import Status
from services.signing import testca

SIGNER_RUN = "13185095-6"
TODAY = dt.date.today()
DTE_CHECKS = {
    "signature",
    "signature.reference",
    "signature.value",
    "certificate.validity",
    "certificate.chain",
    "ted.frmt",
    "ted.dd",
    "caf.authorizes",
    "caf.validity",
    "caf.frma",
}


def pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass(frozen=True)
class World:
    """An issuer, its signer's certificate, and CAFs signed by a test "SII" (and by a rogue)."""

    sii_key: rsa.RSAPrivateKey
    rogue_key: rsa.RSAPrivateKey
    authority: testca.TestAuthority
    issuer: IssuerProfile
    credentials: Credentials

    def caf(
        self, dte_type: int, signer: rsa.RSAPrivateKey, authorized_on: dt.date
    ) -> NumberingFile:
        """A CAF of this issuer for folios 1-500 of `dte_type`, signed by `signer`."""
        content, _ = generate_caf(
            self.issuer.tax_id, dte_type, 1, 500, authorized_on, signer, 100, "EMPRESA"
        )
        trusted = (signer.public_key(),)
        return parse_caf(
            self.issuer.tax_id, content, "caf", trusted_keys=trusted, today=authorized_on
        )

    def issue(
        self,
        dte_type: int,
        folio: int,
        *,
        caf: NumberingFile | None = None,
        folio_key: rsa.RSAPrivateKey | None = None,
        issued_at: dt.datetime | None = None,
        seed: int = 1,
        stamp_from: dt.date | None = None,
    ) -> bytes:
        """A DTE parsed, drafted and signed by the pack (TED stamped with the CAF's key).

        `stamp_from` lets issuing hand out the folio before the CAF's date (it never would).
        """
        caf = caf or _cafs(dte_type)
        key = folio_key or serialization.load_pem_private_key(caf.private_key_pem, None)
        signer = PACK.create_signer(
            Credentials(
                private_key=self.credentials.private_key,
                certificate=self.credentials.certificate,
                chain=self.credentials.chain,
                folio_keys={caf.key_id: key},
            )
        )
        request = demo.generate_documents(1, self.issuer.tax_id, seed=seed, dte_type=dte_type)[0]
        parsed = PACK.parse_document(request, "document")
        spec = caf.range
        slot = NumberingSlot(
            range_id=f"test-{dte_type}",
            authorization=spec.authorization,
            prefix="",
            number=folio,
            range_from=spec.range_from,
            range_to=spec.range_to,
            valid_from=stamp_from or spec.valid_from,
            valid_to=spec.valid_to,
            public_authorization=spec.public_authorization,
        )
        moment = issued_at or dt.datetime.now(dt.UTC)
        draft = PACK.build_draft(parsed, self.issuer, slot, moment)
        return signer.sign(draft.unsigned_xml, moment).signed_xml

    def envelope(self, dtes: list[bytes]) -> bytes:
        """An EnvioDTE of these signed DTEs, built and signed by the pack."""
        return envelope.build_envelope(dtes, self.issuer, self.credentials)


@cache
def world() -> World:
    authority = testca.create_authority("timbra test CA (Chile)")
    key, certificate = issue_sandbox_certificate(authority, run=SIGNER_RUN, name="Firmante")
    return World(
        sii_key=rsa.generate_private_key(public_exponent=65537, key_size=1024),
        rogue_key=rsa.generate_private_key(public_exponent=65537, key_size=1024),
        authority=authority,
        issuer=parse_issuer(demo.issuer_profile(), "issuer"),
        credentials=Credentials(key, certificate, (authority.certificate,)),
    )


@cache
def _cafs(dte_type: int) -> NumberingFile:
    return world().caf(dte_type, world().sii_key, TODAY - dt.timedelta(days=3))


@cache
def valid_dte() -> bytes:
    return world().issue(33, 1)


@cache
def valid_envelope() -> bytes:
    """Three DTEs of two types: facturas 1 and 2, a factura exenta 3."""
    return world().envelope(
        [world().issue(33, 1), world().issue(33, 2, seed=2), world().issue(34, 3, seed=3)]
    )


def write(tmp_path: Path, content: bytes, name: str = "dte.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def verify(tmp_path: Path, content: bytes, **options: object) -> VerificationReport:
    options.setdefault("sii_keys", [pem(world().sii_key)])
    return verify_file(write(tmp_path, content), **options)


def status(report: VerificationReport, name: str, document: str) -> Status:
    (check,) = report.check(name, document)
    return check.status


def failed(report: VerificationReport) -> set[str]:
    return {check.label for check in report.failures}


def resign_envelope(content: bytes) -> bytes:
    """The envelope's SetDTE signed again after an edit (as a careless sender would)."""
    unsigned = content[: content.rindex(b"<Signature ")] + b"</EnvioDTE>"
    credentials = world().credentials
    signature = xmldsig.signature(
        etree.fromstring(unsigned),
        envelope.SET_ID,
        credentials.private_key,
        credentials.certificate,
        ancestor_namespaces={"xsi": sii_xml.XSI_NS},
    )
    signed = etree.tostring(signature, encoding=sii_xml.ENCODING, xml_declaration=False)
    return unsigned.replace(b"</EnvioDTE>", signed + b"</EnvioDTE>")


# --- valid files ---------------------------------------------------------------------------


def test_a_valid_dte_passes_every_check(tmp_path: Path) -> None:
    report = verify(tmp_path, valid_dte())
    assert report.passed, report.render()
    assert report.document == "DTE"
    assert {c.name for c in report.checks if c.document == "T33F1"} == DTE_CHECKS
    assert status(report, "caf.frma", "T33F1") is Status.PASS
    assert status(report, "schema", "") is Status.PASS
    assert report.render().startswith(f"{tmp_path / 'dte.xml'}: PASSED")
    data = json.loads(report.to_json())
    assert data["passed"] is True and data["failures"] == []
    assert data["dtes"][0]["label"] == "T33F1" and data["dtes"][0]["dte_type"] == "33"


def test_a_dte_in_utf8_still_verifies_and_its_encoding_is_reported_not_judged(
    tmp_path: Path,
) -> None:
    latin = etree.fromstring(valid_dte())
    utf8 = etree.tostring(latin, encoding="UTF-8", xml_declaration=True)
    assert b"UTF-8" in utf8[:60] and utf8 != valid_dte()
    report = verify(tmp_path, utf8)
    assert report.passed, report.render()
    (encoding,) = report.check("encoding")
    assert encoding.status is Status.INFO and not encoding.enforced
    assert verify(tmp_path, valid_dte()).check("encoding")[0].status is Status.PASS


def test_a_valid_envelope_of_three_dtes_passes(tmp_path: Path) -> None:
    report = verify(tmp_path, valid_envelope())
    assert report.passed, report.render()
    assert [dte.label for dte in report.dtes] == ["T33F1", "T33F2", "T34F3"]
    for name in ("signature.reference", "signature.value", "caratula.counts", "caratula.sender"):
        assert status(report, name, ENVELOPE) is Status.PASS
    for label in ("T33F1", "T33F2", "T34F3"):
        assert {c.name for c in report.checks if c.document == label} == DTE_CHECKS
        assert status(report, "signature.reference", label) is Status.PASS
    (counts,) = report.check("caratula.counts")
    assert "33: 2, 34: 1" in counts.detail


def test_the_sii_key_as_its_odd_version_certificate_file(tmp_path: Path) -> None:
    certificate = x509_pem(odd_certificate(world().sii_key, 100, dt.datetime.now(dt.UTC)))
    with pytest.raises(x509.InvalidVersion):
        x509.load_pem_x509_certificate(certificate)  # version 3 ("v4"), as the SII's 100.cer
    report = verify(tmp_path, valid_dte(), sii_keys=[certificate])
    assert report.passed and status(report, "caf.frma", "T33F1") is Status.PASS


def test_the_command_line_takes_several_sii_keys_and_exits_by_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rogue = write(tmp_path, pem(world().rogue_key), "rogue.pem")
    real = write(
        tmp_path,
        x509_pem(odd_certificate(world().sii_key, 100, dt.datetime.now(dt.UTC))),
        "100.cer",
    )
    envelope_file = write(tmp_path, valid_envelope(), "envio.xml")
    assert verifier_for(valid_envelope()[:4096]).__name__ == "services.countries.cl.verify"
    assert main(["verify", str(envelope_file), "--sii-key", f"{rogue}:{real}", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["passed"] and "trusted SII key #2" in json.dumps(printed["checks"])
    assert main(["verify", str(envelope_file), "--sii-key", str(rogue)]) == 1
    assert "T33F1 caf.frma" in capsys.readouterr().out.splitlines()[0]
    missing = verify_for_cli(str(envelope_file), {"sii_key": str(tmp_path / "none.pem")})
    assert not missing.passed and "none.pem" in missing.error


# --- what breaks ---------------------------------------------------------------------------


def test_a_tampered_amount_fails_the_dte_signature_naming_the_dte(tmp_path: Path) -> None:
    content = valid_dte()
    total = re.search(rb"<MntTotal>(\d+)</MntTotal>", content)
    tampered = content.replace(
        total.group(0), b"<MntTotal>%d</MntTotal>" % (int(total.group(1)) + 1)
    )
    report = verify(tmp_path, tampered)
    assert not report.passed
    assert failed(report) == {"T33F1 signature.reference", "T33F1 ted.dd"}
    assert status(report, "signature.value", "T33F1") is Status.PASS  # SignedInfo is intact
    assert "MNT" in report.check("ted.dd")[0].detail
    assert "T33F1 signature.reference" in report.render().splitlines()[0]


def test_a_tampered_amount_inside_an_envelope_fails_both_signatures(tmp_path: Path) -> None:
    content = valid_envelope()
    second = content.index(b'ID="T33F2"')
    total = re.compile(rb"<MntTotal>(\d+)</MntTotal>").search(content, second)
    changed = b"<MntTotal>%d</MntTotal>" % (int(total.group(1)) + 1)
    tampered = content[: total.start()] + changed + content[total.end() :]
    report = verify(tmp_path, tampered)
    assert failed(report) == {
        "EnvioDTE signature.reference",
        "T33F2 signature.reference",
        "T33F2 ted.dd",
    }
    assert status(report, "signature.reference", "T33F1") is Status.PASS


def test_a_forged_signature_value_is_told_apart_from_a_changed_document(tmp_path: Path) -> None:
    content = valid_dte()
    value = re.search(rb"<SignatureValue>(.)", content)
    forged_first = b"A" if value.group(1) != b"A" else b"B"
    forged = content[: value.start(1)] + forged_first + content[value.end(1) :]
    report = verify(tmp_path, forged)
    assert failed(report) == {"T33F1 signature.value"}
    assert "SignatureValue does not verify" in report.check("signature.value")[0].detail
    assert status(report, "signature.reference", "T33F1") is Status.PASS


def test_a_ted_stamped_with_another_key_fails_frmt_only(tmp_path: Path) -> None:
    content = world().issue(33, 4, folio_key=generate_folio_key())
    report = verify(tmp_path, content)
    assert failed(report) == {"T33F4 ted.frmt"}  # the XMLDSig over it is genuine


def test_a_caf_signed_by_another_key_fails_only_against_the_trusted_sii_key(
    tmp_path: Path,
) -> None:
    rogue_caf = world().caf(33, world().rogue_key, TODAY - dt.timedelta(days=1))
    content = world().issue(33, 5, caf=rogue_caf)
    trusted = verify(tmp_path, content)
    assert failed(trusted) == {"T33F5 caf.frma"}  # FRMT is fine: the forger holds that CAF
    assert "none of the 1 trusted SII key" in trusted.check("caf.frma")[0].detail
    unchecked = verify(tmp_path, content, sii_keys=[])
    assert unchecked.passed  # the CAF's signature was not checked, and the report says so
    (frma,) = unchecked.check("caf.frma")
    assert frma.status is Status.INFO and not frma.enforced and "not checked" in frma.detail
    both = verify(tmp_path, content, sii_keys=[pem(world().sii_key), pem(world().rogue_key)])
    assert both.passed and "key #2" in both.check("caf.frma")[0].detail


def test_a_dte_signed_after_its_caf_expired_fails_the_caf_validity(tmp_path: Path) -> None:
    authorized = TODAY - dt.timedelta(days=200)
    old_caf = world().caf(33, world().sii_key, authorized)
    issued = dt.datetime.combine(authorized + dt.timedelta(days=1), dt.time(12), dt.UTC)
    report = verify(tmp_path, world().issue(33, 6, caf=old_caf, issued_at=issued))
    assert failed(report) == {"T33F6 caf.validity"}
    assert "CAF-3-517" in report.check("caf.validity")[0].detail
    # Type 34 CAFs do not expire.
    exempt_caf = world().caf(34, world().sii_key, authorized)
    assert verify(tmp_path, world().issue(34, 7, caf=exempt_caf, issued_at=issued)).passed


def test_a_dte_issued_before_its_caf_was_authorised_fails_the_caf_validity(
    tmp_path: Path,
) -> None:
    future_caf = world().caf(34, world().sii_key, TODAY + dt.timedelta(days=5))
    content = world().issue(34, 8, caf=future_caf, stamp_from=TODAY - dt.timedelta(days=1))
    report = verify(tmp_path, content)
    assert failed(report) == {"T34F8 caf.validity"}
    assert "before the CAF's authorisation" in report.check("caf.validity")[0].detail


@pytest.mark.parametrize(
    ("old", "new", "check"),
    [
        (b"<NroDTE>2</NroDTE>", b"<NroDTE>3</NroDTE>", "EnvioDTE caratula.counts"),
        (b"<TpoDTE>34</TpoDTE>", b"<TpoDTE>61</TpoDTE>", "EnvioDTE caratula.counts"),
        (b"<RutEmisor>76192083-9<", b"<RutEmisor>77777777-7<", "EnvioDTE caratula.issuer"),
        (b"<RutEnvia>13185095-6<", b"<RutEnvia>7880442-4<", "EnvioDTE caratula.sender"),
    ],
)
def test_a_caratula_that_misstates_the_envelope_fails(
    tmp_path: Path, old: bytes, new: bytes, check: str
) -> None:
    content = valid_envelope()
    assert content.count(old) == 1
    report = verify(tmp_path, resign_envelope(content.replace(old, new)))
    assert failed(report) == {check}


def test_the_certificate_chain_is_enforced_only_with_a_trust_store(tmp_path: Path) -> None:
    without = verify(tmp_path, valid_dte())
    (chain,) = without.check("certificate.chain")
    assert chain.status is Status.INFO and not chain.enforced
    store = write(tmp_path, world().authority.pem(), "store.pem")
    assert verify(tmp_path, valid_dte(), trust_store=store).passed
    other = write(tmp_path, testca.create_authority("another CA").pem(), "other.pem")
    report = verify(tmp_path, valid_dte(), trust_store=other)
    assert failed(report) == {"T33F1 certificate.chain"}
    broken = verify(tmp_path, valid_dte(), trust_store=write(tmp_path, b"junk", "junk.pem"))
    assert "trust store" in broken.error and not broken.passed


def test_a_dte_signed_without_the_namespace_the_envelope_drops_still_verifies(
    tmp_path: Path,
) -> None:
    # The SII's portal signs DTEs with xmlns on DTE; envelopes then carry them without it.
    declared = b'<DTE xmlns="http://www.sii.cl/SiiDte" version="1.0">'
    content = valid_envelope().replace(declared, b'<DTE version="1.0">')
    report = verify(tmp_path, content)
    assert report.passed, report.render()
    (profile,) = report.check("signature", "T33F2")
    assert "verifies with the SII namespace declared on DTE" in profile.detail


def test_a_genuine_dte_in_a_comment_cannot_vouch_for_a_forged_one(tmp_path: Path) -> None:
    content = valid_envelope()
    start = content.index(b"<DTE ", content.index(b'ID="T33F1"') + 1)
    end = content.index(b"</DTE>", start) + len(b"</DTE>")
    genuine = content[start:end]
    forged = (
        genuine.replace(b"<DTE ", b'<s:DTE xmlns:s="http://www.sii.cl/SiiDte" ', 1)
        .replace(b"</DTE>", b"</s:DTE>")
        .replace(b"<NmbItem>", b"<NmbItem>X", 1)
    )
    hidden = content[:start] + b"<!--" + genuine + b"-->" + forged + content[end:]
    report = verify(tmp_path, resign_envelope(hidden))
    (signature,) = report.check("signature", "T33F2")
    assert signature.status is Status.FAIL and "not the DTE the envelope holds" in signature.detail


def test_a_reference_to_a_repeated_id_is_refused(tmp_path: Path) -> None:
    content = valid_dte().replace(b"<TmstFirma>", b'<TmstFirma ID="T33F1">', 1)
    report = verify(tmp_path, content)
    (signature,) = report.check("signature", "T33F1")
    assert signature.status is Status.FAIL and "occurs 2 times" in signature.detail


def test_a_reference_outside_the_document_is_refused_before_anything_is_read(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b"<secret>TOP-SECRET</secret>")
    content = valid_dte().replace(b'URI="#T33F1"', b'URI="' + secret.as_uri().encode() + b'"')
    report = verify(tmp_path, content)
    (signature,) = report.check("signature", "T33F1")
    assert signature.status is Status.FAIL and "not at #T33F1" in signature.detail
    assert "TOP-SECRET" not in report.to_json()


def test_a_key_value_that_is_not_the_certificates_key_is_refused(tmp_path: Path) -> None:
    modulus = re.search(rb"<Modulus>([^<]+)</Modulus>", valid_dte()).group(1)
    other = world().rogue_key.public_key().public_numbers().n
    forged = base64.b64encode(other.to_bytes((other.bit_length() + 7) // 8, "big"))
    report = verify(tmp_path, valid_dte().replace(modulus, forged))
    (signature,) = report.check("signature", "T33F1")
    assert signature.status is Status.FAIL and "RSAKeyValue is not the key" in signature.detail
