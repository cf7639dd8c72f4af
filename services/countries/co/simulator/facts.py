"""The values DIAN reads from a document; the reading itself lives in `verification`."""

from __future__ import annotations

from services.countries.co.verification.facts import DocumentFacts
from services.countries.co.verification.reading import read_document
from services.countries.co.verification.values import SchemaViolation

InvoiceFacts = DocumentFacts
"""The former name of DocumentFacts, from when the simulator only took invoices."""

read_invoice = read_document
"""The former name of read_document, from when the simulator only took invoices."""

__all__ = ["DocumentFacts", "InvoiceFacts", "SchemaViolation", "read_document", "read_invoice"]
