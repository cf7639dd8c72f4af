"""The checks of an EnvioDTE's Carátula against what the envelope really carries.

SubTotDTE must count the DTEs present per type, RutEmisor must be every DTE's RUTEmisor, and
RutEnvia the RUN named by the certificate that signed the envelope (sii-chile.md §6, §5.5):
the SII rejects an envelope whose Carátula says otherwise (RCT).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from lxml import etree

from services.countries.cl import rut
from services.countries.cl.verification.reading import ID_DOC, NS, document_of, number, text
from services.countries.cl.verification.report import ENVELOPE, Check
from services.countries.verification_report import Status

_RUT_EMISOR = "s:Encabezado/s:Emisor/s:RUTEmisor"


def _check(name: str, ok: bool, detail: str) -> Check:
    return Check(name, Status.judged(ok), detail, document=ENVELOPE)


def _type(value: str) -> str:
    kind = number(value)  # TpoDTE 033 is type 33
    return value if kind is None else str(kind)


def _written(counts: Counter[str]) -> str:
    return ", ".join(f"{kind}: {number}" for kind, number in sorted(counts.items())) or "none"


def _counts(caratula: etree._Element, dtes: Sequence[etree._Element]) -> Check:
    declared: Counter[str] = Counter()
    for subtotal in caratula.findall("s:SubTotDTE", NS):
        written = text(subtotal, "s:NroDTE")
        count = number(written)
        if count is None:
            return _check("caratula.counts", False, f"SubTotDTE NroDTE {written!r} is no count")
        declared[_type(text(subtotal, "s:TpoDTE"))] += count
    present = Counter(_type(text(document_of(d), ID_DOC + "s:TipoDTE")) for d in dtes)
    if declared != present:
        return _check(
            "caratula.counts",
            False,
            f"SubTotDTE declares {_written(declared)} but the envelope holds {_written(present)}",
        )
    return _check(
        "caratula.counts", True, f"SubTotDTE matches the DTEs present ({_written(present)})"
    )


def _issuer(caratula: etree._Element, dtes: Sequence[etree._Element], labels: list[str]) -> Check:
    issuer = text(caratula, "s:RutEmisor")
    issuers = [text(document_of(dte), _RUT_EMISOR) for dte in dtes]
    others = [
        f"{label} by {emitter or '(missing)'}"
        for emitter, label in zip(issuers, labels, strict=True)
        if emitter != issuer
    ]
    if others:
        return _check(
            "caratula.issuer",
            False,
            f"RutEmisor {issuer or '(missing)'} but DTE(s) issued otherwise: " + ", ".join(others),
        )
    return _check("caratula.issuer", True, f"RutEmisor {issuer} issued every DTE")


def _canonical(text_value: str) -> str:
    try:
        return rut.from_text(text_value).text
    except ValueError:
        return text_value


def _sender(caratula: etree._Element, run: str) -> Check:
    sender = text(caratula, "s:RutEnvia")
    if not run:
        return _check(
            "caratula.sender",
            False,
            f"RutEnvia {sender or '(missing)'}, but the envelope's certificate names no RUN "
            "(subjectAltName 1.3.6.1.4.1.8321.1)",
        )
    if _canonical(sender) != run:
        return _check(
            "caratula.sender",
            False,
            f"RutEnvia {sender or '(missing)'} but the envelope was signed by RUN {run}",
        )
    return _check("caratula.sender", True, f"RutEnvia {sender} is the RUN of the envelope's signer")


def caratula_checks(
    set_dte: etree._Element,
    dtes: Sequence[etree._Element],
    labels: list[str],
    signer_run: str | None,
) -> list[Check]:
    """The Carátula's checks; `signer_run` is None when the envelope's certificate was unread."""
    caratula = set_dte.find("s:Caratula", NS)
    if caratula is None:
        return [_check("caratula", False, "SetDTE has no Caratula")]
    checks = [_counts(caratula, dtes), _issuer(caratula, dtes, labels)]
    if signer_run is not None:
        checks.append(_sender(caratula, signer_run))
    return checks
