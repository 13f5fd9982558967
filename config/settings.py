"""Settings: the one place that reads the environment.

`Settings.from_env()` reads the process environment once, through pydantic-settings (config.environment),
or takes an explicit mapping of variables (tests, a compose file's environment), and derives the settings
the studio runs on. Everything else receives a `Settings`; no other module of ours reads `os.environ` for a
setting.

Secrets (the Qdrant API key, the Chainlit passwords, the Slack tokens, the values model profiles expand,
some of which are API keys) are pydantic `SecretStr`: a printed or logged `Settings` shows `**********`.
Code that needs the text calls `secret(...)` where it hands the secret to a client.

`Settings` is a frozen dataclass, so `dataclasses.replace` makes a variant (a per-user workspace in the
Chainlit face); a secret given there as text is wrapped as a `SecretStr` again.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from pydantic import SecretStr

# The variables config/models.yaml expands as ${VAR} or ${VAR:-default}: keep this in step with that file
# (and with config.environment.Environment). Some are API keys, so all of them are kept as secrets.
PROFILE_VARIABLES = ("AUTEUR_GGUF_PATH", "AUTEUR_LLM_BASE_URL", "AUTEUR_LLM_MODEL", "AUTEUR_LLM_API_KEY",
                     "OLLAMA_BASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")
_SECRETS = ("qdrant_api_key", "auth_password", "slack_bot_token", "slack_signing_secret", "slack_app_token",
            "chat_db")  # a database URL may hold a password


def secret(value: SecretStr | str | None) -> str | None:
    """The plain text of a secret setting (a SecretStr, or a str); None when it is not set."""
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value)


@dataclass(frozen=True)
class Settings:
    workspace: Path
    lock_timeout_s: float = 30.0
    user_name: str = "Director"
    user_email: str = "director@auteur.local"
    qdrant_url: str | None = None
    qdrant_api_key: SecretStr | None = None
    embedding_model: str | None = None
    memory: bool = True
    jobs: str = "local"  # "local" (in process) or "celery"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_wait_s: float = 60.0  # AUTEUR_REDIS_WAIT_S: how long a Redis that went away is waited for
    models_dir: Path | None = None  # where diffusers pipelines live, besides the Hugging Face cache
    image_model: str | None = None  # overrides the quality tier's image model
    video_model: str | None = None  # overrides the quality tier's video model
    audio_model: str | None = None  # a diffusers audio pipeline (Stable Audio, AudioLDM2) for effects and music
    audio_steps: int | None = None  # its inference steps (each family has a default)
    voice_model: str | None = None  # a neural TTS (VITS / MMS-TTS) cast for every character instead of espeak-ng
    allow_downloads: bool = False  # may diffusers fetch a model from the Hub (never unless asked)
    quality_file: Path | None = None
    ip_adapter: str | None = None  # IP-Adapter weights (a file) for character reference images
    ip_adapter_scale: float | None = None
    auth_password: SecretStr | None = None  # Chainlit password login (AUTEUR_PASSWORD) when set
    auth_header: str | None = None  # Chainlit header auth (AUTEUR_AUTH_HEADER, e.g. X-Forwarded-User)
    auth_users: tuple[tuple[str, SecretStr], ...] = ()  # AUTEUR_USERS "ann:pw,bob:scrypt:…": a password each
    session_hours: float = 12.0  # AUTEUR_SESSION_HOURS: how long a studio sign-in lasts
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # Socket Mode
    slack_api_url: str | None = None  # Slack Web API base (tests point it at a loopback server)
    llm_profile: str | None = None  # AUTEUR_MODEL: the model profile (else models.yaml's default)
    profile_env: tuple[tuple[str, SecretStr], ...] = ()  # the PROFILE_VARIABLES that are set
    langsmith_tracing: bool = False  # LANGSMITH_TRACING=true: the person asked for LangSmith traces
    allowed_origins: tuple[str, ...] = ()  # AUTEUR_ALLOWED_ORIGINS: more pages that may use the studio
    llm_ports: tuple[int, ...] | None = None  # AUTEUR_LLM_PORTS: the loopback ports asked for model servers
    model_switch: bool | None = None  # AUTEUR_MODEL_SWITCH on/off; None: not set (see model_switch_on)
    chat_db: SecretStr | None = None  # AUTEUR_CHAT_DB: the chats' SQL server (else SQLite in the workspace)

    def __post_init__(self) -> None:
        # A secret given as text (dataclasses.replace(settings, slack_app_token="xapp-…")) stays a secret.
        for name in _SECRETS:
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, SecretStr(value))
        for name in ("auth_users", "profile_env"):
            pairs = tuple((key, SecretStr(value) if isinstance(value, str) else value)
                          for key, value in getattr(self, name))
            object.__setattr__(self, name, pairs)

    @property
    def model_switch_on(self) -> bool:
        """May a chat (`/model NAME`, the settings panel) switch the crew's model? AUTEUR_MODEL_SWITCH when it is
        set; otherwise yes, unless sign-in is configured (AUTEUR_USERS, AUTEUR_PASSWORD, AUTEUR_AUTH_HEADER):
        then several people share the studio, and one of them could point the crew at any server or a paid
        API on the operator's key. The terminal's `auteur model` always may."""
        if self.model_switch is not None:
            return self.model_switch
        return not (self.auth_users or self.auth_password or self.auth_header)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings from the process environment, or from ``env`` alone (os.environ unread) if given."""
        if env is None:
            from config.environment import read_environment  # pydantic-settings, imported only here

            values: Mapping[str, Any] = read_environment()
        else:
            values = env

        def get(name: str) -> str | None:  # the variable's text; None when it is not set
            return secret(values.get(name))

        workspace = Path(get("AUTEUR_WORKSPACE") or "workspace").expanduser()
        try:
            timeout = float(_or(get("AUTEUR_LOCK_TIMEOUT"), "30"))
        except ValueError:
            timeout = 30.0
        name = (get("AUTEUR_USER_NAME") or "").strip() or _login() or "Director"
        name = "".join(ch for ch in name if ch not in "<>\n") or "Director"
        email = (get("AUTEUR_USER_EMAIL") or "").strip().strip("<>") or \
            f"{''.join(ch for ch in name.lower().replace(' ', '.') if ch.isalnum() or ch in '._-')}@auteur.local"
        return cls(workspace=workspace.absolute(), lock_timeout_s=max(0.0, timeout),
                   user_name=name, user_email=email, qdrant_url=get("QDRANT_URL") or None,
                   qdrant_api_key=_secret(get("QDRANT_API_KEY")),
                   embedding_model=get("AUTEUR_EMBEDDING_MODEL") or None,
                   memory=_on(_or(get("AUTEUR_MEMORY"), "on")),
                   jobs=(get("AUTEUR_JOBS") or "local").strip().lower(),
                   redis_url=get("AUTEUR_REDIS_URL") or get("REDIS_URL") or "redis://127.0.0.1:6379/0",
                   redis_wait_s=max(0.0, _float(get("AUTEUR_REDIS_WAIT_S")) or 60.0),
                   models_dir=_path(get("AUTEUR_MODELS_DIR")),
                   image_model=get("AUTEUR_IMAGE_MODEL") or None,
                   video_model=get("AUTEUR_VIDEO_MODEL") or None,
                   audio_model=get("AUTEUR_AUDIO_MODEL") or None,
                   audio_steps=int(_float(get("AUTEUR_AUDIO_STEPS")) or 0) or None,
                   voice_model=get("AUTEUR_VOICE_MODEL") or None,
                   allow_downloads=_on(_or(get("AUTEUR_ALLOW_DOWNLOADS"), "off")),
                   quality_file=_path(get("AUTEUR_QUALITY_FILE")),
                   ip_adapter=get("AUTEUR_IP_ADAPTER") or None,
                   ip_adapter_scale=_float(get("AUTEUR_IP_ADAPTER_SCALE")),
                   auth_password=_secret(get("AUTEUR_PASSWORD")),
                   auth_header=get("AUTEUR_AUTH_HEADER") or None,
                   auth_users=_users(get("AUTEUR_USERS") or ""),
                   session_hours=_hours(get("AUTEUR_SESSION_HOURS")),
                   slack_bot_token=_secret(get("SLACK_BOT_TOKEN")),
                   slack_signing_secret=_secret(get("SLACK_SIGNING_SECRET")),
                   slack_app_token=_secret(get("SLACK_APP_TOKEN")),
                   slack_api_url=get("SLACK_API_URL") or None,
                   llm_profile=get("AUTEUR_MODEL") or None,
                   profile_env=tuple((var, SecretStr(value)) for var in PROFILE_VARIABLES if (value := get(var))),
                   langsmith_tracing=(get("LANGSMITH_TRACING") or "").lower() == "true",
                   allowed_origins=_items(get("AUTEUR_ALLOWED_ORIGINS")),
                   llm_ports=_ports(get("AUTEUR_LLM_PORTS")),
                   model_switch=_on(switch) if (switch := (get("AUTEUR_MODEL_SWITCH") or "").strip()) else None,
                   chat_db=_secret((get("AUTEUR_CHAT_DB") or "").strip()))


