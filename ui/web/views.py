"""The engine's views drawn in the studio: storyboard, shot list, review, character sheet and history beside the
chat (Chainlit's element side bar), the shot inspector, the script and the look in the conversation.

A view is an engine event (``data["view"]``, ``data["props"]``, DESIGN17); here it becomes a ``cl.CustomElement``
whose JSX lives in ``ui/chainlit/public/elements/``. Media paths in the props become token URLs (media.py). A button in
a view sends a command line through the ``auteur_view`` action: it runs as a turn only when its command is one a view
may send; after every turn the open views are built again from the project and updated in place.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import chainlit as cl

from studio.engine.events import Event, Turn
from ui.web.media import TOKENS, with_urls

log = logging.getLogger("auteur.studio")
ACTION = "auteur_view"  # the one action every button in a view calls
COMPONENTS = {"board": "Storyboard", "shot": "Shot", "shotlist": "ShotTable", "review": "Review",
              "character": "CharacterSheet", "tree": "HistoryTree", "script": "Script", "look": "LookCards"}
BESIDE = ("board", "shotlist", "review", "character", "tree")  # drawn in the side bar; the others in the chat
TITLES = {"board": "Storyboard", "shotlist": "Shot list", "review": "Review", "character": "Character",
          "tree": "History"}
# The commands a view's buttons may send (anything else from the page is refused, not run).
ALLOWED = ("take", "prompt", "render", "shot", "note", "fix", "restore", "compare", "approve", "board", "shotlist",
           "review", "character", "tree", "script", "look", "branch", "takes")
APPROVAL_VIEWS = {"script": "script", "look": "look", "shots": "shotlist"}  # stage asked to approve → its view
MAX_COMMAND = 2000
_COMMAND = re.compile(r"^/([a-z]+)(?:\s|$)")


def allowed(command: object) -> str | None:
    """The command line a view sent, when its command is one a view may send; None otherwise."""
    if not isinstance(command, str):
        return None
    line = " ".join(command.split())  # one line: a newline cannot smuggle a second command
    found = _COMMAND.match(line)
    if not found or found.group(1) not in ALLOWED or len(line) > MAX_COMMAND:
        return None
    return line


def is_view(event: Event) -> bool:
    return event.kind == "artifact" and event.data.get("view") in COMPONENTS and isinstance(
        event.data.get("props"), dict)


@dataclass
class OpenView:
    """A view on the page: what it was built with, and the element that shows it."""

    name: str
    args: str
    element: cl.CustomElement
    project: Path | None  # the project it shows: another one opened since leaves it as it was


class Views:
    """The views one chat has open, drawn from view events and refreshed after every turn."""

    def __init__(self) -> None:
        self.beside: OpenView | None = None  # the side bar shows one view at a time
        self.inline: dict[str, OpenView] = {}  # the latest of each view drawn in the chat
        self.approvals: list[tuple[str, str]] = []  # (view, message id): views to attach once the turn is over
        self.quiet: set[str] = set()  # views this turn shows as a line only (a cell edited in the table)

    # ------------------------------------------------------------ drawing

    async def draw(self, event: Event, workspace: Path, project: Path | None, author: str) -> None:
        """A view event on the page: beside the chat or in it, with a short line in the conversation."""
        name, args = str(event.data["view"]), str(event.data.get("args") or "")
        if name in self.quiet:  # the table the person edits is refreshed after the turn; the chat gets the line
            await cl.Message(content=event.text.strip().splitlines()[0] if event.text.strip() else name,
                             author=author).send()
            return
        props = props_for(event, workspace, project)
        if name in BESIDE:
            await self.open_beside(name, args, props, project)
            first = event.text.strip().splitlines()[0] if event.text.strip() else TITLES[name]
            await cl.Message(content=f"{first}\n\n*{TITLES[name]} open beside the chat.*", author=author).send()
            return
        element = cl.CustomElement(name=COMPONENTS[name], props=props, display="inline")
        first = event.text.strip().splitlines()[0] if event.text.strip() else name
        await cl.Message(content=first, author=author, elements=[element]).send()
        self.inline[name] = OpenView(name, args, element, project)

    async def open_beside(self, name: str, args: str, props: dict[str, Any], project: Path | None) -> None:
        shown = self.beside
        if shown is not None and shown.name == name:  # the same element: the view keeps its state (a picked shot)
            shown.args, shown.project = args, project
            await self.redraw_beside(shown, props)
            return
        element = cl.CustomElement(name=COMPONENTS[name], props=props, display="side")
        self.beside = OpenView(name, args, element, project)
        await show_beside(element, TITLES[name])

    async def redraw_beside(self, view: OpenView, props: dict[str, Any]) -> None:
        view.element.props = props
        view.element.content = json.dumps(props)
        await show_beside(view.element, TITLES[view.name])

    async def redraw_inline(self, view: OpenView, props: dict[str, Any]) -> None:
        view.element.props = props
        view.element.content = json.dumps(props)
        await view.element.update()

    # ------------------------------------------------------------ a chat opened again

    def note(self, project: Path | None) -> list[str] | None:
        """The view beside the chat, as a chat's note keeps it ([name, args]): it is opened again on resume."""
        shown = self.beside
        return [shown.name, shown.args] if shown is not None and shown.project == project else None

    async def revive(self, thread: dict[str, Any], workspace: Path, project: Path | None,
                     beside: list[str] | None) -> None:
        """A resumed chat's views, usable again: the latest view of each kind in the conversation is built anew
        from the project and updated in place (its stored props hold media links of a server that may have
        stopped, and the project may have changed since), and the view that was beside the chat opens again."""
        session = _session()
        if session is None or project is None or not hasattr(session, "view"):
            return
        for element, props in latest_views(thread):
            name = str(props["_view"]["name"])
            args = str(props["_view"].get("args") or "")
            event = await _build(session, name, args)
            if event is None:
                continue
            again = cl.CustomElement(id=str(element["id"]), name=COMPONENTS[name], display="inline",
                                     for_id=str(element["forId"]), props=props_for(event, workspace, project))
            await again.update()
            self.inline[name] = OpenView(name, args, again, project)
        if beside and beside[0] in BESIDE:
            event = await _build(session, beside[0], beside[1])
            if event is not None:
                await self.open_beside(beside[0], beside[1], props_for(event, workspace, project), project)

    # ------------------------------------------------------------ after a turn

    def ask_approval(self, event: Event, message_id: str) -> None:
        """The engine asks to approve the script, the look or the shots: their whole view goes with the question."""
        view = APPROVAL_VIEWS.get(event.stage or "")
        if view and any(option.lower().startswith("approve") for option in event.options):
            self.approvals.append((view, message_id))

    async def refresh(self, workspace: Path) -> None:
        """Every open view built again from the project (a picked take, an edited cell, a new note show at once),
        and the views asked for by an approval question attached to it."""
        self.quiet.clear()
        session = _session()
        if session is None or not hasattr(session, "view") or session.store is None:
            self.approvals.clear()
            return
        project = workspace / session.store.slug
        views = ([self.beside] if self.beside else []) + list(self.inline.values())
        for view in views:
            if view.project != project:
                continue
            event = await _build(session, view.name, view.args)
            if event is None:
                continue
            props = props_for(event, workspace, project)
            old = (view.element.props or {}).get("_view") or {}
            if not props["_view"]["download"] and old.get("download"):  # the file form is made by the command only
                props["_view"].update(download=old["download"], downloadName=old.get("downloadName"))
            if view.element.props == props:
                continue
            if view is self.beside:
                await self.redraw_beside(view, props)
            else:
                await self.redraw_inline(view, props)
        approvals, self.approvals = self.approvals, []
        for name, message_id in approvals:
            event = await _build(session, name, "")
            if event is not None:
                element = cl.CustomElement(name=COMPONENTS[name], props=props_for(event, workspace, project),
                                           display="inline")
                await element.send(for_id=message_id)
                self.inline[name] = OpenView(name, "", element, project)


