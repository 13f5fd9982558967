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

    def crew(self, model: str | None = None, store_of=None):
        """The crew on the chosen model profile (AUTEUR_MODEL, else the embedded default)."""
        import os

        from agents.llm.factory import structured_llm
        from crews.runner import CrewRunner

        # crewAI keeps a log of task outputs (script excerpts): inside the workspace, not in the home folder.
        os.environ.setdefault("CREWAI_STORAGE_DIR", str(self.settings.workspace / ".auteur" / "crewai"))
        tools = None
        if store_of is not None:
            from tools.render.crew_tools import tools_for

            tools = lambda key: tools_for(key, store_of, self.render_service())  # noqa: E731
        return CrewRunner(structured_llm(model), tools=tools)

    def memory(self, store):
        """The project's semantic memory (Qdrant + embeddings); raises MemoryUnavailable with the reason."""
        from memory.recall import memory_for

        return memory_for(store, self.settings)

    def session(self, *, project: str | None = None, model: str | None = None, auto_approve: bool = False):
        from studio.session import Session

        from tools.exports import export
        from tools.imports import to_fountain

        session = Session(self.workspace, lambda: self.crew(model, store_of=session.require_project),
                          project=project, auto_approve=auto_approve, user=self.settings.user_name,
                          memory=self.memory if self.settings.memory else None, exporter=export,
                          converter=to_fountain, renderer=self.render_service())
        return session

    def render_service(self):
        """Renders through the job runner AUTEUR_JOBS names (in process, or Celery on Redis)."""
        from tools.render.service import RenderService

        if not hasattr(self, "_render_service"):
            self._render_service = RenderService(self.settings)
        return self._render_service
