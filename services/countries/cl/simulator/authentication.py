"""The SII's automatic authentication (reference §7.1–7.2): seeds, signed seeds, tokens.

A seed is a 12-digit number, good once and for a short while (the SII says two minutes). A
token is issued only for a `getToken` document that really is signed (enveloped XMLDSig over
the whole `getToken/item/Semilla` document) by a certificate naming a valid RUN, over a seed
this simulator issued, still fresh and never used. Tokens live a configurable time and can be
expired on command. Checking the signature is pure (`read_signed_seed`, run off the event
loop); the seed and token bookkeeping runs on the database thread.
"""

from __future__ import annotations

import secrets
import sqlite3
import string
from dataclasses import dataclass

from services.core import untrusted_xml
from services.countries.cl.simulator import signatures

SEED_LIFETIME = 120.0
TOKEN_LIFETIME = 3600.0
_TOKEN_ALPHABET = string.ascii_letters + string.digits


class TokenRefused(Exception):
    """getToken's answer is not a token: `estado` and `glosa` are the SII's (§7.2)."""

    def __init__(self, estado: str, glosa: str) -> None:
        super().__init__(f"{estado} {glosa}")
        self.estado = estado
        self.glosa = glosa


class TokenInvalid(Exception):
    """A call's token is not usable: `estado` is the query services' token error (§7.4)."""

    def __init__(self, estado: str) -> None:
        super().__init__(estado)
        self.estado = estado


@dataclass(frozen=True)
class SignedSeed:
    """A getToken request whose signature holds: the seed it signs and the signer's RUN."""

    seed: str
    run: str | None


_SIGNATURE_ESTADOS = {
    signatures.NO_CERTIFICATE: ("11", "ERROR: NO Certificate"),
    signatures.KEY_MISMATCH: ("21", "ERROR: LLAVE PUBLICA NO CORRESPONDE AL CERTIFICADO"),
    signatures.INVALID: ("05", "ERROR: FIRMA INVALIDA"),
}


def read_signed_seed(text: str) -> SignedSeed:
    """Check the signed getToken document; TokenRefused with the SII's ESTADO if it fails."""
    try:
        root = untrusted_xml.parse_text(text)
    except untrusted_xml.UnsafeXml as problem:
        raise TokenRefused("03", f"ERROR: (Parser Exception) {problem}") from None
    if root.tag != "getToken":
        raise TokenRefused("06", "ERROR: NO Semilla")
    signature = root.find(f"{{{signatures.DS}}}Signature")
    if signature is None:
        raise TokenRefused("04", "ERROR: NO Signature")
    seeds = root.findall("item/Semilla")
    if len(seeds) != 1 or not (seeds[0].text or "").strip():
        raise TokenRefused("06", "ERROR: NO Semilla")
    try:
        signer = signatures.verify(signature, "")
    except signatures.BadSignature as problem:
        raise TokenRefused(*_SIGNATURE_ESTADOS[problem.reason]) from None
    return SignedSeed((seeds[0].text or "").strip(), signer.run)


class Authentication:
    """Seeds and tokens kept in the simulator's database (use from the database thread)."""

    def __init__(
        self,
        database: sqlite3.Connection,
        seed_lifetime: float = SEED_LIFETIME,
        token_lifetime: float = TOKEN_LIFETIME,
    ) -> None:
        self.database = database
        self.seed_lifetime = seed_lifetime
        self.token_lifetime = token_lifetime

    def new_seed(self, now: float) -> str:
        """A fresh seed, recorded as issued now."""
        while True:
            seed = f"{secrets.randbelow(10**12):012d}"
            try:
                self.database.execute(
                    "INSERT INTO seeds (seed, issued_at) VALUES (?, ?)", (seed, now)
                )
                return seed
            except sqlite3.IntegrityError:
                continue  # drawn twice: draw again

    def redeem(self, signed: SignedSeed, now: float) -> str:
        """The token for a checked signed seed, spending the seed; TokenRefused if not."""
        row = self.database.execute(
            "SELECT issued_at, used FROM seeds WHERE seed = ?", (signed.seed,)
        ).fetchone()
        if row is None:
            raise TokenRefused("08", "ERROR: NO Existe SEED")
        if row[1]:
            raise TokenRefused("08", "ERROR: SEED YA UTILIZADO")
        if now - row[0] > self.seed_lifetime:
            raise TokenRefused("08", "ERROR: TIME-OUT DEL SEED")
        if signed.run is None:
            raise TokenRefused("-07", "ERROR: RUT DEL CERTIFICADO NO VALIDO")
        self.database.execute("UPDATE seeds SET used = 1 WHERE seed = ?", (signed.seed,))
        token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(13))
        self.database.execute(
            "INSERT INTO tokens (token, run, issued_at, expires_at) VALUES (?, ?, ?, ?)",
            (token, signed.run, now, now + self.token_lifetime),
        )
        return token

    def holder(self, token: str, now: float) -> str:
        """The RUN a live token was issued to; TokenInvalid (002 expired, 003 unknown) if not."""
        row = self.database.execute(
            "SELECT run, expires_at FROM tokens WHERE token = ?", (token,)
        ).fetchone()
        if row is None:
            raise TokenInvalid("003")
        if now >= row[1]:
            raise TokenInvalid("002")
        return str(row[0])

    def expire(self, token: str, now: float) -> None:
        """End one token now (a fault that makes the next call find its token expired)."""
        self.database.execute(
            "UPDATE tokens SET expires_at = ? WHERE token = ? AND expires_at > ?", (now, token, now)
        )

    def expire_all(self, now: float) -> int:
        """End every live token now; how many there were."""
        cursor = self.database.execute(
            "UPDATE tokens SET expires_at = ? WHERE expires_at > ?", (now, now)
        )
        return cursor.rowcount

    def counts(self, now: float) -> dict[str, int]:
        """How many tokens were issued, and how many are live now."""
        issued, live = self.database.execute(
            "SELECT COUNT(*), COALESCE(SUM(expires_at > ?), 0) FROM tokens", (now,)
        ).fetchone()
        return {"issued": issued, "live": live}
