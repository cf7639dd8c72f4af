"""What DIAN knows besides the document itself, as the rules ask for it.

The rules never touch the database: the service hands them a `ValidationContext` built from
the portal's registry (resolutions, software) and the ledger of processed documents (the
service's `Lookups`). Tests hand them a `LookupContext` made of plain functions or tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from services.countries.co.simulator.registry import Resolution, Software


class AcceptedDocument(Protocol):
    """A document DIAN has accepted, as a note referencing it is checked against it."""

    @property
    def nit(self) -> str:
        """The NIT of whoever issued it (the buyer, on a documento soporte)."""
        ...

    @property
    def number(self) -> str:
        """Its cbc:ID."""
        ...

    @property
    def document_type(self) -> str:
        """01..05, 91, 92 or 95."""
        ...

    @property
    def issue_date(self) -> str:
        """Its cbc:IssueDate (YYYY-MM-DD)."""
        ...

    @property
    def key(self) -> str:
        """Its CUFE / CUDE / CUDS, lowercase."""
        ...


class ValidationContext(Protocol):
    """The lookups DIAN's validation makes beyond the document (registry and ledger)."""

    def resolution(self, number: str) -> Resolution | None:
        """The numbering resolution with that number, whoever owns it."""
        ...

    def software(self, software_id: str) -> Software | None:
        """A registered software by its SoftwareID, with its PIN."""
        ...

    def accepted(self, document_key: str) -> AcceptedDocument | None:
        """The accepted document with that CUFE/CUDE/CUDS (lowercase), if any."""
        ...


def _none(_: str) -> None:
    return None


@dataclass(frozen=True)
class LookupContext:
    """A ValidationContext made of three lookup functions (the service passes its own)."""

    resolution: Callable[[str], Resolution | None] = _none
    software: Callable[[str], Software | None] = _none
    accepted: Callable[[str], AcceptedDocument | None] = _none

    @classmethod
    def of(
        cls,
        resolutions: tuple[Resolution, ...] = (),
        software: tuple[Software, ...] = (),
        accepted: tuple[AcceptedDocument, ...] = (),
    ) -> LookupContext:
        """A context that knows exactly these resolutions, software and accepted documents."""
        by_number = {r.number: r for r in resolutions}
        by_id = {s.software_id: s for s in software}
        by_key = {d.key: d for d in accepted}
        return cls(by_number.get, by_id.get, by_key.get)
