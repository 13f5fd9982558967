"""Passwords: stored as salted scrypt hashes, checked in constant time.

The stored form describes itself: ``scrypt:n=16384:r=8:p=1:<salt>:<hash>`` (salt and hash in URL-safe
base64 without padding), so AUTEUR_USERS can hold it as it is: it has no comma (the list separator) and
no ``$`` (which shells and compose files would expand). `auteur password-hash` prints one.

A password written plain in the environment still works: it is hashed in memory when the studio starts
(`Verifier.from_setting`). So does the old unsalted ``sha256:<hex>`` form, with a warning to replace it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # about 16 MiB and a few tens of milliseconds a check: slow to guess offline
SALT_BYTES = 16
HASH_BYTES = 32
LEGACY = "sha256:"
_MAX_MEMORY = 2**28  # a stored hash may ask for more work, within reason: scrypt needs 128*n*r bytes
_MAX_P = 16


class BadHash(ValueError):
    """A stored password hash that cannot be read."""


def hash_password(password: str, *, salt: bytes | None = None, n: int = N, r: int = R, p: int = P) -> str:
    """The stored form of a password, with a fresh random salt unless one is given."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _scrypt(password, salt, n, r, p, HASH_BYTES)
    return f"{SCHEME}:n={n}:r={r}:p={p}:{_b64(salt)}:{_b64(digest)}"


def is_hash(value: str) -> bool:
    """Whether a configured password is written in a hashed form (scrypt, or the old sha256)."""
    return value.startswith((SCHEME + ":", LEGACY))


def verify(password: str, stored: str) -> bool:
    """Whether a typed password matches a stored scrypt hash; constant time in the hash compared."""
    n, r, p, salt, expected = _parse(stored)
    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(expected)), expected)


@dataclass(frozen=True)
class Verifier:
    """What the studio keeps of one configured password: a salted hash, never the text."""

    stored: str  # the scrypt form
    legacy_sha256: str | None = None  # an old 'sha256:<hex>' setting, checked as it was written

    @classmethod
    def from_setting(cls, value: str) -> Verifier:
        """From AUTEUR_USERS / AUTEUR_PASSWORD: a scrypt hash, an old sha256 hash, or a plain password
        (hashed here, with a fresh salt). Raises BadHash for a scrypt form that cannot be read."""
        if value.startswith(SCHEME + ":"):
            _parse(value)
            return cls(stored=value)
        if value.startswith(LEGACY):
            digest = value[len(LEGACY):].strip().lower()
            if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
                raise BadHash("a 'sha256:' password must be 64 hexadecimal digits")
            return cls(stored="", legacy_sha256=digest)
        return cls(stored=hash_password(value))

    def matches(self, password: str) -> bool:
        if self.legacy_sha256 is not None:
            digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
            return hmac.compare_digest(digest, self.legacy_sha256)
        return verify(password, self.stored)


def fingerprint(value: str) -> bytes:
    """A digest of a configured password setting (text or hash): it changes when the setting changes.
    Only ever mixed with a secret key before it leaves the process (see ui.web.sign_in)."""
    return hashlib.sha256(b"auteur-password\0" + value.encode("utf-8")).digest()


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split(":")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise BadHash("a password hash is written scrypt:n=…:r=…:p=…:<salt>:<hash> (run `auteur password-hash`)")
    try:
        params = dict(part.split("=", 1) for part in parts[1:4])
        n, r, p = int(params["n"]), int(params["r"]), int(params["p"])
        salt, digest = _unb64(parts[4]), _unb64(parts[5])
    except (KeyError, ValueError) as exc:
        raise BadHash("a password hash has unreadable parameters (run `auteur password-hash`)") from exc
    if not (n >= 2 and n & (n - 1) == 0 and r >= 1 and 128 * n * r <= _MAX_MEMORY and 1 <= p <= _MAX_P):
        raise BadHash("a password hash asks for scrypt parameters out of range (run `auteur password-hash`)")
    if len(salt) < 8 or len(digest) < 16:
        raise BadHash("a password hash has too short a salt or hash (run `auteur password-hash`)")
    return n, r, p, salt, digest


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length,
                          maxmem=128 * r * (n + p + 2) + 2**20)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or any(not (ch.isascii() and (ch.isalnum() or ch in "-_")) for ch in text):
        raise ValueError("not URL-safe base64")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