async def show_beside(element: cl.CustomElement, title: str) -> None:
    """The side bar shows ``element`` now, under its row of views (ViewNav.jsx: one element, not a copy in each
    view). Each drawing has a key of its own (the page keeps the bar as it is when the key is the one it has), and
    the title comes after the elements (which would name the bar themselves)."""
    nav = element.props.get("nav") if isinstance(element.props, dict) else None
    shown: list[cl.CustomElement] = [element]
    if isinstance(nav, dict):
        row = {**nav, "character": element.props.get("name") if nav.get("current") == "character" else None}
        shown = [cl.CustomElement(name="ViewNav", props=row, display="side"), element]
    await cl.ElementSidebar.set_elements(shown, key=uuid.uuid4().hex)
    await cl.ElementSidebar.set_title(title)


def props_for(event: Event, workspace: Path, project: Path | None) -> dict[str, Any]:
    """The view's props for the page: media as token URLs, and the file form (``path``) as a download link."""
    user = _user()
    props = dict(event.data["props"])
    shown: dict[str, Any] = with_urls(props, project, workspace, user) if project else props
    if event.data["view"] == "review" and "earlier" not in shown:
        shown = {**shown, "earlier": earlier_notes(shown)}
    path = event.data.get("path")
    download = TOKENS.url(Path(path), workspace, user) if isinstance(path, str) and path else None
    name = str(event.data["view"])
    if name in BESIDE:  # the side bar's own row of buttons: the other views, and the cast to pick a sheet from
        shown = {**shown, "nav": {"characters": cast(), "current": name}}
    return {**shown, "_view": {"name": name, "args": str(event.data.get("args") or ""),
                               "download": download, "downloadName": Path(path).name if download and path else None}}


