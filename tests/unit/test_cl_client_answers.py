"""The client's reading of the SII's answers: every status code of the reference mapped."""

from __future__ import annotations

import pytest
from lxml import etree

from services.countries.cl.client import answers, verdicts
from services.countries.cl.client.answers import TokenRejected, TypeCount
from services.countries.cl.client.wire import SiiRefused
from services.countries.pack import SubmissionInDoubt

NS = 'xmlns:SII="http://www.sii.cl/XMLSchema"'


def respuesta(header: str, body: str = "") -> answers.Respuesta:
    body_xml = f"<SII:RESP_BODY>{body}</SII:RESP_BODY>" if body else ""
    text = f"<SII:RESPUESTA {NS}><SII:RESP_HDR>{header}</SII:RESP_HDR>{body_xml}</SII:RESPUESTA>"
    return answers.read_respuesta(etree.fromstring(text))


def estup(estado: str, **fields: str) -> answers.EnvelopeStatus:
    extra = "".join(f"<{k}>{v}</{k}>" for k, v in fields.items())
    body = (
        "<TIPO_DOCTO>33</TIPO_DOCTO><INFORMADOS>3</INFORMADOS><ACEPTADOS>2</ACEPTADOS>"
        "<RECHAZADOS>1</RECHAZADOS><REPAROS>0</REPAROS><TIPO_DOCTO>61</TIPO_DOCTO>"
        "<INFORMADOS>1</INFORMADOS><ACEPTADOS>1</ACEPTADOS><RECHAZADOS>0</RECHAZADOS>"
        "<REPAROS>1</REPAROS>"
    )
    return answers.envelope_status(respuesta(f"<ESTADO>{estado}</ESTADO>{extra}", body), "42")


@pytest.mark.parametrize("estado", ["REC", "SOK", "CRT", "FOK", "PDR", "PRD", "XYZ"])
def test_intermediate_envelope_states_are_in_progress(estado: str) -> None:
    status = estup(estado)
    assert status.pending and not status.rejected


@pytest.mark.parametrize("estado", ["RSC", "RFR", "RCT", "RCH", "RPT", "VOF"])
def test_refused_envelopes(estado: str) -> None:
    status = estup(estado)
    assert status.rejected and not status.pending and status.glosa


@pytest.mark.parametrize("estado", ["EPR", "RLV", "RPR"])
def test_processed_envelopes_carry_their_counters_per_type(estado: str) -> None:
    status = estup(estado)
    assert not status.pending and not status.rejected
    assert status.counts == {33: TypeCount(3, 2, 1, 0), 61: TypeCount(1, 1, 0, 1)}


def test_the_query_error_minus_11_waits_or_is_in_doubt() -> None:
    assert estup("-11", ERR_CODE="2").pending
    with pytest.raises(SubmissionInDoubt):
        estup("-11", ERR_CODE="1")


@pytest.mark.parametrize("estado", ["001", "002", "003"])
def test_token_errors_ask_for_a_new_token(estado: str) -> None:
    with pytest.raises(TokenRejected):
        estup(estado)


@pytest.mark.parametrize("estado", [f"-{n}" for n in (*range(1, 11), 12, 13, 14)])
def test_query_errors_are_refusals(estado: str) -> None:
    with pytest.raises(SiiRefused, match=estado):
        estup(estado)


@pytest.mark.parametrize(
    ("estado", "accepted", "notified"),
    [
        ("DOK", True, False),
        ("TMD", True, True),
        ("TMC", True, True),
        ("MMD", True, True),
        ("MMC", True, True),
        ("AND", True, True),
        ("ANC", True, True),
        ("DNK", False, True),
        ("FAU", False, True),
        ("FNA", False, True),
        ("FAN", False, True),
        ("EMP", False, True),
    ],
)
def test_every_get_est_dte_state(estado: str, accepted: bool, notified: bool) -> None:
    answer = respuesta(
        f"<ESTADO>{estado}</ESTADO><GLOSA_ESTADO>g</GLOSA_ESTADO><ERR_CODE>0</ERR_CODE>"
    )
    verdict = verdicts.from_document_status(answer, "key", "7")
    assert (verdict.accepted, verdict.status_code, bool(verdict.messages)) == (
        accepted,
        estado,
        notified,
    )
    assert verdict.authority == "SII" and verdict.document_key == "key"


