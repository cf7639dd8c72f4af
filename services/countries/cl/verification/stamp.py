"""The checks of a DTE's stamp (TED) and of the CAF it carries.

FRMT must verify over the flattened DD with the folio key the CAF inside it announces (DA/RSAPK,
sii-chile.md §4.2), and DD must say what the document says (§4.1). The CAF must authorise this
issuer, type and folio, must not have expired when the DTE was signed (§3.2), and its FRMA is
checked against the SII keys the user trusts: without one, the report says it was not checked,
since a CAF's key proves nothing until the SII's signature on it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from services.countries.cl import ted
from services.countries.cl.caf import NEVER, valid_until
from services.countries.cl.flatten import flattened
from services.countries.cl.sii_text import clipped
from services.countries.cl.verification.reading import ID_DOC, document_of, number, text
from services.countries.cl.verification.report import Check
from services.countries.verification_report import Status

# Each DD field, and where the document says the same (sii-chile.md §4.1).
_DD_SOURCES = (
    ("RE", "s:Encabezado/s:Emisor/s:RUTEmisor", "RUTEmisor"),
    ("TD", ID_DOC + "s:TipoDTE", "TipoDTE"),
    ("F", ID_DOC + "s:Folio", "Folio"),
    ("FE", ID_DOC + "s:FchEmis", "FchEmis"),
    ("RR", "s:Encabezado/s:Receptor/s:RUTRecep", "RUTRecep"),
    ("MNT", "s:Encabezado/s:Totales/s:MntTotal", "MntTotal"),
)


def _same(stamped: str, written: str) -> bool:
    if number(stamped) is not None and number(written) is not None:
        return number(stamped) == number(written)  # a folio written 007 is folio 7
    return stamped == written


def _frmt(stamp: etree._Element) -> tuple[bool, str]:
    if stamp.find("s:FRMT", {"s": ted.SII_NS}) is None:
        return False, "the TED has no FRMT"
    try:
        ok = ted.verify_stamp(stamp)
    # Mixed content, text outside ISO-8859-1, or nesting deeper than flattening recurses.
    except (ValueError, RecursionError) as error:
        return False, f"the DD cannot be flattened as the SII signs it: {error!r}"
    if ok:
        return True, "FRMT verifies over the flattened DD with the CAF's folio key (DA/RSAPK)"
    return False, (
        "FRMT is not the signature of the DD by the CAF's folio key: the DD changed after "
        "stamping, or another key stamped it"
    )


def _dd(document: etree._Element, dd: etree._Element) -> tuple[bool, str]:
    differences = []
    for field, path, name in _DD_SOURCES:
        stamped, written = text(dd, f"s:{field}"), text(document, path)
        if not stamped or not _same(stamped, written):
            differences.append(
                f"{field} {stamped or '(missing)'} but {name} {written or '(missing)'}"
            )
    item = clipped(text(document, "s:Detalle/s:NmbItem"), ted.FIELD_LIMIT)
    if not item or text(dd, "s:IT1") != item:
        differences.append(f"IT1 {text(dd, 's:IT1')!r} but the first NmbItem gives {item!r}")
    if differences:
        return False, "DD differs from the document: " + "; ".join(differences)
    return True, "RE, TD, F, FE, RR, MNT and IT1 are what the document says"


def _authorizes(document: etree._Element, caf: etree._Element) -> tuple[bool, str]:
    try:
        kind, folios = ted.key_id(caf).split(":", 1)
        first, last = (int(end) for end in folios.split("-", 1))
    except ValueError:
        return False, "the CAF's DA has no readable TD and RNG"
    issuer, owner = text(document, "s:Encabezado/s:Emisor/s:RUTEmisor"), text(caf, "s:DA/s:RE")
    dte_type, folio = text(document, ID_DOC + "s:TipoDTE"), text(document, ID_DOC + "s:Folio")
    problems = []
    if owner != issuer:
        problems.append(f"it is for RUT {owner}, not the issuer {issuer}")
    if not _same(kind, dte_type):
        problems.append(f"it authorises type {kind}, not {dte_type}")
    folio_number = number(folio)
    if folio_number is None or not first <= folio_number <= last:
        problems.append(f"folio {folio} is outside its range {first}-{last}")
    if problems:
        return False, "the CAF does not authorise this DTE: " + "; ".join(problems)
    return True, f"CAF for {owner}, type {kind}, folios {first}-{last}, holds folio {folio}"


def _validity(
    document: etree._Element, caf: etree._Element, signed_at: datetime | None
) -> tuple[bool, str]:
    try:
        authorized = date.fromisoformat(text(caf, "s:DA/s:FA"))
        issued = date.fromisoformat(text(document, ID_DOC + "s:FchEmis"))
        until = valid_until(int(text(caf, "s:DA/s:TD")), authorized)
    except ValueError:
        return False, "the CAF's FA, its TD or the document's FchEmis is unreadable"
    signed = signed_at.date() if signed_at else issued
    lasting = "does not expire" if until == NEVER else f"valid until {until}"
    if issued < authorized:
        return False, f"issued on {issued}, before the CAF's authorisation on {authorized} (FA)"
    if signed > until:
        return False, (
            f"signed on {signed}, after the CAF authorised on {authorized} expired on {until} "
            "(6 months for this type; the SII rejects CAF-3-517)"
        )
    return True, f"authorised on {authorized} (FA), {lasting}; signed on {signed}"


def _frma(caf: etree._Element, sii_keys: Sequence[rsa.RSAPublicKey], label: str) -> Check:
    idk = text(caf, "s:DA/s:IDK") or "?"
    if not sii_keys:
        return Check(
            "caf.frma",
            Status.INFO,
            f"not checked: no trusted SII key given (--sii-key); the CAF names IDK {idk}",
            enforced=False,
            document=label,
        )
    da = caf.find("s:DA", {"s": ted.SII_NS})
    try:
        signed = flattened(da) if da is not None else b""
    except (ValueError, RecursionError) as error:  # as for the DD, in _frmt
        return Check(
            "caf.frma", Status.FAIL, f"the DA cannot be flattened: {error!r}", document=label
        )
    frma = "".join(text(caf, "s:FRMA").split())
    for index, key in enumerate(sii_keys, 1):
        if signed and ted.verify_signature(signed, frma, key):
            detail = f"FRMA (IDK {idk}) verifies with trusted SII key #{index}"
            return Check("caf.frma", Status.PASS, detail, document=label)
    return Check(
        "caf.frma",
        Status.FAIL,
        f"FRMA (IDK {idk}) verifies with none of the {len(sii_keys)} trusted SII key(s): "
        "the SII did not sign this CAF",
        document=label,
    )


def stamp_checks(
    dte: etree._Element,
    label: str,
    sii_keys: Sequence[rsa.RSAPublicKey],
    signed_at: datetime | None,
) -> list[Check]:
    """The TED's and the CAF's checks of one DTE, named for `label`."""
    document = document_of(dte)
    ns = {"s": ted.SII_NS}
    stamp = document.find("s:TED", ns) if document is not None else None
    dd = stamp.find("s:DD", ns) if stamp is not None else None
    caf = dd.find("s:CAF", ns) if dd is not None else None
    if document is None or stamp is None or dd is None or caf is None:
        missing = "Documento" if document is None else "TED/DD/CAF"
        return [Check("ted", Status.FAIL, f"the DTE has no {missing} to check", document=label)]
    results = [
        ("ted.frmt", _frmt(stamp)),
        ("ted.dd", _dd(document, dd)),
        ("caf.authorizes", _authorizes(document, caf)),
        ("caf.validity", _validity(document, caf, signed_at)),
    ]
    checks = [
        Check(name, Status.judged(ok), detail, document=label) for name, (ok, detail) in results
    ]
    return [*checks, _frma(caf, sii_keys, label)]
