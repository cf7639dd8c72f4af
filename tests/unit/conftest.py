"""Unit-test fixtures: in-memory stores and a sandbox issuer registered in them."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from services.core.vault import Vault
from services.countries.pack import Address, IssuerProfile, Party, RangeSpec
from services.issuing.application import IssuingApp

ISSUER = "901458723"


def memory_env() -> dict[str, str]:
    """An in-memory event store (the library's POPO recorder)."""
    return {"PERSISTENCE_MODULE": "eventsourcing.popo"}


@pytest.fixture
def vault() -> Vault:
    """A vault with a random key."""
    return Vault(os.urandom(32))


def issuer_profile(tax_id: str = ISSUER) -> IssuerProfile:
    """A registered issuer as the Colombian pack would parse it."""
    return IssuerProfile(
        country="co",
        party=Party(
            tax_id=tax_id,
            check_digit="0",
            id_type="31",
            name="Comercializadora Timbra Sandbox S.A.S.",
            person_type="1",
            tax_responsibilities=("O-13",),
            tax_scheme="01",
            address=Address(
                line="Carrera 7 # 71-21",
                city_code="11001",
                city_name="Bogotá, D.C.",
                subdivision_code="11",
                subdivision_name="Bogotá",
                postal_zone="110231",
                country="CO",
            ),
        ),
        software_id="5a1e0c2e-0000-4000-8000-00000000abcd",
        software_pin="12345",
        environment="2",
        provider_tax_id=tax_id,
        provider_check_digit="0",
    )


def range_spec(
    prefix: str = "SETP",
    start: int = 990000000,
    end: int = 995000000,
    valid_to: dt.date | None = None,
) -> RangeSpec:
    """A numbering range for the test issuer."""
    today = dt.date.today()
    return RangeSpec(
        country="co",
        issuer=ISSUER,
        document_types=("01",),
        authorization="18760000001",
        prefix=prefix,
        range_from=start,
        range_to=end,
        valid_from=today - dt.timedelta(days=30),
        valid_to=valid_to or today + dt.timedelta(days=365),
        technical_key="fc8eac422eba16e22ffd8c6f94b3f40a6e38162c",
    )


@pytest.fixture
def issuing(vault: Vault) -> IssuingApp:
    """An issuing app in memory with the test issuer and its SETP range."""
    app = IssuingApp(memory_env(), vault=vault)
    app.register_issuer(issuer_profile())
    app.register_range(range_spec())
    return app
