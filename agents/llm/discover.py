"""What is there to talk to: model servers listening on this machine, API keys that are set, and the state of
every model profile (ready, server down, key missing, ...).

Discovery asks the usual loopback ports (Ollama 11434, LM Studio 1234, llama-server 8080, vLLM 8000; the
setting AUTEUR_LLM_PORTS replaces the list) for their models, all at once. Only 127.0.0.1 is asked, by number:
never a name lookup, never another machine. Whatever a port does (drips its answer, sends megabytes, nests JSON
without end, names models with markup), discovery is over within PROBE_S: each question has a total deadline
and a size cap (agents.llm.loopback), a broken answer is "not a model server", and only the model ids a profile
can name are kept. A port counts only when ``/v1/models`` answers the OpenAI way (``{"data": [{"id": ...}]}``)
or ``/api/tags`` the Ollama way, so the studio's own web server (Chainlit, on 8000 by default) is not taken for
a model server.

Each model found becomes a profile (``ollama/<model>``, ``local/<port>/<model>``; agents.llm.profiles reads
those names back without asking again), besides those of config/models.yaml.
"""

from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from typing import Any, Callable
from urllib.parse import urlsplit

from agents.llm.loopback import get_json
from agents.llm.profiles import (ModelProfileError, Profile, get_profile, load_profiles, resolve_model_path,
                                 tiny_by_name, valid_model_id)
from config.settings import Settings, secret
from studio.errors import AuteurError

DEFAULT_PORTS = (11434, 1234, 8080, 8000)
KIND_OF_PORT = {11434: "Ollama", 1234: "LM Studio", 8080: "llama-server", 8000: "vLLM"}
PROBE_S = 0.8  # the most asking every port takes
MAX_MODELS = 50  # the models kept of one server
CACHE_S = 30.0  # discovery is asked again after this long (and on every /model)
KEYS = {"OPENAI_API_KEY": "openai/gpt-4o-mini", "ANTHROPIC_API_KEY": "anthropic/claude-sonnet"}
LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1", "[::1]": "::1"}

# The states a profile can be in (studio.ports.MODEL_STATES). "not checked": a server on another machine,
# which discovery never asks; it is used as it is.
READY, NOT_CHECKED = "ready", "not checked"
SERVER_DOWN, KEY_MISSING, FILE_MISSING = "server down", "key missing", "model file missing"
MODEL_MISSING, NOT_INSTALLED = "model not on server", "not installed"
USABLE = (READY, NOT_CHECKED)

def model_name(model_id: str) -> str:
    """How a profile names a server's model: a file path (llama-cpp-python's server names its model by its
    file) shortened to the file's name, never a folder of the server's; Ollama's ``:latest`` left out."""
    model_id = model_id.strip()
    if model_id.startswith(("/", "~", ".")) or "\\" in model_id or model_id.lower().endswith((".gguf", ".bin")):
        model_id = re.split(r"[\\/]", model_id)[-1]
    return model_id.removesuffix(":latest")


@dataclass(frozen=True)
class Server:
    """A model server that answered on a loopback port."""

    port: int
    kind: str  # "Ollama", "LM Studio", "llama-server", "vLLM", or "an OpenAI-compatible server"
    ollama: bool  # answered /api/tags (profiles named ollama/<model> when on Ollama's own port)
    models: tuple[str, ...]  # as profiles name them (model_name)
    tiny: frozenset[str] = frozenset()  # those under a billion parameters
    busy: bool = False  # took the connection but did not answer in time (a server in the middle of a call)

    def profile_name(self, model: str) -> str:
        return f"ollama/{model}" if self.ollama and self.port == 11434 else f"local/{self.port}/{model}"

    def serves(self, model: str) -> bool:
        return self.busy or model_name(model) in self.models


@dataclass(frozen=True)
class Found:
    servers: tuple[Server, ...] = ()
    keys: tuple[str, ...] = ()  # the API key variables that are set (their names, never their values)
    ports: tuple[int, ...] = DEFAULT_PORTS
    switch: bool = True  # may a chat switch models here (AUTEUR_MODEL_SWITCH; settings.model_switch_on)

    def server(self, port: int) -> Server | None:
        return next((s for s in self.servers if s.port == port), None)

    def profile_names(self) -> list[str]:
        return [s.profile_name(m) for s in self.servers for m in s.models]


