"""The project's history as a tree: its branches, and the commits of the branch in use grouped stage by stage
(consecutive renders of a stage in one entry, 'count' of them); and two versions of a stage side by side."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel

from studio.errors import StageError
from studio.history_groups import grouped
from studio.models import Script
from studio.ports import ProjectPort
from studio.stages import STAGE_ORDER, Stage
from studio.views import View

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
    """The two versions of a stage and a unified diff of them (``rev_b`` None: the stage as it is now)."""
    before = store.read_at(stage, rev_a)
    after = store.read_at(stage, rev_b) if rev_b else store.read(stage)
    if before is None and after is None:
        raise StageError(f"the {stage.value} is empty at both versions", "see /tree for the versions of a stage")
    a, b = stage_text(before), stage_text(after)
    diff = list(difflib.unified_diff(a.splitlines(), b.splitlines(), fromfile=f"{stage.value}@{rev_a}",
                                     tofile=f"{stage.value}@{rev_b or 'now'}", lineterm="", n=2))
    return {"stage": stage.value, "a": rev_a, "b": rev_b or "now", "before": a, "after": b, "diff": diff,
            "same": a == b}
