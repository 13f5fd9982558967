"""Structured output: a pydantic model in, a validated instance out.

On llama.cpp (and the scripted fake) the model's JSON schema is enforced as a
grammar; on API models LangChain's ``with_structured_output`` is used. Either
way the answer is fitted to the schema's bounds, validated with pydantic, and
given one repair attempt with the validation error; a second failure is a
clear error, never a half-valid artifact.
"""

from __future__ import annotations

import copy
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from studio.errors import AuteurError, ModelOutputError, ModelUnreachable
from studio.project import Usage

M = TypeVar("M", bound=BaseModel)
GRAMMAR_MAX_LENGTH = 200  # longer bounds make llama.cpp's grammar explode; max_tokens bounds those


class StructuredOutputError(ModelOutputError):
    """The model did not give valid structured output after a repair attempt."""


class ModelUnavailable(ModelUnreachable):
    """The model could not be reached or refused the call."""


@dataclass
class Accountant:
    """Counts calls, tokens and seconds; the pipeline takes the count per stage."""

    pending: Usage = field(default_factory=Usage)
    total: Usage = field(default_factory=Usage)

    def add(self, tokens: int, seconds: float) -> None:
        step = Usage(calls=1, tokens=tokens, seconds=round(seconds, 3))
        self.pending = self.pending + step
        self.total = self.total + step

    def take(self) -> Usage:
        usage, self.pending = self.pending, Usage()
        return usage


def _inline_refs(schema: dict) -> dict:
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                target = defs[node["$ref"].split("/")[-1]]
                return walk(copy.deepcopy(target))
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def grammar_schema(schema: dict) -> dict:
    """The schema as a grammar: references inlined, long string bounds left to max_tokens,
    and every property required (a small model skips what it may skip; null stays allowed
    where the field is optional)."""
    flat = _inline_refs(schema)

    def walk(node):
        if isinstance(node, dict):
            if node.get("maxLength", 0) > GRAMMAR_MAX_LENGTH:
                node.pop("maxLength")
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(flat)
    return flat


def fit(value: Any, schema: dict) -> Any:
    """Trim an answer to the schema's bounds: long strings cut, numbers clamped, extra items dropped."""
    if "anyOf" in schema:
        if value is None and any(s.get("type") == "null" for s in schema["anyOf"]):
            return None
        for option in schema["anyOf"]:
            if option.get("type") != "null":
                fitted = fit(value, option)
                if option.get("enum") and fitted not in option["enum"]:
                    continue
                return fitted
        return None
    kind = schema.get("type")
    if kind == "object" and isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: fit(v, props[k]) if k in props else v for k, v in value.items()}
    if kind == "array" and isinstance(value, list):
        items = schema.get("items", {})
        out = [fit(v, items) for v in value]
        return out[: schema["maxItems"]] if "maxItems" in schema else out
    if kind == "string" and isinstance(value, str):
        return value[: schema["maxLength"]] if "maxLength" in schema else value
    if kind in ("integer", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema:
            value = max(schema["minimum"], value)
        if "maximum" in schema:
            value = min(schema["maximum"], value)
    return value


def _json_from(text: str) -> Any:
    text = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start > 0:
        text = text[start:]
    return json.loads(text, strict=False)  # the grammar lets raw newlines into strings


class StructuredLLM:
    """Calls a LangChain chat model for typed answers, counting the work."""

    def __init__(self, chat_model, *, name: str, mode: str = "grammar", accountant: Accountant | None = None,
                 max_tokens: int | None = None) -> None:
        self.chat_model = chat_model
        self.name = name
        self.mode = mode
        self.accountant = accountant or Accountant()
        self.max_tokens = max_tokens
        self.tiny = False  # a profile marked tiny (see config/models.yaml)

    def _invoke(self, messages: list[dict], schema: dict | None, extra: dict | None = None) -> tuple[str, Any]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        lc = [kinds.get(m["role"], HumanMessage)(content=m["content"]) for m in messages]
        started = time.perf_counter()
        try:
            if schema is not None and self.mode == "native":
                runnable = self.chat_model.with_structured_output(schema, include_raw=True)
                out = runnable.invoke(lc)
                raw = out.get("raw")
                parsed = out.get("parsed")
                text = json.dumps(parsed) if parsed is not None else str(getattr(raw, "content", ""))
                message = raw
            else:
                kwargs = {"response_format": {"type": "json_object", "schema": grammar_schema(schema)}} \
                    if schema is not None else {}
                message = self.chat_model.invoke(lc, **kwargs, **(extra or {}))
                text = str(message.content)
        except AuteurError:
            raise
        except Exception as exc:  # network, key, server: say which and what to do
            raise ModelUnavailable(
                f"the model profile {self.name!r} could not answer: {type(exc).__name__}: {str(exc)[:300]}",
                "check that the server is running and the key is right, or switch profile with AUTEUR_MODEL "
                "(llamacpp/smollm2-135m works with no setup)",
            ) from None
        usage = getattr(message, "usage_metadata", None) or {}
        self.accountant.add(int(usage.get("total_tokens", 0) or 0), time.perf_counter() - started)
        return text, message

    def complete(self, messages: list[dict], output: type[M], schema: dict | None = None) -> M:
        schema = schema or output.model_json_schema()
        flat = _inline_refs(schema)
        conversation = list(messages)
        error = ""
        extra: dict = {}
        for _attempt in (1, 2):
            text, message = self._invoke(conversation, schema, extra)
            if (getattr(message, "response_metadata", None) or {}).get("finish_reason") == "length":
                # Cut off mid-answer: the repair gets twice the room.
                extra = {"max_tokens": 2 * int(getattr(self.chat_model, "max_tokens", 1024) or 1024)}
            try:
                return output.model_validate(fit(_json_from(text), flat))
            except (json.JSONDecodeError, ValidationError, ValueError) as exc:
                error = str(exc).splitlines()[0] if isinstance(exc, json.JSONDecodeError) else \
                    "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3]) \
                    if isinstance(exc, ValidationError) else str(exc)
                conversation = [*messages, {"role": "assistant", "content": text[:2000]},
                                {"role": "user", "content": f"That answer was not valid ({error}). "
                                                            "Answer again with only JSON that fits the schema."}]
        raise StructuredOutputError(
            f"the model {self.name!r} gave no valid {output.__name__} after a repair attempt: {error}",
            "ask again (small models vary), or use a stronger model profile with AUTEUR_MODEL",
        )

    def text(self, messages: list[dict], max_tokens: int | None = None) -> str:
        out, _ = self._invoke(messages, None, {"max_tokens": max_tokens} if max_tokens else None)
        return out.strip()
