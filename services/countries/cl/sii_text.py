"""Text from the API that goes into a DTE: trimmed, bounded, and writable in ISO-8859-1.

DTEs travel in ISO-8859-1; a character outside it (an emoji, a curly quote from a word
processor) makes the SII reject the whole envelope (ENV-3-0, sii-chile.md §5.5), so it is
refused here with the field path instead of being turned into a character reference.
"""

from __future__ import annotations

import re

from services.core.rejection import InputRejected

# XML 1.0 forbids these control characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def free_text(value: str, field: str, *, limit: int, required: bool = False) -> str:
    """`value` stripped; refused when required and empty, too long or not ISO-8859-1 text."""
    text = value.strip()
    if required and not text:
        raise InputRejected(field, "is required")
    if len(text) > limit:
        raise InputRejected(field, f"is {len(text)} characters long; the SII allows {limit}")
    bad = _NOT_XML.search(text)
    if bad:
        raise InputRejected(
            field, f"contains control character U+{ord(bad.group()):04X}, which a DTE cannot carry"
        )
    for character in text:
        if ord(character) > 0xFF:
            raise InputRejected(
                field,
                f"contains {character!r} (U+{ord(character):04X}), which is not in ISO-8859-1, "
                "the DTE's encoding",
            )
    return text


def clipped(value: str, limit: int) -> str:
    """The first `limit` characters, trimmed (RSR and IT1 of the TED, a long giro)."""
    return value[:limit].strip()
