"""Free text from the API that will be written into the XML: trimmed, bounded, XML-safe."""

from __future__ import annotations

import re

from services.core.rejection import InputRejected

# XML 1.0 forbids these control characters; lxml would refuse them only when building, after
# the request was accepted, so they are refused here with the field path instead.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def free_text(value: str, field: str, *, limit: int = 500, required: bool = False) -> str:
    """`value` stripped; refused when required and empty, too long or not writable as XML."""
    text = value.strip()
    if required and not text:
        raise InputRejected(field, "is required")
    if len(text) > limit:
        raise InputRejected(field, f"is {len(text)} characters long; at most {limit} are allowed")
    bad = _NOT_XML.search(text)
    if bad:
        raise InputRejected(
            field, f"contains control character U+{ord(bad.group()):04X}, which XML cannot carry"
        )
    return text
