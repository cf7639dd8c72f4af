"""From the SII's answers to one document's verdict (pure: the client asks, this decides).

In order: a refused envelope rejects all its documents (with the report's reasons); in a
processed envelope, the result report decides a listed document (RCH rejected, RPR/RLV accepted
with reparos) and an unlisted one is accepted; without a report, counters with no rejection and
no reparo accept every document of the type; anything else is asked of getEstDte.
"""

from __future__ import annotations

from services.countries.cl.client import answers
from services.countries.cl.client.answers import (
    AuthorityMessage,
    EnvelopeStatus,
    Informe,
    Respuesta,
    TypeCount,
)
from services.countries.cl.client.wire import SiiRefused
from services.countries.pack import Verdict

ACCEPTED = ("DOK", "DTE aceptado")


def refused_envelope(
    status: EnvelopeStatus, informe: Informe | None, key: str, track_id: str
) -> Verdict:
    """The verdict on every document of an envelope the SII refused (RSC, RFR, RCT, ...)."""
    notes = (AuthorityMessage(status.state, status.glosa, True),)
    if informe is not None:
        notes += answers.messages(list(informe.errors), True)
    return answers.verdict(
        False, status.state, status.glosa, notes, key=key, track_id=track_id, xml=status.xml
    )


def from_report(
    informe: Informe, dte_type: int, folio: int, key: str, track_id: str
) -> Verdict | None:
    """The verdict the result report gives a document; None when getEstDte must decide (a
    repeated DTE, DTE-3-100, is decided by what the SII holds; an unknown state too)."""
    revision = informe.revisions.get((dte_type, folio))
    if revision is None:
        return answers.verdict(True, *ACCEPTED, key=key, track_id=track_id)
    if revision.state in answers.DOCUMENT_REPAIRS:
        notes = answers.messages(list(revision.details), False)
        text = answers.DOCUMENT_REPAIRS[revision.state]
        return answers.verdict(
            True, revision.state, text, notes, key=key, track_id=track_id, xml=revision.xml
        )
    if revision.state in answers.DOCUMENT_REJECTED:
        notes = answers.messages(list(revision.details), True)
        if [note.rule for note in notes] == [answers.REPEATED_DTE]:
            return None
        text = answers.DOCUMENT_REJECTED[revision.state]
        return answers.verdict(
            False, revision.state, text, notes, key=key, track_id=track_id, xml=revision.xml
        )
    return None


def from_counts(count: TypeCount, key: str, track_id: str, xml: bytes) -> Verdict | None:
    """Accepted when the envelope's counters for the type hold no rejection and no reparo."""
    if count.rejected == 0 and count.repairs == 0:
        return answers.verdict(True, *ACCEPTED, key=key, track_id=track_id, xml=xml)
    return None


def from_document_status(answer: Respuesta, key: str, track_id: str) -> Verdict:
    """getEstDte's verdict: received (DOK, or modified by a note) is accepted, the rest not."""
    code, glosa = answer.estado, answer.glosa()
    if code in answers.DTE_RECEIVED:
        return answers.verdict(True, code, glosa, key=key, track_id=track_id, xml=answer.xml)
    if code in answers.DTE_MODIFIED:
        notes = (AuthorityMessage(code, glosa or answers.DTE_MODIFIED[code], False),)
        return answers.verdict(True, code, glosa, notes, key=key, track_id=track_id, xml=answer.xml)
    if code in answers.DTE_NOT_HELD:
        notes = (AuthorityMessage(code, glosa or answers.DTE_NOT_HELD[code], True),)
        return answers.verdict(
            False, code, glosa, notes, key=key, track_id=track_id, xml=answer.xml
        )
    raise SiiRefused(f"getEstDte ESTADO {code}: {glosa}")
