"""Parsing XML that arrives from outside; kept here for the simulator's modules that import it."""

from __future__ import annotations

from services.countries.co.verification.safe_xml import UnsafeXml, parse

__all__ = ["UnsafeXml", "parse"]
