"""The composition root: the one place that builds the studio's parts and wires them together.

Settings (the environment, read once), the workspace and its project stores, the render backends, the job
executor and runner (in this process, or Celery workers on Redis), the render service, the crew on a model
profile, semantic memory and the conversation session. The faces (CLI, Chainlit, Slack) and `auteur worker`
build a Container and ask it for these; below config/ nothing builds them. Building one applies the process
environment (config.runtime, its one writer) before any library that reads it is loaded.
"""

from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from config.runtime import apply_process_environment
from config.settings import Settings
from studio.errors import hide_root

if TYPE_CHECKING:
    from studio.ports import ProjectPort


class Container:
    # One local job runner per workspace in a process, whichever container asks for it (the Chainlit face
    # builds one container per signed-in person, the CLI one per command). A local runner marks the jobs it
    # runs with this process as their owner, takes over the unfinished jobs of processes that are gone, and
    # runs one job at a time on one worker thread: two runners on one workspace in one process would race
    # over the same orphaned jobs and render side by side on one GPU. So the runners are the process's,
    # held here at the composition root, keyed by workspace.
    _local_runners: ClassVar[dict[str, Any]] = {}
    _local_runners_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        apply_process_environment(self.settings)
        hide_root(str(self.settings.workspace.resolve()))  # messages never show where the workspace is
        hide_root(str(self.settings.workspace.absolute()))

    @cached_property
    def workspace(self):
        from memory.workspace import Workspace

        return Workspace(self.settings)

    # ------------------------------------------------------------ renders

    @cached_property
    def backends(self):
        """The renderers by name (sketch, animatic, diffusers), each loaded once and kept between jobs."""
        from tools.render.backends import Backends

        return Backends.standard(self.settings)

    @cached_property
    def render_executor(self):
        """What a job runner calls for a job: projects opened in this workspace, drawn by these backends."""
        from tools.render.execute import executor

        return executor(self.workspace.open, self.backends)

    def job_runner(self):
        """The job runner AUTEUR_JOBS names: in this process (local), or Celery workers on Redis."""
        if self.settings.jobs == "celery":
            from tools.jobs.celery_runner import CeleryRunner

            return CeleryRunner(self.settings)
        if self.settings.jobs not in ("local", ""):
            from studio.errors import StageError

            raise StageError(f"AUTEUR_JOBS={self.settings.jobs!r} is not a job runner",
                             "set AUTEUR_JOBS to local or celery")
        from tools.jobs.local import LocalRunner

        key = str(self.settings.workspace)
        with Container._local_runners_lock:
            if key not in Container._local_runners:
                Container._local_runners[key] = LocalRunner(self.settings, self.render_executor)
            return Container._local_runners[key]

    def render_service(self):
        """Renders through the job runner (made when the first render needs it)."""
        from tools.render.service import RenderService

        if not hasattr(self, "_render_service"):
            self._render_service = RenderService(self.settings, self.job_runner)
        return self._render_service

    def run_worker(self, *, gpu: str | None = None, queues: list[str] | None = None, loglevel: str = "info") -> None:
        """`auteur worker`: this process becomes a Celery worker that runs jobs with this container's executor."""
        from tools.jobs.celery_app import run_worker

        run_worker(self.settings, execute=self.render_executor, gpu=gpu, queues=queues, loglevel=loglevel)

    # ------------------------------------------------------------ the crew, memory, the conversation

    def crew(self, model: str | None = None, store_of=None, gate=None):
        """The crew on the chosen model profile (AUTEUR_MODEL, else the embedded default)."""
        from agents.llm.factory import structured_llm
        from crews.runner import CrewRunner

        tools = None
        if store_of is not None:
            from tools.render.crew_tools import tools_for

            tools = lambda key: tools_for(key, store_of, self.render_service(), gate=gate)  # noqa: E731
        # Whatever crewAI stores during a run goes to this person's workspace (crews.storage), per run.
        return CrewRunner(structured_llm(model, self.settings), tools=tools,
                          storage=self.settings.workspace / ".auteur" / "crewai")

    def memory(self, store):
        """The project's semantic memory (Qdrant + embeddings); raises MemoryUnavailable with the reason."""
        from memory.recall import memory_for

        return memory_for(store, self.settings)

    def models(self, model: str | None = None, *, command: str = "/model"):
        """The model profiles a conversation may use and the one it uses (studio.ports.ModelsPort)."""
        from agents.llm.discover import ModelChoice

        return ModelChoice(self.settings, model, command=command)

    def session(self, *, project: str | None = None, model: str | None = None, auto_approve: bool = False):
        from studio.engine.render_gate import tool_gate
        from studio.engine.session import Session
        from tools.imports import to_fountain

        models = self.models(model)
        session: Session
        crew = _ChosenCrew(lambda: self.crew(models.model, store_of=session.require_project, gate=tool_gate(session)))
        models.on_switch = crew.switch
        session = Session(self.workspace, crew,
                          project=project, auto_approve=auto_approve, user=self.settings.user_name,
                          memory=self.memory if self.settings.memory else None, exporter=_export,
                          converter=to_fountain, renderer=self.render_service(), story_reader=_read_story)
        session.models = models  # /model: the profiles, and the switch
        return session


def _read_story(name: str, data: bytes, encoding: str | None, as_prose: bool) -> Any:
    from tools.imports.story_reader import read_story

    return read_story(name, data, encoding=encoding, as_prose=as_prose)


class _ChosenCrew:
    """A conversation's crew on the model it chose: made on first use, made again on the next call after /model
    (the work counted so far is kept)."""

    def __init__(self, build: Any) -> None:
        from studio.project import Usage

        self._build = build
        self._crew: Any = None
        self._counted = Usage()

    def _current(self) -> Any:
        if self._crew is None:
            self._crew = self._build()
        return self._crew

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self._current().run(*args, **kwargs)

    def take_usage(self) -> Any:
        from studio.project import Usage

        usage, self._counted = self._counted, Usage()
        return usage + self._crew.take_usage() if self._crew is not None else usage

    def switch(self, _name: str) -> None:
        if self._crew is not None:
            self._counted = self._counted + self._crew.take_usage()
            self._crew = None

    def __getattr__(self, name: str) -> Any:  # the rest of CrewPort: can_use_tools, ask, lexicon, direct, ...
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._current(), name)


def _export(project: ProjectPort, kind: str) -> Path:
    """The engine's Exporter (studio.ports) over tools.exports.export, which writes into the project's folder
    (`store.path`, its archive), so it takes a ProjectStore: the projects of a session this container builds
    are opened by its workspace, which opens ProjectStores."""
    from memory.project_store import ProjectStore
    from tools.exports import export

    assert isinstance(project, ProjectStore), f"exports need a project on disk, not {type(project).__name__}"
    return export(project, kind)