def _users(value: str) -> tuple[tuple[str, SecretStr], ...]:
    """'ann:pw1, bob:sha256:<hex>' → (("ann", "pw1"), ("bob", "sha256:<hex>")), the passwords kept secret."""
    users = []
    for item in value.split(","):
        name, sep, word = item.strip().partition(":")
        if sep and name.strip() and word:
            users.append((name.strip(), SecretStr(word)))
    return tuple(users)


def _items(value: str | None) -> tuple[str, ...]:
    """'a, b,,c' → ('a', 'b', 'c')."""
    return tuple(item.strip() for item in (value or "").split(",") if item.strip())


def _ports(value: str | None) -> tuple[int, ...] | None:
    """AUTEUR_LLM_PORTS '11434, 8080' → (11434, 8080); set but empty → () (ask none); unset → None (the usual
    ports: agents.llm.discover.DEFAULT_PORTS)."""
    if value is None:
        return None
    return tuple(int(item) for item in _items(value) if item.isdigit() and 0 < int(item) < 65536)


def _secret(value: str | None) -> SecretStr | None:
    """A secret that is set and not empty, else None."""
    return SecretStr(value) if value else None


def _path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _or(value: str | None, default: str) -> str:
    """The variable's text when it is set (even empty), else the default."""
    return default if value is None else value


def _hours(value: str | None) -> float:
    """AUTEUR_SESSION_HOURS: 12 unless a positive number of hours is given (at most a year)."""
    hours = _float(value)
    return min(hours, 24.0 * 366) if hours and hours > 0 else 12.0


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _on(value: str) -> bool:
    return value.strip().lower() not in ("off", "0", "false", "no", "")


# Accounts that are a machine's, not a person's: no one is called "root" in a project's history.
MACHINE_LOGINS = frozenset({"root", "admin", "administrator", "nobody", "daemon", "www-data", "ubuntu", "runner",
                            "user", "app", "docker"})


def _login() -> str:
    """The person's login name as a fallback for AUTEUR_USER_NAME; "" for a machine account or none."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in some containers
        return ""
    return "" if name.lower() in MACHINE_LOGINS else name
