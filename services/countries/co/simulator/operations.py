"""The operations of IWcfDianCustomerServices the simulator answers, each from a parsed call to
its `<Operation>Result` element (dian-colombia.md §6.3)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from lxml import etree

from services.countries.co.simulator import results
from services.countries.co.simulator.results import UploadError
from services.countries.co.simulator.service import DianService
from services.countries.co.simulator.soap import SoapFault, SoapRequest

Operation = Callable[[DianService, SoapRequest], Awaitable[etree._Element]]
_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def _content(call: SoapRequest) -> bytes:
    content = call.binary("contentFile")
    if not content:
        raise SoapFault("contentFile es obligatorio.")
    return content


async def send_bill_sync(service: DianService, call: SoapRequest) -> etree._Element:
    """SendBillSync: one document, validated now."""
    answer = await service.send_bill_sync(call.text("fileName"), _content(call))
    return results.dian_response("SendBillSyncResult", answer)


async def send_bill_async(service: DianService, call: SoapRequest) -> etree._Element:
    """SendBillAsync: up to 50 documents, validated later; the ZipKey to follow them."""
    upload = await service.receive(call.text("fileName"), _content(call), "SendBillAsync")
    return results.upload_response("SendBillAsyncResult", upload.zip_key)


async def send_test_set_async(service: DianService, call: SoapRequest) -> etree._Element:
    """SendTestSetAsync: documents counted toward a habilitación test set."""
    file_name, test_set_id = call.text("fileName"), call.text("testSetId").lower()
    content = _content(call)
    found = (
        await service.in_database(service.test_sets.get, test_set_id)
        if _UUID.fullmatch(test_set_id)
        else None
    )
    if found is None:
        error = UploadError(
            f"Set de prueba con identificador {test_set_id} no existe.", xml_file_name=file_name
        )
        return results.upload_response("SendTestSetAsyncResult", "", [error])
    # A decided set still gets a ZipKey; GetStatusZip then reports the set, not the documents.
    upload = await service.receive(file_name, content, "SendTestSetAsync", test_set_id)
    return results.upload_response("SendTestSetAsyncResult", upload.zip_key)


async def get_status(service: DianService, call: SoapRequest) -> etree._Element:
    """GetStatus: DIAN's stored answer for a CUFE/CUDE."""
    answer = await service.get_status(call.text("trackId"))
    return results.dian_response("GetStatusResult", answer)


async def get_status_zip(service: DianService, call: SoapRequest) -> etree._Element:
    """GetStatusZip: what became of an asynchronous upload."""
    answers = await service.get_status_zip(call.text("trackId"))
    return results.dian_responses("GetStatusZipResult", answers)


async def get_numbering_range(service: DianService, call: SoapRequest) -> etree._Element:
    """GetNumberingRange: the ranges in force associated with a software."""
    answer = await service.numbering_ranges(
        call.text("accountCode"), call.text("accountCodeT"), call.text("softwareCode")
    )
    return results.numbering_ranges("GetNumberingRangeResult", answer)


OPERATIONS: dict[str, Operation] = {
    "SendBillSync": send_bill_sync,
    "SendBillAsync": send_bill_async,
    "SendTestSetAsync": send_test_set_async,
    "GetStatus": get_status,
    "GetStatusZip": get_status_zip,
    "GetNumberingRange": get_numbering_range,
}
# DIAN operations the simulator knows but answers with a fault, not with DIAN's behaviour.
NOT_AVAILABLE = frozenset(
    {
        "SendBillAttachmentAsync",
        "SendEventUpdateStatus",
        "SendNominaSync",
        "GetStatusEvent",
        "GetXmlByDocumentKey",
        "GetReferenceNotes",
        "GetAcquirer",
        "GetExchangeEmails",
        "GetDocIdentifierWithEvents",
    }
)
