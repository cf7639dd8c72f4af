"""Issuing CAF files, as the SII's folio download does: signed (FRMA) with the simulator's key.

The file is the SII's `AUTORIZACION` (reference §3.1): the CAF (DA with a fresh 512-bit,
exponent-3 RSA public key, and FRMA, SHA1withRSA over the flattened DA by the "SII" key), then
the key pair as RSASK and RSAPUBK. The Chilean pack's `caf.generate_caf` builds it; the
simulator only decides what it authorises and signs it with its own key and IDK.
"""

from __future__ import annotations

from datetime import date

from services.countries.cl.caf import generate_caf
from services.countries.cl.simulator.sii_key import SiiKey

NAME_LIMIT = 40  # DA/RS is at most 40 characters


def issue_caf(
    sii: SiiKey, rut: str, name: str, dte_type: int, low: int, high: int, authorized_on: date
) -> bytes:
    """The CAF file (with its private key, RSASK) for folios `low`..`high` of `dte_type`."""
    content, _ = generate_caf(
        rut, dte_type, low, high, authorized_on, sii.private_key, sii.idk, name[:NAME_LIMIT]
    )
    return content
