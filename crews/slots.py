"""A tiny model's drafts, slot by slot: the same Draft types as the crewAI path, in calls it can do well.

What we measured on SmolLM2-135M: a choice from an enum through the JSON-schema grammar is fast and always
valid; free text inside JSON is junk, but a short question asked as plain text gets a readable sentence. So
each filler here makes its choices from lists (the script's own names and places first, then the curated
lists of studio/vocabulary.py) in one small grammar call, composes words from them, and asks for free text
one short piece at a time (CrewRunner.ask). No call can run long: the choices are a few enum values, and
every plain answer has its own small token limit. Nothing is vetted here; the pipeline vets every field.
"""

from __future__ import annotations

import dataclasses
import re
import string
import zlib
from typing import Any, Callable, Sequence, TypeVar

from pydantic import BaseModel, ConfigDict

from studio import vocabulary as V
from studio.models import Angle, Movement, ShotSize

D = TypeVar("D", bound=BaseModel)
TIMES = ("DAY", "NIGHT", "MORNING", "EVENING", "DAWN", "DUSK", "CONTINUOUS", "LATER")
NIGHT_TIMES = {"NIGHT", "EVENING", "DUSK", "DAWN"}
PARTS = ("its beginning", "its turning point", "its ending")
# A heading's time of day as words after a place ('the motel room by day'); CONTINUOUS and LATER say none.
WHEN = {"DAY": "by day", "NIGHT": "at night", "MORNING": "in the morning", "EVENING": "in the evening",
        "DAWN": "at dawn", "DUSK": "at dusk"}
KEEP = "keep"
PLACEHOLDER = "..."  # a required text the model left empty: the pipeline's vetting repairs it or falls back


class Picked(BaseModel):
    """The answer of a choice call: whatever keys the enum schema asked for."""

    model_config = ConfigDict(extra="allow")


def fill(runner: Any, task: str, inputs: dict[str, Any], output: type[D], schema: dict | None = None) -> D:
    """The task's draft for a tiny model; a task without a filler here goes the crewAI way."""
    filler: Callable[[dict[str, Any], dict], dict] | None = getattr(Slots(runner), f"fill_{task}", None)
    with _storage(runner):  # every call of a person's run: anything stored goes to their folder
        if filler is None:
            return runner._run(task, inputs, output, schema)
        shape = schema or output.model_json_schema()
        return output.model_validate(bounded(filler(inputs, shape), _inline(shape)))


def _storage(runner: Any):
    from crews.storage import run_storage

    return run_storage(runner.storage)


