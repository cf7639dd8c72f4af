"""Seeds and tokens: the signed-seed check (libxmlsec1) and the seed/token bookkeeping."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from lxml import etree

from services.countries.cl.client.authentication import signed_seed
from services.countries.cl.signer_certificate import issue_sandbox_certificate
from services.countries.cl.simulator.authentication import (
    Authentication,
    SignedSeed,
    TokenInvalid,
    TokenRefused,
    read_signed_seed,
)
from services.countries.cl.simulator.storage import open_database
from services.countries.pack import Credentials
from services.signing import testca

DS = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    authority = testca.create_authority()
    key, certificate = issue_sandbox_certificate(authority, run="13185095-6", name="Ana")
    return Credentials(key, certificate)


@pytest.fixture
def authentication(tmp_path: Path) -> Authentication:
    return Authentication(open_database(tmp_path), seed_lifetime=120, token_lifetime=60)


def refusal(document: str) -> str:
    with pytest.raises(TokenRefused) as refused:
        read_signed_seed(document)
    return refused.value.estado


def test_a_signed_seed_names_its_seed_and_signer(credentials: Credentials) -> None:
    assert read_signed_seed(signed_seed("000000000078", credentials)) == SignedSeed(
        "000000000078", "13185095-6"
    )


def test_every_way_a_signed_seed_can_be_wrong(credentials: Credentials) -> None:
    good = signed_seed("000000000078", credentials)
    assert refusal(good.replace("000000000078", "000000000079")) == "05"
    assert refusal("<getToken><item><Semilla>1</Semilla></item></getToken>") == "04"
    assert refusal(f'<getToken><item/><Signature xmlns="{DS}"/></getToken>') == "06"
    assert refusal("not xml") == "03"
    assert refusal('<!DOCTYPE x [<!ENTITY a "b">]><getToken/>') == "03"
    root = etree.fromstring(good.encode())
    root.find(f".//{{{DS}}}Exponent").text = base64.b64encode(b"\x01\x00\x03").decode()
    assert refusal(etree.tostring(root, encoding="unicode")) == "21"
    root = etree.fromstring(good.encode())
    root.find(f".//{{{DS}}}Reference").set("URI", "#other")
    assert refusal(etree.tostring(root, encoding="unicode")) == "05"


def test_a_seed_is_spent_once_and_ages(authentication: Authentication) -> None:
    seed = authentication.new_seed(1000.0)
    token = authentication.redeem(SignedSeed(seed, "13185095-6"), 1001.0)
    assert authentication.holder(token, 1002.0) == "13185095-6"
    with pytest.raises(TokenRefused, match="UTILIZADO"):
        authentication.redeem(SignedSeed(seed, "13185095-6"), 1003.0)
    old = authentication.new_seed(1000.0)
    with pytest.raises(TokenRefused, match="TIME-OUT"):
        authentication.redeem(SignedSeed(old, "13185095-6"), 1121.0)
    with pytest.raises(TokenRefused, match="RUT"):
        authentication.redeem(SignedSeed(authentication.new_seed(1000.0), None), 1001.0)


def test_tokens_expire_with_time_or_on_command(authentication: Authentication) -> None:
    token = authentication.redeem(SignedSeed(authentication.new_seed(0.0), "13185095-6"), 0.0)
    with pytest.raises(TokenInvalid) as expired:
        authentication.holder(token, 60.0)
    assert expired.value.estado == "002"
    with pytest.raises(TokenInvalid) as unknown:
        authentication.holder("nope", 0.0)
    assert unknown.value.estado == "003"
    other = authentication.redeem(SignedSeed(authentication.new_seed(0.0), "13185095-6"), 0.0)
    assert authentication.expire_all(1.0) == 2, "both were still live at 1.0"
    with pytest.raises(TokenInvalid):
        authentication.holder(other, 1.5)
    assert authentication.counts(2.0) == {"issued": 2, "live": 0}
