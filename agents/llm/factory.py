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
        return ChatOpenAI(**kwargs), "native"
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


def structured_llm(name: str | None = None, settings: Settings | None = None) -> StructuredLLM:
    profile = get_profile(name, settings)
    model, mode = chat_model_for(profile)
    llm = StructuredLLM(model, name=profile.name, mode=mode, accountant=Accountant())
    llm.tiny = profile.tiny  # too small to call tools: the conversation keeps to its patterns
    return llm
