"""What a Colombian buyer receives besides the invoice itself (reference §6.6, §9): the
AttachedDocument container with the signed document and DIAN's ApplicationResponse, and the QR
text the printed representation carries."""

from __future__ import annotations

from services.countries.co.attached_document import build_attached_document
from services.countries.co.qr import qr_text


def delivery_files(number: str, signed_xml: bytes, response_xml: bytes) -> dict[str, bytes]:
    """Extra files for delivering an accepted document, by file name."""
    files = {f"{number}.qr.txt": qr_text(signed_xml).encode("utf-8")}
    if response_xml:
        # Unsigned: the export runs outside the signing service, where no key is. DIAN does
        # not require the container to be signed (Odoo sends it unsigned).
        files[f"{number}.attached.xml"] = build_attached_document(signed_xml, response_xml)
    return files
