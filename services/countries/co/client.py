"""DIAN's WcfDianCustomerServices as the transmission service uses it: SOAP 1.2 through zeep.

The WSDL comes from the package (never from the network); zeep builds the envelopes and adds
the WS-Addressing headers (wsa:Action, wsa:MessageID, wsa:To) that the WSDL's wsaw:Action
asks for. WS-Security (DIAN's X.509 token signing wsa:To, `wssecurity.DianWsSecurity`) plugs
in as zeep's `wsse` object: zeep applies it after addressing, so the signer finds wsa:To in
place. A client made with `credentials` signs every request with them.

Operations: SendBillSync (one document, verdict now), SendBillAsync and SendTestSetAsync (a
ZipKey now, the verdict through GetStatusZip), GetStatus, GetStatusZip, GetNumberingRange.

Thread safety: one DianClient may be shared by a small pool of threads. zeep builds a new
envelope per call and keeps per-thread settings; requests' Session is shared, and its
connection pool (urllib3, thread-safe) is sized to `pool_size` keep-alive connections. A
`wsse` object, when given, must itself be safe to call from several threads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import requests
import zeep
import zeep.exceptions

from services.countries.authority_http import pooled_session, request_failures
from services.countries.co.dian_answers import (
    AUTHORITY,
    BatchStatus,
    NumberingRangeInfo,
    UploadReceipt,
    parse_message,
    read_ranges,
    read_status,
    read_status_zip,
    read_upload,
    verdict_from_response,
    verdict_of,
)
from services.countries.co.dian_files import file_names, zip_document, zip_documents
from services.countries.co.wssecurity import DianWsSecurity
from services.countries.pack import (
    AuthorityUnavailable,
    Credentials,
    Delivery,
    Submission,
    SubmissionInDoubt,
    Verdict,
)

__all__ = [
    "DianClient",
    "DianFault",
    "file_names",
    "parse_message",
    "verdict_from_response",
    "zip_document",
    "zip_documents",
]

BINDING = "{http://wcf.dian.colombia}WSHttpBinding_IWcfDianCustomerServices"


class DianFault(AuthorityUnavailable):
    """DIAN answered with a SOAP Fault: the request was refused and nothing was processed."""

    def __init__(self, message: str, code: str | None, detail: str = "") -> None:
        super().__init__(f"DIAN SOAP fault {code or ''}: {message} {detail}".strip())
        self.code = code or ""
        self.detail = detail


class UploadRefused(AuthorityUnavailable):
    """DIAN gave no ZipKey for an asynchronous upload: nothing will be processed."""


class NumberingRangeRefused(AuthorityUnavailable):
    """GetNumberingRange answered another OperationCode than 100 (e.g. 302: nothing associated
    with the software), with DIAN's reason."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"GetNumberingRange {code}: {description}")
        self.code = code
        self.description = description


def wsdl_path() -> str:
    """The packaged WSDL of WcfDianCustomerServices, as a local file path for zeep."""
    return str(resources.files("services.countries.co.wsdl") / "WcfDianCustomerServices.wsdl")


