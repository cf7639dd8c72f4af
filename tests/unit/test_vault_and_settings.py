"""Secrets sealed at rest, and settings read from the environment with clear refusals."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.exceptions import InvalidTag

from services.core.settings import Settings
from services.core.vault import Vault, master_key


def test_a_sealed_secret_opens_only_in_its_own_context():
    vault = Vault(os.urandom(32))
    token = vault.seal(b"12345", "issuer-pin|a")
    assert b"12345" not in token.encode()
    assert vault.open(token, "issuer-pin|a") == b"12345"
    with pytest.raises(InvalidTag):
        vault.open(token, "issuer-pin|b")
    with pytest.raises(InvalidTag):
        Vault(os.urandom(32)).open(token, "issuer-pin|a")
    assert "12345" not in repr(vault)


def test_the_key_file_is_created_once_and_private(tmp_path):
    first = master_key("", tmp_path)
    second = master_key("", tmp_path)
    assert first == second and len(first) == 32
    assert (tmp_path / "master.key").stat().st_mode & 0o777 == 0o600
    configured = base64.b64encode(os.urandom(32)).decode()
    assert master_key(configured, tmp_path) == base64.b64decode(configured)
    with pytest.raises(ValueError, match="32 bytes"):
        master_key(base64.b64encode(b"short").decode(), tmp_path)


def test_settings_come_from_the_environment_and_a_file(tmp_path):
    config = tmp_path / "timbra.toml"
    config.write_text('grpc_port = 6000\ntransport = "kafka"\n')
    settings = Settings.load(
        {"TIMBRA_CONFIG": str(config), "TIMBRA_GRPC_PORT": "7000", "TIMBRA_DATA_DIR": "/x"}
    )
    assert settings.grpc_port == 7000 and settings.transport == "kafka"
    assert settings.data_dir == "/x"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TIMBRA_TRANSPORT": "carrier-pigeon"}, "TIMBRA_TRANSPORT"),
        ({"TIMBRA_GRPC_PORT": "many"}, "TIMBRA_GRPC_PORT"),
        ({"TIMBRA_STORE": "postgres"}, "TIMBRA_POSTGRES_DSN"),
        ({"TIMBRA_SANDBOX": "perhaps"}, "TIMBRA_SANDBOX"),
    ],
)
def test_bad_settings_are_refused_by_name(environ, message):
    with pytest.raises(ValueError, match=message):
        Settings.load(environ)


def _stored_state(data_dir, encrypt: str) -> bytes:
    import sqlite3

    from services.wiring import issuing_app, vault_for
    from tests.unit.conftest import issuer_profile

    settings = Settings.load({"TIMBRA_DATA_DIR": str(data_dir), "TIMBRA_ENCRYPT_EVENTS": encrypt})
    app = issuing_app(settings, vault_for(settings))
    app.register_issuer(issuer_profile())
    app.close()
    with sqlite3.connect(data_dir / "issuing.sqlite3") as db:
        [(state,)] = db.execute("SELECT state FROM stored_events").fetchall()
    reopened = issuing_app(settings, vault_for(settings))
    assert reopened.issuer_profile("co", "901458723").party.name.startswith("Comercializadora")
    reopened.close()
    return state


def test_encrypted_event_stores_hold_no_readable_state(tmp_path):
    import zlib

    plain = _stored_state(tmp_path / "plain", "no")
    assert b"Comercializadora" in zlib.decompress(plain)  # only compressed
    sealed = _stored_state(tmp_path / "sealed", "yes")
    with pytest.raises(zlib.error):
        zlib.decompress(sealed)
    assert b"Comercializadora" not in sealed
    vault = Vault(os.urandom(32))
    assert vault.derive_key("events|issuing") != vault.derive_key("events|signing")
