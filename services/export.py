"""`timbra export`: each document's signed XML and the authority's response, as files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import grpc

from services.countries.registry import delivery_files
from timbra.v1 import issuing_pb2, issuing_pb2_grpc

STATES = {
    "drafted": issuing_pb2.DRAFTED,
    "signed": issuing_pb2.SIGNED,
    "transmitted": issuing_pb2.TRANSMITTED,
    "accepted": issuing_pb2.ACCEPTED,
    "rejected": issuing_pb2.REJECTED,
}

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def export(
    target: str,
    out: Path,
    *,
    country: str = "",
    status: str = "",
    number: str = "",
    issuer: str = "",
) -> int:
    """Write `<out>/<country>/<issuer>/<number>.xml` (+ `.response.xml`, `.json`); returns count."""
    request = issuing_pb2.ListDocumentsRequest(
        country=country, issuer=issuer, number=number, include_files=True
    )
    if status:
        request.states.append(STATES[status])
    written = 0
    with grpc.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        for view in stub.ListDocuments(request):
            folder = out / _SAFE.sub("_", view.country) / _SAFE.sub("_", view.issuer)
            folder.mkdir(parents=True, exist_ok=True)
            name = _SAFE.sub("_", view.number)
            if view.signed_xml:
                (folder / f"{name}.xml").write_bytes(view.signed_xml)
            if view.authority_response:
                (folder / f"{name}.response.xml").write_bytes(view.authority_response)
            if view.signed_xml and view.state == issuing_pb2.ACCEPTED:
                for file_name, content in delivery_files(
                    view.country, name, view.signed_xml, view.authority_response
                ).items():
                    (folder / file_name).write_bytes(content)
            (folder / f"{name}.json").write_text(
                json.dumps(
                    {
                        "document_id": view.document_id,
                        "request_id": view.request_id,
                        "number": view.number,
                        "document_key": view.document_key,
                        "state": issuing_pb2.DocumentState.Name(view.state).lower(),
                        "issue_date": view.issue_date,
                        "payable_amount": view.payable_amount,
                        "currency": view.currency,
                        "customer_id": view.customer_id,
                        "authority_status": view.verdict.status_code,
                        "authority_messages": [
                            {"rule": m.rule, "text": m.text, "rejection": m.rejection}
                            for m in view.verdict.messages
                        ],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            written += 1
    return written