@dataclass(frozen=True)
class ProfileState:
    """A profile and whether the crew can use it now (studio.ports.ProfileState)."""

    name: str
    provider: str
    state: str
    tiny: bool = False
    found: str = ""  # what discovery found it on ("Ollama on port 11434"); "" for config/models.yaml's
    problem: str = ""  # when it cannot be used: what is wrong
    fix: str = ""  # ... and what to do

    @property
    def usable(self) -> bool:
        return self.state in USABLE

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "provider": self.provider, "state": self.state, "tiny": self.tiny,
                "found": self.found, "problem": self.problem, "fix": self.fix, "usable": self.usable}


# ------------------------------------------------------------------ asking the ports

def _model_id(raw: Any) -> str | None:
    """A server's model id as a profile names it, when it is one a profile can name and a message can show."""
    if not isinstance(raw, str) or len(raw) > 1000:
        return None
    name = model_name(raw)
    return name if valid_model_id(name) else None


def _server(port: int, openai: tuple[str, Any], ollama: tuple[str, Any]) -> Server | None:
    ids: list[str] = []
    tiny: set[str] = set()
    is_ollama = False
    items: list[tuple[str | None, str]] = []  # (model id, its size in words) as the server listed them
    if ollama[0] == "json" and isinstance(ollama[1], dict) and isinstance(ollama[1].get("models"), list):
        is_ollama = True
        for item in ollama[1]["models"]:
            details = item.get("details") if isinstance(item, dict) else None
            size = details.get("parameter_size") if isinstance(details, dict) else None
            items.append((_model_id(item.get("name")) if isinstance(item, dict) else None,
                          size if isinstance(size, str) else ""))
    elif openai[0] == "json" and isinstance(openai[1], dict) and isinstance(openai[1].get("data"), list):
        items = [(_model_id(item.get("id")), "") for item in openai[1]["data"] if isinstance(item, dict)]
    elif "busy" in (openai[0], ollama[0]):
        return Server(port, KIND_OF_PORT.get(port, "an OpenAI-compatible server"), False, (), busy=True)
    else:
        return None
    for name, size in items:
        if name is not None and name not in ids:
            ids.append(name)
            if tiny_by_name(size[:40] or name):
                tiny.add(name)
        if len(ids) >= MAX_MODELS:
            break
    kind = "Ollama" if is_ollama else KIND_OF_PORT.get(port, "an OpenAI-compatible server")
    if kind == "Ollama" and not is_ollama:
        kind = "an OpenAI-compatible server"
    return Server(port, kind, is_ollama, tuple(ids), frozenset(tiny))


def probe(ports: tuple[int, ...]) -> tuple[Server, ...]:
    """The servers on these loopback ports, asked all at once; over within PROBE_S whatever they do."""
    ports = tuple(dict.fromkeys(ports))
    if not ports:
        return ()
    deadline = time.monotonic() + PROBE_S
    asks = [(port, path) for port in ports for path in ("/v1/models", "/api/tags")]
    pool = ThreadPoolExecutor(max_workers=min(32, len(asks)), thread_name_prefix="auteur-discover")
    try:
        futures = {ask: pool.submit(get_json, *ask, deadline) for ask in asks}
        wait(futures.values(), timeout=PROBE_S + 0.2)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # every question ends by the deadline anyway
    answers = {ask: f.result() if f.done() and not f.cancelled() and f.exception() is None else ("none", None)
               for ask, f in futures.items()}
    found = (_server(port, answers[(port, "/v1/models")], answers[(port, "/api/tags")]) for port in ports)
    return tuple(s for s in found if s is not None)


_cache: dict[tuple[int, ...], tuple[float, tuple[Server, ...]]] = {}
_cache_lock = threading.Lock()


def ports_of(settings: Settings) -> tuple[int, ...]:
    """The ports to ask: AUTEUR_LLM_PORTS (settings.llm_ports) when set, else the usual ones."""
    ports = getattr(settings, "llm_ports", None)
    return tuple(ports) if ports is not None else DEFAULT_PORTS


def discover(settings: Settings | None = None, *, ports: tuple[int, ...] | None = None,
             fresh: bool = False) -> Found:
    """What there is: the servers on the loopback ports (remembered for a little while unless ``fresh``)
    and the API keys that are set."""
    settings = settings or Settings.from_env()
    ports = tuple(ports) if ports is not None else ports_of(settings)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(ports)
    if fresh or hit is None or now - hit[0] > CACHE_S:
        servers = probe(ports)
        with _cache_lock:
            _cache[ports] = (time.monotonic(), servers)
    else:
        servers = hit[1]
    env = dict(settings.profile_env)
    keys = tuple(var for var in KEYS if (secret(env.get(var)) or "").strip())
    return Found(servers, keys, ports, switch=settings.model_switch_on)


