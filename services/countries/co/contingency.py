"""Contingency documents (dian-colombia.md §8.1).

Type 03: during an outage on the issuer's side it issues paper (talonario) invoices from a
contingency range authorised in advance, and enters each one afterwards: the number and the
moment come from the paper. Type 04: while DIAN is down, a sales invoice (01) is issued as 04 —
the same content, the same range and numbering, the CUFE keyed as for 01 — and transmitted
once DIAN is back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.core.rejection import InputRejected
from services.countries.co import codes
from services.countries.co.dates import parse_moment
from timbra.v1 import document_pb2


@dataclass(frozen=True)
class Paper:
    """The number and moment printed on a paper contingency invoice."""

    number: int
    issued_at: datetime


def parse_paper(co: document_pb2.ColombiaDocument, document_type: str, path: str) -> Paper | None:
    """`co.paper` of a type-03 document, required there and refused anywhere else."""
    if document_type != codes.PAPER_CONTINGENCY:
        if co.HasField("paper"):
            raise InputRejected(path, "only a type-03 contingency document comes from paper")
        return None
    if not co.HasField("paper"):
        raise InputRejected(
            path, "is required for type 03: the number and moment printed on the paper invoice"
        )
    if co.paper.number < 1:
        raise InputRejected(f"{path}.number", "must be the consecutive printed on the paper")
    return Paper(co.paper.number, parse_moment(co.paper.issued_at, f"{path}.issued_at"))
