"""SiiClient: the AuthorityClient of the SII (DTEUpload, getEstUp, getEstDte).

Every authenticated call goes through `_authorised`: a call answered "token invalid/expired"
renews the token and is repeated once. Polling asks getEstUp once per envelope per
`status_ttl` seconds whatever the number of its documents; a processed envelope's answers and
result report are kept (bounded) because they no longer change.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from services.countries.cl import envelope
from services.countries.cl.client import answers, verdicts
from services.countries.cl.client.answers import EnvelopeStatus, Informe, TokenRejected
from services.countries.cl.client.authentication import TokenKeeper
from services.countries.cl.client.documents import DocumentFacts, document_facts, split_rut
from services.countries.cl.client.wire import SiiRefused, Wire
from services.countries.cl.signer_certificate import holder_run
from services.countries.cl.xml_input import UnreadableXml, parse_xml
from services.countries.pack import (
    AuthorityUnavailable,
    Credentials,
    Delivery,
    IssuerProfile,
    Party,
    Submission,
    SubmissionInDoubt,
    Verdict,
)

# Where the issuer's SII resolution travels with each document (Draft.transmission_options).
RESOLUTION_DATE, RESOLUTION_NUMBER = "sii_resolution_date", "sii_resolution_number"
EnvelopeBuilder = Callable[[list[bytes], IssuerProfile, Credentials], bytes]
T = TypeVar("T")
_KEPT = 512  # processed envelopes whose answers stay cached


class _Cache:
    """A small thread-safe cache with per-entry expiry and a size bound."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            return entry[1]

    def put(self, key: str, value: Any, seconds: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + seconds, value)
            self._entries.move_to_end(key)
            while len(self._entries) > _KEPT:
                self._entries.popitem(last=False)


def pack_envelope(dtes: list[bytes], issuer: IssuerProfile, credentials: Credentials) -> bytes:
    """The Chilean pack's EnvioDTE for the SII: the DTEs unchanged, SetDTE signed."""
    return envelope.build_envelope(dtes, issuer, credentials)


