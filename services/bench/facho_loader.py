"""Loading facho, the library `baseline-facho` compares timbra with, on timbra's own interpreter
and libraries, in a benchmark worker process only.

facho 0.2.1 (the newest release) predates two changes it trips on, neither in its own code:
- Python 3.11 refuses a dataclass field whose default is an unhashable instance; facho's
  `form` module has several (`Address.city = City('05001')`, `TaxTotal.tax_amount = Amount(0)`)
  and does not import at all. While facho is imported, such a default is handed to
  `dataclasses` as a factory returning that same instance: what Python 3.10 did with it.
- pyOpenSSL 23.3/24.1 removed `crypto.load_pkcs12` and `crypto.PKCS12`, which facho's signer
  calls on every signature and xmlsig's `load_pkcs12` tests against. No pyOpenSSL that still
  has them accepts timbra's pinned cryptography, so they are put back, built on cryptography's
  PKCS#12 loader, with the methods xmlsig reads; a bundle is parsed once (see _load_pkcs12).
Neither touches facho's code. Both only ever happen inside the spawned worker that measures
facho, never in the `timbra` process itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import inspect
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from typing import Any

# What `make test` does; the extra is never part of `make run`.
INSTALL_COMMAND = ".venv/bin/pip install -e '.[baseline]'"
BASELINE_LIBRARIES = ("facho", "xades", "xmlsig", "pyOpenSSL")
# A benchmark worker must never reach a network: facho fetches DIAN's signature policy over
# HTTP unless told to use its bundled copy (mockpolicy=True, which the baseline always passes).
_NETWORK_EVENTS = frozenset(
    {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}
)


class FachoMissing(RuntimeError):
    """facho (the `baseline` extra) is not installed in this environment."""


@dataclass(frozen=True)
class Facho:
    """facho's modules the baseline calls: the invoice model, its DIAN XML, the extensions."""

    form: Any
    form_xml: Any
    fe: Any


def installed_versions() -> dict[str, str]:
    """The versions of facho and the libraries it signs with; FachoMissing without facho."""
    try:
        metadata.version("facho")
    except metadata.PackageNotFoundError:
        raise FachoMissing(
            "timbra bench baseline-facho needs the facho library (the `baseline` extra), which "
            f"is not installed: run `{INSTALL_COMMAND}` (`make test` installs it)"
        ) from None
    return {name: _version(name) for name in BASELINE_LIBRARIES}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


@cache
def load_facho() -> Facho:
    """Import facho in this (worker) process, with the two compatibility shims above."""
    installed_versions()
    _restore_pyopenssl_pkcs12()
    with _dataclass_defaults_as_in_python_310():
        form = importlib.import_module("facho.fe.form")
        form_xml = importlib.import_module("facho.fe.form_xml")
        fe = importlib.import_module("facho.fe.fe")
    return Facho(form, form_xml, fe)


def forbid_network() -> None:
    """Make any network access in this process fail loudly (audit hooks cannot be removed:
    call it only in a benchmark worker)."""

    def refuse(event: str, _args: tuple[Any, ...]) -> None:
        if event in _NETWORK_EVENTS:
            raise RuntimeError(f"the baseline tried to reach the network ({event})")

    sys.addaudithook(refuse)


@contextlib.contextmanager
def _dataclass_defaults_as_in_python_310() -> Iterator[None]:
    original = dataclasses.dataclass

    def lenient(cls: Any = None, /, **options: Any) -> Any:
        def wrap(klass: Any) -> Any:
            for name in inspect.get_annotations(klass):
                default = klass.__dict__.get(name, dataclasses.MISSING)
                if (
                    default is not dataclasses.MISSING
                    and not isinstance(default, dataclasses.Field | list | dict | set)
                    and type(default).__hash__ is None
                ):
                    # One shared instance, as before 3.11 (lists, dicts, sets were refused then
                    # too, and still are).
                    setattr(klass, name, dataclasses.field(default_factory=lambda d=default: d))
            return original(klass, **options)

        return wrap if cls is None else wrap(cls)

    dataclasses.dataclass = lenient  # type: ignore[assignment]
    try:
        yield
    finally:
        dataclasses.dataclass = original


class _LoadedKey:
    """A private key already loaded, as the former PKey handed it to xmlsig: without being
    serialised and parsed again (today's PKey round-trips through DER, with key checks)."""

    def __init__(self, key: Any) -> None:
        self._key = key

    def to_cryptography_key(self) -> Any:
        """The cryptography key object."""
        return self._key


class _LoadedCertificate:
    """A certificate already loaded, as the former X509 handed it to xmlsig."""

    def __init__(self, certificate: Any) -> None:
        self._certificate = certificate

    def to_cryptography(self) -> Any:
        """The cryptography certificate object."""
        return self._certificate


class _PKCS12:
    """The part of pyOpenSSL's former PKCS12 object that facho and xmlsig use."""

    def __init__(self, key: Any, certificate: Any) -> None:
        self._key = key
        self._certificate = certificate

    def get_certificate(self) -> _LoadedCertificate:
        """The certificate."""
        return _LoadedCertificate(self._certificate)

    def get_privatekey(self) -> _LoadedKey:
        """The private key."""
        return _LoadedKey(self._key)


@lru_cache(maxsize=4)
def _load_pkcs12(data: bytes, passphrase: bytes | None = None) -> _PKCS12:
    # facho parses its PKCS#12 again at every signature. Today's parser checks the RSA key
    # each time (~30 ms here), which the pyOpenSSL facho was written for did not do; the
    # result is kept per bundle so that facho is not charged for it. Generous to facho.
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, certificate, _chain = pkcs12.load_key_and_certificates(data, passphrase)
    return _PKCS12(key, certificate)


def _restore_pyopenssl_pkcs12() -> None:
    from OpenSSL import crypto

    if not hasattr(crypto, "load_pkcs12"):
        crypto.load_pkcs12 = _load_pkcs12
    if not hasattr(crypto, "PKCS12"):
        crypto.PKCS12 = _PKCS12
