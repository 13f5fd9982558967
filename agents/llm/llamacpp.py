"""llama.cpp as a LangChain chat model: the embedded default, no server and no keys.

The model file is loaded once per process and shared; calls are serialised
(a llama.cpp context is not re-entrant). A JSON schema passed as
``response_format={"type": "json_object", "schema": ...}`` is enforced as a
grammar by llama-cpp-python.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict

_models: dict[tuple[str, int], Any] = {}
_load_lock = threading.Lock()
_call_lock = threading.Lock()

ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


def load_llama(path: Path, context: int, threads: int | None = None):
    key = (str(path), context)
    with _load_lock:
        if key not in _models:
            from llama_cpp import Llama

            _models[key] = Llama(model_path=str(path), n_ctx=context, n_threads=threads, verbose=False)
        return _models[key]


class ChatLlamaCpp(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: str
    context: int = 8192
    temperature: float = 0.7
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    seed: int | None = None

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "context": self.context}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
                  **kwargs: Any) -> ChatResult:
        llama = load_llama(Path(self.model_path), self.context)
        chat = [{"role": ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
        params: dict[str, Any] = {
            "temperature": kwargs.get("temperature", self.temperature),
            "repeat_penalty": kwargs.get("repeat_penalty", self.repeat_penalty),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "stop": stop,
        }
        if self.seed is not None:
            params["seed"] = self.seed
        if kwargs.get("response_format"):
            params["response_format"] = kwargs["response_format"]
        with _call_lock:
            out = llama.create_chat_completion(messages=chat, **params)
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        message = AIMessage(
            content=choice["message"].get("content") or "",
            usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                            "output_tokens": usage.get("completion_tokens", 0),
                            "total_tokens": usage.get("total_tokens", 0)},
            response_metadata={"finish_reason": choice.get("finish_reason")},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
