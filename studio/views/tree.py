"""The project's history as a tree: its branches, and the commits of the branch in use grouped stage by stage
(consecutive renders of a stage in one entry, 'count' of them); and two versions of a stage side by side."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

from pydantic import BaseModel

from studio.errors import StageError
from studio.history_groups import grouped
from studio.models import Script
from studio.ports import ProjectPort
from studio.shot_codes import shot_code
from studio.stages import STAGE_ORDER, Stage
from studio.views import View
from studio.views.common import clip

PROJECT = "project"  # commits of no one stage: a new project, a decision, an import of several stages
HISTORY_LIMIT = 1000


def _trailers(entry: Any) -> dict[str, str]:
    found = getattr(entry, "trailers", {}) or {}
    return {str(k): str(v) for k, v in found.items()}


def commit_stage(entry: Any) -> str:
    """The stage a commit belongs to in the tree: its Auteur-Stage, else the first of its Auteur-Stages."""
    trailers = _trailers(entry)
    listed = [s.strip() for s in trailers.get("Auteur-Stages", "").split(",") if s.strip()]
    return trailers.get("Auteur-Stage") or (listed[0] if listed else PROJECT)


def tree_view(store: ProjectPort, stage: Stage | None) -> View:
    """Newest first within each stage; stages in the order the film is made. Consecutive render commits are one entry
    with their 'count', grouped as /history groups them (studio.history_groups)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for group in grouped(store.history(limit=HISTORY_LIMIT)):
        newest = group.entries[0]
        name = commit_stage(newest)
        if stage is not None and name != stage.value:
            continue
        groups.setdefault(name, []).append({
            "rev": newest.short, "when": newest.time, "who": newest.author, "summary": group.summary(),
            "action": _trailers(newest).get("Auteur-Action", ""), "count": group.count})
    order = [PROJECT, *(s.value for s in STAGE_ORDER)]
    stages = [{"stage": name, "commits": groups[name]} for name in sorted(groups, key=lambda n: (
        order.index(n) if n in order else len(order), n))]
    props = {"branch": store.branch, "branches": store.branches(), "stages": stages}
    return View(props, tree_text(props), "Producer", stage.value if stage is not None else None)


def tree_text(props: dict[str, Any]) -> str:
    others = [b for b in props["branches"] if b != props["branch"]]
    lines = [f"Branch {props['branch']}" + (f" (also: {', '.join(others)})" if others else "")]
    if not props["stages"]:
        lines.append("No history yet.")
    for group in props["stages"]:
        lines.append(f"{group['stage']}:")
        for c in group["commits"]:
            lines.append(f"  {c['rev']} {c['when'][:16].replace('T', ' ')} {c['who']}: {c['summary']}")
    return "\n".join(lines)


def stage_text(art: Any) -> str:
    """A stage's artifact as lines to compare: the script as its Fountain, anything else as indented JSON."""
    if art is None:
        return ""
    if isinstance(art, Script):
        return art.fountain
    if isinstance(art, BaseModel):
        return art.model_dump_json(indent=2, exclude={"person"} if "person" in type(art).model_fields else None)
    return str(art)


def compare(store: ProjectPort, stage: Stage, rev_a: str, rev_b: str | None) -> dict[str, Any]:
    """The two versions of a stage, a unified diff of them (``rev_b`` None: the stage as it is now), and what
    changed item by item ("changes": a shot, a character, a field of the brief; none for the script, whose diff
    is the reading)."""
    before = store.read_at(stage, rev_a)
    after = store.read_at(stage, rev_b) if rev_b else store.read(stage)
    if before is None and after is None:
        raise StageError(f"the {stage.value} is empty at both versions", "see /tree for the versions of a stage")
    a, b = stage_text(before), stage_text(after)
    diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), fromfile=f"{stage.value}@{rev_a}",
                                     tofile=f"{stage.value}@{rev_b or 'now'}", lineterm="", n=2))
    items = [] if isinstance(before, Script) or isinstance(after, Script) else changes(before, after)
    return {"stage": stage.value, "a": rev_a, "b": rev_b or "now", "before": a, "after": b, "diff": diff,
            "same": a == b, "changes": items}


# ---------------------------------------------------------------- what changed, item by item

# A list's items are matched by what names them, not by position: a shot added before S01_SH004 is one shot added.
SECTIONS = {"characters": "character", "locations": "location", "props": "prop", "states": "state",
            "variants": "variant", "beats": "beat", "scenes": "scene", "exports": "export", "cues": "cue",
            "notes": "note"}
SHOT_LISTS = ("shots", "prompts")  # items named by their shot code alone
FIELD_NAMES = {"lens_mm": "lens", "duration_s": "duration", "movement": "move", "runtime_minutes": "runtime"}
PLAIN = {"size", "angle", "movement", "int_ext", "structure", "aspect_ratio", "role"}  # a choice: MS, not “MS”
UNITS = {"lens_mm": " mm", "duration_s": " s", "runtime_minutes": " min"}
VALUE_WIDTH = 60


def _dump(art: Any) -> dict[str, Any]:
    if isinstance(art, BaseModel):
        found: dict[str, Any] = art.model_dump(mode="json")
        return found
    return {}


