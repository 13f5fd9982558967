"""The composition point: builds the parts the faces (CLI, chat, Slack) talk to."""

from __future__ import annotations

from functools import cached_property

from config.settings import Settings


class Container:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()

    @cached_property
    def workspace(self):
        from memory.workspace import Workspace

        return Workspace(self.settings)
