"""SiiClient's decisions over a scripted SII: tokens renewed once, DTEUpload's STATUS codes,
polling through the envelope's state, and reconciling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import etree

from services.countries.cl.client import SiiClient, SiiRefused
from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.pack import (
    AuthorityUnavailable,
    Credentials,
    Submission,
    SubmissionInDoubt,
)
from services.signing import testca

DTE = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<DTE xmlns="http://www.sii.cl/SiiDte" version="1.0"><Documento ID="T33F7"><Encabezado>
<IdDoc><TipoDTE>33</TipoDTE><Folio>7</Folio><FchEmis>2025-03-04</FchEmis></IdDoc>
<Emisor><RUTEmisor>76192083-9</RUTEmisor></Emisor><Receptor><RUTRecep>77777777-7</RUTRecep></Receptor>
<Totales><MntTotal>1190</MntTotal></Totales></Encabezado></Documento></DTE>"""
ITEM = Submission(
    "d",
    "76192083-9",
    "33",
    "7",
    "76192083-9:33:7",
    DTE,
    "2",
    {"sii_resolution_date": "2024-03-01", "sii_resolution_number": "0"},
)


def respuesta(estado: str, body: str = "", **header: str) -> etree._Element:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in {"ESTADO": estado, **header}.items())
    return etree.fromstring(
        f'<SII:RESPUESTA xmlns:SII="http://www.sii.cl/XMLSchema"><SII:RESP_HDR>{fields}'
        f"</SII:RESP_HDR><SII:RESP_BODY>{body}</SII:RESP_BODY></SII:RESPUESTA>"
    )


class ScriptedWire:
    """The SII as a script: answers per operation, in order; records every call."""

    def __init__(self) -> None:
        self.script: dict[str, list[Callable[[dict[str, str]], etree._Element]]] = {}
        self.calls: list[tuple[str, dict[str, str]]] = []
        self.tokens = 0
        self.reports: dict[str, bytes] = {}

    def soap(
        self, service: str, operation: str, parameters: list[tuple[str, str]]
    ) -> etree._Element:
        values = dict(parameters)
        self.calls.append((operation, values))
        if operation == "getSeed":
            return respuesta("00", "<SEMILLA>000000000001</SEMILLA>")
        if operation == "getToken":
            self.tokens += 1
            return respuesta("00", f"<TOKEN>TOKEN{self.tokens:08d}</TOKEN>")
        return self.script[operation].pop(0)(values)

    def upload(
        self, token: str, fields: dict[str, str], name: str, content: bytes
    ) -> etree._Element:
        self.calls.append(("DTEUpload", {"token": token, **fields}))
        return self.script["DTEUpload"].pop(0)({"token": token})

    def get(self, url: str) -> bytes | None:
        return self.reports.get(url.rsplit("/", 1)[1])

    def close(self) -> None:
        pass


def reception(status: str, track: str = "", errors: tuple[str, ...] = ()) -> Callable:
    detail = "".join(f"<ERROR>{e}</ERROR>" for e in errors)
    track_xml = f"<TRACKID>{track}</TRACKID>" if track else ""
    xml = (
        f"<RECEPCIONDTE><STATUS>{status}</STATUS>{track_xml}"
        f"<DETAIL>{detail}</DETAIL></RECEPCIONDTE>"
    )
    return lambda _: etree.fromstring(xml)


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = issue_sandbox_certificate(authority, run="13185095-6", name="Ana")
    return Credentials(key, certificate)


@pytest.fixture
def wire() -> ScriptedWire:
    return ScriptedWire()


