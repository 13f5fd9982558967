"""Commands about projects: /help, /new, /open, /status."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import delivery_written, shot_staleness, tracker_lines
from studio.engine.events import Event, say
from studio.engine.stage_flow import propose
from studio.errors import AuteurError, StageError
from studio.ports import WorkspacePort
from studio.stages import Stage, next_stage


def register(registry: Registry) -> None:
    def help_(conv: Conversation, args: str) -> Iterator[Event]:
        lines = [f"{c.usage} — {c.help}" for c in registry.commands.values()]
        lines.append("Or just talk: 'next', 'approve', 'use variant 2', 'redo shot 3 as a low angle', "
                     "or notes for the stage in front of you.")
        yield say("\n".join(lines), data={"commands": list(registry.commands)})

    registry.add("help", "/help", "what you can say and do", help_, reads_only=True)
    registry.add("new", "/new TITLE [--slug SLUG]", "start a new film project", new)
    registry.add("open", "/open SLUG", "open an existing project", open_)
    registry.add("status", "/status", "where every stage stands, and the model work so far", status,
                 reads_only=True)


OFFERED = 3  # projects a new chat offers to open


def recent_projects(workspace: WorkspacePort, limit: int = OFFERED) -> list[tuple[str, str]]:
    """(title, slug) of the workspace's projects worked on last, newest first (by their last commit): what a new
    chat offers to open. A project that cannot be read is left out, not shown as an error to someone who did not
    ask about it."""
    found: list[tuple[str, str, str]] = []
    for slug in workspace.slugs():
        try:
            store = workspace.open(slug)
            last = store.history(limit=1)
            found.append((last[0].time if last else "", store.manifest().title or slug, slug))
        except AuteurError:
            continue
    found.sort(key=lambda row: row[0], reverse=True)
    return [(title, slug) for _, title, slug in found[:limit]]


def open_options(workspace: WorkspacePort) -> list[str]:
    """'Open Night Shift' for each project a chat with none open offers (see ``find_project``)."""
    return [f"Open {title}" for title, _ in recent_projects(workspace)]


def find_project(workspace: WorkspacePort, name: str) -> str | None:
    """The slug of the project a person named by its title or its folder name ('Night Shift', 'night-shift')."""
    wanted = " ".join(name.split()).strip('"\'').lower()
    for slug in workspace.slugs():
        if slug.lower() == wanted:
            return slug
    for title, slug in recent_projects(workspace, limit=len(workspace.slugs())):
        if title.lower() == wanted:
            return slug
    return None


def no_project(conv: Conversation, asked: str = "") -> Event:
    """'No project is open': the projects there are, as options, and how to start one. Said to a request to see
    something (a storyboard, the shot list) when nothing is open: a request is never taken for a film idea."""
    options = open_options(conv.workspace)
    what = f" to show {asked}" if asked else ""
    if options:
        names = ", ".join(o.removeprefix("Open ") for o in options)
        text = (f"No project is open{what}. Open one of yours ({names}), or tell me a new film idea and I'll "
                "start one.")
    else:
        text = f"No project is open{what}, and there are none yet. Tell me your film idea, or upload a screenplay."
    return Event("question", text, author="Producer", options=options + ["Develop an idea"],
                 data={"no_project": True, "projects": [o.removeprefix("Open ") for o in options]})


def new(conv: Conversation, args: str) -> Iterator[Event]:
    title, _, slug = args.rpartition(" --slug ")
    if not title or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug.strip()):
        title, slug = args, ""  # '--slug' only as the last words, before a folder name
    if not title.strip():
        raise StageError("/new needs a title", 'e.g. /new "Night Shift"')
    store = conv.store = conv.workspace.create(title.strip().strip('"'), slug=slug.strip() or None)
    conv.focus = None
    yield say(f"New project {store.manifest().title} ({store.slug}). Tell me the idea, "
              "or upload a screenplay.", data={"slug": store.slug, "path": store.locate("")})


def open_(conv: Conversation, args: str) -> Iterator[Event]:
    if not args:
        slugs = conv.workspace.slugs()
        yield say("Your projects: " + (", ".join(slugs) if slugs else "none yet"), data={"projects": slugs})
        return
    store = conv.store = conv.workspace.open(args)
    conv.focus = None
    yield say(f"Opened {store.manifest().title}.", data={"slug": store.slug})
    yield from propose(conv)


def status(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    m = store.manifest()
    lines = tracker_lines(store)
    usage = m.llm_total()
    stale = shot_staleness(store)
    for what, codes, made in (("boards", stale.boards, stale.drawn), ("clips", stale.clips, stale.filmed)):
        if codes:
            lines.append(f"{what}: {len(codes)} of {made} shots out of date ({', '.join(codes[:3])}"
                         f"{f' and {len(codes) - 3} more' if len(codes) > 3 else ''}): /render {what} stale")
    if stale.cut:
        lines.append("cut: uses other takes or lengths than the shots have now: /render cut")
    lines.append(f"Model work: {usage.calls} calls, {usage.tokens} tokens, {usage.seconds:.1f} s.")
    brief = store.read(Stage.BRIEF)
    nxt = next_stage(m.stages, imported=bool(brief and brief.imported_from), delivery=delivery_written(store))
    yield say("\n".join(lines), data={
        "slug": m.slug, "title": m.title, "path": store.locate(""), "branch": store.branch, "stages": m.statuses(),
        "next": nxt.value if nxt else None, "llm": usage.model_dump(),
        "stale_shots": {"boards": stale.boards, "clips": stale.clips, "cut": stale.cut,
                        "drawn": stale.drawn, "filmed": stale.filmed},
        "llm_by_stage": {k: v.model_dump() for k, v in m.llm.items()},
        "details": {stage.value: {"status": st.status.value, "lead": stage.lead, "updated": st.updated,
                                  "approved_commit": st.approved_commit, "stale_because": st.stale_because}
                    for stage, st in m.stages.items()}})
    yield from propose(conv)
