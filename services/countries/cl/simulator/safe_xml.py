"""Parsing XML that arrives from outside: the platform's one hardened parser."""

from __future__ import annotations

from services.core.untrusted_xml import UnsafeXml, parse, parse_text

__all__ = ["UnsafeXml", "parse", "parse_text"]
