"""RSA keys of the sizes the SII really uses (512 bits), which `cryptography` refuses to generate.

The SII's own keys (IDK 100/300) and every CAF key are 512-bit RSA, the CAF keys with public
exponent 3 (reference §3.2). `cryptography` signs and verifies with such keys but will not make
one, so the simulator draws the primes itself (Miller-Rabin) and hands the numbers over.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives.asymmetric import rsa

_SMALL_PRIMES = (3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73)
_ROUNDS = 40  # error probability below 4**-40 per prime


def _probably_prime(candidate: int) -> bool:
    if any(candidate % small == 0 for small in _SMALL_PRIMES):
        return candidate in _SMALL_PRIMES
    odd, twos = candidate - 1, 0
    while odd % 2 == 0:
        odd, twos = odd // 2, twos + 1
    for _ in range(_ROUNDS):
        witness = secrets.randbelow(candidate - 3) + 2
        value = pow(witness, odd, candidate)
        if value in (1, candidate - 1):
            continue
        for _ in range(twos - 1):
            value = pow(value, 2, candidate)
            if value == candidate - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, exponent: int) -> int:
    while True:
        # The two top bits set keep p*q at the full size; the low bit makes it odd.
        candidate = secrets.randbits(bits) | (0b11 << (bits - 2)) | 1
        if (candidate - 1) % exponent and _probably_prime(candidate):
            return candidate


def generate_private_key(bits: int = 512, exponent: int = 3) -> rsa.RSAPrivateKey:
    """A new RSA private key of `bits` bits and public exponent `exponent`."""
    while True:
        p, q = _prime(bits // 2, exponent), _prime(bits // 2, exponent)
        if p == q or (p * q).bit_length() != bits:
            continue
        d = pow(exponent, -1, (p - 1) * (q - 1))
        numbers = rsa.RSAPrivateNumbers(
            p=p,
            q=q,
            d=d,
            dmp1=d % (p - 1),
            dmq1=d % (q - 1),
            iqmp=pow(q, -1, p),
            public_numbers=rsa.RSAPublicNumbers(exponent, p * q),
        )
        return numbers.private_key(unsafe_skip_rsa_key_validation=False)
