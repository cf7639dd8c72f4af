"""What the content rules may ask the sandbox about one document while judging it: its
resolution, its software, and the accepted documents it references.

DIAN's habilitación resolution (18760000001, SETP for own software and SETT for a provider's,
with the shared technical key; dian-colombia.md §1.1, §7) belongs to no one in particular: it
is answered as the resolution of whichever enrolled issuer sent the document.
"""

from __future__ import annotations

from services.countries.co import habilitacion
from services.countries.co.simulator.ledger import AcceptedDocument, Ledger
from services.countries.co.simulator.registry import Registry, Resolution, Software

# SETT is the providers' test range: 1 to 5,000,000 (reference §7).
PROVIDER_PREFIX, PROVIDER_FROM, PROVIDER_TO = "SETT", 1, 5_000_000
# The test resolution's date as DIAN's samples give it (valid from 2019-01-19).
RESOLUTION_DATE = habilitacion.VALID_FROM


def test_resolution(nit: str, prefix: str) -> Resolution:
    """DIAN's habilitación resolution as seen by issuer `nit` numbering with `prefix`."""
    if prefix == PROVIDER_PREFIX:
        low, high = PROVIDER_FROM, PROVIDER_TO
    else:
        prefix, low, high = habilitacion.PREFIX, habilitacion.RANGE_FROM, habilitacion.RANGE_TO
    return Resolution(
        number=habilitacion.AUTHORIZATION,
        nit=nit,
        prefix=prefix,
        range_from=low,
        range_to=high,
        valid_from=habilitacion.VALID_FROM,
        valid_to=habilitacion.VALID_TO,
        technical_key=habilitacion.TECHNICAL_KEY,
        resolution_date=RESOLUTION_DATE,
    )


def test_range(mode: str) -> dict[str, object]:
    """The test range a test set numbers with, as the sandbox portal shows it."""
    resolution = test_resolution("", PROVIDER_PREFIX if mode == "provider" else "")
    shown = resolution.as_json()
    shown.pop("nit")
    shown.pop("software_ids")
    return shown


class Lookups:
    """The sandbox's registry and ledger as the rules see them for one document."""

    def __init__(self, registry: Registry, ledger: Ledger, issuer_nit: str, prefix: str) -> None:
        self._registry = registry
        self._ledger = ledger
        self._issuer_nit = issuer_nit
        self._prefix = prefix

    def resolution(self, number: str) -> Resolution | None:
        """The resolution with that number (DIAN's test one for any enrolled issuer)."""
        if number == habilitacion.AUTHORIZATION and self._registry.is_enrolled(self._issuer_nit):
            return test_resolution(self._issuer_nit, self._prefix)
        return self._registry.resolution(number)

    def software(self, software_id: str) -> Software | None:
        """The registered software with that id."""
        return self._registry.software(software_id)

    def accepted(self, document_key: str) -> AcceptedDocument | None:
        """The accepted document with that CUFE/CUDE/CUDS, if DIAN holds one."""
        return self._ledger.accepted(document_key)
