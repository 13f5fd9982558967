"""A chat model that needs no weights: it fills any JSON schema with plain, valid values.

Profile ``fake/schema`` (marked tiny): for trying the whole pipeline in seconds (demos, UI
work, orchestration tests). Replies are deterministic. ``replies`` can script
exact answers, served in order before the schema filler takes over. Asked in
plain text (no schema), it answers the crew's short questions (config/tasks.yaml
``fields``) with a short, readable answer picked by the question's words.
"""

from __future__ import annotations

import json
import re
import zlib
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
        if key[-1:].isdigit():  # speaker1, speaker2: different choices
            return schema["enum"][(int(key[-1]) - 1) % len(schema["enum"])]
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


POOLS = {
    "title": ["The Stranger at the Counter", "Last Coffee Before Dawn", "Rhubarb Pie", "The Long Way Back",
              "Open All Night"],
    "logline": ["A night-shift waitress recognises the stranger at the counter and must decide whether to speak.",
                "A tired waitress wants one quiet night, but a stranger's face brings her past back.",
                "A man comes back to the diner he left years ago, and the waitress knows him."],
    "beginning": ["Rain falls on an empty diner where a waitress counts the hours to dawn.",
                  "A stranger parks outside the diner and sits in his truck for a long time."],
    "turning point": ["She recognises him when he orders the pie he always ordered.",
                      "He asks for her by a name nobody has used in years."],
    "ending": ["She pours his coffee and tells him the truth as the sun comes up.",
               "He leaves before dawn, and she keeps the cup he drank from."],
    "story": ["A waitress on the night shift sees a man she thought was gone.",
              "Over one cup of coffee she decides whether to tell him who she is."],
    "beat": ["The waitress refills the ketchup bottles as the rain starts.",
             "A stranger walks in and takes the last stool at the counter.",
             "She recognises the scar above his eye.", "She hides in the kitchen to breathe.",
             "She tells him who she is.", "He leaves money on the counter and drives off at dawn."],
    "action": ["Rain streaks the windows. {who} waits by the counter, not looking up.",
               "A radio murmurs in the {place}. {who} sets down a cup and listens.",
               "Headlights sweep across the {place}. {who} stands very still."],
    "line": ["You used to come here.", "Coffee's fresh. It's the only thing that is.", "I know that face.",
             "Not tonight. Please.", "It's been a long time.", "You should eat something."],
    "who": ["{name} is a tired regular who notices everything and says little.",
            "{name} keeps to the edges of the room and watches the door."],
    "place": ["The {name} is worn and well used, as if it has been here for years.",
              "The {name} smells of coffee and rain, and nobody hurries here."],
    "prop": ["The {name} is old and much used; it belongs to the place more than to anyone.",
             "The {name} is the kind nobody notices until it matters."],
    "notes": ["to hold on the silence", "closer, to see her decide", "wider, to feel how alone they are"],
}
KEYWORDS = [  # (words in the question, what to answer), the most specific first
    ("line of dialogue", "line"), ("say this line again", "line"), ("what do we see there", "place"), ("what do we see", "action"), ("name the place", "the diner"),
    ("short title", "title"), ("who wants what", "logline"), ("what is the genre", "drama"),
    ("what is the tone", "quiet, tense"), ("what happens in this part", "beat"), ("tell what happens", "story"),
    ("medium suits", WORDS["medium"]), ("palette suits", WORDS["palette"]), ("lighting suits", WORDS["lighting"]),
    ("camera style suits", WORDS["camera"]), ("how old is", WORDS["age"]), ("wear?", WORDS["wardrobe"]),
    ("what changes for", WORDS["change"]), ("why film", "notes"), ("describe the look of", WORDS["visual"]),
    ("look like", WORDS["visual"]), ("who uses it", "prop"), ("a character in", "who"), ("who is", "who"), ("describe the", "prop"),
]


def plain_answer(question: str) -> str:
    """A short answer to one of the crew's questions (config/tasks.yaml fields), the same for the same question."""
    low = question.lower()
    pick = zlib.crc32(question.encode("utf-8"))
    for words, answer in KEYWORDS:
        if words not in low:
            continue
        if answer == "story":  # a treatment's part: beginning, turning point, ending
            answer = next((p for p in ("turning point", "beginning", "ending") if p in low), "story")
        if answer not in POOLS:
            return answer
        pool = POOLS[answer]
        found = re.search(r"(?:who is|describe the|describe|what is the|happens at the) ([^.?,\"]+?)"
                          r"(?: in the film|, a character| at | on |, and who|[.?,]|$)", question, re.IGNORECASE)
        speaker = re.search(r"(?:who is there|the speaker): ([^.]+)", question, re.IGNORECASE)
        return pool[pick % len(pool)].format(name=found.group(1) if found else "the place",
                                             place=found.group(1) if found else "room",
                                             who=speaker.group(1).split(" and ")[0] if speaker else "Someone")
    return "Understood."


class SchemaFakeChatModel(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    replies: list[str] = Field(default_factory=list)
    calls: list[dict] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "schema-fake"

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        fmt = kwargs.get("response_format") or {}
        self.calls.append({"messages": [str(m.content) for m in messages], "schema": fmt.get("schema"),
                           "max_tokens": kwargs.get("max_tokens")})
        if self.replies:
            content = self.replies.pop(0)
        elif fmt.get("schema"):
            content = json.dumps(fill(fmt["schema"]))
        else:
            content = plain_answer(str(messages[-1].content) if messages else "")
        tokens = sum(len(str(m.content)) for m in messages) // 4 + len(content) // 4
        message = AIMessage(content=content, usage_metadata={"input_tokens": tokens - len(content) // 4,
                                                             "output_tokens": len(content) // 4,
                                                             "total_tokens": tokens})
        return ChatResult(generations=[ChatGeneration(message=message)])
