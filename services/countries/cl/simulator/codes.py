"""The SII's status codes and glosas the simulator answers with (reference §7).

Per-document detail codes follow the SII's `AREA-severity-number` form. Those the reference
names (DTE-3-101, DTE-3-601, CAF-3-517, HED-3-305, REF-3-750, REF-3-415, the `-3-758` of a note
without CodRef, ENV-3-0) keep the SII's number; DTE-3-100 (repeated DTE), DTE-3-505 (DTE
signature) and CRT-3-19 (resolution) come from public accounts of live SII answers; the rest
(`SIMULATOR_CODES`) are this simulator's own numbering, documented as such.
"""

from __future__ import annotations

from dataclasses import dataclass

# DTEUpload STATUS (§7.3).
UPLOAD_OK = "0"
UPLOAD_SENDER_NOT_ALLOWED = "1"
UPLOAD_SIZE = "2"
UPLOAD_TRUNCATED = "3"
UPLOAD_NOT_AUTHENTICATED = "5"
UPLOAD_COMPANY_NOT_AUTHORISED = "6"
UPLOAD_SCHEMA = "7"
UPLOAD_SIGNATURE = "8"
UPLOAD_BLOCKED = "9"
UPLOAD_REPEATED = "99"

# getEstUp ESTADO of an envelope (§7.4), in the order an accepted envelope goes through them.
RECEIVED, SCHEMA_OK, COVER_OK, SIGNATURE_OK, IN_PROCESS, PROCESSED = (
    "REC",
    "SOK",
    "CRT",
    "FOK",
    "PDR",
    "EPR",
)
SCHEMA_REJECTED, COVER_REJECTED, SIGNATURE_REJECTED = "RSC", "RCT", "RFR"
ENVELOPE_GLOSAS = {
    RECEIVED: "Envio Recibido",
    SCHEMA_OK: "Schema Validado",
    COVER_OK: "Caratula OK",
    SIGNATURE_OK: "Firma de Envio Validada",
    IN_PROCESS: "Envio en Proceso",
    PROCESSED: "Envio Procesado",
    SCHEMA_REJECTED: "Rechazado por Error en Schema",
    COVER_REJECTED: "Rechazado por Error en Caratula",
    SIGNATURE_REJECTED: "Rechazado por Error en Firma",
}
ACCEPTED_PATH = (RECEIVED, SCHEMA_OK, COVER_OK, SIGNATURE_OK, IN_PROCESS, PROCESSED)

# getEstUp / getEstDte header errors (§7.4, §7.5).
TOKEN_INACTIVE = "002"
TOKEN_UNKNOWN = "003"
TOKEN_GLOSAS = {TOKEN_INACTIVE: "TOKEN INACTIVO", TOKEN_UNKNOWN: "TOKEN NO EXISTE"}
QUERY_ERROR = "-11"  # with ERR_CODE 1: the envelope is not the company's / missing parameters
USER_NOT_AUTHORISED = "-6"
FIELD_ERROR = "-1"

# Per-document states in the result of an envelope (the SII's "Resultado de Revision").
DTE_ACCEPTED = "DOK"
DTE_REJECTED = "RCH"
DTE_REPAIRS = "RPR"
DTE_LIGHT_REPAIRS = "RLV"
DTE_STATE_TEXT = {
    DTE_REJECTED: "RCH - DTE Rechazado",
    DTE_REPAIRS: "RPR - Aceptado con Reparos",
    DTE_LIGHT_REPAIRS: "RLV - DTE Aceptado con Reparos Leves",
}

# getEstDte ESTADO with its ERR_CODE (§7.5).
EST_DTE = {
    "DOK": ("0", "Documento Recibido por el SII. Datos Coinciden con los Registrados"),
    "DNK": ("1", "Documento Recibido por el SII pero Datos NO Coinciden con los registrados"),
    "FAU": ("3", "Documento No Recibido por el SII"),
    "FNA": ("4", "Documento No Autorizado"),
    "FAN": ("5", "Documento Anulado"),
    "EMP": ("6", "Empresa no autorizada a Emitir Documentos Tributarios Electronicos"),
    "TMD": ("10", "Existe Nota de Debito que Modifica Texto Documento"),
    "TMC": ("11", "Existe Nota de Credito que Modifica Textos Documento"),
    "MMD": ("12", "Existe Nota de Debito que Modifica Montos Documento"),
    "MMC": ("13", "Existe Nota de Credito que Modifica Montos Documento"),
    "AND": ("14", "Existe Nota de Debito que Anula Documento"),
    "ANC": ("15", "Existe Nota de Credito que Anula Documento"),
}


@dataclass(frozen=True)
class Finding:
    """One problem found in a document: the SII's code and its glosa."""

    code: str
    text: str

    @property
    def severity(self) -> int:
        """The middle number of the code: 3 rejects the document, 1 and 2 are reparos."""
        parts = self.code.rsplit("-", 2)
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 3

    def line(self) -> str:
        """The line the SII writes in its result: `(CODE) glosa`."""
        return f"({self.code}) {self.text}"


def finding(code: str, **values: object) -> Finding:
    """The finding for `code`, its glosa filled with `values`."""
    return Finding(code, GLOSAS[code].format(**values))


GLOSAS = {
    "DTE-3-100": "DTE Repetido",
    "DTE-3-101": "Folio {folio} ya fue usado para enviar un DTE con otros datos",
    "DTE-3-601": "Folio {folio} anulado previamente",
    "DTE-3-505": "Firma DTE Incorrecta",
    "DTE-3-102": "RUT Emisor {rut} no corresponde a la empresa que envia",
    "CAF-3-516": "CAF no autorizado por el SII (firma FRMA invalida o IDK {idk} desconocido)",
    "CAF-3-517": "CAF Vencido: autorizado el {authorized}",
    "CAF-3-518": "Folio {folio} o tipo {dte_type} fuera de lo autorizado por el CAF",
    "HED-3-305": "Fecha de Emision {issued} anterior a la autorizacion del CAF {authorized}",
    "TED-3-510": "Firma del Timbre Electronico (FRMT) Incorrecta",
    "TED-3-511": "Timbre Electronico no corresponde al documento: {field}",
    "REF-3-415": "Nota sin referencia obligatoria",
    "REF-3-758": "Referencia L[{line}]: falta CodRef obligatorio en NC/ND",
    "REF-3-750": "DTE Referenciado T{dte_type}F{folio} no recibido por el SII",
    "TOT-1-601": "IVA {iva} no corresponde a MntNeto x TasaIVA ({expected})",
    "TOT-2-602": "Monto Total {total} no cuadra con sus componentes ({expected})",
    "ENV-3-0": "Error de Schema: {error}",
    "CRT-3-19": "Fecha/Numero Resolucion Invalido",
}
# Codes numbered by this simulator, not taken from an SII source.
SIMULATOR_CODES = frozenset(
    {"DTE-3-102", "CAF-3-516", "CAF-3-518", "TED-3-510", "TED-3-511", "TOT-1-601", "TOT-2-602"}
)
