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
    jobs: str = "local"  # "local" (in process) or "celery"
    redis_url: str = "redis://127.0.0.1:6379/0"
    models_dir: Path | None = None  # where diffusers pipelines live, besides the Hugging Face cache
    image_model: str | None = None  # overrides the quality tier's image model
    video_model: str | None = None  # overrides the quality tier's video model
    allow_downloads: bool = False  # may diffusers fetch a model from the Hub (never unless asked)
    quality_file: Path | None = None
    ip_adapter: str | None = None  # IP-Adapter weights (a file) for character reference images
    ip_adapter_scale: float | None = None
    auth_password: str | None = None  # Chainlit password login (AUTEUR_PASSWORD) when set
    auth_header: str | None = None  # Chainlit header auth (AUTEUR_AUTH_HEADER, e.g. X-Forwarded-User)
    auth_users: tuple[tuple[str, str], ...] = ()  # AUTEUR_USERS "ann:pw,bob:sha256:<hex>": a password each
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None  # Socket Mode
    slack_api_url: str | None = None  # Slack Web API base (tests point it at a loopback server)

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
                   memory=_on(env.get("AUTEUR_MEMORY", "on")),
                   jobs=(env.get("AUTEUR_JOBS") or "local").strip().lower(),
                   redis_url=env.get("AUTEUR_REDIS_URL") or env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                   models_dir=Path(env["AUTEUR_MODELS_DIR"]).expanduser() if env.get("AUTEUR_MODELS_DIR") else None,
                   image_model=env.get("AUTEUR_IMAGE_MODEL") or None,
                   video_model=env.get("AUTEUR_VIDEO_MODEL") or None,
                   allow_downloads=_on(env.get("AUTEUR_ALLOW_DOWNLOADS", "off")),
                   quality_file=Path(env["AUTEUR_QUALITY_FILE"]).expanduser() if env.get("AUTEUR_QUALITY_FILE") else None,
                   ip_adapter=env.get("AUTEUR_IP_ADAPTER") or None,
                   ip_adapter_scale=_float(env.get("AUTEUR_IP_ADAPTER_SCALE")),
                   auth_password=env.get("AUTEUR_PASSWORD") or None,
                   auth_header=env.get("AUTEUR_AUTH_HEADER") or None,
                   auth_users=_users(env.get("AUTEUR_USERS") or ""),
                   slack_bot_token=env.get("SLACK_BOT_TOKEN") or None,
                   slack_signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
                   slack_app_token=env.get("SLACK_APP_TOKEN") or None,
                   slack_api_url=env.get("SLACK_API_URL") or None)


def _users(value: str) -> tuple[tuple[str, str], ...]:
    """'ann:pw1, bob:sha256:<hex>' → (("ann", "pw1"), ("bob", "sha256:<hex>"))."""
    users = []
    for item in value.split(","):
        name, sep, secret = item.strip().partition(":")
        if sep and name.strip() and secret:
            users.append((name.strip(), secret))
    return tuple(users)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _on(value: str) -> bool:
    return value.strip().lower() not in ("off", "0", "false", "no", "")


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""
