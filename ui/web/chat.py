"""One browser chat: its engine session, and what the person does in it (types, uploads, presses
a button, changes a setting), each handed to the engine as a Turn."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import chainlit as cl

from agents.llm.discover import discover
from config.container import Container
from config.settings import Settings
from studio.engine.events import Event, Turn, error
from studio.errors import AuteurError
from studio.stages import STAGE_ORDER, Stage
from studio.uploads import UploadRefused
from ui.web import history
from ui.web.chat_settings import NO_PROJECT, TIERS, profile_name, send_panel, tiny_notice
from ui.web.page import Page
from ui.web.presentation import commands, producer
from ui.web.runs import BusyProjects, Turns
from ui.web.uploads import read_upload

# What a closed chat keeps in Chainlit's session (kept there for its session timeout, in case the page comes back):
# enough to take the conversation up again, not the engine, the crew and the page it held.
KEPT_ON_CLOSE = ("turns", "focus", "scene_focus", "quality_tier", "pending_render", "awaiting_notes", "auto_approve")
# What a chat's thread keeps of it (ui.web.history: in the chat history, so it outlives the server): the same, less
# a render waiting for a yes (its plan and estimate are of that moment: the person asks again).
KEPT_IN_THREAD = ("turns", "focus", "scene_focus", "quality_tier", "awaiting_notes", "auto_approve")
KEPT_TURNS = 40  # the short memory a thread keeps (the engine itself reads fewer)
# Chainlit calls on_chat_resume BEFORE it sends the thread's messages to the page (socket.py, 2.12), and the page
# then replaces what it has with them: what a resumed chat shows of its own (the task list, a "where we are" question
# with live buttons, views drawn anew) is sent once the page has them.
SETTLE_S = 0.8
log = logging.getLogger("auteur.studio")


class Chat:
    def __init__(self, settings: Settings, projects: BusyProjects) -> None:
        self.settings = settings
        self.container = Container(settings)
        self.model: str | None = None  # None: AUTEUR_MODEL, else the default profile
        self.tier = TIERS[0]
        self.session = self.container.session()
        self.turns = Turns(projects, settings.workspace)
        self.page = Page()
        self.slugs: list[str] = []  # the projects the settings offer
        self.shown = NO_PROJECT  # the project the settings show as open
        self.beside: list[str] | None = None  # a resumed chat's view beside the chat, [name, args], to open again
        self.resuming: asyncio.Task[None] | None = None  # a resumed chat's page being brought up to date

    @classmethod
    async def create(cls, settings: Settings, projects: BusyProjects) -> Chat:
        return await asyncio.to_thread(cls, settings, projects)  # the first one imports the engine

    async def start(self) -> None:
        await cl.context.emitter.set_commands(commands())
        await self.send_settings()
        for event in await asyncio.to_thread(self.session.greet):
            await self.show(event)
        notice = await asyncio.to_thread(tiny_notice, self.model, self.settings)
        if notice:
            await producer(notice)
        for project in self.turns.projects.busy_in(self.settings.workspace):
            # A page refreshed during a crew run: the run goes on; say where to find it.
            await producer(f"The crew is still working on {project.name} from an earlier page: "
                           f"`/open {project.name}` to follow it.")

    @classmethod
    async def resume(cls, settings: Settings, projects: BusyProjects, note: dict[str, Any]) -> Chat:
        """A chat of the history opened again, where its thread's note says it was (``note``)."""
        return await asyncio.to_thread(resumed, settings, projects, note)

    async def back(self) -> None:
        """The resumed chat's page: commands and settings panel now; its messages are shown by Chainlit from the
        thread, and then (``where_we_are``) the task list, its views drawn anew and a question with live buttons."""
        await cl.context.emitter.set_commands(commands())
        await self.send_settings()
        await self.remember()
        self.resuming = asyncio.create_task(self.where_we_are())

    async def where_we_are(self) -> None:
        """Once the page shows the thread: the latest views of the conversation built again from the project (the
        buttons of a view work; a table has its rows), the view that was beside the chat, "Welcome back" with the
        question that moves the work on (its buttons live: the old ones are not kept by Chainlit), the task list."""
        await asyncio.sleep(SETTLE_S)
        store = self.session.store
        if store is None:
            return
        workspace = self.settings.workspace
        self.page.root, self.page.project = workspace, workspace / store.slug
        await self.turns.hold()
        try:
            thread = await history.this_thread()
            await self.page.views.revive(thread, workspace, workspace / store.slug, self.beside)
            for event in await asyncio.to_thread(self.session.greet):
                await self.show(event)
            await self.page.turn_over(store)
        except Exception:  # the chat stays usable as Chainlit drew it; the next turn draws the rest
            log.exception("a resumed chat's page was not brought up to date")
        finally:
            self.turns.release()

    async def remember(self) -> None:
        """Where the conversation is, kept in its thread (ui.web.history) after every turn and setting."""
        store, title = self.session.store, None
        if store is not None:
            try:
                title = (await asyncio.to_thread(store.manifest)).title
            except (AuteurError, OSError):  # a project gone from under the chat: the note alone
                title = None
        await history.remember(self.note(), title, self.last_said())

    def last_said(self) -> str | None:
        """What the person said or chose last (the chat list names a chat by its project and this)."""
        user = getattr(self.session, "user", None)
        said = next((text for who, text in reversed(getattr(self.session, "turns", None) or []) if who == user), None)
        return " ".join(str(said).split())[:40] if said else None

    def note(self) -> dict[str, Any]:
        """Where the conversation is, as plain JSON for the thread's metadata."""
        kept = {name: getattr(self.session, name, None) for name in KEPT_IN_THREAD}
        kept["turns"] = [list(pair) for pair in (kept["turns"] or [])[-KEPT_TURNS:]]
        for name in ("focus", "awaiting_notes"):
            stage = kept[name]
            kept[name] = stage.value if isinstance(stage, Stage) else None
        store = self.session.store
        project = self.settings.workspace / store.slug if store else None
        return {"project": store.slug if store else None, "model": self.model,
                "tier": self.tier, "kept": kept, "beside": self.page.views.note(project) or self.beside}

    def close(self) -> None:
        """The page went away (`@cl.on_chat_end`): let go of what this chat holds. Chainlit keeps a closed chat's
        session for a while in case the socket comes back; it keeps only a note of where the conversation was
        (``Reopen``), so that closed chats do not hold an engine, a crew and a page each. A turn still running
        holds its own session to its end."""
        if cl.user_session.get("chat") is self:
            cl.user_session.set("chat", None)
            cl.user_session.set("reopen", Reopen.of(self))

    def open_slug(self) -> str:
        return self.session.store.slug if self.session.store else NO_PROJECT

    async def send_settings(self) -> None:
        await asyncio.to_thread(discover, self.settings)  # the models found on this machine, asked off the loop
        self.slugs = self.session.workspace.slugs()
        self.shown = self.open_slug()
        await send_panel(settings=self.settings, slugs=self.slugs, project=self.shown, model=self.model, tier=self.tier,
                         auto_approve=self.session.auto_approve)

    # ------------------------------------------------------------ what the person does

    async def message(self, message: cl.Message) -> None:
        for element in message.elements or []:
            try:
                upload = await read_upload(element)
            except UploadRefused as exc:
                await self.show(error(exc))
            else:
                await self.run(Turn(upload=upload))
        text = (message.content or "").strip()
        if message.command:
            text = f"/{message.command} {text}".strip()
        if text:
            await self.run(Turn(text=text))
        elif not message.elements:
            await self.run(Turn(text=""))

    async def action(self, action: cl.Action) -> None:
        choice = await self.page.pressed(action)
        if choice is None:
            return
        if choice == "Revise":
            await self.ask_notes(action.payload.get("stage"))
            return
        await self.run(Turn(choice=choice))

    async def ask_notes(self, stage: str | None) -> None:
        lead = next((s.lead for s in STAGE_ORDER if s.value == stage), "crew")
        what = f"the {stage}" if stage else "it"
        reply = await cl.AskUserMessage(content=f"**Producer:** What should the {lead} change in {what}?",
                                        author="Producer",
                                        timeout=1800, raise_on_timeout=False).send()
        notes = (reply or {}).get("output", "").strip()
        if notes:
            await self.run(Turn(text=f"/revise {stage}: {notes}" if stage else f"/revise {notes}"))

    async def settings_changed(self, values: dict[str, Any]) -> None:
        if values.get("auto_approve") is not None:
            self.session.auto_approve = bool(values["auto_approve"])
        if values.get("tier") in TIERS:
            self.tier = values["tier"]
            if hasattr(self.session, "quality_tier"):
                self.session.quality_tier = self.tier
        await self.remember()
        model = values.get("model")
        if model and model != profile_name(self.model, self.settings):
            await self.switch_model(model)
        project = values.get("project")
        if project and project != NO_PROJECT and project != self.open_slug():
            await self.run(Turn(text=f"/open {project}"))

    async def switch_model(self, model: str) -> None:
        """This chat's crew works with ``model`` from its next call, once the running turn is over (as `/model
        NAME` does); a profile that cannot be used now says why and changes nothing."""
        await self.turns.hold()
        try:
            await asyncio.to_thread(self.session.models.choose, model)
        except AuteurError as exc:
            refused: AuteurError | None = exc
        else:
            refused, self.model = None, model
        finally:
            self.turns.release()
        if refused is not None:
            await self.show(error(refused))
            await self.send_settings()  # the panel shows the model still in use
            return
        await producer(f"The crew now works with `{model}`.")
        notice = tiny_notice(model, self.settings)
        if notice:
            await producer(notice)

    # ------------------------------------------------------------ turns and what they show

    async def run(self, turn: Turn) -> None:
        await self.turns.hold()
        await self.turns.run(self.session, turn, self.show, self.after_turn)

    async def show(self, event: Event) -> None:
        await self.page.show(event, self.settings.workspace, self.session.store)

    async def after_turn(self) -> None:
        await self.page.turn_over(self.session.store)
        await self.remember()
        chosen = self.session.models.model  # `/model NAME` switched the crew: the panel shows it
        if chosen != self.model:
            self.model = chosen
            await self.send_settings()
        elif self.session.workspace.slugs() != self.slugs or self.open_slug() != self.shown:
            await self.send_settings()


