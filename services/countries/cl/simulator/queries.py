"""The query services' answers from what the SII holds: getEstDte's state of one document.

getEstDte (reference §7.5) compares what the caller says (receiver, date, amount) with the
received document: DOK when they agree, DNK when not; FAU when the SII never received the
folio (rejected DTEs included), FAN when it was annulled, FNA when no CAF authorises it, EMP when
the company may not issue. A received document modified or annulled by an accepted note is
reported as such (TMD/TMC, MMD/MMC, AND/ANC). Used from the database thread only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.countries.cl.simulator.codes import EST_DTE
from services.countries.cl.simulator.dte_facts import CREDIT_NOTES
from services.countries.cl.simulator.ledger import Ledger
from services.countries.cl.simulator.registry import Registry

# (note is a credit note, CodRef) → getEstDte state
_MODIFIED = {
    (False, 1): "AND",
    (True, 1): "ANC",
    (False, 2): "TMD",
    (True, 2): "TMC",
    (False, 3): "MMD",
    (True, 3): "MMC",
}


@dataclass(frozen=True)
class DocumentQuery:
    """What getEstDte is asked: the issuer's document and what the caller believes of it."""

    company: str
    receiver: str
    dte_type: int
    folio: int
    issued_on: date
    total: int


@dataclass(frozen=True)
class DocumentState:
    """getEstDte's ESTADO, its glosa and ERR_CODE."""

    estado: str
    glosa: str
    err_code: str


def _state(estado: str) -> DocumentState:
    err_code, glosa = EST_DTE[estado]
    return DocumentState(estado, glosa, err_code)


def document_state(registry: Registry, ledger: Ledger, query: DocumentQuery) -> DocumentState:
    """The state of a document at the SII."""
    company = registry.company(query.company)
    if company is None or not company.authorised:
        return _state("EMP")
    held = ledger.received(query.company, query.dte_type, query.folio)
    if held is None:
        if registry.annulled(query.company, query.dte_type, query.folio):
            return _state("FAN")
        if not registry.authorised_folio(query.company, query.dte_type, query.folio):
            return _state("FNA")
        return _state("FAU")
    if (held.issued_on, held.receiver, held.total) != (
        query.issued_on,
        query.receiver,
        query.total,
    ):
        return _state("DNK")
    modification = ledger.last_modification(query.company, query.dte_type, query.folio)
    if modification is not None:
        note_type, code = modification
        return _state(_MODIFIED[(note_type in CREDIT_NOTES, code)])
    return _state("DOK")