class Slots:
    """One filler per task, named fill_<task>; each returns the draft's data."""

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.llm = runner.llm

    # ------------------------------------------------------------ the two kinds of call

    def choose(self, task: str, context: str, choices: dict[str, Sequence[Any]]) -> dict[str, Any]:
        """One grammar call: a value from each list (the first where the answer is not in it)."""
        lists: dict[str, Sequence[Any]] = {k: list(dict.fromkeys(v for v in values if v not in ("", None))) for k, values in choices.items()}
        lists = {k: v for k, v in lists.items() if v}
        if not lists:
            return {}
        schema = enum_schema(lists)  # the grammar holds the lists: naming them in the prompt only slows it
        messages = [{"role": "system", "content": self.runner.persona(task).replace("in plain words", "in JSON")},
                    {"role": "user", "content": f"{context}\nChoose: {', '.join(lists)}."}]
        picked = self.llm.complete(messages, Picked, schema=schema).model_dump()
        return {k: picked.get(k) if picked.get(k) in v else v[0] for k, v in lists.items()}

    def ask(self, task: str, field: str, inputs: dict[str, Any]) -> str:
        return self.runner.ask(task, field, inputs)

    # ------------------------------------------------------------ development

    def fill_brief(self, inputs: dict[str, Any], shape: dict) -> dict:
        idea = text_of(inputs.get("idea"))
        picked = self.choose("brief", f"A short film about this: {idea}", {"genre": V.GENRES, "tone": V.TONES})
        title = self.ask("brief", "title", inputs) or " ".join(idea.split()[:5]) or PLACEHOLDER
        return {"title": title, "logline": self.ask("brief", "logline", inputs), **picked}

    def fill_treatment(self, inputs: dict[str, Any], shape: dict) -> dict:
        count = _count(shape, "variants", 3)
        approaches = rotated(V.APPROACHES, text_of(inputs.get("title")))[:count]
        variants = []
        for approach in approaches:
            asked = {**inputs, "approach": approach}
            title = self.ask("treatment", "title", asked) or PLACEHOLDER
            logline = self.ask("treatment", "logline", asked)
            text = " ".join(t for t in (self.ask("treatment", "text", {**asked, "part": part}) for part in PARTS) if t)
            variants.append({"title": title, "logline": logline, "text": text})
        return {"variants": variants}

    def fill_beats(self, inputs: dict[str, Any], shape: dict) -> dict:
        names = items_of(inputs.get("beat_names"))
        count = _count(shape, "beats", len(names) or _int(inputs.get("count"), 1))
        return {"beats": [{"description": self.ask("beats", "description",
                                                   {**inputs, "beat": names[k] if k < len(names) else ""})}
                          for k in range(count)]}

    def fill_script(self, inputs: dict[str, Any], shape: dict) -> dict:
        title = text_of(inputs.get("title"))
        cast = [n.upper() for n in items_of(inputs.get("cast"), ",") if n.lower() not in ("new characters", "none")]
        story = " ".join(text_of(inputs.get(k)) for k in ("logline", "treatment", "beats", "idea")).lower()
        previous = text_of(inputs.get("previous"))
        earlier = [*items_of(inputs.get("places")), *([previous.split(":")[0]] if ":" in previous else [])]
        named = [p for p in V.PLACES if re.search(rf"\b{re.escape(p)}\b", story)]
        places = [p.upper() for p in [*earlier, *named, *rotated(V.PLACES, title)]]
        speakers = [*cast, *(n.upper() for n in rotated(V.NAMES, title))][:30]
        times = _enum(shape, "time", TIMES)
        if previous.lower() in ("", "none"):
            times = [t for t in times if t not in ("CONTINUOUS", "LATER")] or times
        context = (f'Film: "{title}". {text_of(inputs.get("logline"))} Scene {text_of(inputs.get("number"))}. '
                   f'It carries: {text_of(inputs.get("beats"))}. Choose where and when it happens, and who speaks.')
        picked = self.choose("script", context, {"int_ext": ["INT", "EXT"], "location": places, "time": times,
                                                 "speaker1": speakers, "speaker2": speakers})
        who = list(dict.fromkeys([picked["speaker1"], picked["speaker2"]]))
        asked = {**inputs, "location": picked["location"].lower(), "time": picked["time"].lower(),
                 "speakers": " and ".join(n.title() for n in who)}
        action = self.ask("script", "action", asked) or PLACEHOLDER
        dialogue = [{"character": name, "line": self.ask("script", "line", {**asked, "action": action,
                                                                             "speaker": name.title()})
                     or PLACEHOLDER} for name in who]
        return {"int_ext": picked["int_ext"], "location": picked["location"], "time": picked["time"],
                "action": action, "dialogue": dialogue}

    def fill_intent(self, inputs: dict[str, Any], shape: dict) -> dict:
        cfg = self.runner.tasks_config["intent"]
        messages = [{"role": "system", "content": self.runner.persona("intent").replace("plain words", "JSON")},
                    {"role": "user", "content": question(cfg["description"], inputs)}]
        return self.llm.complete(messages, Picked, schema=shape).model_dump()

    # ------------------------------------------------------------ the look

    def _film(self, inputs: dict[str, Any]) -> str:
        genre, tone = text_of(inputs.get("genre")), text_of(inputs.get("tone"))
        return f'Film: "{text_of(inputs.get("title"))}"' + (f" ({genre}, {tone})" if genre or tone else "") + "."

    def fill_character(self, inputs: dict[str, Any], shape: dict) -> dict:
        name = text_of(inputs.get("name")).title()
        facts = text_of(inputs.get("facts"))
        facts = "" if facts.lower() == "none" else facts
        stated = stated_age(inputs)
        lists: dict[str, Sequence[str]] = {"build": V.BUILDS, "hair": V.HAIR, "colour": V.COLOURS,
                                           "garment": V.GARMENTS}
        if not stated:
            lists = {"age": V.AGE_BANDS, **lists}
        lists = {k: rotated(v, name + k) for k, v in lists.items()}  # a small model leans to the first choice
        picked = self.choose("character", f"{self._film(inputs)} The character {name}. "
                                          f"{facts or ''}", lists)
        # The script's own words about them win (the pipeline copies them): no question to ask then.
        description = facts if facts and facts.lower() != "none" else \
            self.ask("character", "description", {**inputs, "name": name})
        return {"description": description or PLACEHOLDER, "visual": f"{picked['build']}, {picked['hair']}",
                "age": stated or picked["age"], "wardrobe": f"{picked['colour']} {picked['garment']}"}

    def fill_location(self, inputs: dict[str, Any], shape: dict) -> dict:
        name = place_words(text_of(inputs.get("name")))
        times = {t.upper() for t in re.findall(r"[A-Za-z]+", text_of(inputs.get("times")))}
        night, day = bool(times & NIGHT_TIMES), bool(times - NIGHT_TIMES - {"CONTINUOUS", "LATER"})
        lights = [*(V.NIGHT_LIGHTS if night or not day else ()), *(V.DAY_LIGHTS if day or not night else ())]
        first = text_of(inputs.get("first_action"))
        picked = self.choose("location", f"{self._film(inputs)} The location: {name}. {first}",
                             {"mood": rotated(V.MOODS, name), "light": rotated(lights, name)})
        inside = {"INT": " interior", "EXT": " exterior"}.get(text_of(inputs.get("int_ext")).upper()[:3], "")
        time = next((WHEN[t] for t in sorted(times) if t in WHEN), "")
        # Asked about the place as chosen ('the lonely sunrise diner at night'): concrete words get concrete answers.
        asked = {"name": f"{picked['mood']} {name}", "time": time}
        return {"description": self.ask("location", "description", asked),
                "visual": f"{picked['mood']} {name}{inside}, {picked['light']}"}

    def fill_prop(self, inputs: dict[str, Any], shape: dict) -> dict:
        name = place_words(text_of(inputs.get("name")))
        sentence = text_of(inputs.get("sentence"))
        picked = self.choose("prop", f"{self._film(inputs)} The prop: {name}. {sentence}",
                             {"condition": rotated(V.CONDITIONS, name), "colour": rotated(V.COLOURS, name)})
        visual = f"{picked['condition']} {picked['colour']} {name}"
        # Asked about the thing as chosen ('the chipped white mug'), not about the film: the model stays on it.
        return {"description": self.ask("prop", "description", {"name": visual}), "visual": visual}

    def fill_style(self, inputs: dict[str, Any], shape: dict) -> dict:
        context = f"{self._film(inputs)} {text_of(inputs.get('logline'))} Choose the look every image shares."
        return self.choose("style", context, {"medium": V.MEDIA, "palette": V.PALETTES, "lighting": V.LIGHTING,
                                              "camera": V.CAMERA})

    def fill_continuity(self, inputs: dict[str, Any], shape: dict) -> dict:
        """Nothing: a tiny model cannot read a scene and say what stays changed; a guess would contradict the
        script. The script's own words carry continuity (studio/continuity.py)."""
        return {"changes": []}

    # ------------------------------------------------------------ shots

    def fill_shots(self, inputs: dict[str, Any], shape: dict) -> dict:
        count = _int(inputs.get("count"), 0) or len(items_of(inputs.get("shots")))
        if count < 1:
            return {"changes": []}
        schema = shot_schema(count)
        messages = [{"role": "system", "content": self.runner.persona("shots").replace("plain words", "JSON")},
                    {"role": "user", "content": f"Scene {text_of(inputs.get('scene'))}. The shots: "
                                                f"{text_of(inputs.get('shots'))}\nChange at most two shots (or "
                                                "none): the shot number and its new size, angle or movement."}]
        picked = self.llm.complete(messages, Picked, schema=schema).model_dump().get("changes") or []
        changes: list[dict] = []
        for raw in picked if isinstance(picked, list) else []:
            change = shot_change(raw, count)
            if change is None or any(c["shot"] == change["shot"] for c in changes):
                continue
            said = ", ".join(str(change[k]) for k in ("size", "angle", "movement") if change[k])
            change["notes"] = self.ask("shots", "notes", {**inputs, "shot": change["shot"], "change": said})
            changes.append(change)
        return {"changes": changes[:2]}


