"""Who may come into the studio, in which workspace each person works, and how long a sign-in lasts.

Three ways in, set in the environment: AUTEUR_USERS (a password each, and a folder each),
AUTEUR_PASSWORD (one shared password into one shared studio, whatever name is typed), and
AUTEUR_AUTH_HEADER (a proxy in front names the user; a folder each). With none, no sign-in:
everyone works in the workspace itself; on a studio that listens on loopback only, the person at this
machine is signed in without a form as AUTEUR_USER_NAME (`local_identity`), so that their chats last.

Passwords are kept as salted scrypt hashes (ui.web.passwords). A sign-in is a token Chainlit signs
(a JWT in a cookie); ours carries a seal, an HMAC keyed by a random key of that user's own, kept in
``<workspace>/.auteur/sign_in/`` (owner-only), over the user's name, the way in and the password
setting. Every request checks the seal again (`guard_tokens`), so a token stops working when the user
leaves AUTEUR_USERS, when their password changes, when they sign out (their key is replaced: every
browser they used is signed out), when the key folder is deleted (everyone is signed out), and after
AUTEUR_SESSION_HOURS.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import secrets
import sys
import time
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.settings import Settings, secret
from ui.web.origins import is_loopback
from ui.web.passwords import BadHash, Verifier, fingerprint, hash_password, is_hash

if TYPE_CHECKING:
    import chainlit as cl

KEYS = Path(".auteur") / "sign_in"
LOCAL = "local:"  # the identity of the person at this machine (local_user); no sign-in gives it


@dataclasses.dataclass(frozen=True)
class Account:
    verifier: Verifier
    fingerprint: bytes  # of the configured setting: a new password gives a new fingerprint


class SignIn:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = UserKeys(settings.workspace / KEYS)

    @property
    def by_password(self) -> bool:
        return bool(secret(self.settings.auth_password) or self.settings.auth_users)

    @property
    def by_header(self) -> bool:
        return bool(self.settings.auth_header)

    @property
    def required(self) -> bool:
        return self.by_password or self.by_header

    def local_identity(self, host: str) -> bool:
        """Without sign-in, on a studio that listens on loopback only, the person at this machine gets an
        identity of their own without a login form (``local_user``), so that Chainlit keeps and lists their
        chats. A studio reachable from other machines never admits anyone this way: there, a sign-in is needed
        for chats that last."""
        return not self.required and is_loopback(host)

    def local_user(self) -> cl.User:
        """The person at this machine (the header sign-in Chainlit calls when ``local_identity`` holds: every
        request it can come from is from this machine). They work in the workspace itself, as before."""
        import chainlit as cl

        # "local:" keeps their chats apart from any signed-in user's (an AUTEUR_USERS name holds no colon)
        return cl.User(identifier=f"{LOCAL}{self.settings.user_name}", display_name=self.settings.user_name,
                       metadata={"provider": "local"})

    @property
    def lifetime_s(self) -> int:
        return max(60, int(self.settings.session_hours * 3600))

    def prepare(self) -> list[str]:
        """Hashes the configured passwords now (at start-up, not at the first sign-in) and says what to fix."""
        return list(self._accounts[1])

    @cached_property
    def _accounts(self) -> tuple[dict[str, Account], list[str]]:
        accounts: dict[str, Account] = {}
        warnings: list[str] = []
        plain: list[str] = []
        for name, word in self.settings.auth_users:
            text = secret(word) or ""
            try:
                accounts[name] = Account(Verifier.from_setting(text), fingerprint(text))
            except BadHash as exc:
                warnings.append(f"AUTEUR_USERS: {name} cannot sign in: {exc}.")
                continue
            if text.startswith("sha256:"):
                warnings.append(f"AUTEUR_USERS: {name}'s password is an unsalted sha256 hash, quick to guess if "
                                "it leaks: replace it with the output of `auteur password-hash`.")
            elif not is_hash(text):
                plain.append(name)
        if plain:
            warnings.append(f"AUTEUR_USERS: the password of {', '.join(plain)} is written in plain text: write "
                            "name:HASH instead, with HASH from `auteur password-hash`.")
        return accounts, warnings

    @cached_property
    def _shared(self) -> Account | None:
        text = secret(self.settings.auth_password) or ""
        if not text:
            return None
        try:
            return Account(Verifier.from_setting(text), fingerprint(text))
        except BadHash:
            return None

    def check_password(self, username: str, password: str) -> cl.User | None:
        """AUTEUR_USERS: each user their own password (and projects). AUTEUR_PASSWORD alone: one shared
        password that lets people into one shared studio, whatever name they type."""
        name = username.strip()[:120]
        if not name or name.lower().startswith(LOCAL):  # the local identity is never a name someone types
            return None
        if self.settings.auth_users:
            account = self._accounts[0].get(name)
            if account is None:
                _decoy().matches(password)  # an unknown name costs as much as a wrong password
                return None
            if not account.verifier.matches(password):
                return None
            return self._signed(name, "user", account.fingerprint, provider="password", own_folder=True)
        shared = self._shared
        if shared is None or not shared.verifier.matches(password):
            return None
        return self._signed(name, "shared", shared.fingerprint, provider="password", own_folder=False)

    def check_header(self, headers: Any) -> cl.User | None:
        """The user a trusted proxy names in AUTEUR_AUTH_HEADER; nobody when the header is missing."""
        header = self.settings.auth_header
        name = (headers.get(header) or "").strip()[:120] if header else ""
        if name.lower().startswith(LOCAL):  # a proxy's name is never the local identity
            return None
        return self._signed(name, "header", b"", provider="header") if name else None

    def still_signed_in(self, user: cl.User | None, issued_at: float | None = None) -> bool:
        """Whether a signed-in user's token still holds: the user is still configured with the same
        password, has not signed out since, and (given when it was issued) is not older than the lifetime."""
        if not self.required:
            return True
        if user is None:
            return False
        metadata = user.metadata or {}
        seal = metadata.get("seal")
        way = self._way(metadata)
        if not isinstance(seal, str) or way is None:
            return False
        if issued_at is not None and not time.time() - self.lifetime_s - 60 <= issued_at <= time.time() + 60:
            return False
        proof = self._proof(user.identifier, way)
        if proof is None:
            return False
        expected = self.keys.seal(user.identifier, way, proof)
        return expected is not None and hmac.compare_digest(seal, expected)

    def sign_out(self, user: cl.User | None) -> None:
        """Ends every sign-in of this user (in every browser): their key is replaced."""
        if user is not None and self.still_signed_in(user):
            self.keys.replace(user.identifier)

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

    def workspace_of(self, identifier: str, metadata: dict[str, Any]) -> Path:
        """The workspace of a user known by name and metadata (as the chat history keeps them)."""
        import chainlit as cl

        return self.settings_for(cl.User(identifier=identifier, metadata=metadata)).workspace

    def _way(self, metadata: dict[str, Any]) -> str | None:
        if metadata.get("provider") == "header":
            return "header"
        if metadata.get("provider") == "password":
            return "user" if metadata.get("own_folder", True) else "shared"
        return None

    def _proof(self, identifier: str, way: str) -> bytes | None:
        """What the seal is bound to besides the key: the user's configured password (None: no such user)."""
        if way == "header":
            return b"" if self.by_header else None
        if way == "user":
            account = self._accounts[0].get(identifier) if self.settings.auth_users else None
            return account.fingerprint if account else None
        shared = None if self.settings.auth_users else self._shared
        return shared.fingerprint if shared else None

    def _signed(self, identifier: str, way: str, proof: bytes, **metadata: Any) -> cl.User:
        import chainlit as cl

        return cl.User(identifier=identifier, metadata={**metadata, "seal": self.keys.seal(identifier, way, proof,
                                                                                         create=True)})


