"""The one place that constructs model clients: a profile in, a structured LLM out."""

from __future__ import annotations

from agents.llm.profiles import ModelProfileError, Profile, get_profile, resolve_model_path
from agents.llm.structured import Accountant, StructuredLLM
from config.runtime import ensure_process_environment
from config.settings import Settings


def chat_model_for(profile: Profile):
    """A LangChain chat model for the profile, and how it does structured output."""
    ensure_process_environment()  # the telemetry switches, before LangChain loads
    p = profile.options
    if profile.provider == "llamacpp":
        from agents.llm.llamacpp import ChatLlamaCpp

        path = resolve_model_path(str(p.get("model_path", "")))
        return ChatLlamaCpp(model_path=str(path), context=int(p.get("context", 8192)),
                            temperature=float(p.get("temperature", 0.7)),
                            repeat_penalty=float(p.get("repeat_penalty", 1.1)),
                            max_tokens=int(p.get("max_tokens", 1024))), "grammar"
    if profile.provider == "fake":
        from agents.llm.fake import SchemaFakeChatModel

        return SchemaFakeChatModel(), "grammar"
    if profile.provider in ("openai", "openai-compatible"):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            raise ModelProfileError("the OpenAI client is not installed", "pip install 'auteur[openai]'") from None
        key = p.get("api_key") or ""
        if profile.provider == "openai" and not key:
            raise ModelProfileError(f"the profile {profile.name!r} needs an API key",
                                    "set OPENAI_API_KEY, or choose a local profile with AUTEUR_MODEL")
        kwargs = {"model": p.get("model"), "api_key": key or "not-needed", "temperature": p.get("temperature", 0.7),
                  "max_tokens": p.get("max_tokens"), "timeout": 120, "max_retries": 1}
        if p.get("base_url"):
            kwargs["base_url"] = p["base_url"]
        if isinstance(p.get("extra_body"), dict):
            kwargs["extra_body"] = p["extra_body"]
        mode = "native"
        if profile.provider == "openai-compatible":
            mode = structured_mode(str(p.get("base_url") or ""), str(p.get("model") or ""), p.get("structured"))
        return ChatOpenAI(**kwargs), mode
    if profile.provider == "anthropic":
        try:
            from langchain_anthropic import ChatAnthropic
        except ImportError:
            raise ModelProfileError("the Anthropic client is not installed",
                                    "pip install 'auteur[anthropic]'") from None
        if not p.get("api_key"):
            raise ModelProfileError(f"the profile {profile.name!r} needs an API key",
                                    "set ANTHROPIC_API_KEY, or choose a local profile with AUTEUR_MODEL")
        return ChatAnthropic(model=p.get("model"), api_key=p["api_key"], temperature=p.get("temperature", 0.7),
                             max_tokens=p.get("max_tokens", 3000), timeout=120, max_retries=1), "native"
    raise ModelProfileError(f"the profile {profile.name!r} has an unknown provider {profile.provider!r}",
                            "use llamacpp, openai-compatible, openai or anthropic in config/models.yaml")


_modes: dict[tuple[str, str], str] = {}


def structured_mode(base_url: str, model: str, chosen: object = None) -> str:
    """How an OpenAI-compatible server gives structured output: "native" (``response_format`` of type
    ``json_schema``, as OpenAI, vLLM, Ollama, LM Studio and llama-server take it) or "grammar" (``json_object``
    with the schema beside it, which llama-cpp-python's server enforces as a grammar, and which it alone takes:
    it refuses ``json_schema``). A profile may say which (``structured: json_schema | json_object``); else a
    server on this machine is asked once, with a one-token call; one elsewhere is taken to follow OpenAI."""
    if chosen in ("json_schema", "json_object"):
        return "native" if chosen == "json_schema" else "grammar"
    from agents.llm.discover import loopback_port

    port = loopback_port(base_url)
    if port is None:
        return "native"
    key = (base_url, model)
    if key not in _modes:
        _modes[key] = _ask_mode(base_url, port, model)
    return _modes[key]


def _ask_mode(base_url: str, port: int, model: str) -> str:
    import http.client
    import json
    from urllib.parse import urlsplit

    body = json.dumps({"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "{}"}],
                       "response_format": {"type": "json_schema", "json_schema": {
                           "name": "probe", "schema": {"type": "object", "properties": {"ok": {"type": "boolean"}}}}}})
    host = "::1" if (urlsplit(base_url).hostname or "") == "::1" else "127.0.0.1"
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("POST", urlsplit(base_url).path.rstrip("/") + "/chat/completions", body,
                     {"Content-Type": "application/json", "Authorization": "Bearer not-needed"})
        response = conn.getresponse()
        text = response.read(20_000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return "native"  # not there now: the first call says so, clearly
    finally:
        conn.close()
    if response.status >= 400 and ("json_schema" in text or "response_format" in text):
        return "grammar"
    return "native"


def structured_llm(name: str | None = None, settings: Settings | None = None) -> StructuredLLM:
    profile = get_profile(name, settings)
    model, mode = chat_model_for(profile)
    llm = StructuredLLM(model, name=profile.name, mode=mode, accountant=Accountant())
    llm.tiny = profile.tiny  # too small to call tools: the conversation keeps to its patterns
    return llm
