"""Building the services from settings: stores, consumers and authority clients, shared by the
embedded run and by `timbra serve`."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from services.core.settings import Settings
from services.core.store import store_env
from services.core.vault import Vault, master_key
from services.countries.pack import AuthorityClient, Credentials
from services.countries.registry import pack_for
from services.issuing.application import IssuingApp
from services.sandbox import transport_files
from services.signing.application import SigningApp
from services.signing.keyring import certificate_details
from services.transmission.application import TransmissionApp
from services.transmission.contingency import ContingencyRules
from services.transmission.dispatcher import Dispatcher


def authority_url(settings: Settings, country: str) -> str:
    """The configured endpoint of a country's authority (TIMBRA_CO_DIAN_URL, TIMBRA_CL_SII_URL);
    empty means: use its simulator."""
    return str(getattr(settings, f"{country}_{pack_for(country).authority.lower()}_url", ""))


def vault_for(settings: Settings) -> Vault:
    """The vault sealing this deployment's secrets."""
    return Vault(master_key(settings.master_key, settings.data_path))


# Aggregates kept in memory per process. A document's facts follow its draft within seconds,
# so the cache needs to span the documents in flight (IssueStream lets each stream hold 256),
# not the day: a larger cache only grew memory for minutes before it filled (each document
# aggregate carries its XML).
_DOCUMENTS_CACHED = 2000


def issuing_app(settings: Settings, vault: Vault) -> IssuingApp:
    """Issuing's application on the configured store."""
    return IssuingApp(
        store_env(settings, "issuing", cache_size=_DOCUMENTS_CACHED, vault=vault), vault=vault
    )


def signing_app(settings: Settings, vault: Vault) -> SigningApp:
    """Signing's application on the configured store."""
    return SigningApp(store_env(settings, "signing", cache_size=100, vault=vault), vault=vault)


def transmission_app(settings: Settings, vault: Vault) -> TransmissionApp:
    """Transmission's application on the configured store."""
    return TransmissionApp(
        store_env(settings, "transmission", cache_size=_DOCUMENTS_CACHED, vault=vault)
    )


def dispatcher(
    settings: Settings, app: TransmissionApp, endpoints: AuthorityEndpoints
) -> Dispatcher:
    """Transmission's dispatcher with the configured retry pattern and deadlines."""
    return Dispatcher(
        app,
        endpoints.client_for,
        workers=settings.transmit_workers,
        poll_seconds=settings.authority_poll_seconds,
        rules=ContingencyRules(
            attempts=settings.contingency_attempts,
            retry_seconds=settings.contingency_retry_seconds,
            probe_seconds=settings.contingency_probe_seconds,
            deadline_hours=settings.contingency_deadline_hours,
            warn_before_hours=settings.deadline_warning_hours,
        ),
    )


@dataclass
class AuthorityEndpoints:
    """Where each country's authority (or its simulator) listens, and the credentials the
    requests are signed with (loaded once per process, when first needed)."""

    urls: dict[str, str]
    timeout: float
    settings: Settings | None = None
    vault: Vault | None = None
    _credentials: dict[str, Credentials | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client_for(self, country: str) -> AuthorityClient:
        """A new client for the country's authority (one per worker thread)."""
        if country not in self.urls:
            raise RuntimeError(f"no authority endpoint is configured for country {country!r}")
        return pack_for(country).create_authority_client(
            self.urls[country], self.timeout, self.credentials(country)
        )

    def credentials(self, country: str) -> Credentials | None:
        """The country's transport credentials: configured, else the sandbox's, else none."""
        with self._lock:
            if country not in self._credentials:
                self._credentials[country] = self._load(country)
            return self._credentials[country]

    def _load(self, country: str) -> Credentials | None:
        if self.settings is None:
            return None
        path = getattr(self.settings, f"{country}_transport_pkcs12", "")
        password = getattr(self.settings, f"{country}_transport_password", "")
        if not path and self.vault is not None:
            bundle, sealed = transport_files(self.settings.data_path, country)
            if bundle.exists() and sealed.exists():
                path = str(bundle)
                password = self.vault.open(sealed.read_text(), f"transport|{country}").decode()
        if not path:
            return None
        _, credentials = certificate_details(Path(path).read_bytes(), password)
        return credentials