def test_an_unknown_get_est_dte_state_is_a_refusal() -> None:
    with pytest.raises(SiiRefused):
        verdicts.from_document_status(respuesta("<ESTADO>-3</ESTADO>"), "k", "")


REPORT = b"""<RESULTADO_ENVIO>
<IDENTIFICACION><ESTADO>EPR - Envio Procesado</ESTADO></IDENTIFICACION>
<REVISIONENVIO>
<REVISIONDTE><FOLIO>5</FOLIO><TIPODTE>33</TIPODTE><ESTADO>RCH - DTE Rechazado</ESTADO>
<DETALLE>(CAF-3-517) CAF Vencido</DETALLE></REVISIONDTE>
<REVISIONDTE><FOLIO>6</FOLIO><TIPODTE>33</TIPODTE>
<ESTADO>RLV - DTE Aceptado con Reparos Leves</ESTADO>
<DETALLE>(TOT-1-601) IVA no corresponde</DETALLE></REVISIONDTE>
<REVISIONDTE><FOLIO>7</FOLIO><TIPODTE>33</TIPODTE><ESTADO>RCH - DTE Rechazado</ESTADO>
<DETALLE>(DTE-3-100) DTE Repetido</DETALLE></REVISIONDTE>
<REVISIONDTE><FOLIO>8</FOLIO><TIPODTE>33</TIPODTE><ESTADO>XYZ - ?</ESTADO></REVISIONDTE>
</REVISIONENVIO></RESULTADO_ENVIO>"""


def test_the_result_report_decides_listed_documents() -> None:
    informe = answers.read_informe(etree.fromstring(REPORT))
    rejected = verdicts.from_report(informe, 33, 5, "k", "1")
    assert (rejected.accepted, rejected.status_code) == (False, "RCH")
    assert [(m.rule, m.text, m.rejection) for m in rejected.messages] == [
        ("CAF-3-517", "CAF Vencido", True)
    ]
    repaired = verdicts.from_report(informe, 33, 6, "k", "1")
    assert (repaired.accepted, repaired.status_code) == (True, "RLV")
    assert [(m.rule, m.rejection) for m in repaired.messages] == [("TOT-1-601", False)]
    assert verdicts.from_report(informe, 33, 9, "k", "1").accepted, "unlisted: accepted"
    assert verdicts.from_report(informe, 33, 7, "k", "1") is None, "repeated: ask getEstDte"
    assert verdicts.from_report(informe, 33, 8, "k", "1") is None, "unknown: ask getEstDte"


def test_counters_accept_without_asking_only_when_clean() -> None:
    assert verdicts.from_counts(TypeCount(2, 2, 0, 0), "k", "1", b"").accepted
    assert verdicts.from_counts(TypeCount(2, 1, 1, 0), "k", "1", b"") is None
    assert verdicts.from_counts(TypeCount(2, 2, 0, 1), "k", "1", b"") is None


def test_a_refused_envelope_rejects_with_the_reports_reasons() -> None:
    report = (
        b"<RESULTADO_ENVIO><ERRORENVIO><DETERRENVIO>(CRT-3-19) Fecha</DETERRENVIO>"
        b"</ERRORENVIO></RESULTADO_ENVIO>"
    )
    verdict = verdicts.refused_envelope(
        estup("RCT"), answers.read_informe(etree.fromstring(report)), "k", "1"
    )
    assert not verdict.accepted and [m.rule for m in verdict.messages] == ["RCT", "CRT-3-19"]
