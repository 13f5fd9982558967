"""A chat model that needs no weights: it fills any JSON schema with plain, valid values.

Profile ``fake/schema``: for trying the whole pipeline in seconds (demos, UI
work, orchestration tests). Replies are deterministic. ``replies`` can script
exact answers, served in order before the schema filler takes over.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import ConfigDict, Field

NAMES = ["NELL", "WALT", "ROY", "DEE"]
WORDS = {
    "title": "The Stranger at the Counter",
    "logline": "A night-shift waitress recognises the stranger at the counter and must decide whether to speak.",
    "genre": "drama", "tone": "quiet, tense", "location": "DINER", "action":
        "Rain on the windows. Nell pours coffee for a stranger who will not look up.",
    "line": "You used to come here.", "description": "A tired face that has seen every kind of night.",
    "visual": "weathered face, warm tungsten light, rain-streaked glass",
    "text": "A waitress on the night shift sees a man she thought was gone. Over one cup of coffee "
            "she decides whether to tell him who she is.",
    "medium": "pencil storyboard sketch", "palette": "teal and amber", "lighting": "low-key neon",
    "camera": "35mm, shallow focus", "age": "40s", "wardrobe": "faded pink uniform",
    "change": "apron stained with coffee", "notes": "tighter on the hands",
}


def fill(schema: dict, key: str = "", index: int = 0) -> Any:
    """A valid value for ``schema``: the first enum value, the lower bound, a plain phrase."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return fill(options[0], key, index) if options and key not in ("size", "angle", "movement", "lens_mm",
                                                                       "number") else None
    if "enum" in schema:
        return schema["enum"][index % len(schema["enum"])] if key == "time" else schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: fill(v, k, index) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        n = max(schema.get("minItems", 0), 1 if key in ("dialogue", "scenes", "beats") else 0)
        n = min(n, schema.get("maxItems", n)) if n else 0
        return [fill(schema.get("items", {}), key, i) for i in range(n)]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return False
    if key == "character":
        return NAMES[index % len(NAMES)]
    if key == "name":
        return NAMES[0]
    text = WORDS.get(key, key.replace("_", " ") or "value")
    if key == "title" and index:
        text = f"{text} ({index + 1})"
    limit = schema.get("maxLength")
    return text[:limit] if limit else text


class SchemaFakeChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    replies: list[str] = Field(default_factory=list)
    calls: list[dict] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "schema-fake"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        fmt = kwargs.get("response_format") or {}
        self.calls.append({"messages": [str(m.content) for m in messages], "schema": fmt.get("schema")})
        if self.replies:
            content = self.replies.pop(0)
        elif fmt.get("schema"):
            content = json.dumps(fill(fmt["schema"]))
        else:
            content = "Understood."
        tokens = sum(len(str(m.content)) for m in messages) // 4 + len(content) // 4
        message = AIMessage(content=content, usage_metadata={"input_tokens": tokens - len(content) // 4,
                                                             "output_tokens": len(content) // 4,
                                                             "total_tokens": tokens})
        return ChatResult(generations=[ChatGeneration(message=message)])