class UserKeys:
    """A random key per user, one owner-only file each; replacing it ends the user's sign-ins."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def seal(self, identifier: str, way: str, proof: bytes, *, create: bool = False) -> str | None:
        key = self._read(identifier)
        if key is None and create:
            key = self._create(identifier)
        if key is None:
            return None
        message = b"\0".join((identifier.encode("utf-8"), way.encode("ascii"), proof))
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    def replace(self, identifier: str) -> None:
        path = self._path(identifier)
        temporary = self._write_new(path)
        os.replace(temporary, path)

    def _path(self, identifier: str) -> Path:
        return self.root / f"{user_folder(identifier)}.key"

    def _read(self, identifier: str) -> bytes | None:
        try:
            key = bytes.fromhex(self._path(identifier).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return None
        return key if len(key) >= 32 else None

    def _create(self, identifier: str) -> bytes | None:
        path = self._path(identifier)
        temporary = self._write_new(path)
        try:
            os.link(temporary, path)  # only if there is none yet: two first sign-ins at once agree on one key
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
        return self._read(identifier)

    def _write_new(self, path: Path) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_hex(32))
        return temporary


def guard_tokens(sign_in: SignIn) -> None:
    """In the process that serves the studio (before the first request): Chainlit issues tokens for
    AUTEUR_SESSION_HOURS, and every route and socket that reads one refuses it unless it still holds.

    Chainlit 2.12 reads every token through `chainlit.auth.decode_jwt` (the routes' `get_current_user`,
    the socket's connect) and `chainlit.server.decode_jwt` (/auth/jwt): both are wrapped here."""
    import chainlit.auth as auth
    import chainlit.server as server
    import jwt
    from chainlit.config import config

    config.project.user_session_timeout = sign_in.lifetime_s
    original = auth.decode_jwt
    if getattr(original, "auteur_guard", False):
        return
    if getattr(server, "decode_jwt", None) is not original:
        raise RuntimeError("this Chainlit reads sign-in tokens in a way Auteur does not know: sign-ins could "
                           "not be revoked. Use the Chainlit version in constraints.txt.")

    def decode_jwt(token: str) -> Any:
        user = original(token)  # checks the signature and the expiry
        issued = jwt.decode(token, options={"verify_signature": False}).get("iat")
        if not sign_in.still_signed_in(user, issued_at=issued if isinstance(issued, (int, float)) else -1):
            raise jwt.InvalidTokenError("this sign-in has ended: sign in again")  # Chainlit answers 401
        return user

    decode_jwt.auteur_guard = True  # type: ignore[attr-defined]
    auth.decode_jwt = server.decode_jwt = decode_jwt


def sign_out_request(sign_in: SignIn, request: Any) -> None:
    """Chainlit's logout: the token the browser sends (cookie, else bearer) ends, with every other of its user."""
    from chainlit.auth import get_token_from_cookies
    from chainlit.auth.jwt import decode_jwt

    token = get_token_from_cookies(dict(request.cookies))
    scheme, _, bearer = (request.headers.get("Authorization") or "").partition(" ")
    token = token or (bearer.strip() if scheme.lower() == "bearer" else "")
    if not token:
        return
    try:
        user = decode_jwt(token)
    except Exception:  # a token we did not sign, or expired: nothing to end
        return
    sign_in.sign_out(user)


@lru_cache(maxsize=1)
def _decoy() -> Verifier:
    return Verifier(hash_password(secrets.token_urlsafe(16)))


def warn(lines: list[str]) -> None:
    for line in lines:
        print(f"warning: {line}", file=sys.stderr, flush=True)


def user_folder(identifier: str) -> str:
    """A folder name for a signed-in user: readable, and never the same for two identifiers."""
    plain = re.sub(r"[^a-z0-9._-]+", "-", identifier.strip().lower()).strip(".-")[:48]
    digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{plain}-{digest}" if plain else digest
