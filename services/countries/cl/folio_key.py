"""Key pairs shaped like the SII's CAF keys (512-bit RSA, public exponent 3), for the CAFs the
SII simulator and the tests issue.

`cryptography` signs with such keys but refuses to generate them (it wants at least 1024 bits
and e = 65537), so the two primes are found here — random odd numbers of exactly 256 bits with
p ≡ 2 (mod 3), so that 3 is invertible, tested by trial division and 40 Miller-Rabin rounds —
and handed to `cryptography` as RSA numbers. Real CAF keys come from the SII; these only need
to look and behave like them. Never use them for anything else.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives.asymmetric import rsa

EXPONENT = 3
BITS = 512
_ROUNDS = 40
_SMALL_PRIMES = tuple(
    n for n in range(3, 2000, 2) if all(n % d for d in range(3, int(n**0.5) + 1, 2))
)


def _probably_prime(n: int) -> bool:
    for small in _SMALL_PRIMES:
        if n % small == 0:
            return n == small
    d, shifts = n - 1, 0
    while d % 2 == 0:
        d //= 2
        shifts += 1
    for _ in range(_ROUNDS):
        witness = secrets.randbelow(n - 3) + 2
        x = pow(witness, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(shifts - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int) -> int:
    while True:
        # The two top bits set make the product of two such primes exactly 2 × bits long.
        candidate = secrets.randbits(bits) | (0b11 << (bits - 2)) | 1
        if candidate % EXPONENT == 2 and _probably_prime(candidate):
            return candidate


def generate_folio_key(bits: int = BITS) -> rsa.RSAPrivateKey:
    """A new RSA key with e = 3, `bits` long (512 as the SII's CAF keys are)."""
    half = bits // 2
    while True:
        p, q = _prime(half), _prime(half)
        if p != q and (p * q).bit_length() == bits:
            break
    d = pow(EXPONENT, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=rsa.rsa_crt_dmp1(d, p),
        dmq1=rsa.rsa_crt_dmq1(d, q),
        iqmp=rsa.rsa_crt_iqmp(p, q),
        public_numbers=rsa.RSAPublicNumbers(EXPONENT, p * q),
    )
    return numbers.private_key()
