"""`timbra verify` on hostile and malformed SII files: a clear error, no crash, nothing fetched."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.countries.cl.verify import MAX_FILE_BYTES, recognises, verify_file

SII = b'xmlns="http://www.sii.cl/SiiDte"'
_SII_KEY = rsa.generate_private_key(public_exponent=65537, key_size=1024)
SII_KEY = _SII_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
MODULUS = base64.b64encode(_SII_KEY.public_key().public_numbers().n.to_bytes(128, "big"))
LONG_PROLOG = b"<!--" + b"x" * 70_000 + b"-->"  # past any quick scan of the first bytes


class CountingHandler(BaseHTTPRequestHandler):
    """Counts requests: verifying must never fetch what a file points to."""

    hits = 0

    def do_GET(self) -> None:
        CountingHandler.hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "fetched">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    listening = HTTPServer(("127.0.0.1", 0), CountingHandler)
    threading.Thread(target=listening.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{listening.server_port}"
    listening.shutdown()


@pytest.fixture
def watched(server: str) -> Iterator[str]:
    CountingHandler.hits = 0
    yield server
    assert CountingHandler.hits == 0, "the verifier fetched something from the network"


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "hostile.xml"
    path.write_bytes(content)
    return path


def laughs(prolog: bytes = b"") -> bytes:
    entities = b"".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">'.encode() for i in range(1, 10))
    return (
        b'<?xml version="1.0"?>'
        + prolog
        + b'<!DOCTYPE DTE [<!ENTITY l0 "ha">'
        + entities
        + b"]><DTE "
        + SII
        + b">&l9;</DTE>"
    )


@pytest.mark.parametrize("prolog", [b"", LONG_PROLOG])
def test_billion_laughs_is_refused_without_expanding(
    tmp_path: Path, watched: str, prolog: bytes
) -> None:
    started = time.perf_counter()
    report = verify_file(write(tmp_path, laughs(prolog)))
    assert "DOCTYPE" in report.error and not report.passed and not report.checks
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("prolog", [b"", LONG_PROLOG])
def test_external_entities_and_dtds_are_neither_read_nor_fetched(
    tmp_path: Path, watched: str, prolog: bytes
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    hostile = [
        b'<!DOCTYPE DTE [<!ENTITY web SYSTEM "' + f"{watched}/e".encode() + b'">'
        b'<!ENTITY file SYSTEM "' + secret.as_uri().encode() + b'">]>'
        b"<DTE " + SII + b"><Documento>&web;&file;</Documento></DTE>",
        b'<!DOCTYPE DTE [<!ENTITY % remote SYSTEM "' + f"{watched}/p".encode() + b'">%remote;]>'
        b"<DTE " + SII + b"/>",
        b'<!DOCTYPE DTE SYSTEM "' + f"{watched}/dtd".encode() + b'"><DTE ' + SII + b"/>",
    ]
    for content in hostile:
        report = verify_file(write(tmp_path, b'<?xml version="1.0"?>' + prolog + content))
        assert "DOCTYPE" in report.error and not report.passed
        assert "TOP-SECRET" not in report.to_json() + report.render()
    # In UTF-16 the DOCTYPE is not seen in the bytes: the parser, which resolves nothing,
    # refuses it after reading.
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + prolog.decode()).encode("utf-16")
    report = verify_file(write(tmp_path, utf16 + hostile[0].decode().encode("utf-16")[2:]))
    assert "DOCTYPE" in report.error and "TOP-SECRET" not in report.to_json()


def test_xinclude_and_schema_locations_are_not_followed(tmp_path: Path, watched: str) -> None:
    content = (
        b'<EnvioDTE xmlns="http://www.sii.cl/SiiDte" '
        b'xmlns:xi="http://www.w3.org/2001/XInclude" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        b'xsi:schemaLocation="http://www.sii.cl/SiiDte '
        + f'{watched}/EnvioDTE_v10.xsd">'.encode()
        + b'<SetDTE ID="SetDoc"><xi:include href="'
        + f'{watched}/dte.xml"/></SetDTE></EnvioDTE>'.encode()
    )
    report = verify_file(write(tmp_path, content))
    assert not report.passed and report.check("schema")[0].status == "fail"


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as file:
        file.write(b"<EnvioDTE " + SII + b">")
        file.seek(MAX_FILE_BYTES + 10)
        file.write(b"</EnvioDTE>")
    started = time.perf_counter()
    report = verify_file(path)
    assert str(MAX_FILE_BYTES) in report.error and not report.passed
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"%PDF-1.7 http://www.sii.cl/SiiDte", "not an XML document"),
        (b"<DTE " + SII + b"><Documento></DTE>", "not an XML document"),
        (
            '<?xml version="1.0" encoding="UTF-8"?><DTE xmlns="http://www.sii.cl/SiiDte">'
            "Ñandú</DTE>".encode("iso-8859-1"),
            "its bytes are not UTF-8, the encoding it declares",
        ),
        (
            b'<?xml version="1.0" encoding="x-klingon"?><DTE ' + SII + b"/>",
            "it declares x-klingon, an encoding unknown here",
        ),
        (b"<RespuestaDTE " + SII + b' version="1.0"/>', "timbra verifies an SII DTE or EnvioDTE"),
    ],
)
def test_files_that_are_not_sii_documents_get_a_clear_error(
    tmp_path: Path, content: bytes, says: str
) -> None:
    report = verify_file(write(tmp_path, content))
    assert says in report.error and not report.passed
    assert json.loads(report.to_json())["error"] == report.error
    assert report.render().splitlines()[1] == f"  error: {report.error}"


@pytest.mark.parametrize(
    "content",
    [
        b"<DTE " + SII + b"/>",
        b"<EnvioDTE " + SII + b"/>",
        b"<EnvioDTE " + SII + b'><SetDTE ID="S"><Caratula/><DTE><Documento/></DTE></SetDTE>'
        b"</EnvioDTE>",
        b"<DTE " + SII + b'><Documento ID="D"><TED><DD><CAF><DA><RSAPK><M>!!</M><E>Aw==</E>'
        b"</RSAPK></DA></CAF></DD><FRMT>%%</FRMT></TED></Documento>"
        b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></DTE>',
    ],
)
def test_hollow_documents_fail_check_by_check_without_crashing(
    tmp_path: Path, content: bytes
) -> None:
    report = verify_file(write(tmp_path, content), sii_keys=[SII_KEY])
    assert not report.error and report.checks and not report.passed
    assert report.check("schema")[0].status == "fail" and len(report.failures) >= 2


# Deeper than Python recurses (and than libxml2 allows without its "huge" option): refused at
# parsing with a clear error, before any flattening could recurse on it.
DEEP = (
    b"<DTE "
    + SII
    + b'><Documento ID="D"><TED><DD>'
    + b"<a>" * 1500
    + b"</a>" * 1500
    + b"<CAF><DA><RSAPK><M>"
    + MODULUS
    + b"</M><E>Aw==</E></RSAPK>"
    + b"<b>" * 1500
    + b"</b>" * 1500
    + b"</DA><FRMA>x</FRMA></CAF></DD>"
    b"<FRMT>x</FRMT></TED></Documento></DTE>"
)


def test_nesting_deeper_than_any_dte_is_refused_at_parsing(tmp_path: Path) -> None:
    report = verify_file(write(tmp_path, DEEP), sii_keys=[SII_KEY])
    assert "depth" in report.error and not report.passed


def test_unusable_keys_and_missing_files_are_errors_not_crashes(tmp_path: Path) -> None:
    content = write(tmp_path, b"<DTE " + SII + b"/>")
    report = verify_file(content, sii_keys=[b"not a key"])
    assert report.error.startswith("--sii-key: trusted SII key #1") and not report.passed
    missing = verify_file(tmp_path / "nowhere.xml")
    assert "cannot read" in missing.error and not missing.passed


def test_sii_files_are_recognised_by_their_namespace_whatever_their_declaration() -> None:
    for declaration in (b"ISO-8859-1", b"UTF-8", b"windows-1252"):
        assert recognises(b'<?xml version="1.0" encoding="' + declaration + b'"?><DTE ' + SII)
    assert not recognises(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:'/>")
    assert not recognises(b"<AUTORIZACION><CAF version='1.0'/></AUTORIZACION>")
