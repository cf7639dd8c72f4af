"""The SII's answers: the `SII:RESPUESTA` XML its web services return inside a SOAP string
(reference §7.1–7.5), and DTEUpload's `RECEPCIONDTE` (§7.3)."""

from __future__ import annotations

import itertools
from datetime import datetime

from lxml import etree

from services.countries.cl.simulator.ledger import TypeCount

RESPONSE_NS = "http://www.sii.cl/XMLSchema"
_SII = f"{{{RESPONSE_NS}}}"
_attention = itertools.count(1000)


def _respuesta(header: dict[str, object], body: list[tuple[str, object]] | None) -> str:
    root = etree.Element(f"{_SII}RESPUESTA", nsmap={"SII": RESPONSE_NS})
    head = etree.SubElement(root, f"{_SII}RESP_HDR")
    for name, value in header.items():
        etree.SubElement(head, name).text = str(value)
    if body is not None:
        part = etree.SubElement(root, f"{_SII}RESP_BODY")
        for name, value in body:
            etree.SubElement(part, name).text = str(value)
    return '<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(root, encoding="unicode")


def attention(now: datetime) -> str:
    """A NUM_ATENCION: the SII's request number and when it was served."""
    return f"{next(_attention)} ({now:%Y/%m/%d %H:%M:%S})"


def seed(value: str) -> str:
    """getSeed's answer with a seed (ESTADO 00)."""
    return _respuesta({"ESTADO": "00"}, [("SEMILLA", value)])


def seed_error(estado: str, glosa: str) -> str:
    """getSeed's answer when no seed could be made (ESTADO -1, -2)."""
    return _respuesta({"ESTADO": estado, "GLOSA": glosa}, None)


def token(value: str) -> str:
    """getToken's answer with a token (ESTADO 00, "Token Creado")."""
    return _respuesta({"ESTADO": "00", "GLOSA": "Token Creado"}, [("TOKEN", value)])


def token_error(estado: str, glosa: str) -> str:
    """getToken's answer refusing the signed seed."""
    return _respuesta({"ESTADO": estado, "GLOSA": glosa}, None)


def upload_status(
    track_id: str, estado: str, glosa: str, now: datetime, counts: tuple[TypeCount, ...] = ()
) -> str:
    """getEstUp's answer: the envelope's state and, once processed, its counters per type."""
    header = {"TRACKID": track_id, "ESTADO": estado, "GLOSA": glosa}
    header["NUM_ATENCION"] = attention(now)
    body: list[tuple[str, object]] = []
    for count in counts:
        body += [
            ("TIPO_DOCTO", count.dte_type),
            ("INFORMADOS", count.informed),
            ("ACEPTADOS", count.accepted),
            ("RECHAZADOS", count.rejected),
            ("REPAROS", count.repairs),
        ]
    return _respuesta(header, body or None)


def query_error(estado: str, glosa: str, now: datetime, err_code: str = "") -> str:
    """A query service's answer when it could not answer (token, parameters, permissions)."""
    header: dict[str, object] = {"ESTADO": estado, "GLOSA": glosa}
    if err_code:
        header["ERR_CODE"] = err_code
        header["GLOSA_ERR"] = glosa
    header["NUM_ATENCION"] = attention(now)
    return _respuesta(header, None)


def document_status(estado: str, glosa: str, err_code: str, now: datetime) -> str:
    """getEstDte's answer (§7.5)."""
    return _respuesta(
        {
            "ESTADO": estado,
            "GLOSA_ESTADO": glosa,
            "ERR_CODE": err_code,
            "GLOSA_ERR": glosa,
            "NUM_ATENCION": attention(now),
        },
        None,
    )


def reception(
    *,
    sender: str,
    company: str,
    file_name: str,
    now: datetime,
    status: str,
    track_id: int | None = None,
    errors: tuple[str, ...] = (),
) -> bytes:
    """DTEUpload's RECEPCIONDTE: STATUS, and TRACKID when the file was taken."""
    root = etree.Element("RECEPCIONDTE")
    for name, value in (
        ("RUTSENDER", sender),
        ("RUTCOMPANY", company),
        ("FILE", file_name),
        ("TIMESTAMP", f"{now:%Y-%m-%d %H:%M:%S}"),
        ("STATUS", status),
    ):
        etree.SubElement(root, name).text = value
    if track_id is not None:
        etree.SubElement(root, "TRACKID").text = str(track_id)
    if errors:
        detail = etree.SubElement(root, "DETAIL")
        for line in errors:
            etree.SubElement(detail, "ERROR").text = line
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
