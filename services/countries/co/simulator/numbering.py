"""GetNumberingRange as DIAN answers it: the ranges in force that a software may number with.

Operation codes and texts follow DIAN's service (dian-colombia.md §8.2): 100 with the list;
301 when the NIT has no range in force; 302 when none is associated with the software; 303
when the software is not the one of `accountCodeT`. Documento soporte ranges carry no
technical key (nil), as DIAN's do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.countries.co.simulator.registry import Registry, Resolution, Software

OK = "100"


@dataclass(frozen=True)
class RangeAnswer:
    """A NumberRangeResponseList: the operation's code and text, and the ranges found."""

    operation_code: str
    operation_description: str
    ranges: tuple[Resolution, ...] = ()


def associated(resolution: Resolution, software: Software) -> bool:
    """Whether `software` may number with `resolution` (explicitly, or as its NIT's software)."""
    if resolution.software_ids:
        return software.software_id in resolution.software_ids
    return software.nit == resolution.nit


def numbering_ranges(
    registry: Registry, account_code: str, account_code_t: str, software_code: str, today: date
) -> RangeAnswer:
    """The answer to GetNumberingRange(accountCode, accountCodeT, softwareCode) on `today`."""
    in_force = [
        resolution
        for resolution in registry.resolutions_of(account_code)
        if resolution.valid_from <= today <= resolution.valid_to
    ]
    if not in_force:
        return RangeAnswer(
            "301", f"No fue encontrado ningún rango de numeración para el NIT: {account_code}."
        )
    software = registry.software(software_code)
    usable = [r for r in in_force if software is not None and associated(r, software)]
    if not usable or software is None:
        return RangeAnswer(
            "302", f"No registra prefijos asociados al código de software: {software_code}."
        )
    if software.nit != account_code_t:
        return RangeAnswer(
            "303", f"El código del software no corresponde al NIT: {account_code_t}."
        )
    return RangeAnswer(OK, "Acción completada OK.", tuple(usable))