def loopback_port(base_url: str) -> int | None:
    """The port of a base URL on this machine (by number or 'localhost', never looked up); None elsewhere."""
    try:
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
        if host not in LOOPBACK and f"[{host}]" not in LOOPBACK:
            return None
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


# ------------------------------------------------------------------ what to say

def offer(found: Found, *, command: str = "/model") -> str:
    """What the Producer offers: the best of what was found, or how to connect a model when nothing was."""
    def use(name: str) -> str:
        if found.switch or not command.startswith("/"):
            return f"say `{command} {name}` to use it"
        return f"the operator can switch the studio to it with `auteur model {name}` (switching is off in the chat)"

    lines = []
    for server in found.servers:
        if not server.models:
            continue
        best = next((m for m in server.models if m not in server.tiny), server.models[0])
        others = [m for m in server.models if m != best][:3]
        more = f" (also {', '.join(others)})" if others else ""
        where = f"{server.kind} on port {server.port}" if server.kind.startswith("an ") else server.kind
        lines.append(f"{where[0].upper()}{where[1:]} is running here with {best}{more}: "
                     f"{use(server.profile_name(best))}.")
    for var in found.keys:
        lines.append(f"{var} is set: {use(KEYS[var])}.")
    if lines:
        return " ".join(lines)
    return ("To connect a real model, start one on this machine (Ollama: `ollama serve` and `ollama pull "
            f"llama3.1`; or LM Studio, or llama-server) and say `{command}` to see it, or set OPENAI_API_KEY or "
            "ANTHROPIC_API_KEY, or start the studio with `AUTEUR_MODEL` set (the profiles are in "
            "`config/models.yaml`).")


# ------------------------------------------------------------------ the state of every profile

def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def state_of(profile: Profile, found: Found) -> ProfileState:
    """Whether the crew can use ``profile`` now, and if not, why and what to do."""
    p = profile.options

    def state(value: str, problem: str = "", fix: str = "", found_on: str = "") -> ProfileState:
        return ProfileState(name=profile.name, provider=profile.provider, state=value, tiny=profile.tiny,
                            found=found_on, problem=problem, fix=fix)

    if profile.provider == "fake":
        return state(READY)
    if profile.provider == "llamacpp":
        if not _installed("llama_cpp"):
            return state(NOT_INSTALLED, "llama-cpp-python is not installed", "pip install llama-cpp-python")
        try:
            resolve_model_path(str(p.get("model_path", "")))
        except ModelProfileError as exc:
            return state(FILE_MISSING, exc.problem, exc.fix)
        return state(READY)
    if profile.provider in ("openai", "anthropic"):
        var = "OPENAI_API_KEY" if profile.provider == "openai" else "ANTHROPIC_API_KEY"
        if not _installed(f"langchain_{profile.provider}"):
            return state(NOT_INSTALLED, f"the {profile.provider.title()} client is not installed",
                         f"pip install 'auteur[{profile.provider}]'")
        if not str(p.get("api_key") or "").strip():
            return state(KEY_MISSING, f"{var} is not set", f"set {var} in the studio's environment")
        return state(READY)
    if profile.provider == "openai-compatible":
        if not _installed("langchain_openai"):
            return state(NOT_INSTALLED, "the OpenAI client is not installed", "pip install 'auteur[openai]'")
        base_url = str(p.get("base_url") or "")
        port = loopback_port(base_url)
        if port is None:
            return state(NOT_CHECKED)  # another machine: never asked
        server = found.server(port) if port in found.ports else next(iter(probe((port,))), None)
        if server is None:
            start = "start it with `ollama serve`" if port == 11434 else \
                f"start the server on port {port}" + (" (or set AUTEUR_LLM_BASE_URL to where it listens)"
                                                      if profile.name == "openai-compatible/local" else "")
            return state(SERVER_DOWN, f"no model server answers on port {port} of this machine", start)
        where = f"{server.kind} on port {port}"
        model = str(p.get("model") or "")
        if server.serves(model):
            return state(READY, found_on=where if server.busy else "")
        listed = ", ".join(server.profile_name(m) for m in server.models[:5]) or "none"
        fix = f"`ollama pull {model}`, or use one it has: {listed}" if server.ollama else f"use one it serves: {listed}"
        return state(MODEL_MISSING, f"{where} does not serve {model}", fix)
    return state(NOT_INSTALLED, f"the provider {profile.provider!r} is unknown",
                 "use llamacpp, openai-compatible, openai or anthropic in config/models.yaml")