def _item_name(section: str, item: Any, index: int) -> str:
    """What a person calls an item of a list: S01_SH003, character NELL, scene 2, beat Midpoint, variant 2."""
    if not isinstance(item, dict):
        return f"{SECTIONS.get(section, section)} {index + 1}"
    if isinstance(item.get("scene"), int) and isinstance(item.get("number"), int):
        code = shot_code(item["scene"], item["number"])
        return code if section in SHOT_LISTS else f"{SECTIONS.get(section, section)} {code}"
    for key in ("name", "code", "key", "kind", "number", "scene", "id"):
        if item.get(key) not in (None, ""):
            return f"{SECTIONS.get(section, section)} {item[key]}"
    return f"{SECTIONS.get(section, section)} {index + 1}"


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A dict's fields as 'a.b' → value, so that a change inside (a character's wardrobe in a scene's state) is
    named by its place; lists and scalars stay whole. A person's own marks ('person') are not content."""
    if not isinstance(value, dict):
        return {prefix: value}
    out: dict[str, Any] = {}
    for key, inner in value.items():
        if key == "person":
            continue
        out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _field_changes(before: Any, after: Any) -> list[dict[str, Any]]:
    old, new = _flat(before), _flat(after)
    return [{"field": key, "before": old.get(key), "after": new.get(key)}
            for key in [*old, *(k for k in new if k not in old)] if old.get(key) != new.get(key)]


def _is_items(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(v, dict) for v in value)


def _list_changes(section: str, before: list[Any], after: list[Any]) -> list[dict[str, Any]]:
    old = {_item_name(section, v, i): v for i, v in enumerate(before)}
    new = {_item_name(section, v, i): v for i, v in enumerate(after)}
    out: list[dict[str, Any]] = []
    for name in [*new, *(n for n in old if n not in new)]:
        if name not in old:
            out.append({"item": name, "change": "added", "fields": []})
        elif name not in new:
            out.append({"item": name, "change": "removed", "fields": []})
        elif fields := _field_changes(old[name], new[name]):
            out.append({"item": name, "change": "changed", "fields": fields})
    return out


def changes(before: Any, after: Any) -> list[dict[str, Any]]:
    """Item by item, what differs between two versions of a stage's artifact: each list's items matched by name
    (added, removed, changed field by field), anything else field by field under the field's own name."""
    old, new = _dump(before), _dump(after)
    out: list[dict[str, Any]] = []
    plain: list[dict[str, Any]] = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        if key == "person" or a == b:
            continue
        if _is_items(a) or _is_items(b):
            out.extend(_list_changes(key, a or [], b or []))
        elif isinstance(a, dict) or isinstance(b, dict):
            if fields := _field_changes(a or {}, b or {}):
                out.append({"item": key, "change": "changed", "fields": fields})
        else:
            plain.append({"field": key, "before": a, "after": b})
    return ([{"item": "", "change": "changed", "fields": plain}] if plain else []) + out


def value_words(field: str, value: Any) -> str:
    """A value as a person reads it: 85 mm, 5 s, “her coat”, NELL, DEE (a list), nothing."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return clip(", ".join(str(v) for v in value), VALUE_WIDTH)
    if isinstance(value, str) and field in PLAIN:
        return value
    if isinstance(value, str):
        return f"“{clip(value, VALUE_WIDTH)}”"
    return clip(json.dumps(value, ensure_ascii=False), VALUE_WIDTH)


def field_words(change: dict[str, Any]) -> str:
    """'size MS → CU', 'lens 40 → 85 mm', 'duration 1.6 → 5 s', 'wardrobe “grey” → “red coat”'."""
    field = str(change["field"])
    last = field.rsplit(".", 1)[-1]
    name = ".".join([*field.split(".")[:-1], FIELD_NAMES.get(last, last)])
    old, new = change["before"], change["after"]
    if isinstance(old, str) and isinstance(new, str) and min(len(old), len(new)) > VALUE_WIDTH:
        return f"{name.replace('_', ' ')} rewritten ({len(old):,} → {len(new):,} characters)"  # a page of text
    a, b = value_words(last, old), value_words(last, new)
    unit = UNITS.get(last, "") if b != "nothing" else ""
    return f"{name.replace('_', ' ')} {a} → {b}{unit}"


def change_lines(items: list[dict[str, Any]]) -> list[str]:
    """One line per item: 'S01_SH003: size MS → CU, lens 40 → 85 mm', 'S02_SH001 added'."""
    lines = []
    for item in items:
        if item["change"] != "changed":
            lines.append(f"{item['item']} {item['change']}")
            continue
        words = ", ".join(field_words(f) for f in item["fields"])
        lines.append(f"{item['item']}: {words}" if item["item"] else words)
    return lines


def diff_block(diff: list[str]) -> str:
    """A unified diff as a fenced ```diff block, so that a chat's Markdown shows + and - lines as added and removed
    (not as list items); the fence is longer than any run of backticks in the text."""
    longest = max((len(run) for line in diff for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}diff\n" + "\n".join(diff) + f"\n{fence}"