def scripted(wire: ScriptedWire, credentials: Credentials, **options: object) -> SiiClient:
    """A client of the scripted SII (its envelopes are placeholders)."""
    return SiiClient(
        "http://sii",
        5,
        credentials=credentials,
        wire=wire,  # type: ignore[arg-type]
        envelope_builder=lambda dtes, issuer, c: b"<EnvioDTE/>",
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture
def client(wire: ScriptedWire, credentials: Credentials) -> SiiClient:
    return scripted(wire, credentials, informe_url="http://sii/sandbox/informes")


def test_an_accepted_upload_gives_every_document_the_track_id(
    client: SiiClient, wire: ScriptedWire
) -> None:
    wire.script["DTEUpload"] = [reception("0", "123")]
    [delivery] = client.submit_batch([ITEM])
    assert (delivery.verdict, delivery.track_id, delivery.operation) == (None, "123", "DTEUpload")
    upload = wire.calls[-1][1]
    assert (upload["rutSender"], upload["dvSender"]) == ("13185095", "6")
    assert (upload["rutCompany"], upload["dvCompany"]) == ("76192083", "9")


def test_status_5_renews_the_token_and_uploads_again_once(
    client: SiiClient, wire: ScriptedWire
) -> None:
    wire.script["DTEUpload"] = [reception("5"), reception("0", "9")]
    assert client.submit_batch([ITEM])[0].track_id == "9"
    tokens = [values["token"] for operation, values in wire.calls if operation == "DTEUpload"]
    assert tokens == ["TOKEN00000001", "TOKEN00000002"]
    wire.script["DTEUpload"] = [reception("5"), reception("5")]
    with pytest.raises(SiiRefused):
        client.submit_batch([ITEM])


@pytest.mark.parametrize("status", ["1", "2", "6", "7", "8"])
def test_a_refused_file_rejects_its_documents(
    client: SiiClient, wire: ScriptedWire, status: str
) -> None:
    wire.script["DTEUpload"] = [
        reception(status, errors=("(ENV-3-0) bad",) if status == "7" else ())
    ]
    [delivery] = client.submit_batch([ITEM])
    assert delivery.verdict is not None and not delivery.verdict.accepted
    assert delivery.verdict.status_code == status and delivery.verdict.messages


@pytest.mark.parametrize("status", ["3", "9", "4", ""])
def test_a_transient_refusal_is_unavailable(
    client: SiiClient, wire: ScriptedWire, status: str
) -> None:
    wire.script["DTEUpload"] = [reception(status)]
    with pytest.raises(AuthorityUnavailable):
        client.submit_batch([ITEM])


def test_a_file_already_received_is_in_doubt(client: SiiClient, wire: ScriptedWire) -> None:
    wire.script["DTEUpload"] = [reception("99")]
    with pytest.raises(SubmissionInDoubt):
        client.submit_batch([ITEM])


def test_documents_without_the_issuers_resolution_cannot_be_enveloped(client: SiiClient) -> None:
    with pytest.raises(ValueError, match="sii_resolution_date"):
        client.submit_batch([Submission("d", "76192083-9", "33", "7", "k", DTE, "2")])


COUNTERS = (
    "<TIPO_DOCTO>33</TIPO_DOCTO><INFORMADOS>1</INFORMADOS><ACEPTADOS>{a}</ACEPTADOS>"
    "<RECHAZADOS>{r}</RECHAZADOS><REPAROS>0</REPAROS>"
)


def test_polling_waits_then_decides_from_the_counters(
    wire: ScriptedWire, credentials: Credentials
) -> None:
    # No result report: the counters, then getEstDte, decide.
    client = scripted(wire, credentials, status_ttl=0)
    wire.script["getEstUp"] = [
        lambda _: respuesta("REC"),
        lambda _: respuesta("EPR", COUNTERS.format(a=1, r=0)),
    ]
    assert client.poll(ITEM, "5") is None
    verdict = client.poll(ITEM, "5")
    assert verdict.accepted and verdict.track_id == "5"
    assert client.poll(ITEM, "5").accepted, "a final state is kept: no third getEstUp"


def test_polling_asks_the_document_when_the_counters_are_mixed(
    wire: ScriptedWire, credentials: Credentials
) -> None:
    client = scripted(wire, credentials)
    wire.script["getEstUp"] = [lambda _: respuesta("EPR", COUNTERS.format(a=0, r=1))]
    wire.script["getEstDte"] = [lambda values: respuesta("FAU", GLOSA_ESTADO="No recibido")]
    verdict = client.poll(ITEM, "6")
    assert not verdict.accepted and verdict.status_code == "FAU"
    asked = wire.calls[-1][1]
    assert (asked["FolioDte"], asked["FechaEmisionDte"], asked["MontoDte"]) == (
        "7",
        "04032025",
        "1190",
    )
    assert (asked["RutConsultante"], asked["RutReceptor"], asked["DvReceptor"]) == (
        "13185095",
        "77777777",
        "7",
    )


def test_a_query_with_a_refused_token_is_repeated_with_a_new_one(
    client: SiiClient, wire: ScriptedWire
) -> None:
    wire.script["getEstUp"] = [
        lambda _: respuesta("002"),
        lambda _: respuesta("RSC", GLOSA="Schema"),
    ]
    verdict = client.poll(ITEM, "7")
    assert not verdict.accepted and verdict.status_code == "RSC"
    assert [v["Token"] for op, v in wire.calls if op == "getEstUp"] == [
        "TOKEN00000001",
        "TOKEN00000002",
    ]


def test_an_envelope_the_sii_does_not_know_is_in_doubt(
    client: SiiClient, wire: ScriptedWire
) -> None:
    wire.script["getEstUp"] = [lambda _: respuesta("-11", ERR_CODE="1")]
    with pytest.raises(SubmissionInDoubt):
        client.poll(ITEM, "8")


def test_reconcile_finds_what_the_sii_holds(client: SiiClient, wire: ScriptedWire) -> None:
    wire.script["getEstDte"] = [
        lambda _: respuesta("DOK"),
        lambda _: respuesta("FAU"),
        lambda _: respuesta("DNK"),
    ]
    found = client.reconcile(ITEM)
    assert found is not None and found.verdict.accepted and found.operation == "getEstDte"
    assert client.reconcile(ITEM) is None
    conflicting = client.reconcile(ITEM)
    assert conflicting is not None and not conflicting.verdict.accepted


def test_a_client_needs_credentials() -> None:
    with pytest.raises(ValueError, match="certificate"):
        SiiClient("http://sii", 5, credentials=None)


def test_a_processed_envelope_without_counters_is_asked_per_document(
    wire: ScriptedWire, credentials: Credentials
) -> None:
    client = scripted(wire, credentials)
    wire.script["getEstUp"] = [lambda _: respuesta("EPR")]
    wire.script["getEstDte"] = [lambda _: respuesta("DOK")]
    assert client.poll(ITEM, "10").status_code == "DOK"


def test_an_envelope_without_the_documents_type_is_in_doubt(
    wire: ScriptedWire, credentials: Credentials
) -> None:
    client = scripted(wire, credentials)
    other_type = COUNTERS.format(a=1, r=0).replace(">33<", ">34<")
    wire.script["getEstUp"] = [lambda _: respuesta("EPR", other_type)]
    with pytest.raises(SubmissionInDoubt):
        client.poll(ITEM, "11")
