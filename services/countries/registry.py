"""Finds the country pack for a country code; services never import a country by name."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType
from typing import Any

import services.countries
from services.core.rejection import InputRejected
from services.countries.pack import CountryPack


@cache
def available() -> tuple[str, ...]:
    """Country codes that have a pack (a folder under services/countries with a `pack` module)."""
    return tuple(
        sorted(
            info.name
            for info in pkgutil.iter_modules(services.countries.__path__)
            if info.ispkg and importlib.util.find_spec(f"services.countries.{info.name}.pack")
        )
    )


@cache
def _load(code: str) -> CountryPack:
    module = importlib.import_module(f"services.countries.{code}.pack")
    return module.PACK


def pack_for(code: str, field: str = "document.country") -> CountryPack:
    """The pack for `code`, or an InputRejected naming `field` when there is none."""
    if code not in available():
        supported = ", ".join(available()) or "none"
        raise InputRejected(field, f"unknown country {code!r}; supported: {supported}")
    return _load(code)


def demo_documents(code: str, count: int, issuer: str, seed: int = 0) -> list:  # type: ignore[type-arg]
    """Realistic sample documents from the country's demo generator (an ERP stand-in)."""
    pack_for(code, field="country")
    module = importlib.import_module(f"services.countries.{code}.demo")
    return module.generate_documents(count, issuer, seed)


def verifier_for(head: bytes) -> ModuleType | None:
    """The `verify` module of the country whose documents start like `head`, if any."""
    for code in available():
        name = f"services.countries.{code}.verify"
        if importlib.util.find_spec(name):
            module = importlib.import_module(name)
            if module.recognises(head):
                return module
    return None


def configure_packs(settings: Any, simulator_admin_urls: dict[str, str]) -> None:
    """Let each country pack that needs it read its configuration (CL: the trusted SII keys)."""
    for code in available():
        name = f"services.countries.{code}.setup"
        if importlib.util.find_spec(name):
            importlib.import_module(name).configure(settings, simulator_admin_urls.get(code))


def delivery_files(
    code: str, number: str, signed_xml: bytes, response_xml: bytes
) -> dict[str, bytes]:
    """The files a country's buyer receives besides the document (CO: AttachedDocument, QR)."""
    name = f"services.countries.{code}.delivery"
    if code not in available() or not importlib.util.find_spec(name):
        return {}
    module = importlib.import_module(name)
    return module.delivery_files(number, signed_xml, response_xml)  # type: ignore[no-any-return]
