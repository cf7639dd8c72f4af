"""The files DIAN receives: annex-style names (dian-colombia.md §6.5) and the ZIPs around them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from datetime import datetime

from services.countries.co.clock import in_colombia

# Annex §6.5 file-name prefixes by document type; invoices (01, 02, 04) are "fv".
_FILE_PREFIXES = {"91": "nc", "92": "nd", "96": "ar"}


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
    return zip_documents([(xml_name, signed_xml)])


def zip_documents(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A ZIP of several XMLs (a SendBillAsync batch: at most 50)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
