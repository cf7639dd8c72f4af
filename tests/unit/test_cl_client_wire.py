"""The client's HTTP: what each failure lets the caller conclude (nothing delivered, or in
doubt), against real sockets on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from lxml import etree

from services.countries.cl.client.wire import (
    HttpError,
    SiiRefused,
    Wire,
    returned_xml,
    rpc_envelope,
)
from services.countries.pack import AuthorityUnavailable, SubmissionInDoubt


class Silent:
    """A server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.socket.close()


def answering(status: int, body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def down() -> Iterator[str]:
    yield from answering(503, b"Service Unavailable")


@pytest.fixture
def missing() -> Iterator[str]:
    yield from answering(404, b"Not Found")


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_nobody_listening_means_nothing_was_delivered() -> None:
    wire = Wire(closed_port(), 2)
    with pytest.raises(AuthorityUnavailable, match="refused"):
        wire.upload("t", {}, "f.xml", b"<x/>")


def test_an_upload_unanswered_in_time_is_in_doubt(silent: Silent) -> None:
    with pytest.raises(SubmissionInDoubt):
        Wire(silent.url, 0.3).upload("t", {}, "f.xml", b"<x/>")


def test_a_query_unanswered_in_time_only_failed(silent: Silent) -> None:
    with pytest.raises(AuthorityUnavailable) as failure:
        Wire(silent.url, 0.3).soap("QueryEstUp", "getEstUp", [])
    assert not isinstance(failure.value, SubmissionInDoubt)


def test_an_http_error_is_unavailable(down: str) -> None:
    with pytest.raises(HttpError) as failure:
        Wire(down, 2).upload("t", {}, "f.xml", b"<x/>")
    assert failure.value.status == 503


def test_a_get_answered_404_finds_nothing(missing: str) -> None:
    assert Wire(missing, 2).get(f"{missing}/sandbox/informes/1") is None


def test_the_rpc_request_is_encoded_as_axis_expects() -> None:
    root = etree.fromstring(rpc_envelope("getToken", [("pszXml", "<getToken/>")]))
    call = root.find("{*}Body/{http://DefaultNamespace}getToken")
    assert call.get("{http://schemas.xmlsoap.org/soap/envelope/}encodingStyle").endswith(
        "encoding/"
    )
    part = call.find("pszXml")
    assert part.text == "<getToken/>"
    assert part.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "xsd:string"


def test_a_soap_fault_or_an_empty_return_is_a_refusal() -> None:
    fault = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
        b"<faultcode>s:Server</faultcode><faultstring>boom</faultstring></s:Fault></s:Body></s:Envelope>"
    )
    with pytest.raises(SiiRefused, match="boom"):
        returned_xml(fault, "getSeed")
    empty = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>'
    )
    with pytest.raises(SiiRefused):
        returned_xml(empty, "getSeed")
    hostile = b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    with pytest.raises(SiiRefused):
        returned_xml(hostile, "getSeed")
