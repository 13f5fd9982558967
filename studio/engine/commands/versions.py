"""Commands about versions: /branch, /history, /restore. Every version is a commit; nothing is rewritten."""

from __future__ import annotations

import shlex
from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import NOT_A_CHANGE, stale_text
from studio.engine.events import Event, say
from studio.engine.stage_flow import propose
from studio.history_groups import READ_AHEAD, HistoryGroup, entry_data, grouped
from studio.errors import StageError
from studio.ports import ProjectPort
from studio.stages import Stage


def register(registry: Registry) -> None:
    registry.add("branch", "/branch [new NAME | switch NAME | list]", "story branches", branch)
    registry.add("history", "/history [STAGE]", "what changed, who changed it", history, reads_only=True)
    registry.add("restore", "/restore STAGE REV [yes]", "bring a stage back as it was (as a new version); asked "
                                                        "first when it drops later changes", restore)


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


YES = ("yes", "anyway")  # `/restore STAGE REV yes`: the person already saw what it drops
SHOWN = 5  # later changes named in the question; the rest are counted


def later_changes(store: ProjectPort, stage: Stage, rev: str) -> list[HistoryGroup]:
    """The changes of ``stage`` made after ``rev`` on the branch in use, newest first (a batch of renders as one):
    what a restore to ``rev`` takes out of the stage. Approvals and decisions change no content, so none is listed."""
    entries = store.history(stage)
    place = next((i for i, e in enumerate(entries) if e.commit.lower().startswith(rev.lower())), None)
    if place is not None:
        later = entries[:place]
    else:  # a branch name, or a commit of another stage: what the branch in use has and ``rev`` has not
        then = {e.commit for e in store.history(stage, rev=rev)}
        later = [e for e in entries if e.commit not in then]
    return grouped([e for e in later if (getattr(e, "trailers", {}) or {}).get("Auteur-Action") not in NOT_A_CHANGE])


def restore(conv: Conversation, args: str) -> Iterator[Event]:
    """/restore STAGE REV: when later changes of the stage would be dropped, they are named and the person is asked
    first (Restore / Keep, or `/restore STAGE REV yes`); with nothing to drop, it restores at once."""
    parts = args.split()
    sure = len(parts) == 3 and parts[2].lower() in YES
    if len(parts) != 2 and not sure:
        raise StageError("/restore needs a stage and a revision", "e.g. /restore script 3f2a1c9 (see /history)")
    stage = Stage.parse(parts[0])
    store = conv.require_project()
    conv.pending_restore = None
    if not sure:
        dropped = later_changes(store, stage, parts[1])
        if dropped:
            conv.pending_restore = (stage, parts[1])
            yield restore_question(stage, parts[1], dropped)
            return
    change = store.restore(stage, parts[1])
    data = {"stage": stage.value, "status": change.project.status(stage).value, "commit": change.commit,
            "stale": [s.value for s in change.made_stale]}
    if change.commit is None:
        yield say(f"The {stage.value} is already as it was at {parts[1]}: nothing changed.", data=data)
        return
    yield say(f"The {stage.value} stage is back as it was at {parts[1]}, as a draft to approve again.", data=data)
    if change.made_stale:
        yield say(stale_text(store, stage, change.made_stale))


def restore_question(stage: Stage, rev: str, dropped: list[HistoryGroup]) -> Event:
    """'Restoring the shots to 4a37cba brings back … and drops these 3 later changes: …. Restore?'"""
    count = sum(g.count for g in dropped)
    noun = "change" if count == 1 else "changes"
    lines = [f"- {g.entries[0].short} {g.entries[0].author}: {g.summary()}" for g in dropped[:SHOWN]]
    if len(dropped) > SHOWN:
        lines.append(f"- … and {len(dropped) - SHOWN} more (/history {stage.value})")
    these = "this later change" if count == 1 else f"these {count} later {noun}"
    text = (f"Restoring the {stage.value} to {rev} brings it back as it was then, and drops {these} of the "
            f"{stage.value}:\n" + "\n".join(lines) + "\nThey stay in the history (a restore is a new version). "
            "Restore?")
    return Event("question", text, author="Producer", stage=stage.value, options=["Restore", "Keep"],
                 data={"restore": {"stage": stage.value, "rev": rev, "command": f"/restore {stage.value} {rev} yes",
                                   "dropped": [g.to_dict() for g in dropped]}})
