"""DIAN's WcfDianCustomerServices as the transmission service uses it: SOAP 1.2 through zeep.

The WSDL comes from the package (never from the network); zeep builds the envelopes and adds
the WS-Addressing headers (wsa:Action, wsa:MessageID, wsa:To) that the WSDL's wsaw:Action
asks for. WS-Security (DIAN's X.509 token signing wsa:To) plugs in as zeep's `wsse` object:
zeep applies it after addressing, so a signer there finds wsa:To in place.

Thread safety: one DianClient may be shared by a small pool of threads. zeep builds a new
envelope per call and keeps per-thread settings; requests' Session is shared, and its
connection pool (urllib3, thread-safe) is sized to `pool_size` keep-alive connections. A
`wsse` object, when given, must itself be safe to call from several threads.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import requests
import urllib3
import zeep
import zeep.exceptions
from requests.adapters import HTTPAdapter

from services.countries.co.clock import in_colombia
from services.countries.pack import (
    AuthorityMessage,
    AuthorityUnavailable,
    Delivery,
    Submission,
    SubmissionInDoubt,
    Verdict,
)

AUTHORITY = "DIAN"
BINDING = "{http://wcf.dian.colombia}WSHttpBinding_IWcfDianCustomerServices"
# Annex §6.5 file-name prefixes by document type; invoices (01, 02, 04) are "fv".
_FILE_PREFIXES = {"91": "nc", "92": "nd", "96": "ar"}
_MESSAGE = re.compile(
    r"\s*Regla:\s*(?P<rule>[^,]*?)\s*,\s*(?P<kind>Rechazo|Notificaci[oó]n)\s*:\s*(?P<text>.*)",
    re.DOTALL,
)


class DianFault(AuthorityUnavailable):
    """DIAN answered with a SOAP Fault: the request was refused and nothing was processed."""

    def __init__(self, message: str, code: str | None) -> None:
        super().__init__(f"DIAN SOAP fault {code or ''}: {message}".strip())
        self.code = code or ""


def wsdl_path() -> str:
    """The packaged WSDL of WcfDianCustomerServices, as a local file path for zeep."""
    return str(resources.files("services.countries.co.wsdl") / "WcfDianCustomerServices.wsdl")


def file_names(nit: str, document_type: str, number: str, sent_at: datetime) -> tuple[str, str]:
    """(XML name, ZIP name) per the annex: fv + NIT(10) + 000 + yy + 8 hex, and z + the same."""
    prefix = _FILE_PREFIXES.get(document_type, "fv")
    # The annex's 8 hex digits are a consecutive of files sent; a digest of the document
    # number gives a stable, collision-unlikely stand-in that needs no counter to survive.
    serial = hashlib.sha256(number.encode()).hexdigest()[:8]
    stem = f"{nit.zfill(10)}000{in_colombia(sent_at):%y}{serial}"
    return f"{prefix}{stem}.xml", f"z{stem}.zip"


def zip_document(xml_name: str, signed_xml: bytes) -> bytes:
    """A ZIP holding exactly one XML, as SendBillSync requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(xml_name, signed_xml)
    return buffer.getvalue()


def parse_message(text: str, rejection_by_default: bool) -> AuthorityMessage:
    """One ErrorMessage string ("Regla: FAD06, Rechazo: ...") as an AuthorityMessage."""
    match = _MESSAGE.fullmatch(text)
    if match is None:
        return AuthorityMessage(rule="", text=text.strip(), rejection=rejection_by_default)
    rejection = match["kind"] == "Rechazo"
    return AuthorityMessage(match["rule"], match["text"].strip(), rejection)


def verdict_from_response(result: Any, submitted_key: str = "") -> Verdict:
    """Read a DianResponse (as zeep deserialises it) into a Verdict; Regla 90 means accepted."""
    valid = bool(result.IsValid)
    errors = result.ErrorMessage.string if result.ErrorMessage is not None else None
    messages = tuple(parse_message(text or "", not valid) for text in errors or ())
    key = (result.XmlDocumentKey or "").strip().lower()
    parts = (result.StatusDescription, result.StatusMessage)
    description = " ".join(dict.fromkeys(part.strip() for part in parts if part and part.strip()))
    verdict = Verdict(
        accepted=valid,
        authority=AUTHORITY,
        status_code=result.StatusCode or "",
        status_description=description,
        messages=messages,
        document_key=key,
        track_id=key,
        response_xml=result.XmlBase64Bytes or b"",
    )
    if valid or {m.rule for m in messages if m.rejection} != {"90"}:
        return verdict
    # Regla 90: DIAN already holds an accepted document with this number. It is this one when
    # the keys agree (a resend after an in-doubt delivery); otherwise the number was used by a
    # different document, which must not be recorded as accepted.
    if submitted_key and key and key != submitted_key.strip().lower():
        return replace(
            verdict,
            status_description=f"Regla 90 for a different document: DIAN already accepted this "
            f"number with CUFE {key}, so this document was not accepted. {description}",
        )
    original = key or submitted_key.strip().lower()
    return replace(
        verdict,
        accepted=True,
        status_description=f"Accepted earlier: DIAN answered Regla 90 (documento procesado "
        f"anteriormente) and holds the accepted original, CUFE {original}. {description}",
        document_key=original,
        track_id=original,
    )


