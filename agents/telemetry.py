"""Nothing leaves the machine unless the person asks: telemetry off before libraries load.

The switches and the one place that writes them into the process environment are `config.runtime`;
this is the name the agents' adapters call before they import crewAI or LangChain.
"""

from __future__ import annotations

from config.runtime import ensure_process_environment


def quiet() -> None:
    """The telemetry switches are set (by the composition root, or here from the settings if none ran)."""
    ensure_process_environment()
