"""Parsing XML that arrives from outside: the platform's one hardened parser."""

from __future__ import annotations

from services.core.untrusted_xml import UnsafeXml, declares_doctype, parse

__all__ = ["UnsafeXml", "declares_doctype", "parse"]