def _never_connected(error: requests.exceptions.ConnectionError) -> bool:
    reason = error.args[0] if error.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )


class DianClient:
    """A client of DIAN's validation web service (or of the simulator) at one endpoint."""

    authority = AUTHORITY

    def __init__(
        self,
        endpoint: str,
        timeout: float,
        *,
        wsse: Any = None,
        pool_size: int = 8,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoint = endpoint
        if session is None:
            session = requests.Session()
            # No automatic retries: a resend is the caller's decision, after reconciling.
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        # `session` lets a caller bring its own TLS settings (or a test its own adapter).
        self._session = session
        transport = zeep.Transport(session=self._session, operation_timeout=(timeout, timeout))
        settings = zeep.Settings(
            strict=True,
            xml_huge_tree=False,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        # `wsse` is the WS-Security seam: any object with zeep's apply(envelope, headers) /
        # verify(envelope), or a list of them, applied after WS-Addressing.
        self._zeep = zeep.Client(wsdl_path(), transport=transport, settings=settings, wsse=wsse)
        self._service = self._zeep.create_service(BINDING, endpoint)

    def _call(self, operation: str, changes_state: bool, **parameters: Any) -> Any:
        # What the caller may conclude from a failure: "nothing happened" (AuthorityUnavailable)
        # or, for a call that changes DIAN's state once the request left, "maybe" (in doubt).
        doubt = SubmissionInDoubt if changes_state else AuthorityUnavailable
        try:
            return getattr(self._service, operation)(**parameters)
        except requests.exceptions.ConnectTimeout as error:
            raise AuthorityUnavailable(f"{operation}: cannot connect to {self.endpoint}") from error
        except requests.exceptions.ReadTimeout as error:
            raise doubt(f"{operation}: no answer from {self.endpoint} in time") from error
        except requests.exceptions.ConnectionError as error:
            if _never_connected(error):
                raise AuthorityUnavailable(f"{operation}: {self.endpoint} refused") from error
            raise doubt(f"{operation}: connection lost before the answer") from error
        except zeep.exceptions.Fault as fault:
            raise DianFault(fault.message, fault.code) from fault
        except zeep.exceptions.TransportError as error:
            if error.status_code >= 400:
                raise AuthorityUnavailable(f"{operation}: HTTP {error.status_code}") from error
            raise doubt(f"{operation}: unreadable answer ({error.message})") from error
        except (zeep.exceptions.Error, requests.exceptions.RequestException) as error:
            raise doubt(f"{operation}: {error}") from error

    def send_bill_sync(self, file_name: str, zip_content: bytes, document_key: str = "") -> Verdict:
        """SendBillSync of a ready ZIP; `document_key` lets Regla 90 be matched to it."""
        result = self._call("SendBillSync", True, fileName=file_name, contentFile=zip_content)
        return verdict_from_response(result, document_key)

    def submit(self, submission: Submission) -> Delivery:
        """Zip and send one signed document with SendBillSync; DIAN's verdict comes back."""
        sent_at = datetime.now(UTC)
        xml_name, zip_name = file_names(
            submission.issuer, submission.document_type, submission.number, sent_at
        )
        content = zip_document(xml_name, submission.signed_xml)
        verdict = self.send_bill_sync(zip_name, content, submission.document_key)
        return Delivery(self.endpoint, "SendBillSync", zip_name, sent_at, verdict)

    def get_status(self, document_key: str) -> Verdict | None:
        """GetStatus of a CUFE/CUDE: DIAN's stored verdict, or None when DIAN never got it."""
        result = self._call("GetStatus", False, trackId=document_key)
        # 66 (and 90 in older answers): DIAN has no document under that key.
        if result is None or (result.StatusCode or "") in ("66", "90"):
            return None
        return verdict_from_response(result, document_key)

    def reconcile(self, submission: Submission) -> Delivery | None:
        """Ask DIAN about a document sent in doubt (GetStatus by its key); None if unknown."""
        sent_at = datetime.now(UTC)
        verdict = self.get_status(submission.document_key)
        if verdict is None:
            return None
        return Delivery(self.endpoint, "GetStatus", "", sent_at, verdict)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()