# ------------------------------------------------------------ questions, schemas and words

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def readable(value: Any) -> str:
    """An input as words for a prompt: lists joined with '; ', mappings as 'key: value', None as 'none'."""
    if value is None:
        return "none"
    if isinstance(value, BaseModel):
        value = value.model_dump()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {readable(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(readable(v) for v in value)
    return str(value)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def question(template: str, inputs: dict[str, Any]) -> str:
    """A task's question filled with its inputs, never failing on a missing one: a [bracketed part] is left out
    when one of its placeholders has no value (missing, empty or "none"); elsewhere a missing one reads ""."""
    values = {k: readable(v).strip() for k, v in inputs.items()}
    values = {k: v for k, v in values.items() if v and v.lower() != "none"}

    def optional(match: re.Match[str]) -> str:
        names = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(match.group(1)) if f}
        return match.group(1) if names <= values.keys() else ""

    text = _OPTIONAL.sub(optional, template)
    text = string.Formatter().vformat(text, (), _Blank(values))
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.?!,:;])", r"\1", text)
    return re.sub(r"([.?!])\.", r"\1", text).strip()


def whole_sentences(text: str) -> str:
    """A prose answer without its unfinished last sentence (cut by the token limit), where one came before."""
    if not text or text[-1] in ".!?\"'’”)":
        return text
    ends = [m.end() for m in re.finditer(r"[.!?][\"'’”)]?(?=\s)", text)]
    return text[: ends[-1]] if ends and ends[-1] >= 20 else text


