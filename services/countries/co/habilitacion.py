"""DIAN's shared habilitación (test-set) numbering range, as DIAN hands it to every new software.

Facts from dian-colombia.md §1.1 and §7: resolution 18760000001, prefix SETP (software propio),
990000000–995000000, valid 2019-01-19 to 2030-01-19, and the fixed habilitación technical key.
"""

from __future__ import annotations

from datetime import date

from services.countries.pack import NumberingSlot, RangeSpec

AUTHORIZATION = "18760000001"
PREFIX = "SETP"
RANGE_FROM = 990000000
RANGE_TO = 995000000
VALID_FROM = date(2019, 1, 19)
VALID_TO = date(2030, 1, 19)
TECHNICAL_KEY = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"


def range_spec(issuer: str) -> RangeSpec:
    """The habilitación range as a registration for `issuer` (NIT without DV)."""
    return RangeSpec(
        country="co",
        issuer=issuer,
        document_types=("01", "02", "04"),  # 02 and 04 share the invoice range
        authorization=AUTHORIZATION,
        prefix=PREFIX,
        range_from=RANGE_FROM,
        range_to=RANGE_TO,
        valid_from=VALID_FROM,
        valid_to=VALID_TO,
        technical_key=TECHNICAL_KEY,
    )


def slot(number: int, range_id: str = "habilitacion-setp") -> NumberingSlot:
    """One number of the habilitación range (SETP990000000 + n)."""
    return NumberingSlot(
        range_id=range_id,
        authorization=AUTHORIZATION,
        prefix=PREFIX,
        number=number,
        range_from=RANGE_FROM,
        range_to=RANGE_TO,
        valid_from=VALID_FROM,
        valid_to=VALID_TO,
        technical_key=TECHNICAL_KEY,
    )
