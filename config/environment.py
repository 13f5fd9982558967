"""The process environment as pydantic-settings reads it: the variables Auteur knows, as text.

Only `config.settings.Settings.from_env()` uses this, and imports it only when it reads the real
environment: pydantic-settings is slow to import, and a mapping given explicitly needs no reader.
Secrets are `SecretStr` from the moment they are read.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class Environment(BaseSettings):
    """Each field is named exactly as its variable (case-sensitive); None: not set."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", frozen=True)

    AUTEUR_WORKSPACE: str | None = None
    AUTEUR_LOCK_TIMEOUT: str | None = None
    AUTEUR_USER_NAME: str | None = None
    AUTEUR_USER_EMAIL: str | None = None
    QDRANT_URL: str | None = None
    QDRANT_API_KEY: SecretStr | None = None
    AUTEUR_EMBEDDING_MODEL: str | None = None
    AUTEUR_MEMORY: str | None = None
    AUTEUR_JOBS: str | None = None
    AUTEUR_REDIS_URL: str | None = None
    AUTEUR_REDIS_WAIT_S: str | None = None
    REDIS_URL: str | None = None
    AUTEUR_MODELS_DIR: str | None = None
    AUTEUR_IMAGE_MODEL: str | None = None
    AUTEUR_VIDEO_MODEL: str | None = None
    AUTEUR_ALLOW_DOWNLOADS: str | None = None
    AUTEUR_QUALITY_FILE: str | None = None
    AUTEUR_IP_ADAPTER: str | None = None
    AUTEUR_IP_ADAPTER_SCALE: str | None = None
    AUTEUR_PASSWORD: SecretStr | None = None
    AUTEUR_CHAT_DB: SecretStr | None = None  # the chats' SQL database (a URL may hold a password)
    AUTEUR_AUTH_HEADER: str | None = None
    AUTEUR_USERS: SecretStr | None = None
    AUTEUR_SESSION_HOURS: str | None = None
    SLACK_BOT_TOKEN: SecretStr | None = None
    SLACK_SIGNING_SECRET: SecretStr | None = None
    SLACK_APP_TOKEN: SecretStr | None = None
    SLACK_API_URL: str | None = None
    AUTEUR_MODEL: str | None = None
    AUTEUR_LLM_PORTS: str | None = None
    AUTEUR_MODEL_SWITCH: str | None = None
    LANGSMITH_TRACING: str | None = None
    AUTEUR_ALLOWED_ORIGINS: str | None = None
    # config.settings.PROFILE_VARIABLES: what config/models.yaml expands (some are API keys)
    AUTEUR_GGUF_PATH: SecretStr | None = None
    AUTEUR_LLM_BASE_URL: SecretStr | None = None
    AUTEUR_LLM_MODEL: SecretStr | None = None
    AUTEUR_LLM_API_KEY: SecretStr | None = None
    OLLAMA_BASE_URL: SecretStr | None = None
    OPENAI_API_KEY: SecretStr | None = None
    ANTHROPIC_API_KEY: SecretStr | None = None

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (env_settings,)  # the process environment only: no .env file, no secrets folder


def read_environment() -> dict[str, Any]:
    """The variables that are set (even empty), by name: text, or SecretStr for a secret."""
    return Environment().model_dump(exclude_none=True)
