"""Settings from `TIMBRA_*` environment variables, an optional TOML file, and safe defaults.

Every setting has a default that works for the embedded run on one machine. The file named
by `TIMBRA_CONFIG` (TOML, keys as below without the prefix, lowercase) is read first; the
environment overrides it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

_PREFIX = "TIMBRA_"


def _default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "timbra")


@dataclass(frozen=True)
class Settings:
    """Everything a timbra process can be told; see the README for each setting."""

    data_dir: str = ""
    grpc_host: str = "127.0.0.1"
    grpc_port: int = 50051
    signing_grpc_port: int = 50052
    transmission_grpc_port: int = 50053
    transport: str = "embedded"  # embedded | kafka
    store: str = "sqlite"  # sqlite | postgres
    postgres_dsn: str = ""
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka_partitions: int = 3
    kafka_topic_prefix: str = "timbra"  # topics are <prefix>.document.drafted, ...
    master_key: str = ""  # base64 of 32 bytes; default: a key file in the data dir
    encrypt_events: bool = False  # encrypt all event state, not just the secrets in it
    simulators: bool = True  # start the authority simulators with `timbra run`
    co_dian_url: str = ""  # DIAN WcfDianCustomerServices endpoint; default: the simulator
    # The certificate that signs web-service requests (DIAN WS-Security; SII seed and
    # EnvioDTE): a PKCS#12 file and its password. Default: the sandbox's, made on first run.
    co_transport_pkcs12: str = ""
    co_transport_password: str = ""
    cl_sii_url: str = ""  # SII services host; default: the simulator
    cl_transport_pkcs12: str = ""
    cl_transport_password: str = ""
    cl_sii_keys: str = ""  # trusted SII CAF keys: PEM keys or SII certificate files, ':'-separated
    cl_sii_key_url: str = ""  # sandboxes only: trust the SII key published at this URL
    cl_sii_informe_url: str = ""  # where SII result reports can be read (the simulator's portal)
    cl_envelope_size: int = 2000  # DTEs per EnvioDTE (the SII's maximum is 2,000)
    cl_envelope_wait: float = 3.0  # seconds a DTE may wait for others before a partial envelope
    authority_timeout: float = 30.0
    authority_poll_seconds: float = 2.0  # first wait before polling an asynchronous delivery
    # DIAN's contingency pattern (tipo 4): attempts 20 s apart, then probes every 30 min; the
    # backlog has 48 h once the authority answers again; warn 6 h before a deadline.
    contingency_attempts: int = 4
    contingency_retry_seconds: float = 20.0
    contingency_probe_seconds: float = 1800.0
    contingency_deadline_hours: float = 48.0
    deadline_warning_hours: float = 6.0
    metrics_port: int = 0  # Prometheus /metrics on grpc_host:metrics_port; 0 = off
    transmit_workers: int = 8
    issue_batch_size: int = 200
    sandbox: bool = True  # create a sandbox issuer (test CA, simulator resolution) on first run
    log_level: str = "INFO"

    @property
    def data_path(self) -> Path:
        """The data directory as a Path (created on demand by whoever writes there)."""
        return Path(self.data_dir)

    @classmethod
    def load(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Read the config file (if any), then the environment, then explicit overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        config_file = env.get(f"{_PREFIX}CONFIG")
        if config_file:
            with open(config_file, "rb") as handle:
                values.update(tomllib.load(handle))
        for f in fields(cls):
            raw = env.get(_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        converted: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            converted[f.name] = _convert(f.name, f.type, values[f.name])
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        settings = cls(**converted)
        if not settings.data_dir:
            settings = cls(**{**converted, "data_dir": _default_data_dir()})
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse combinations that cannot work, with the setting's name."""
        if self.transport not in ("embedded", "kafka"):
            raise ValueError(f"TIMBRA_TRANSPORT must be embedded or kafka, got {self.transport!r}")
        if self.store not in ("sqlite", "postgres"):
            raise ValueError(f"TIMBRA_STORE must be sqlite or postgres, got {self.store!r}")
        if self.store == "postgres" and not self.postgres_dsn:
            raise ValueError("TIMBRA_STORE=postgres needs TIMBRA_POSTGRES_DSN")


def _convert(name: str, kind: Any, value: Any) -> Any:
    kind = kind if isinstance(kind, str) else kind.__name__
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on", "y"):
            return True
        if text in ("0", "false", "no", "off", "n", ""):
            return False
        raise ValueError(f"TIMBRA_{name.upper()} must be true or false, got {value!r}")
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"TIMBRA_{name.upper()} must be an integer, got {value!r}") from None
    if kind == "float":
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"TIMBRA_{name.upper()} must be a number, got {value!r}") from None
    return str(value)
