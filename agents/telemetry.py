"""Nothing leaves the machine unless the person asks: telemetry off before libraries load."""

from __future__ import annotations

import logging
import os

QUIET = {
    "CREWAI_DISABLE_TELEMETRY": "true",
    "CREWAI_DISABLE_TRACKING": "true",
    "CREWAI_TRACING_ENABLED": "false",
    "CREWAI_DISABLE_VERSION_CHECK": "true",
    "OTEL_SDK_DISABLED": "true",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "DO_NOT_TRACK": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
}


def quiet() -> None:
    """Set the switches every library reads at import. A person's own setting wins,
    and LangSmith tracing stays on only when LANGSMITH_TRACING=true."""
    downloads = os.environ.get("AUTEUR_ALLOW_DOWNLOADS", "").strip().lower() in ("1", "true", "yes", "on")
    for key, value in QUIET.items():
        if downloads and key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
            continue  # the person allowed model downloads (diffusers weights from the Hub)
        os.environ.setdefault(key, value)
    if os.environ.get("LANGSMITH_TRACING", "").lower() != "true":
        os.environ["LANGSMITH_TRACING"] = "false"
        os.environ["LANGCHAIN_TRACING_V2"] = "false"
    # crewAI logs the errors we report ourselves, in words a person can act on.
    for name in ("crewai", "crewai.flow", "LiteLLM", "httpx"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
