"""Helpers for the SII simulator tests: a company enrolled with a running simulator, its CAFs
from the simulator's portal, and DTEs built and signed by the Chilean pack as the platform does
(parse_document → build_draft → create_signer(credentials).sign → envelope.build_envelope)."""

from __future__ import annotations

import base64
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import requests
import xmlsec
from cryptography.hazmat.primitives import serialization
from lxml import etree

from services.core.simulators import SimulatorProcess, start_simulator
from services.countries.cl import demo, envelope, registration
from services.countries.cl.client import SiiClient
from services.countries.cl.client.authentication import TokenKeeper
from services.countries.cl.client.wire import Wire
from services.countries.cl.clock import CHILE_TIME
from services.countries.cl.pack import ChilePack
from services.countries.cl.signer_certificate import holder_run, issue_sandbox_certificate
from services.countries.pack import (
    Credentials,
    IssuerProfile,
    NumberingFile,
    NumberingSlot,
    Submission,
    Verdict,
)
from services.signing import testca

COMPANY = "76192083-9"
SENDER = "13185095-6"
OTHER_COMPANY = "96874030-K"
RESOLUTION_DATE = "2024-03-01"
SII = "http://www.sii.cl/SiiDte"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"s": SII}


def start(data_dir: Path) -> SimulatorProcess:
    """The simulator as its own process, checked to announce both of its URLs."""
    running = start_simulator("cl", data_dir)
    assert running.admin_url == f"{running.service_url}/sandbox"
    return running


def post(url: str, body: object, expect: int = 201) -> requests.Response:
    """POST JSON to the sandbox portal and check the status."""
    response = requests.post(url, json=body, timeout=30)
    assert response.status_code == expect, response.text
    return response