class DianClient:
    """A client of DIAN's validation web service (or of the simulator) at one endpoint."""

    authority = AUTHORITY
    # SendBillSync takes one document per call (§6.3); the platform sends them one by one.
    batch_size = 1
    batch_wait = 0.0

    def __init__(
        self,
        endpoint: str,
        timeout: float,
        *,
        credentials: Credentials | None = None,
        wsse: Any = None,
        pool_size: int = 8,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoint = endpoint
        # `session` lets a caller bring its own TLS settings (or a test its own adapter).
        self._session = session if session is not None else pooled_session(pool_size)
        transport = zeep.Transport(session=self._session, operation_timeout=(timeout, timeout))
        settings = zeep.Settings(
            strict=True,
            xml_huge_tree=False,
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        if wsse is None and credentials is not None:
            wsse = DianWsSecurity(credentials)
        # `wsse` is the WS-Security seam: any object with zeep's apply(envelope, headers) /
        # verify(envelope), or a list of them, applied after WS-Addressing.
        self._zeep = zeep.Client(wsdl_path(), transport=transport, settings=settings, wsse=wsse)
        self._service = self._zeep.create_service(BINDING, endpoint)

    def _call(self, operation: str, changes_state: bool, **parameters: Any) -> Any:
        # What the caller may conclude from a failure: "nothing happened" (AuthorityUnavailable)
        # or, for a call that changes DIAN's state once the request left, "maybe" (in doubt).
        doubt = SubmissionInDoubt if changes_state else AuthorityUnavailable
        try:
            with request_failures(operation, self.endpoint, changes_state=changes_state):
                return getattr(self._service, operation)(**parameters)
        except zeep.exceptions.Fault as fault:
            detail = "".join(fault.detail.itertext()).strip() if fault.detail is not None else ""
            raise DianFault(fault.message, fault.code, detail) from fault
        except zeep.exceptions.TransportError as error:
            if error.status_code >= 400:
                raise AuthorityUnavailable(f"{operation}: HTTP {error.status_code}") from error
            raise doubt(f"{operation}: unreadable answer ({error.message})") from error
        except zeep.exceptions.Error as error:
            raise doubt(f"{operation}: {error}") from error

    def send_bill_sync(self, file_name: str, zip_content: bytes, document_key: str = "") -> Verdict:
        """SendBillSync of a ready ZIP; `document_key` lets Regla 90 be matched to it."""
        result = self._call("SendBillSync", True, fileName=file_name, contentFile=zip_content)
        return verdict_from_response(result, document_key)

    def send_bill_async(self, file_name: str, zip_content: bytes) -> UploadReceipt:
        """SendBillAsync of a ZIP of up to 50 documents; its ZipKey, for GetStatusZip."""
        result = self._call("SendBillAsync", True, fileName=file_name, contentFile=zip_content)
        return self._receipt("SendBillAsync", read_upload(result))

    def send_test_set_async(
        self, file_name: str, zip_content: bytes, test_set_id: str
    ) -> UploadReceipt:
        """SendTestSetAsync: documents counted toward habilitación test set `test_set_id`."""
        result = self._call(
            "SendTestSetAsync",
            True,
            fileName=file_name,
            contentFile=zip_content,
            testSetId=test_set_id,
        )
        return self._receipt("SendTestSetAsync", read_upload(result))

    @staticmethod
    def _receipt(operation: str, receipt: UploadReceipt) -> UploadReceipt:
        if not receipt.zip_key:
            reasons = "; ".join(p.processed_message for p in receipt.problems) or "no ZipKey"
            raise UploadRefused(f"{operation}: {reasons}")
        return receipt

    def get_status_zip(self, zip_key: str) -> BatchStatus:
        """GetStatusZip: pending, or DIAN's answer per document of an asynchronous upload."""
        return read_status_zip(self._call("GetStatusZip", False, trackId=zip_key))

    def test_set_status(self, zip_key: str) -> str:
        """The habilitación test set's status line reported with an upload ("" until decided)."""
        return self.get_status_zip(zip_key).test_set_status

    def get_numbering_range(
        self, account_code: str, account_code_t: str, software_code: str
    ) -> list[NumberingRangeInfo]:
        """The ranges in force associated with a software, with their technical keys."""
        result = read_ranges(
            self._call(
                "GetNumberingRange",
                False,
                accountCode=account_code,
                accountCodeT=account_code_t,
                softwareCode=software_code,
            )
        )
        if result.operation_code != "100":
            raise NumberingRangeRefused(result.operation_code, result.operation_description)
        return list(result.ranges)

    def submit(self, submission: Submission) -> Delivery:
        """Zip and send one signed document: SendTestSetAsync when the submission names a
        test set, SendBillAsync when asked for, SendBillSync otherwise."""
        sent_at = datetime.now(UTC)
        xml_name, zip_name = file_names(
            submission.issuer, submission.document_type, submission.number, sent_at
        )
        content = zip_document(xml_name, submission.signed_xml)
        options = submission.transmission_options
        if options.get("test_set_id"):
            receipt = self.send_test_set_async(zip_name, content, options["test_set_id"])
            return Delivery(
                self.endpoint, "SendTestSetAsync", zip_name, sent_at, None, receipt.zip_key
            )
        if options.get("operation") == "SendBillAsync":
            receipt = self.send_bill_async(zip_name, content)
            return Delivery(
                self.endpoint, "SendBillAsync", zip_name, sent_at, None, receipt.zip_key
            )
        verdict = self.send_bill_sync(zip_name, content, submission.document_key)
        return Delivery(self.endpoint, "SendBillSync", zip_name, sent_at, verdict)

    def submit_batch(self, submissions: list[Submission]) -> list[Delivery]:
        """One delivery per document: DIAN's synchronous operation takes them one at a time."""
        return [self.submit(submission) for submission in submissions]

    def poll(self, submission: Submission, track_id: str) -> Verdict | None:
        """The verdict on a document sent asynchronously (GetStatusZip of its ZipKey), or None
        while DIAN is still validating it."""
        batch = self.get_status_zip(track_id)
        if batch.pending:
            return None
        key = submission.document_key.strip().lower()
        documents = batch.documents
        mine = [status for status in documents if key and status.document_key == key]
        if not mine and len(documents) == 1 and documents[0].status_code == "66":
            raise SubmissionInDoubt(f"GetStatusZip: DIAN does not know ZipKey {track_id}")
        if not mine and len(documents) == 1:
            # One document per ZIP (as `submit` sends): the only answer is this document's,
            # even without a key (a refusal) or with another one (the XML says another CUFE).
            mine = list(documents)
        set_status = batch.test_set_status
        if mine:
            verdict = verdict_of(mine[0], submission.document_key)
        elif set_status:
            # A decided test set takes no more documents: this one was not validated.
            return Verdict(False, AUTHORITY, "2", set_status, track_id=track_id)
        else:
            raise SubmissionInDoubt(f"GetStatusZip: ZipKey {track_id} holds no answer for it")
        if set_status and set_status not in verdict.status_description:
            verdict = replace(
                verdict, status_description=f"{verdict.status_description} {set_status}".strip()
            )
        return verdict

    def get_status(self, document_key: str) -> Verdict | None:
        """GetStatus of a CUFE/CUDE: DIAN's stored verdict, or None when DIAN never got it."""
        result = self._call("GetStatus", False, trackId=document_key)
        if result is None:
            return None
        status = read_status(result)
        # 66 (and 90 in older answers): DIAN has no document under that key.
        if status.status_code in ("66", "90"):
            return None
        return verdict_of(status, document_key)

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
