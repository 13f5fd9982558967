"""Checking a typed password against the one configured, in constant time.

AUTEUR_USERS gives each user a password, written plain or as 'sha256:<hex>' of it;
AUTEUR_PASSWORD is one password shared by everyone, always plain.
"""

from __future__ import annotations

import hashlib
import hmac

HASHED = "sha256:"


def password_matches(password: str, secret: str) -> bool:
    """A user's typed password against theirs in AUTEUR_USERS: plain, or 'sha256:<hex>' of it."""
    if secret.startswith(HASHED):
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, secret[len(HASHED):].strip().lower())
    return plain_matches(password, secret)


def plain_matches(password: str, expected: str) -> bool:
    return hmac.compare_digest(password.encode("utf-8"), expected.encode("utf-8"))