def cast() -> list[str]:
    """The names of the open project's characters, for the side bar's picker: read from the look as stored (one
    file read, no view built); none when there is no look yet or it cannot be read now."""
    store = getattr(_session(), "store", None)
    if store is None or not hasattr(store, "read"):
        return []
    from studio.models import Look
    from studio.stages import Stage

    try:
        look = store.read(Stage.LOOK)
    except Exception as exc:  # the look edited by hand, or the project gone: the picker is left empty
        log.info("characters for the side bar not read: %s", exc)
        return []
    return [c.name for c in look.characters if c.name] if isinstance(look, Look) else []


def latest_views(thread: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(element, props) of the latest view of each kind a chat showed in the conversation, oldest first. The
    thread is the data layer's: its elements are read as untrusted (a view only when its props name one)."""
    when = {step.get("id"): str(step.get("createdAt") or "") for step in thread.get("steps") or []}
    found: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for element in thread.get("elements") or []:
        props = element.get("props")
        if isinstance(props, str):
            try:
                props = json.loads(props)
            except ValueError:
                continue
        view = props.get("_view") if isinstance(props, dict) else None
        name = view.get("name") if isinstance(view, dict) else None
        if element.get("type") != "custom" or name not in COMPONENTS or element.get("name") != COMPONENTS[name] \
                or name in BESIDE or not element.get("forId") or not element.get("id"):
            continue
        at = when.get(element["forId"], "")
        if name not in found or at >= found[name][0]:
            found[name] = (at, element, props)
    return [(element, props) for _, element, props in sorted(found.values(), key=lambda item: item[0])]


def earlier_notes(props: dict[str, Any]) -> list[dict[str, Any]]:
    """The notes of the cut's earlier versions, newest version first, so that reviewing v2 still shows what was
    said (and fixed) on v1; nothing when the project's notes cannot be read now."""
    session = _session()
    store = getattr(session, "store", None)
    version = (props.get("cut") or {}).get("version")
    if store is None or not hasattr(store, "review_notes") or not isinstance(version, int):
        return []
    try:
        notes = store.review_notes().notes
    except Exception as exc:  # notes.json edited by hand, or the project gone: the view shows the latest cut only
        log.info("earlier review notes not read: %s", exc)
        return []
    versions = sorted({n.cut for n in notes if n.cut < version}, reverse=True)
    return [{"version": v, "notes": [{"id": n.id, "code": n.code, "text": n.text, "category": n.category.value,
                                      "agent": n.agent, "status": n.status, "result": n.result}
                                     for n in notes if n.cut == v]} for v in versions]


async def _build(session: Any, name: str, args: str) -> Event | None:
    """``Session.view`` off the event loop; a view that cannot be built now (the project changed) is left as it is."""
    try:
        return await asyncio.to_thread(session.view, name, args)
    except Exception as exc:  # an AuteurError (the shot is gone) or a bug: the page keeps the last drawing
        log.info("view %s %s not refreshed: %s", name, args, exc)
        return None


def _session() -> Any:
    current = cl.user_session.get("chat")
    return getattr(current, "session", None)


def _user() -> str | None:
    user = cl.user_session.get("user")
    return getattr(user, "identifier", None) if user else None


async def run_action(current: Any, action: cl.Action) -> None:
    """A view's button: its command line as a turn of the chat, when a view may send it."""
    command = allowed((action.payload or {}).get("command"))
    if command is None:
        await cl.Message(content="**Producer:** That button asked for something a view cannot do; "
                                 "type the command in the chat instead.", author="Producer").send()
        return
    if command.startswith("/shot ") and len(command.split()) > 3:  # a cell of the table: its own shot view is a line
        current.page.views.quiet.add("shot")
    await current.run(Turn(text=command))