def put(url: str, body: object) -> dict:
    """PUT JSON to the sandbox portal."""
    response = requests.put(url, json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def sandbox_credentials(run: str = SENDER, name: str = "Ana Perez") -> Credentials:
    """A signing certificate naming `run` (subjectAltName OID 1.3.6.1.4.1.8321.1)."""
    authority = testca.create_authority()
    key, certificate = issue_sandbox_certificate(authority, run=run, name=name)
    return Credentials(key, certificate, (authority.certificate,))


@dataclass
class Company:
    """A company enrolled with the simulator: its profile, CAFs, signer and client."""

    simulator: SimulatorProcess
    profile: IssuerProfile
    credentials: Credentials
    pack: ChilePack
    ranges: dict[int, NumberingFile] = field(default_factory=dict)
    folios: dict[int, Iterator[int]] = field(default_factory=dict)

    def client(self, timeout: float = 30, **options: object) -> SiiClient:
        """A client of the simulator authenticating with the company's sender certificate."""
        options.setdefault("informe_url", f"{self.simulator.admin_url}/informes")
        options.setdefault("status_ttl", 0.02)  # the simulator's steps are 20 ms apart
        return SiiClient(
            self.simulator.service_url, timeout, credentials=self.credentials, **options
        )

    def caf(self, dte_type: int, **fields: object) -> NumberingFile:
        """A CAF from the simulator's portal, loaded by the pack (its FRMA checked)."""
        body = {"rut": self.profile.tax_id, "dte_type": dte_type, **fields}
        content = post(f"{self.simulator.admin_url}/cafs", body).content
        return self.pack.parse_numbering_file(self.profile.tax_id, content, "caf")

    def use(self, numbering: NumberingFile) -> None:
        """Issue the type's documents from this CAF from now on."""
        kind = int(numbering.range.document_types[0])
        self.ranges[kind] = numbering
        self.folios[kind] = itertools.count(numbering.range.range_from)
        keys = {**self.credentials.folio_keys, numbering.key_id: numbering.private_key_pem}
        self.credentials = replace(self.credentials, folio_keys=keys)

    def slot(self, dte_type: int, folio: int | None = None) -> NumberingSlot:
        """The next folio of the type's CAF (or `folio`, outside it or not)."""
        spec = self.ranges[dte_type].range
        return NumberingSlot(
            range_id=spec.authorization,
            authorization=spec.authorization,
            prefix="",
            number=next(self.folios[dte_type]) if folio is None else folio,
            range_from=spec.range_from,
            range_to=spec.range_to,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            public_authorization=spec.public_authorization,
        )

    def sign(
        self,
        unsigned: bytes,
        issued_at: datetime,
        credentials: Credentials | None = None,
    ) -> bytes:
        """Stamp and sign a drafted DTE as the signing service does."""
        signer = self.pack.create_signer(credentials or self.credentials)
        return signer.sign(unsigned, issued_at).signed_xml

    def documents(
        self,
        count: int,
        dte_type: int = 33,
        *,
        seed: int = 1,
        issued_at: datetime | None = None,
        edit: Callable[[etree._Element], None] | None = None,
        folio: int | None = None,
        **demo_options: object,
    ) -> list[Submission]:
        """`count` signed DTEs of the company, as submissions; `edit` changes each unsigned XML."""
        moment = issued_at or datetime.now(CHILE_TIME)
        requests_ = demo.generate_documents(
            count, self.profile.tax_id, seed, dte_type=dte_type, **demo_options
        )
        found = []
        for request in requests_:
            parsed = self.pack.parse_document(request, "document")
            draft = self.pack.build_draft(parsed, self.profile, self.slot(dte_type, folio), moment)
            unsigned = draft.unsigned_xml
            if edit is not None:
                root = etree.fromstring(unsigned)
                edit(root)
                unsigned = etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")
            signed = self.sign(unsigned, moment)
            found.append(
                submission(self.profile, draft.number, draft.document_key, signed, dte_type)
            )
        return found

    def envelope(self, submissions: list[Submission], **options: object) -> bytes:
        """The pack's EnvioDTE of `submissions`."""
        return envelope.build_envelope(
            [s.signed_xml for s in submissions], self.profile, self.credentials, **options
        )


def submission(
    profile: IssuerProfile, number: str, key: str, signed: bytes, dte_type: int = 33
) -> Submission:
    """A submission as the transmission service holds it."""
    options = {
        "sii_resolution_date": profile.authorization_date.isoformat(),  # type: ignore[union-attr]
        "sii_resolution_number": profile.authorization_number or "0",
    }
    return Submission(
        f"doc-{number}", profile.tax_id, str(dte_type), number, key, signed, "2", options
    )


def trusted_pack(simulator: SimulatorProcess) -> ChilePack:
    """A pack trusting the simulator's SII key, read from its odd certificate."""
    idk_cert = requests.get(f"{simulator.admin_url}/sii-key/100.cer", timeout=10)
    assert idk_cert.status_code == 200, idk_cert.text
    return ChilePack(trusted_sii_keys=[idk_cert.content])


def enrol(
    simulator: SimulatorProcess,
    rut: str = COMPANY,
    senders: tuple[str, ...] = (SENDER,),
    credentials: Credentials | None = None,
) -> Company:
    """Register a company (with its sender) and load a factura CAF for it."""
    post(
        f"{simulator.admin_url}/companies",
        {
            "rut": rut,
            "name": "Comercializadora Timbra Demo SpA",
            "resolution_date": RESOLUTION_DATE,
            "resolution_number": 0,
            "senders": list(senders),
        },
    )
    profile = registration.parse_issuer(demo.issuer_profile(rut), "issuer")
    company = Company(
        simulator, profile, credentials or sandbox_credentials(), trusted_pack(simulator)
    )
    company.use(company.caf(33, count=5000))
    return company


def settle(client: SiiClient, item: Submission, track_id: str, seconds: float = 60) -> Verdict:
    """poll() until the SII's verdict on a document is in."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        verdict = client.poll(item, track_id)
        if verdict is not None:
            return verdict
        time.sleep(0.05)
    raise AssertionError(f"no verdict for {item.number} in track {track_id} after {seconds} s")


def rules(verdict: Verdict) -> list[str]:
    """The rule codes of a verdict's messages."""
    return [message.rule for message in verdict.messages]


def yesterday() -> date:
    """Yesterday in Chile."""
    return datetime.now(CHILE_TIME).date() - timedelta(days=1)


def in_sii_namespace(element: etree._Element) -> etree._Element:
    """A copy of a namespace-free element (a CAF as a range carries it) in the DTE namespace."""
    copy = etree.Element(f"{{{SII}}}{element.tag}", dict(element.attrib))
    copy.text = element.text
    for child in element:
        copy.append(in_sii_namespace(child))
    return copy


def renumber(root: etree._Element, folio: int) -> None:
    """Give a drafted DTE another folio, in IdDoc and in its TED."""
    root.find("s:Documento/s:Encabezado/s:IdDoc/s:Folio", NS).text = str(folio)  # type: ignore[union-attr]
    root.find("s:Documento/s:TED/s:DD/s:F", NS).text = str(folio)  # type: ignore[union-attr]


def swap_caf(numbering: NumberingFile, folio: int) -> Callable[[etree._Element], None]:
    """An edit stamping a draft under another CAF (and one of its folios)."""
    caf = etree.fromstring(numbering.range.public_authorization.encode("iso-8859-1"))

    def edit(root: etree._Element) -> None:
        renumber(root, folio)
        dd = root.find("s:Documento/s:TED/s:DD", NS)
        assert dd is not None
        old = dd.find("s:CAF", NS)
        old.addprevious(in_sii_namespace(caf))  # type: ignore[union-attr]
        dd.remove(old)  # type: ignore[arg-type]

    return edit


def raw_envelope(
    dtes: list[bytes],
    credentials: Credentials,
    *,
    issuer: str = COMPANY,
    sender: str = SENDER,
    resolution: tuple[str, str] = (RESOLUTION_DATE, "0"),
    subtotals: dict[str, int] | None = None,
) -> bytes:
    """An EnvioDTE assembled here, without the pack's checks (to carry what it would refuse),
    its SetDTE signed with libxmlsec1 in the full envelope context."""
    counts: dict[str, int] = {}
    bodies = []
    for dte in dtes:
        root = etree.fromstring(dte)
        kind = root.findtext("s:Documento/s:Encabezado/s:IdDoc/s:TipoDTE", namespaces=NS)
        counts[kind] = counts.get(kind, 0) + 1
        bodies.append(dte[dte.index(b"<DTE") :].rstrip())
    declared = "".join(
        f"<SubTotDTE><TpoDTE>{k}</TpoDTE><NroDTE>{n}</NroDTE></SubTotDTE>"
        for k, n in (subtotals or counts).items()
    )
    head = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        f'<EnvioDTE xmlns="{SII}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.sii.cl/SiiDte EnvioDTE_v10.xsd" version="1.0">'
        '<SetDTE ID="SetDoc"><Caratula version="1.0">'
        f"<RutEmisor>{issuer}</RutEmisor><RutEnvia>{sender}</RutEnvia>"
        "<RutReceptor>60803000-K</RutReceptor>"
        f"<FchResol>{resolution[0]}</FchResol><NroResol>{resolution[1]}</NroResol>"
        f"<TmstFirmaEnv>{datetime.now(CHILE_TIME):%Y-%m-%dT%H:%M:%S}</TmstFirmaEnv>"
        f"{declared}</Caratula>"
    ).encode("iso-8859-1")
    document = etree.fromstring(head + b"".join(bodies) + b"</SetDTE></EnvioDTE>")
    return sign_envelope(document, credentials)