class Reopen:
    """Where a closed chat was: its settings, open project, model, tier and the conversation's short memory."""

    def __init__(self, settings: Settings, projects: BusyProjects, slug: str | None, model: str | None, tier: str,
                 kept: dict[str, Any]) -> None:
        self.settings, self.projects, self.slug, self.model, self.tier, self.kept = \
            settings, projects, slug, model, tier, kept

    @classmethod
    def of(cls, closed: Chat) -> Reopen:
        return cls(closed.settings, closed.turns.projects, closed.session.store.slug if closed.session.store else None,
                   closed.model, closed.tier, {k: getattr(closed.session, k) for k in KEPT_ON_CLOSE})

    def chat(self) -> Chat:
        again = Chat(self.settings, self.projects)
        again.model, again.tier = self.model, self.tier
        session = again.container.session(project=self.slug, model=self.model) if self.slug or self.model \
            else again.session
        for name, value in self.kept.items():
            setattr(session, name, value)
        again.session = session
        again.slugs, again.shown = session.workspace.slugs(), again.open_slug()
        return again


def resumed(settings: Settings, projects: BusyProjects, note: dict[str, Any]) -> Chat:
    """A chat made from a thread's note. The note is read as untrusted: a project that is gone, a model that
    cannot be used now or a value of the wrong kind is left out (the chat starts without it)."""
    kept = note.get("kept")
    kept = kept if isinstance(kept, dict) else {}
    values = {name: value for name in KEPT_IN_THREAD if (value := _kept(name, kept.get(name))) is not None}
    tier = str(note["tier"]) if note.get("tier") in TIERS else TIERS[0]
    model = note.get("model") if isinstance(note.get("model"), str) else None
    slug = note.get("project") if isinstance(note.get("project"), str) else None
    again = Chat(settings, projects)
    if slug not in again.session.workspace.slugs():
        slug = None
    session = again.container.session(project=slug) if slug else again.session
    if model:
        try:
            session.models.choose(model)  # as `/model NAME` would: only a profile this studio offers and may use
            again.model = model
        except AuteurError:  # the model of then cannot be used now (or switching is off): the default one
            again.model = None
    again.tier = tier
    beside = note.get("beside")
    if slug and isinstance(beside, list) and len(beside) == 2 and all(isinstance(v, str) for v in beside) \
            and len(beside[1]) <= 200:
        again.beside = [beside[0], beside[1]]  # a view name the page checks (ui.web.views.BESIDE) and its args
    for name, value in values.items():
        setattr(session, name, value)
    again.session = session
    again.slugs, again.shown = session.workspace.slugs(), again.open_slug()
    return again


def _kept(name: str, value: Any) -> Any:
    """One value of a thread's note as the engine keeps it, or None when it is not of the right kind."""
    if name == "turns" and isinstance(value, list):
        return [(str(pair[0]), str(pair[1])) for pair in value[-KEPT_TURNS:] if isinstance(pair, list) and len(pair) == 2]
    if name in ("focus", "awaiting_notes"):
        return Stage(value) if value in {stage.value for stage in Stage} else None
    if name == "scene_focus":
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
    if name == "quality_tier":
        return value if value in TIERS else None
    if name == "auto_approve":
        return value if isinstance(value, bool) else None
    return None


def chat() -> Chat:
    """This browser chat (made when it started; made again from its note if it was closed and the page came
    back on the same socket session)."""
    current = cl.user_session.get("chat")
    if current is None and (note := cl.user_session.get("reopen")) is not None:
        current = note.chat()
        cl.user_session.set("chat", current)
        cl.user_session.set("reopen", None)
    return current
