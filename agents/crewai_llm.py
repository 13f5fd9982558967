"""The crewAI door: a crewAI ``BaseLLM`` over our LangChain chat model.

crewAI no longer takes LangChain models, so this adapter wraps the one
``StructuredLLM`` and honours ``response_model``: when a task declares a typed
output, the answer is a validated instance of it, not prose to re-parse.
"""

from __future__ import annotations

from typing import Any

from config.runtime import ensure_process_environment

ensure_process_environment()

from crewai.llms.base_llm import BaseLLM  # noqa: E402  (telemetry switches must be set first)
from pydantic import BaseModel, ConfigDict  # noqa: E402


class AuteurLLM(BaseLLM):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    llm_type: str = "auteur"
    provider: str = "auteur"
    structured: Any = None  # agents.llm.structured.StructuredLLM
    schema_override: dict | None = None  # a per-run JSON schema (e.g. an exact number of scenes)
    failure: Any = None  # the AuteurError that ended this run; crewAI must not retry past it

    def call(self, messages, tools=None, callbacks=None, available_functions=None, from_task=None,
             from_agent=None, response_model: type[BaseModel] | None = None) -> str | Any:
        from studio.errors import AuteurError

        if self.failure is not None:  # the repair attempt was spent: no third try behind our back
            raise self.failure
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        chat = [{"role": m.get("role", "user"), "content": str(m.get("content", ""))} for m in messages]
        try:
            if response_model is not None:
                return self.structured.complete(chat, response_model, schema=self.schema_override)
            return self.structured.text(chat)
        except AuteurError as exc:
            self.failure = exc
            raise

    def get_input_tokens_count(self, messages, tools=None, response_model=None) -> int:
        """An estimate for crewAI's pre-flight check: about four characters a token."""
        if isinstance(messages, str):
            return len(messages) // 4 + 1
        return sum(len(str(m.get("content", ""))) for m in messages) // 4 + 1

    def supports_function_calling(self) -> bool:
        return False

    def supports_stop_words(self) -> bool:
        return False

    def get_context_window_size(self) -> int:
        return 8192
