"""The simulator's SII key: kept in the data dir, its certificate shaped like the SII's own."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from cryptography import x509

from services.countries.cl.sii_keys import load_sii_key
from services.countries.cl.simulator.sii_key import KEY_FILE, load_or_create


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = load_or_create(tmp_path)
    again = load_or_create(tmp_path)
    assert first.public_key().public_numbers() == again.public_key().public_numbers()
    assert os.stat(tmp_path / KEY_FILE).st_mode & 0o077 == 0


def test_the_certificate_has_the_sii_certificates_odd_version(tmp_path: Path) -> None:
    key = load_or_create(tmp_path, idk=300)
    with pytest.raises(x509.InvalidVersion):
        x509.load_der_x509_certificate(key.certificate_der)
    pem = key.certificate_pem()
    assert base64.b64decode(b"".join(pem.splitlines()[1:-1])) == key.certificate_der
    # What a verifier does with it: take the public key out of the DER structure.
    assert load_sii_key(pem).public_numbers() == key.public_key().public_numbers()
    assert bytes.fromhex("06092a864886f70d010104") in key.certificate_der, "md5WithRSA"
    assert key.idk == 300
