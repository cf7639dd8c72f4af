"""Reading the SII's answers and mapping every status code of the reference (§7) to a verdict:
accepted, accepted with reparos (accepted, the reparos as notifications), rejected with the SII's
reason, or still in progress. The table is in the module constants below; codes the reference
does not list are kept in progress (polled again) rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from services.countries.cl.client.wire import SiiRefused
from services.countries.pack import AuthorityMessage, SubmissionInDoubt, Verdict

AUTHORITY = "SII"
RESPONSE_NS = "http://www.sii.cl/XMLSchema"
# Query services: the call's token is not usable (§7.4): renew it and ask again.
TOKEN_ERRORS = {"001": "Cookie inactivo", "002": "Token inactivo", "003": "Token no existe"}
# getEstUp ESTADO (§7.4).
ENVELOPE_PENDING = {
    "REC": "Envio recibido",
    "SOK": "Schema validado",
    "CRT": "Caratula OK",
    "FOK": "Firma de envio validada",
    "PDR": "Envio en proceso",
    "PRD": "Envio en proceso",
}
ENVELOPE_PROCESSED = {"EPR": "Envio procesado"}
ENVELOPE_REPAIRS = {"RLV": "Aceptado con reparos leves", "RPR": "Aceptado con reparos"}
ENVELOPE_REJECTED = {
    "RSC": "Rechazado por error en schema",
    "RFR": "Rechazado por error en firma",
    "RCT": "Rechazado por error en caratula",
    "RCH": "Rechazado",
    "RPT": "Rechazado (repetido)",
    "VOF": "Rechazado",
}
QUERY_ERRORS = {
    "-1": "campo estado no existe",
    "-2": "error retorno",
    "-3": "RUT usuario no existe",
    "-4": "error obtencion de datos",
    "-5": "error retorno datos",
    "-6": "usuario no autorizado",
    "-7": "error retorno datos",
    "-8": "error retorno datos",
    "-9": "error retorno datos",
    "-10": "error valida RUT usuario",
    "-12": "error retorno consulta",
    "-13": "RUT usuario nulo",
    "-14": "error XML retorno datos",
}
# DTEUpload STATUS (§7.3): what the file's refusal means for its documents.
UPLOAD_REJECTS = {
    "1": "Usuario sin permiso de envio",
    "2": "Error en tamano del archivo",
    "6": "Empresa no autorizada a enviar archivos",
    "7": "Schema invalido",
    "8": "Firma del archivo con error",
}
UPLOAD_RETRY = {"3": "Archivo cortado (tamano distinto)", "9": "Sistema bloqueado"}
UPLOAD_TOKEN = "5"  # no autenticado: renew the token and upload again
UPLOAD_REPEATED = "99"  # archivo ya recibido: the SII has it, reconcile
# Per-document state in the SII's result report (informe).
DOCUMENT_REJECTED = {"RCH": "DTE Rechazado"}
DOCUMENT_REPAIRS = {"RPR": "Aceptado con reparos", "RLV": "Aceptado con reparos leves"}
# getEstDte ESTADO (§7.5).
DTE_RECEIVED = {"DOK": "Recibido, datos coinciden"}
DTE_MODIFIED = {
    "TMD": "Nota de debito modifica texto",
    "TMC": "Nota de credito modifica texto",
    "MMD": "Nota de debito modifica montos",
    "MMC": "Nota de credito modifica montos",
    "AND": "Nota de debito anula documento",
    "ANC": "Nota de credito anula documento",
}
DTE_NOT_HELD = {
    "DNK": "Recibido, pero datos no coinciden",
    "FAU": "No recibido por el SII",
    "FNA": "Folio no autorizado",
    "FAN": "Folio anulado",
    "EMP": "Empresa no autorizada a emitir",
}
REPEATED_DTE = "DTE-3-100"  # the same DTE already received: decided by what the SII holds
_DETAIL = re.compile(r"\(([^)]*)\)\s*(.*)", re.S)


class TokenRejected(Exception):
    """The call's token was refused (expired, unknown): renew it and repeat the call."""


@dataclass(frozen=True)
class Respuesta:
    """An `SII:RESPUESTA`: its header fields, its body fields in order, its bytes."""

    header: dict[str, str]
    body: list[tuple[str, str]]
    xml: bytes

    @property
    def estado(self) -> str:
        """The ESTADO field."""
        return self.header.get("ESTADO", "").strip()

    def glosa(self) -> str:
        """The answer's explanation, whichever field carries it."""
        for name in ("GLOSA", "GLOSA_ESTADO", "GLOSA_ERR"):
            if self.header.get(name):
                return self.header[name]
        return ""


def _fields(element: etree._Element | None) -> list[tuple[str, str]]:
    if element is None:
        return []
    return [
        (etree.QName(child).localname, (child.text or "").strip())
        for child in element
        if isinstance(child.tag, str)
    ]


def read_respuesta(root: etree._Element) -> Respuesta:
    """The fields of an `SII:RESPUESTA`."""
    header = dict(_fields(root.find(f"{{{RESPONSE_NS}}}RESP_HDR")))
    body = _fields(root.find(f"{{{RESPONSE_NS}}}RESP_BODY"))
    return Respuesta(header, body, etree.tostring(root, encoding="UTF-8"))