def _found_on(state: ProfileState, found: Found) -> ProfileState:
    """The state, saying which server discovery found its model on."""
    for server in found.servers:
        if state.usable and state.name in (server.profile_name(m) for m in server.models):
            return ProfileState(**{**state.__dict__, "found": f"{server.kind} on port {server.port}"})
    return state


def profile_states(settings: Settings, *, fresh: bool = True, found: Found | None = None) -> list[ProfileState]:
    """Every profile (config/models.yaml's, then what discovery found) with its state. The loopback ports of
    config/models.yaml's profiles that discovery did not ask are asked all at once."""
    found = found or discover(settings, fresh=fresh)
    profiles: list[Profile] = []
    for name in dict.fromkeys([*load_profiles()[1], *found.profile_names()]):
        try:
            profiles.append(get_profile(name, settings))
        except AuteurError:
            continue  # a name no profile can be made of is not listed
    extra = tuple(sorted({port for p in profiles if p.provider == "openai-compatible"
                          and (port := loopback_port(str(p.options.get("base_url") or ""))) is not None
                          and port not in found.ports}))
    if extra:
        found = replace(found, servers=found.servers + probe(extra), ports=found.ports + extra)
    return [_found_on(state_of(profile, found), found) for profile in profiles]


def profile_state(name: str, settings: Settings, *, fresh: bool = True) -> ProfileState:
    """The state of one profile (AuteurError when there is no such profile)."""
    found = discover(settings, fresh=fresh)
    return _found_on(state_of(get_profile(name, settings), found), found)


def offered(found: Found) -> set[str]:
    """The profiles a chat may switch to: config/models.yaml's and those discovery found."""
    return {*load_profiles()[1], *found.profile_names()}


SWITCH_OFF = "switching models is turned off on this studio"
SWITCH_FIX = "the operator sets AUTEUR_MODEL_SWITCH=on"


class ModelChoice:
    """The profile one conversation's crew uses, and the switch to another (studio.ports.ModelsPort).

    ``model`` None: AUTEUR_MODEL, else the workspace's choice (`auteur model`), else the default. ``on_switch`` is
    called with the new profile's name once a switch is made (the composition root remakes the crew on it)."""

    def __init__(self, settings: Settings, model: str | None = None, *, command: str = "/model",
                 trusted: bool = False) -> None:
        self.settings = settings
        self.model = model
        self.command = command  # how a person asks for a model in this face
        # The operator at the keyboard (`auteur model`): may switch, and to any profile (a port of their choice).
        self.trusted = trusted
        self.on_switch: Callable[[str], None] | None = None

    @property
    def may_switch(self) -> bool:
        """Whether this face may switch the crew's model: always in the terminal's `auteur model`; in a chat as
        AUTEUR_MODEL_SWITCH says (by default, unless sign-in is configured: several people share the studio)."""
        return self.trusted or self.settings.model_switch_on

    @property
    def current(self) -> str:
        try:
            return get_profile(self.model, self.settings).name
        except AuteurError:
            return self.model or ""

    def profiles(self) -> list[ProfileState]:
        return profile_states(self.settings, fresh=True)

    def offer(self) -> str:
        return offer(replace(discover(self.settings), switch=self.may_switch), command=self.command)

    def choose(self, name: str) -> ProfileState:
        """Switch to ``name`` (an AuteurError says why not, and nothing changes). A chat may switch only to a
        profile of config/models.yaml or one discovery found, and only when switching is on."""
        if not self.may_switch:
            raise ModelProfileError(SWITCH_OFF, f"{SWITCH_FIX}; the crew goes on with {self.current}")
        profile = get_profile(name, self.settings)
        found = discover(self.settings, fresh=True)
        if not self.trusted and profile.name not in offered(found):
            raise ModelProfileError(f"the model profile {name!r} is not one this studio offers (config/models.yaml "
                                    "or a model server found on this machine)",
                                    f"use one `{self.command}` lists as ready; the crew goes on with {self.current}")
        state = _found_on(state_of(profile, found), found)
        if not state.usable:
            raise ModelProfileError(f"the model profile {name!r} cannot be used now ({state.state}: {state.problem})",
                                    f"{state.fix.rstrip('.')}; the crew goes on with {self.current}" if state.fix
                                    else f"the crew goes on with {self.current}")
        self.model = state.name
        if self.on_switch is not None:
            self.on_switch(state.name)
        return state
