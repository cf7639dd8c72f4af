"""DIAN's answers: the DianResponse fields for each outcome, and DIAN's ApplicationResponse."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from lxml import etree
from lxml.builder import ElementMaker

from services.countries.co.cufe import sha384_hex, software_security_code
from services.countries.co.nit import check_digit
from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.findings import Finding

DIAN_NIT = "800197268"
DIAN_NAME = "Unidad Especial Dirección de Impuestos y Aduanas Nacionales"
AGENCY = "CO, DIAN (Dirección de Impuestos y Aduanas Nacionales)"
# The simulator's own "DIAN software": it identifies the ApplicationResponses it issues.
SIMULATOR_SOFTWARE_ID = "5a9c1d1e-7e2b-4cbb-9f7e-0d1a4f2c3b60"
SIMULATOR_SOFTWARE_PIN = "80019"

ACCEPTED = "Procesado Correctamente."
REJECTED = "Validación contiene errores en campos mandatorios."
REJECTED_MESSAGE = "Documento con errores en campos mandatorios."
DUPLICATE = Finding("90", "Documento procesado anteriormente.")
BATCH_PENDING = "Batch en proceso de validación."
TRACK_UNKNOWN = "TrackId no existe en los registros de la DIAN."
# How StatusMessage names a document type ("La Factura electrónica SETP-1, ha sido autorizada.");
# DIAN's wording is sourced for invoices only, the others follow its pattern.
TYPE_NAMES = {
    "91": "Nota Crédito electrónica",
    "92": "Nota Débito electrónica",
    "05": "Documento soporte",
    "95": "Nota de ajuste al documento soporte",
}


@dataclass(frozen=True)
class DianAnswer:
    """The fields of one DianResponse."""

    is_valid: bool
    status_code: str
    status_description: str = ""
    status_message: str = ""
    errors: tuple[str, ...] = ()
    application_response: bytes | None = None  # XmlBase64Bytes, decoded
    document_key: str | None = None
    file_name: str | None = None

    def to_json(self) -> str:
        """Serialise for storage."""
        data = self.__dict__ | {
            "errors": list(self.errors),
            "application_response": base64.b64encode(self.application_response).decode()
            if self.application_response is not None
            else None,
        }
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DianAnswer:
        """Read back what `to_json` stored."""
        data = json.loads(text)
        data["errors"] = tuple(data["errors"])
        if data["application_response"] is not None:
            data["application_response"] = base64.b64decode(data["application_response"])
        return cls(**data)


def archive_failure(message: str, file_name: str) -> DianAnswer:
    """StatusCode 89: the ZIP could not be used (DIAN puts the reason in StatusMessage)."""
    return DianAnswer(False, "89", status_message=message, file_name=file_name)


def schema_failure(detail: str, file_name: str) -> DianAnswer:
    """ZB01: the XML could not be read as a schema-valid document (DIAN's wording and layout)."""
    return DianAnswer(
        False,
        "99",
        status_description=REJECTED_MESSAGE,
        status_message=f"{REJECTED} {detail}",
        errors=(Finding("ZB01", "Fallo en el esquema XML del archivo").message,),
        file_name=file_name,
    )


def too_large(file_name: str) -> DianAnswer:
    """ZA01: the XML exceeds DIAN's 500 KB cap."""
    finding = Finding("ZA01", "El tamaño del archivo XML supera el máximo permitido (500 KB).")
    return DianAnswer(
        False, "99", REJECTED, REJECTED_MESSAGE, (finding.message,), file_name=file_name
    )


def unknown_track(track_id: str) -> DianAnswer:
    """GetStatus of a key DIAN has never received."""
    return DianAnswer(False, "66", TRACK_UNKNOWN, document_key=track_id)


def unknown_batch() -> DianAnswer:
    """GetStatusZip of a ZipKey DIAN has never given."""
    return DianAnswer(False, "66", TRACK_UNKNOWN)


def pending_batch() -> DianAnswer:
    """GetStatusZip while the batch is still being validated: an empty StatusCode."""
    return DianAnswer(False, "", BATCH_PENDING)


def batch_failure(status_code: str, description: str) -> DianAnswer:
    """GetStatusZip of a batch refused as a whole (its ZIP, its size, its test set)."""
    return DianAnswer(False, status_code, description)


def set_status_line(test_set_id: str, status_text: str) -> DianAnswer:
    """The test set's status line DIAN adds in habilitación (StatusCode 2)."""
    return DianAnswer(
        False, "2", f"Set de prueba con identificador {test_set_id} se encuentra {status_text}."
    )


def duplicate(original: DianAnswer, file_name: str) -> DianAnswer:
    """Regla 90: the original's key and ApplicationResponse, reported as a rejection."""
    return replace(
        original,
        is_valid=False,
        status_code="99",
        status_description=REJECTED,
        status_message=REJECTED_MESSAGE,
        errors=(DUPLICATE.message,),
        file_name=file_name,
    )


def verdict(
    facts: DocumentFacts, findings: list[Finding], file_name: str, now: datetime
) -> DianAnswer:
    """The answer to a validated invoice: accepted unless a finding is a rejection."""
    accepted = not any(finding.rejection for finding in findings)
    response = application_response(facts, findings, accepted, now)
    errors = tuple(finding.message for finding in findings)
    if not accepted:
        return DianAnswer(
            False, "99", REJECTED, REJECTED_MESSAGE, errors, response, facts.uuid, file_name
        )
    serie = f"{facts.prefix}-{facts.consecutive}" if facts.prefix else facts.number
    name = TYPE_NAMES.get(facts.document_type, "Factura electrónica")
    message = f"La {name} {serie}, ha sido autorizada."
    return DianAnswer(True, "00", ACCEPTED, message, errors, response, facts.uuid, file_name)


_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
_NSMAP = {
    None: f"{_UBL}ApplicationResponse-2",
    "cac": f"{_UBL}CommonAggregateComponents-2",
    "cbc": f"{_UBL}CommonBasicComponents-2",
    "ext": f"{_UBL}CommonExtensionComponents-2",
    "sts": "dian:gov:co:facturaelectronica:Structures-2-1",
}
_AR = ElementMaker(namespace=_NSMAP[None], nsmap=_NSMAP)
_CAC = ElementMaker(namespace=_NSMAP["cac"], nsmap=_NSMAP)
_CBC = ElementMaker(namespace=_NSMAP["cbc"], nsmap=_NSMAP)
_EXT = ElementMaker(namespace=_NSMAP["ext"], nsmap=_NSMAP)
_STS = ElementMaker(namespace=_NSMAP["sts"], nsmap=_NSMAP)
_NIT = {"schemeAgencyID": "195", "schemeAgencyName": AGENCY, "schemeName": "31"}


def _party(tag: str, name: str, nit: str) -> etree._Element:
    digit = check_digit(nit) if nit.isdigit() and len(nit) <= 15 else ""
    return _CAC(
        tag,
        _CAC.PartyTaxScheme(
            _CBC.RegistrationName(name),
            _CBC.CompanyID(nit, schemeID=digit, schemeName="31"),
            _CAC.TaxScheme(_CBC.ID("01"), _CBC.Name("IVA")),
        ),
    )


def _line(number: int, code: str, description: str) -> etree._Element:
    return _CAC.LineResponse(
        _CAC.LineReference(_CBC.LineID(str(number))),
        _CAC.Response(_CBC.ResponseCode(code), _CBC.Description(description)),
    )


def application_response(
    facts: DocumentFacts, findings: list[Finding], accepted: bool, now: datetime
) -> bytes:
    """DIAN's ApplicationResponse for an invoice, unsigned (its last UBLExtension is the
    signature's slot): 02 validated or 04 rejected, a line per rule."""
    number = str(secrets.randbelow(10**8))
    issue_date, issue_time = now.strftime("%Y-%m-%d"), now.strftime("%H:%M:%S-05:00")
    code, description = (
        ("02", "Documento validado por la DIAN")
        if accepted
        else ("04", "Documento rechazado por la DIAN")
    )
    # Event key (reference §1.4), keyed with the simulator's own software PIN.
    key = sha384_hex(
        f"{number}{issue_date}{issue_time}{DIAN_NIT}{facts.issuer_nit}{code}"
        f"{facts.number}{facts.document_type}{SIMULATOR_SOFTWARE_PIN}"
    )
    lines = [_line(1, "0000", "0")] if accepted else []
    lines += [
        _line(index, finding.rule, finding.text)
        for index, finding in enumerate(findings, start=len(lines) + 1)
    ]
    document = _AR.ApplicationResponse(
        _EXT.UBLExtensions(
            _EXT.UBLExtension(
                _EXT.ExtensionContent(
                    _STS.DianExtensions(
                        _STS.InvoiceSource(
                            _CBC.IdentificationCode(
                                "CO",
                                listAgencyID="6",
                                listAgencyName="United Nations Economic Commission for Europe",
                                listSchemeURI="urn:oasis:names:specification:ubl:codelist:gc:"
                                "CountryIdentificationCode-2.1",
                            )
                        ),
                        _STS.SoftwareProvider(
                            _STS.ProviderID(DIAN_NIT, schemeID="4", **_NIT),
                            _STS.SoftwareID(
                                SIMULATOR_SOFTWARE_ID, schemeAgencyID="195", schemeAgencyName=AGENCY
                            ),
                        ),
                        _STS.SoftwareSecurityCode(
                            software_security_code(
                                SIMULATOR_SOFTWARE_ID, SIMULATOR_SOFTWARE_PIN, number
                            ),
                            schemeAgencyID="195",
                            schemeAgencyName=AGENCY,
                        ),
                        _STS.AuthorizationProvider(
                            _STS.AuthorizationProviderID(DIAN_NIT, schemeID="4", **_NIT)
                        ),
                    )
                )
            ),
            _EXT.UBLExtension(_EXT.ExtensionContent()),
        ),
        _CBC.UBLVersionID("UBL 2.1"),
        _CBC.CustomizationID("1"),
        _CBC.ProfileID("DIAN 2.1"),
        _CBC.ProfileExecutionID(facts.environment),
        _CBC.ID(number),
        _CBC.UUID(key, schemeName="CUDE-SHA384"),
        _CBC.IssueDate(issue_date),
        _CBC.IssueTime(issue_time),
        _party("SenderParty", DIAN_NAME, DIAN_NIT),
        _party("ReceiverParty", facts.issuer.name, facts.issuer_nit),
        _CAC.DocumentResponse(
            _CAC.Response(_CBC.ResponseCode(code), _CBC.Description(description)),
            _CAC.DocumentReference(
                _CBC.ID(facts.number),
                _CBC.UUID(facts.uuid, schemeName=facts.uuid_scheme_name or "CUFE-SHA384"),
            ),
            *lines,
        ),
    )
    return etree.tostring(document, xml_declaration=True, encoding="utf-8", standalone=False)
