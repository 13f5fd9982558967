"""Commands about versions: /branch, /history, /restore. Every version is a commit; nothing is rewritten."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Any, Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import stale_text
from studio.engine.events import Event, say
from studio.engine.stage_flow import propose
from studio.errors import StageError
from studio.stages import Stage


def register(registry: Registry) -> None:
    registry.add("branch", "/branch [new NAME | switch NAME | list]", "story branches", branch)
    registry.add("history", "/history [STAGE]", "what changed, who changed it", history, reads_only=True)
    registry.add("restore", "/restore STAGE REV", "bring a stage back as it was (as a new version)", restore)


def entry_data(entry: Any) -> dict[str, Any]:
    """One commit as data: who, when, what, and the stages it touched (from its Auteur trailers)."""
    trailers: dict[str, str] = getattr(entry, "trailers", {}) or {}
    listed = trailers.get("Auteur-Stages") or trailers.get("Auteur-Stage") or ""
    return {"commit": entry.commit, "short": entry.short, "stage": trailers.get("Auteur-Stage", ""),
            "stages": [s.strip() for s in listed.split(",") if s.strip()],
            "action": trailers.get("Auteur-Action", ""), "author": entry.author,
            "email": getattr(entry, "email", ""),
            "message": entry.message.splitlines()[0] if entry.message else "", "time": entry.time}


def branch(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    parts = shlex.split(args) if args else ["list"]
    action = parts[0].lower()
    if action == "list":
        current = store.branch
        rows = []
        for name in store.branches():
            head = store.history(rev=name, limit=1)[0]
            rows.append({"name": name, "current": name == current, "commit": head.commit,
                         "message": head.message.splitlines()[0], "time": head.time})
        yield say("Branches: " + ", ".join(f"*{b['name']}" if b["current"] else b["name"] for b in rows),
                  data={"branches": rows})
    elif action in ("new", "switch") and len(parts) >= 2 and (len(parts) == 2 or parts[2:] == ["--no-switch"]):
        origin = store.branch
        if action == "new":
            switch = parts[2:] != ["--no-switch"]
            store.create_branch(parts[1], switch=switch)
        else:
            store.switch_branch(parts[1])
        if store.branch != parts[1]:
            yield say(f"Branch {parts[1]} starts from {origin}. You are still on {origin}.",
                      data={"branch": parts[1], "from": origin, "current": store.branch})
            return
        conv.focus = None
        yield say(f"Now on branch {parts[1]}.", data={"branch": parts[1], "from": origin, "current": store.branch})
        yield from propose(conv)
    else:
        raise StageError(f"/branch {args} is not something I can do", "use /branch new NAME, /branch switch NAME "
                                                                      "or /branch list")


# Commits a render makes one per shot (or per sound cue): consecutive ones are one line of the history.
RENDER_ACTIONS = frozenset({"take", "sound"})
RENDERED_NOUNS = {("take", "boards"): ("board", "boards"), ("take", "clips"): ("clip", "clips"),
                  ("sound", "cut"): ("sound take", "sound takes")}
_FOR_WHAT = re.compile(r" for (\S+)$")
READ_AHEAD = 40  # raw commits read per history line asked for: a group of renders is many commits


@dataclass
class HistoryGroup:
    """Consecutive commits of one kind of render by one author (or a single commit): one line of /history."""

    entries: list[Any] = field(default_factory=list)  # newest first, as the log gives them

    @property
    def count(self) -> int:
        return len(self.entries)

    def key(self) -> tuple[str, str, str] | None:
        """What joins commits into this group: a render action, its stage and its author (None: never joined)."""
        first = self.entries[0]
        trailers: dict[str, str] = getattr(first, "trailers", {}) or {}
        action = trailers.get("Auteur-Action", "")
        if action not in RENDER_ACTIONS:
            return None
        return action, trailers.get("Auteur-Stage", ""), first.author

    def summary(self) -> str:
        """The commit's subject; for a group, "11 boards rendered, S01_SH001–S03_SH004" (oldest to newest)."""
        newest = self.entries[0]
        if self.count == 1:
            return str(newest.message.splitlines()[0]) if newest.message else ""
        key = self.key()
        one, many = RENDERED_NOUNS.get((key[0], key[1]) if key else ("", ""), ("take", "takes"))
        what = [m.group(1) for e in reversed(self.entries) if (m := _FOR_WHAT.search(e.message.splitlines()[0]))]
        span = f", {what[0]}–{what[-1]}" if len(what) > 1 and what[0] != what[-1] else (f", {what[0]}" if what else "")
        return f"{self.count} {many if self.count != 1 else one} rendered{span}"

    def line(self) -> str:
        newest = self.entries[0]
        return f"{newest.short} {newest.time[:16].replace('T', ' ')} {newest.author}: {self.summary()}"

    def to_dict(self) -> dict[str, Any]:
        return {**entry_data(self.entries[0]), "count": self.count, "summary": self.summary(),
                "first": self.entries[-1].commit}


def grouped(entries: list[Any]) -> list[HistoryGroup]:
    """The history, newest first, with consecutive render commits of one stage and author as one group: a batch of
    115 boards is one line, not 115."""
    groups: list[HistoryGroup] = []
    for entry in entries:
        single = HistoryGroup([entry])
        key = single.key()
        if key is not None and groups and groups[-1].key() == key:
            groups[-1].entries.append(entry)
        else:
            groups.append(single)
    return groups


def history(conv: Conversation, args: str) -> Iterator[Event]:
    words = args.split()
    limit: int | None = 15
    if len(words) >= 2 and words[-2] == "--limit" and (words[-1].isdigit() or words[-1] == "all"):
        limit, words = (None if words[-1] == "all" else max(1, int(words[-1]))), words[:-2]
    stage = Stage.parse(" ".join(words)) if words else None
    entries = conv.require_project().history(stage, limit=limit * READ_AHEAD if limit else None)
    groups = grouped(entries)[:limit] if limit else grouped(entries)
    lines = [g.line() for g in groups]
    yield say("\n".join(lines) or "No history yet.",
              data={"history": [entry_data(e) for g in groups for e in g.entries],
                    "groups": [g.to_dict() for g in groups]})


def restore(conv: Conversation, args: str) -> Iterator[Event]:
    parts = args.split()
    if len(parts) != 2:
        raise StageError("/restore needs a stage and a revision", "e.g. /restore script 3f2a1c9 (see /history)")
    stage = Stage.parse(parts[0])
    store = conv.require_project()
    change = store.restore(stage, parts[1])
    data = {"stage": stage.value, "status": change.project.status(stage).value, "commit": change.commit,
            "stale": [s.value for s in change.made_stale]}
    if change.commit is None:
        yield say(f"The {stage.value} is already as it was at {parts[1]}: nothing changed.", data=data)
        return
    yield say(f"The {stage.value} is back as it was at {parts[1]}, as a draft to approve again.", data=data)
    if change.made_stale:
        yield say(stale_text(store, stage, change.made_stale))
