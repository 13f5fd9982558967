"""One browser chat: its engine session, and what the person does in it (types, uploads, presses
a button, changes a setting), each handed to the engine as a Turn."""

from __future__ import annotations

import asyncio
from typing import Any

import chainlit as cl

from config.container import Container
from config.settings import Settings
from studio.engine.events import Event, Turn, error
from studio.errors import AuteurError
from studio.stages import STAGE_ORDER
from studio.uploads import UploadRefused
from ui.web.chat_settings import NO_PROJECT, TIERS, check_profile, profile_name, send_panel, tiny_notice
from ui.web.page import Page
from ui.web.presentation import commands, producer
from ui.web.runs import BusyProjects, Turns
from ui.web.uploads import read_upload

# What a fresh session takes over from the one it replaces when the model changes.
KEPT_ON_MODEL_CHANGE = ("turns", "focus", "scene_focus", "quality_tier", "pending_render", "awaiting_notes")


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
        notice = tiny_notice(self.model, self.settings)
        if notice:
            await producer(notice)
        for project in self.turns.projects.busy_in(self.settings.workspace):
            # A page refreshed during a crew run: the run goes on; say where to find it.
            await producer(f"The crew is still working on {project.name} from an earlier page: "
                           f"`/open {project.name}` to follow it.")

    def open_slug(self) -> str:
        return self.session.store.slug if self.session.store else NO_PROJECT

    async def send_settings(self) -> None:
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
        """A fresh session on ``model``, once the running turn is over; the conversation carries on."""
        try:
            check_profile(model, self.settings)
        except AuteurError as exc:
            await self.show(error(exc))
            return
        await self.turns.hold()
        try:
            slug = self.session.store.slug if self.session.store else None
            fresh = await asyncio.to_thread(self.container.session, project=slug, model=model,
                                            auto_approve=self.session.auto_approve)
            for kept in KEPT_ON_MODEL_CHANGE:
                setattr(fresh, kept, getattr(self.session, kept))
            self.session, self.model = fresh, model
        finally:
            self.turns.release()
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
        if self.session.workspace.slugs() != self.slugs or self.open_slug() != self.shown:
            await self.send_settings()


def chat() -> Chat:
    """This browser chat (made when it started)."""
    return cl.user_session.get("chat")
