"""Settings: the one place that reads the environment."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


@dataclass(frozen=True)
class Settings:
    workspace: Path
    lock_timeout_s: float = 30.0
    user_name: str = "Director"
    user_email: str = "director@auteur.local"
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    embedding_model: str | None = None
    memory: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        workspace = Path(env.get("AUTEUR_WORKSPACE") or "workspace").expanduser()
        try:
            timeout = float(env.get("AUTEUR_LOCK_TIMEOUT", "30"))
        except ValueError:
            timeout = 30.0
        name = (env.get("AUTEUR_USER_NAME") or "").strip() or _login() or "Director"
        name = "".join(ch for ch in name if ch not in "<>\n") or "Director"
        email = (env.get("AUTEUR_USER_EMAIL") or "").strip().strip("<>") or \
            f"{''.join(ch for ch in name.lower().replace(' ', '.') if ch.isalnum() or ch in '._-')}@auteur.local"
        return cls(workspace=workspace.absolute(), lock_timeout_s=max(0.0, timeout),
                   user_name=name, user_email=email, qdrant_url=env.get("QDRANT_URL") or None,
                   qdrant_api_key=env.get("QDRANT_API_KEY") or None,
                   embedding_model=env.get("AUTEUR_EMBEDDING_MODEL") or None,
                   memory=env.get("AUTEUR_MEMORY", "on").lower() not in ("off", "0", "false", "no"))


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""