def sign_envelope(document: etree._Element, credentials: Credentials) -> bytes:
    """Sign an EnvioDTE's SetDTE (RSA-SHA1, C14N, KeyValue then X509Data) with libxmlsec1."""
    signature = xmlsec.template.create(document, xmlsec.Transform.C14N, xmlsec.Transform.RSA_SHA1)
    document.append(signature)
    xmlsec.template.add_reference(signature, xmlsec.Transform.SHA1, uri="#SetDoc")
    key_info = xmlsec.template.ensure_key_info(signature)
    key_value = xmlsec.template.add_key_value(key_info)
    data = xmlsec.template.add_x509_data(key_info)
    xmlsec.template.x509_data_add_certificate(data)
    xmlsec.tree.add_ids(document, ["ID"])
    key_pem = credentials.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
    key.load_cert_from_memory(
        credentials.certificate.public_bytes(serialization.Encoding.PEM), xmlsec.KeyFormat.PEM
    )
    context = xmlsec.SignatureContext()
    context.key = key
    context.sign(signature)
    # libxmlsec1 leaves KeyValue empty; the SII's schema wants the RSA key value in it.
    numbers = credentials.private_key.public_key().public_numbers()
    rsa_value = etree.SubElement(key_value, f"{{{DS}}}RSAKeyValue")
    for name, number in (("Modulus", numbers.n), ("Exponent", numbers.e)):
        raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
        etree.SubElement(rsa_value, f"{{{DS}}}{name}").text = base64.b64encode(raw).decode()
    return etree.tostring(document, xml_declaration=True, encoding="ISO-8859-1")


def upload_raw(
    company: Company,
    content: bytes,
    *,
    rut_company: str = COMPANY,
    credentials: Credentials | None = None,
    rut_sender: str | None = None,
) -> etree._Element:
    """DTEUpload of `content` as is; the RECEPCIONDTE answer."""
    wire = Wire(company.simulator.service_url, 30)
    credentials = credentials or company.credentials
    token = TokenKeeper(wire, credentials).current()
    sender = rut_sender or holder_run(credentials.certificate)
    fields = dict(zip(("rutSender", "dvSender"), sender.split("-"), strict=True))
    fields |= dict(zip(("rutCompany", "dvCompany"), rut_company.split("-"), strict=True))
    try:
        return wire.upload(token, fields, "envio.xml", content)
    finally:
        wire.close()


def wait_for_report(company: Company, track_id: str | None, seconds: float = 30) -> etree._Element:
    """The SII's result report of an envelope, once it is processed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = requests.get(f"{company.simulator.admin_url}/informes/{track_id}", timeout=10)
        if response.status_code == 200:
            return etree.fromstring(response.content)
        time.sleep(0.05)
    raise AssertionError(f"no report for track {track_id} after {seconds} s")
