"""The signing application and its consumer: drafted documents in, signed documents out."""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence

from services.core.envelope import moment
from services.core.inbox import Inbound, TrackedConsumer
from services.core.store import ServiceApplication
from services.core.vault import Vault
from services.countries.registry import pack_for
from services.signing.domain import Signature
from services.signing.keyring import Keyring, NoCertificate

log = logging.getLogger(__name__)


class SigningApp(ServiceApplication):
    """Signing's store: certificates (sealed) and one signature record per document."""

    name = "signing"

    def __init__(self, env: dict[str, str] | None = None, *, vault: Vault) -> None:
        super().__init__(env)
        self.keyring = Keyring(self, vault)

    def signature_exists(self, document_id: str) -> bool:
        """Whether this document was already signed or refused (one indexed read)."""
        return bool(self.recorder.select_events(Signature.id_for(document_id), limit=1))


class Signer(TrackedConsumer):
    """Signing's consumer: signs every drafted document once, whatever is redelivered."""

    name = "signing"
    consumes = ("DocumentDrafted",)

    def __init__(self, app: SigningApp) -> None:
        super().__init__(app)
        self.app: SigningApp = app

    def process(self, fresh: Sequence[Inbound]) -> list[Signature]:
        """Sign each draft not signed yet."""
        records: dict[uuid.UUID, Signature] = {}
        for inbound in fresh:
            document_id = inbound.envelope.document_id
            record_id = Signature.id_for(document_id)
            if record_id in records or self.app.signature_exists(document_id):
                continue  # the same draft published twice: never a second signature
            records[record_id] = self._sign(inbound)
        return list(records.values())

    def _sign(self, inbound: Inbound) -> Signature:
        envelope = inbound.envelope
        draft = envelope.drafted
        facts = {
            "document_id": envelope.document_id,
            "country": envelope.country,
            "issuer": envelope.issuer,
            "request_id": draft.request_id,
            "number": draft.number,
            "document_key": draft.document_key,
            "document_type": draft.document_type,
            "environment": draft.environment,
            "transmission_options": dict(draft.transmission_options),
        }
        try:
            signer, certificate = self.app.keyring.signer(envelope.country, envelope.issuer)
        except NoCertificate as problem:
            log.warning("cannot sign %s %s: %s", envelope.issuer, draft.number, problem)
            return Signature.refused(**facts, rule="CERTIFICATE", reason=str(problem))
        issued_at = moment(draft.issued_at).astimezone(pack_for(envelope.country).timezone)
        try:
            signed = signer.sign(draft.unsigned_xml, issued_at, canonical=draft.canonical_xml)
        except Exception as problem:  # a document that cannot be signed is refused, not retried
            log.exception("signing %s %s failed", envelope.issuer, draft.number)
            return Signature.refused(**facts, rule="SIGNATURE", reason=f"signing failed: {problem}")
        return Signature.signed(
            **facts,
            signed_xml=signed.signed_xml,
            certificate_serial=str(certificate.serial_number),
            certificate_subject=certificate.subject.rfc4514_string(),
            signing_time=signed.signing_time,
            signed_digest=hashlib.sha256(signed.signed_xml).hexdigest(),
        )