class SiiClient:
    """A client of the SII's DTE services (or of the simulator) at `endpoint`."""

    authority = answers.AUTHORITY
    batch_size = 2000  # EnvioDTE_v10.xsd: at most 2,000 DTEs per envelope

    def __init__(
        self,
        endpoint: str,
        timeout: float,
        *,
        credentials: Credentials | None,
        batch_wait: float = 3.0,
        pool_size: int = 4,
        informe_url: str | None = None,
        status_ttl: float = 2.0,
        envelope_builder: EnvelopeBuilder = pack_envelope,
        wire: Wire | None = None,
    ) -> None:
        if credentials is None:
            raise ValueError("the SII client needs the issuer's certificate (credentials)")
        self.endpoint = endpoint
        self.batch_wait = batch_wait
        self._wire = wire or Wire(endpoint, timeout, pool_size)
        self._credentials = credentials
        self._tokens = TokenKeeper(self._wire, credentials)
        self._sender = holder_run(credentials.certificate)
        # The SII e-mails each envelope's result report; the simulator serves it at this URL.
        self._informe_url = informe_url.rstrip("/") if informe_url else None
        self._status_ttl = status_ttl
        self._build = envelope_builder
        self._statuses, self._informes = _Cache(), _Cache()

    # -- plumbing ------------------------------------------------------------------------

    def _authorised(self, call: Callable[[str], T]) -> T:
        token = self._tokens.current()
        try:
            return call(token)
        except TokenRejected:
            token = self._tokens.renew(token)
        try:
            return call(token)
        except TokenRejected as problem:
            raise SiiRefused(f"a fresh token was refused too: {problem}") from None

    def _query(
        self, service: str, operation: str, parameters: list[tuple[str, str]]
    ) -> answers.Respuesta:
        def call(token: str) -> answers.Respuesta:
            answer = answers.read_respuesta(
                self._wire.soap(service, operation, [*parameters, ("Token", token)])
            )
            answers.query_problem(answer, operation)
            return answer

        return self._authorised(call)

    # -- delivery ------------------------------------------------------------------------

    def _issuer(self, batch: list[Submission], facts: DocumentFacts) -> IssuerProfile:
        options = batch[0].transmission_options
        if RESOLUTION_DATE not in options:
            raise ValueError(f"{facts.issuer}: the documents carry no {RESOLUTION_DATE} option")
        party = Party(facts.issuer, split_rut(facts.issuer)[1], "RUT", "", "")
        return IssuerProfile(
            country="cl",
            party=party,
            authorization_date=date.fromisoformat(options[RESOLUTION_DATE]),
            authorization_number=options.get(RESOLUTION_NUMBER, "0"),
        )

    def _upload(self, company: str, file_name: str, content: bytes) -> answers.Respuesta:
        rut_sender, dv_sender = split_rut(self._sender)
        rut_company, dv_company = split_rut(company)
        fields = {"rutSender": rut_sender, "dvSender": dv_sender}
        fields |= {"rutCompany": rut_company, "dvCompany": dv_company}

        def call(token: str) -> answers.Respuesta:
            root = self._wire.upload(token, fields, file_name, content)
            reception = answers.Respuesta(
                {c.tag: (c.text or "").strip() for c in root if isinstance(c.tag, str)},
                [("ERROR", (e.text or "").strip()) for e in root.iterfind("DETAIL/ERROR")],
                b"",
            )
            if reception.header.get("STATUS") == answers.UPLOAD_TOKEN:
                raise TokenRejected("DTEUpload: STATUS 5 (no autenticado)")
            return reception

        return self._authorised(call)

    def submit_batch(self, submissions: list[Submission]) -> list[Delivery]:
        """Send the signed DTEs of one issuer in one EnvioDTE; one Delivery (its track id) each."""
        if not submissions:
            return []
        facts = document_facts(submissions[0].signed_xml)
        if any(s.issuer != submissions[0].issuer for s in submissions):
            raise ValueError("an EnvioDTE carries the documents of one issuer only")
        content = self._build(
            [s.signed_xml for s in submissions], self._issuer(submissions, facts), self._credentials
        )
        sent_at = datetime.now(UTC)
        file_name = f"EnvioDTE_{facts.issuer}_{sent_at:%Y%m%d%H%M%S%f}.xml"
        reception = self._upload(facts.issuer, file_name, content)
        status, track_id = reception.header.get("STATUS", ""), reception.header.get("TRACKID", "")
        details = [text for _, text in reception.body]
        if status == "0" and track_id:
            return [
                Delivery(self.endpoint, "DTEUpload", file_name, sent_at, None, track_id)
                for _ in submissions
            ]
        if status == answers.UPLOAD_REPEATED:
            raise SubmissionInDoubt("DTEUpload STATUS 99: the SII already has this file")
        if status not in answers.UPLOAD_REJECTS:
            reason = answers.UPLOAD_RETRY.get(status, "error interno")
            raise AuthorityUnavailable(f"DTEUpload STATUS {status}: {reason}")
        # The file was refused as it is: resending it changes nothing, its documents are rejected.
        notes = answers.messages(details, True) or (
            answers.AuthorityMessage(status, answers.UPLOAD_REJECTS[status], True),
        )
        return [
            Delivery(
                self.endpoint,
                "DTEUpload",
                file_name,
                sent_at,
                answers.verdict(
                    False, status, answers.UPLOAD_REJECTS[status], notes, key=s.document_key
                ),
            )
            for s in submissions
        ]

    def submit(self, submission: Submission) -> Delivery:
        """Send one signed DTE (an envelope of one); its Delivery."""
        return self.submit_batch([submission])[0]

    # -- verdicts ------------------------------------------------------------------------

    def envelope_status(self, company: str, track_id: str) -> EnvelopeStatus:
        """getEstUp of an envelope, asked at most once per `status_ttl` (kept once final)."""
        cached = self._statuses.get(track_id)
        if cached is not None:
            return cached
        rut, digit = split_rut(company)
        answer = self._query(
            "QueryEstUp",
            "getEstUp",
            [("RutCompania", rut), ("DvCompania", digit), ("TrackId", track_id)],
        )
        status = answers.envelope_status(answer, track_id)
        self._statuses.put(track_id, status, self._status_ttl if status.pending else 3600.0)
        return status

    def _informe(self, track_id: str) -> Informe | None:
        if self._informe_url is None:
            return None
        cached = self._informes.get(track_id)
        if cached is None:
            content = self._wire.get(f"{self._informe_url}/{track_id}")
            if content is None:
                return None
            try:
                cached = answers.read_informe(parse_xml(content))
            except UnreadableXml as problem:
                raise SiiRefused(f"result report of {track_id}: {problem}") from None
            self._informes.put(track_id, cached, 3600.0)
        return cached

    def document_status(self, facts: DocumentFacts) -> answers.Respuesta:
        """getEstDte: what the SII holds under a document's folio."""
        asker, asker_digit = split_rut(self._sender)
        company, company_digit = split_rut(facts.issuer)
        receiver, receiver_digit = split_rut(facts.receiver)
        return self._query(
            "QueryEstDte",
            "getEstDte",
            [
                ("RutConsultante", asker),
                ("DvConsultante", asker_digit),
                ("RutCompania", company),
                ("DvCompania", company_digit),
                ("RutReceptor", receiver),
                ("DvReceptor", receiver_digit),
                ("TipoDte", str(facts.dte_type)),
                ("FolioDte", str(facts.folio)),
                ("FechaEmisionDte", facts.issued_on.strftime("%d%m%Y")),
                ("MontoDte", str(facts.total)),
            ],
        )

    def poll(self, submission: Submission, track_id: str) -> Verdict | None:
        """The SII's verdict on a document sent in envelope `track_id`; None while in progress."""
        facts = document_facts(submission.signed_xml)
        key = submission.document_key
        status = self.envelope_status(facts.issuer, track_id)
        if status.pending:
            return None
        if status.rejected:
            return verdicts.refused_envelope(status, self._informe(track_id), key, track_id)
        count = status.counts.get(facts.dte_type)
        if status.counts and count is None:
            raise SubmissionInDoubt(f"envelope {track_id} holds no DTE of type {facts.dte_type}")
        informe = self._informe(track_id)
        verdict = None
        if informe is not None:
            verdict = verdicts.from_report(informe, facts.dte_type, facts.folio, key, track_id)
        elif count is not None:
            verdict = verdicts.from_counts(count, key, track_id, status.xml)
        if verdict is None:
            answer = self.document_status(facts)
            verdict = verdicts.from_document_status(answer, key, track_id)
        return verdict

    def reconcile(self, submission: Submission) -> Delivery | None:
        """Ask getEstDte whether the SII holds a document sent in doubt; None if it does not."""
        facts = document_facts(submission.signed_xml)
        sent_at = datetime.now(UTC)
        answer = self.document_status(facts)
        verdict = verdicts.from_document_status(answer, submission.document_key, "")
        # DNK: the folio holds other data (a resend would be DTE-3-101): decided, rejected.
        if verdict.accepted or verdict.status_code == "DNK":
            return Delivery(self.endpoint, "getEstDte", "", sent_at, verdict)
        return None

    def close(self) -> None:
        """Close the pooled connections."""
        self._wire.close()
