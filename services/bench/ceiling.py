"""The machine's ceiling: RSA-2048 PKCS#1 v1.5 (SHA-256) signatures per second, with the same
library timbra signs with (`cryptography`), on one core and on all of them.

Every signed document costs at least one such signature, so a signing or end-to-end rate read
as a fraction of this ceiling says how much of the machine's signing capacity timbra turns into
documents, whatever the machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from services.bench.parallel import Work, cores, measure

_MESSAGE = b"timbra ceiling " * 8


@dataclass(frozen=True)
class Ceiling:
    """RSA-2048 signatures per second on one core and with every core."""

    per_core: float
    all_cores: float
    cores: int
    seconds: float

    def as_json(self) -> dict[str, float | int]:
        """The ceiling as plain data."""
        return {
            "rsa2048_signatures_per_second_per_core": round(self.per_core, 1),
            "rsa2048_signatures_per_second_all_cores": round(self.all_cores, 1),
            "cores": self.cores,
            "seconds_measured": self.seconds,
        }


def signing_for(seconds: float) -> Work:
    """Prepare a key; the returned run signs for `seconds` and says how many it made."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key.sign(_MESSAGE, padding.PKCS1v15(), hashes.SHA256())  # warm the code path

    def run() -> int:
        done = 0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for _ in range(20):  # check the clock every few signatures, not after each
                key.sign(_MESSAGE, padding.PKCS1v15(), hashes.SHA256())
            done += 20
        return done

    return Work(run)


def measure_ceiling(seconds: float = 2.0) -> Ceiling:
    """Measure the ceiling now, on one core and then on all of them."""
    one = measure(signing_for, seconds, 1)
    available = cores()
    every = measure(signing_for, seconds, available) if available > 1 else one
    return Ceiling(one.rate, every.rate, available, seconds)
