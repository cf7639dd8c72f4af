"""Configuring the Chilean pack in a running process: which SII keys sign CAFs, and where the
SII's result reports can be read."""

from __future__ import annotations

import logging
import urllib.request

from services.core.settings import Settings
from services.countries.cl.pack import PACK

log = logging.getLogger(__name__)


def configure(settings: Settings, simulator_admin_url: str | None) -> None:
    """Trust the configured SII keys (TIMBRA_CL_SII_KEYS), or else a sandbox's published key
    (TIMBRA_CL_SII_KEY_URL, or the embedded simulator's), kept in the data directory so later
    processes find it too."""
    keys: list[bytes] = []
    for path in filter(None, settings.cl_sii_keys.split(":")):
        with open(path, "rb") as handle:
            keys.append(handle.read())
    kept = settings.data_path / "sandbox" / "cl-sii-key.pem"
    if not keys and simulator_admin_url:
        with urllib.request.urlopen(f"{simulator_admin_url}/sii-key", timeout=30) as answer:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(answer.read())
    if not keys and kept.exists():
        keys.append(kept.read_bytes())
    if not keys:
        log.warning("no SII key is configured (TIMBRA_CL_SII_KEYS): CAF files will be refused")
    informe = settings.cl_sii_informe_url or (
        f"{simulator_admin_url}/informes" if simulator_admin_url else None
    )
    PACK.configure(
        keys,
        informe_url=informe,
        envelope_size=settings.cl_envelope_size,
        envelope_wait=settings.cl_envelope_wait,
    )