def first_line(text: str) -> str:
    """The first line that has words: a small model goes on after its answer."""
    return next((line.strip() for line in text.strip().splitlines() if line.strip()), "")




def enum_schema(lists: dict[str, Sequence[Any]]) -> dict:
    """An object of enum choices: what the grammar lets the model say."""
    return {"type": "object", "required": list(lists),
            "properties": {k: {"type": "integer" if all(isinstance(x, int) for x in v) else "string",
                               "enum": list(v)} for k, v in lists.items()}}


def shot_schema(count: int) -> dict:
    """Up to two changes to a scene's shots, each from the shot vocabulary ('keep' leaves it as it is)."""
    item = enum_schema({"shot": list(range(1, count + 1)), "size": [KEEP, *(s.value for s in ShotSize)],
                        "angle": [KEEP, *(a.value for a in Angle)], "movement": [KEEP, *(m.value for m in Movement)]})
    return {"type": "object", "required": ["changes"],
            "properties": {"changes": {"type": "array", "minItems": 0, "maxItems": 2, "items": item}}}


def shot_change(raw: Any, count: int) -> dict | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("shot"), int) or not 1 <= raw["shot"] <= count:
        return None
    vocab = {"size": {s.value for s in ShotSize}, "angle": {a.value for a in Angle},
             "movement": {m.value for m in Movement}}
    change: dict[str, Any] = {"shot": raw["shot"]}
    for key, allowed in vocab.items():
        change[key] = raw.get(key) if raw.get(key) in allowed else None
    return change if any(change[k] for k in vocab) else None


def stated_age(inputs: dict[str, Any]) -> str:
    """The age the script gives a character: inputs' age, the facts' age, or '(40s)' in the facts' words."""
    if text_of(inputs.get("age")):
        return text_of(inputs.get("age"))
    facts = inputs.get("facts")
    age = facts.get("age") if isinstance(facts, dict) else getattr(facts, "age", None)
    if isinstance(age, (str, int)) and str(age).strip():
        return str(age).strip()
    found = re.search(r"\((\d{1,3}s?|(?:early |mid |late )?\w+ties|teens?|[\w-]*teen)\)", text_of(facts), re.I)
    return found.group(1) if found else ""


def place_words(name: str) -> str:
    """A scene-heading name as words: 'SUNRISE DINER - KITCHEN' → 'sunrise diner kitchen'."""
    return " ".join(re.sub(r"[^\w'\s]", " ", name).lower().split())


def rotated(items: Sequence[str], seed: str) -> list[str]:
    """The list started at a place of the seed's choosing: each film its own first names and places."""
    if not items:
        return []
    k = zlib.crc32(seed.encode("utf-8")) % len(items)
    return [*items[k:], *items[:k]]


def text_of(value: Any) -> str:
    return "" if value is None else readable(value).strip()


def items_of(value: Any, sep: str = ";") -> list[str]:
    """A list input, or one joined with `sep` (or '; ')."""
    if isinstance(value, (list, tuple)):
        return [text_of(v) for v in value if text_of(v)]
    text = text_of(value)
    parts = text.split(";") if ";" in text else text.split(sep)
    return [p.strip() for p in parts if p.strip()]


def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _inline(schema: dict) -> dict:
    """The schema with its $refs replaced by what they name (bounds kept)."""
    defs = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].split("/")[-1]])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        return [walk(v) for v in node] if isinstance(node, list) else node

    return walk(schema)


def _count(shape: dict, key: str, default: int) -> int:
    prop = shape.get("properties", {}).get(key, {})
    low, high = prop.get("minItems", 0), prop.get("maxItems", max(default, 1))
    return max(low, min(default, high))


def _enum(shape: dict, key: str, default: Sequence[str]) -> list[str]:
    prop = _inline(shape).get("properties", {}).get(key, {})
    return list(prop.get("enum") or default)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", text[: limit + 1])]
    if ends and ends[-1] >= limit * 0.4:  # prose: whole sentences
        return text[: ends[-1]]
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut[:limit].rstrip(" ,;:-")


def bounded(value: Any, schema: dict) -> Any:
    """The draft's strings within the schema's bounds (cut at words), so that validation never fails on length."""
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return value if value is None or not options else bounded(value, options[0])
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: bounded(v, props.get(k, {})) for k, v in value.items()}
    if isinstance(value, list):
        return [bounded(v, schema.get("items", {})) for v in value]
    if isinstance(value, str) and "maxLength" in schema:
        return clip(value, schema["maxLength"])
    return value
