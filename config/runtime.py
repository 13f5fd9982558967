"""The one writer of the process environment: the switches libraries read at import, set before they load.

Nothing leaves the machine unless the person asks: crewAI, LangChain/LangSmith, OpenTelemetry and the
Hugging Face libraries read these variables when they are imported, so they are set before any of them is.
crewAI's storage is not the process's: in a studio where several people work in one process, a folder set
here would be the first person's for everyone. Our crews keep crewAI's task-output log in memory and point
whatever else crewAI stores at the folder of the person each run is for (crews.storage), so
`CREWAI_STORAGE_DIR` is not set here.

`apply_process_environment(settings)` is called by the composition root (`config.container.Container`) when
a face or a worker starts. The adapters that import such a library first call `ensure_process_environment()`,
which sets the switches from `Settings.from_env()` only where no composition root did (a test, a script).
`pin_gpu` is the worker's `--gpu`. No other module below the faces writes `os.environ`.
"""

from __future__ import annotations

import logging
import os
import threading

from config.settings import Settings

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
OFFLINE = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")  # left unset when the person allows model downloads
QUIET_LOGGERS = ("crewai", "crewai.flow", "LiteLLM", "httpx")  # they log errors we report ourselves, in words

_lock = threading.Lock()
_applied = False  # the switches are the process's: set once per process is enough


def apply_process_environment(settings: Settings) -> None:
    """Set the switches every library reads at import (crewAI's storage is per run: crews.storage)."""
    global _applied
    with _lock:
        _switches(settings)
        _applied = True
    _quiet_loggers()


def ensure_process_environment() -> None:
    """Before importing crewAI, LangChain or sentence-transformers: the switches are set (once); where no
    composition root ran, from the settings."""
    global _applied
    with _lock:
        if not _applied:
            _switches(Settings.from_env())
            _applied = True
    _quiet_loggers()  # again: a library may set its loggers' levels when it is imported


def _switches(settings: Settings) -> None:
    """A person's own setting wins, and LangSmith tracing stays on only when LANGSMITH_TRACING=true."""
    for key, value in QUIET.items():
        if settings.allow_downloads and key in OFFLINE:
            continue  # the person allowed model downloads (diffusers weights from the Hub)
        os.environ.setdefault(key, value)
    if not settings.langsmith_tracing:
        os.environ["LANGSMITH_TRACING"] = "false"
        os.environ["LANGCHAIN_TRACING_V2"] = "false"


def _quiet_loggers() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def pin_gpu(gpu: str) -> None:
    """A worker that owns one CUDA device (`auteur worker --gpu 0`): before anything loads torch."""
    os.environ["CUDA_VISIBLE_DEVICES"] = gpu