def query_problem(answer: Respuesta, operation: str) -> None:
    """Raise what a query's token or error ESTADO means (TokenRejected, SiiRefused)."""
    if answer.estado in TOKEN_ERRORS:
        raise TokenRejected(f"{operation}: {TOKEN_ERRORS[answer.estado]}")
    if answer.estado in QUERY_ERRORS:
        reason = answer.glosa() or QUERY_ERRORS[answer.estado]
        raise SiiRefused(f"{operation} ESTADO {answer.estado}: {reason}")


@dataclass(frozen=True)
class TypeCount:
    """getEstUp's counters for one document type."""

    informed: int = 0
    accepted: int = 0
    rejected: int = 0
    repairs: int = 0


@dataclass(frozen=True)
class EnvelopeStatus:
    """An envelope's state: pending, processed (with counters) or rejected."""

    state: str
    glosa: str
    pending: bool
    rejected: bool
    counts: dict[int, TypeCount] = field(default_factory=dict)
    xml: bytes = b""


def _counts(body: list[tuple[str, str]]) -> dict[int, TypeCount]:
    names = {"INFORMADOS": "informed", "ACEPTADOS": "accepted", "RECHAZADOS": "rejected"}
    names["REPAROS"] = "repairs"
    counts: dict[int, TypeCount] = {}
    current: int | None = None
    values: dict[str, int] = {}
    for name, value in [*body, ("TIPO_DOCTO", "")]:
        if name == "TIPO_DOCTO":
            if current is not None:
                counts[current] = TypeCount(**values)
            current, values = (int(value), {}) if value.isdigit() else (None, {})
        elif name in names and value.lstrip("-").isdigit():
            values[names[name]] = int(value)
    return counts


def envelope_status(answer: Respuesta, track_id: str) -> EnvelopeStatus:
    """What a getEstUp answer says; raises for token errors, query errors and unknown envelopes."""
    estado = answer.estado
    query_problem(answer, "getEstUp")
    if estado == "-11":
        if answer.header.get("ERR_CODE") == "1":
            raise SubmissionInDoubt(f"getEstUp: the SII does not know envelope {track_id}")
        return EnvelopeStatus(estado, answer.glosa() or "en proceso", True, False, xml=answer.xml)
    glosa = answer.glosa()
    if estado in ENVELOPE_PROCESSED or estado in ENVELOPE_REPAIRS:
        counts = _counts(answer.body)
        return EnvelopeStatus(estado, glosa, False, False, counts, answer.xml)
    if estado in ENVELOPE_REJECTED:
        return EnvelopeStatus(
            estado, glosa or ENVELOPE_REJECTED[estado], False, True, xml=answer.xml
        )
    # Intermediate states, and any state the reference does not list: poll again.
    return EnvelopeStatus(
        estado, glosa or ENVELOPE_PENDING.get(estado, ""), True, False, xml=answer.xml
    )


def messages(details: list[str], rejection: bool) -> tuple[AuthorityMessage, ...]:
    """The SII's detail lines, `(CODE) text`, as messages."""
    found = []
    for line in details:
        match = _DETAIL.match(line.strip())
        rule, text = (match.group(1), match.group(2)) if match else ("", line.strip())
        found.append(AuthorityMessage(rule.strip(), text.strip(), rejection))
    return tuple(found)


@dataclass(frozen=True)
class Revision:
    """One document's line in the SII's result report."""

    state: str  # RCH, RPR, RLV (the code before " - ")
    details: tuple[str, ...]
    xml: bytes


@dataclass(frozen=True)
class Informe:
    """The SII's result report of an envelope: why it was refused, and its documents' lines."""

    errors: tuple[str, ...]
    revisions: dict[tuple[int, int], Revision]


def read_informe(root: etree._Element) -> Informe:
    """The SII's result report (RESULTADO_ENVIO): ERRORENVIO lines and REVISIONDTE entries."""
    revisions = {}
    for entry in root.iterfind("REVISIONENVIO/REVISIONDTE"):
        kind, folio = entry.findtext("TIPODTE", "").strip(), entry.findtext("FOLIO", "").strip()
        if kind.isdigit() and folio.isdigit():
            state = entry.findtext("ESTADO", "").split("-")[0].strip()
            details = tuple((d.text or "").strip() for d in entry.iterfind("DETALLE"))
            revisions[(int(kind), int(folio))] = Revision(
                state, details, etree.tostring(entry, encoding="UTF-8")
            )
    errors = tuple((e.text or "").strip() for e in root.iterfind("ERRORENVIO/DETERRENVIO"))
    return Informe(errors, revisions)


def verdict(
    accepted: bool,
    code: str,
    description: str,
    notes: tuple[AuthorityMessage, ...] = (),
    *,
    key: str = "",
    track_id: str = "",
    xml: bytes = b"",
) -> Verdict:
    """A Verdict from the SII."""
    return Verdict(accepted, AUTHORITY, code, description, notes, key, track_id, xml)
