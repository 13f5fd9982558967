"""Commands about versions: /branch, /history, /restore. Every version is a commit; nothing is rewritten."""

from __future__ import annotations

import shlex
from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import stale_text
from studio.engine.events import Event, say
from studio.engine.stage_flow import propose
from studio.history_groups import READ_AHEAD, entry_data, grouped
from studio.errors import StageError
from studio.stages import Stage


def register(registry: Registry) -> None:
    registry.add("branch", "/branch [new NAME | switch NAME | list]", "story branches", branch)
    registry.add("history", "/history [STAGE]", "what changed, who changed it", history, reads_only=True)
    registry.add("restore", "/restore STAGE REV", "bring a stage back as it was (as a new version)", restore)


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
