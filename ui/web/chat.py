"""One browser chat: its engine session, and what the person does in it (types, uploads, presses
a button, changes a setting), each handed to the engine as a Turn."""

from __future__ import annotations

import asyncio
from typing import Any

import chainlit as cl

from agents.llm.discover import discover
from config.container import Container
from config.settings import Settings
from studio.engine.events import Event, Turn, error
from studio.errors import AuteurError
from studio.stages import STAGE_ORDER
from studio.uploads import UploadRefused
from ui.web.chat_settings import NO_PROJECT, TIERS, profile_name, send_panel, tiny_notice
from ui.web.page import Page
from ui.web.presentation import commands, producer
from ui.web.runs import BusyProjects, Turns
from ui.web.uploads import read_upload

# What a closed chat keeps in Chainlit's session (kept there for its session timeout, in case the page comes back):
# enough to take the conversation up again, not the engine, the crew and the page it held.
KEPT_ON_CLOSE = ("turns", "focus", "scene_focus", "quality_tier", "pending_render", "awaiting_notes", "auto_approve")


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


def chat() -> Chat:
    """This browser chat (made when it started; made again from its note if it was closed and the page came
    back on the same socket session)."""
    current = cl.user_session.get("chat")
    if current is None and (note := cl.user_session.get("reopen")) is not None:
        current = note.chat()
        cl.user_session.set("chat", current)
        cl.user_session.set("reopen", None)
    return current
