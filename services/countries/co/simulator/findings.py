"""One broken DIAN rule; kept here for the simulator's modules that import it."""

from __future__ import annotations

from services.countries.co.verification.findings import Finding

__all__ = ["Finding"]
