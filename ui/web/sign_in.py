"""Who may come into the studio, and in which workspace each person works.

Three ways in, set in the environment: AUTEUR_USERS (a password each, and a folder each),
AUTEUR_PASSWORD (one shared password into one shared studio, whatever name is typed), and
AUTEUR_AUTH_HEADER (a proxy in front names the user; a folder each). With none, no sign-in:
everyone works in the workspace itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import TYPE_CHECKING, Any

from config.settings import Settings, secret
from ui.web.passwords import password_matches, plain_matches

if TYPE_CHECKING:
    import chainlit as cl


class SignIn:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @property
    def by_password(self) -> bool:
        return bool(secret(self.settings.auth_password) or self.settings.auth_users)

    @property
    def by_header(self) -> bool:
        return bool(self.settings.auth_header)

    @property
    def required(self) -> bool:
        return self.by_password or self.by_header

    def check_password(self, username: str, password: str) -> cl.User | None:
        """AUTEUR_USERS: each user their own password (and projects). AUTEUR_PASSWORD alone: one shared
        password that lets people into one shared studio, whatever name they type."""
        name = username.strip()[:120]
        if not name:
            return None
        users = {user: secret(word) or "" for user, word in dict(self.settings.auth_users).items()}
        if users:
            expected = users.get(name)
            if expected is None or not password_matches(password, expected):
                return None
            return _user(name, provider="password", own_folder=True)
        expected = secret(self.settings.auth_password) or ""
        if not expected or not plain_matches(password, expected):
            return None
        return _user(name, provider="password", own_folder=False)

    def check_header(self, headers: Any) -> cl.User | None:
        """The user a trusted proxy names in AUTEUR_AUTH_HEADER; nobody when the header is missing."""
        header = self.settings.auth_header
        name = (headers.get(header) or "").strip() if header else ""
        return _user(name[:120], provider="header") if name else None

    def settings_for(self, user: cl.User | None) -> Settings:
        """Without sign-in, the shared workspace; signed in, a workspace of the user's own."""
        if user is None or not self.required:
            return self.settings
        name = "".join(ch for ch in user.identifier if ch not in "<>\n")[:80] or "Director"
        if not (user.metadata or {}).get("own_folder", True):  # the shared password: the shared studio
            return dataclasses.replace(self.settings, user_name=name)
        folder = user_folder(user.identifier)
        return dataclasses.replace(self.settings, workspace=self.settings.workspace / "users" / folder,
                                   user_name=name, user_email=f"{folder}@auteur.local")


def user_folder(identifier: str) -> str:
    """A folder name for a signed-in user: readable, and never the same for two identifiers."""
    plain = re.sub(r"[^a-z0-9._-]+", "-", identifier.strip().lower()).strip(".-")[:48]
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{plain}-{digest}" if plain else digest


def _user(identifier: str, **metadata: Any) -> cl.User:
    import chainlit as cl

    return cl.User(identifier=identifier, metadata=metadata)

