"""The SII's "Resultado de Revisión" of an envelope: the report it e-mails once it is processed.

Root `RESULTADO_ENVIO` with IDENTIFICACION (RUTEMISOR, RUTENVIA, TRACKID, TMSTRECEPCION,
ESTADO), ESTADISTICA (a SUBTOTAL per type: TIPODOC, INFORMADO, ACEPTA, RECHAZO, REPARO), an
ERRORENVIO (DETERRENVIO lines) when the envelope itself was refused, and a REVISIONENVIO with
a REVISIONDTE (FOLIO, TIPODTE, ESTADO, DETALLE lines) for each DTE rejected or accepted with
reparos; accepted DTEs are not listed. The simulator serves it under /sandbox/informes in
place of the e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from services.countries.cl.simulator.codes import DTE_STATE_TEXT, ENVELOPE_GLOSAS
from services.countries.cl.simulator.ledger import TypeCount


@dataclass(frozen=True)
class Revision:
    """One DTE's line in the report."""

    dte_type: int
    folio: int
    state: str  # RCH, RPR or RLV
    details: tuple[str, ...]


def _add(parent: etree._Element, name: str, value: object) -> None:
    etree.SubElement(parent, name).text = str(value)


def build_informe(
    *,
    company: str,
    sender: str,
    track_id: int,
    received_at: datetime,
    state: str,
    counts: tuple[TypeCount, ...],
    errors: tuple[str, ...],
    revisions: list[Revision],
) -> bytes:
    """The report's XML (ISO-8859-1)."""
    root = etree.Element("RESULTADO_ENVIO")
    identification = etree.SubElement(root, "IDENTIFICACION")
    _add(identification, "RUTEMISOR", company)
    _add(identification, "RUTENVIA", sender)
    _add(identification, "TRACKID", track_id)
    _add(identification, "TMSTRECEPCION", received_at.strftime("%d/%m/%Y %H:%M:%S"))
    _add(identification, "ESTADO", f"{state} - {ENVELOPE_GLOSAS[state]}")
    if counts:
        statistics = etree.SubElement(root, "ESTADISTICA")
        for count in counts:
            subtotal = etree.SubElement(statistics, "SUBTOTAL")
            _add(subtotal, "TIPODOC", count.dte_type)
            _add(subtotal, "INFORMADO", count.informed)
            _add(subtotal, "ACEPTA", count.accepted)
            _add(subtotal, "RECHAZO", count.rejected)
            _add(subtotal, "REPARO", count.repairs)
    if errors:
        refused = etree.SubElement(root, "ERRORENVIO")
        for line in errors:
            _add(refused, "DETERRENVIO", line)
    if revisions:
        review = etree.SubElement(root, "REVISIONENVIO")
        for revision in revisions:
            entry = etree.SubElement(review, "REVISIONDTE")
            _add(entry, "FOLIO", revision.folio)
            _add(entry, "TIPODTE", revision.dte_type)
            _add(entry, "ESTADO", DTE_STATE_TEXT[revision.state])
            for line in revision.details:
                _add(entry, "DETALLE", line)
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")
