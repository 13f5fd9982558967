"""The ports the domain core talks through; the outer folders implement them."""

from __future__ import annotations

from typing import Any, Callable, Protocol, TypeVar

from pydantic import BaseModel

from studio.models import Breakdown, Script
from studio.project import Author, Project, Usage
from studio.render import Cancelled, JobEvent, JobSpec, JobState, Progress, RenderOutput, RenderRequest
from studio.stages import Stage

D = TypeVar("D", bound=BaseModel)


class CrewPort(Protocol):
    """The creative crew: runs one named task (a key of config/tasks.yaml) for a typed draft."""

    def run(self, task: str, inputs: dict[str, Any], output: type[D], schema: dict | None = None) -> D:
        """``schema`` overrides the output's JSON schema for this run (exact list lengths)."""
        ...

    def take_usage(self) -> Usage:
        """The model work done since the last call, and reset it."""
        ...


class ChangeResult(Protocol):
    commit: str | None
    project: Project
    transitions: list

    @property
    def made_stale(self) -> list[Stage]: ...


class ProjectPort(Protocol):
    """One project's artifacts and history (memory.ProjectStore)."""

    @property
    def slug(self) -> str: ...

    def manifest(self) -> Project: ...

    def read(self, stage: Stage, model: Any = None) -> Any: ...

    def read_script(self) -> Script | None: ...

    def breakdown(self) -> Breakdown: ...

    def user(self) -> Author: ...

    def save(self, stage: Stage, model: BaseModel, *, author: Author, summary: str, action: str = "draft",
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> ChangeResult: ...

    def edit(self, stage: Stage, data: bytes, *, name: str, author: Author | None = None, action: str = "edit",
             summary: str | None = None, encoding: str | None = None,
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> ChangeResult: ...

    def approve(self, stage: Stage, *, author: Author | None = None) -> tuple[ChangeResult, list[Stage]]: ...

    def history(self, stage: Stage | None = None, *, rev: str = "HEAD", limit: int | None = None) -> list: ...

    def restore(self, stage: Stage, rev: str, *, author: Author | None = None) -> ChangeResult: ...

    def create_branch(self, name: str, *, switch: bool = True) -> None: ...

    def switch_branch(self, name: str) -> None: ...

    def takes(self, scene: int, shot: int) -> list: ...

    def choose_take(self, scene: int, shot: int, number: int) -> Any: ...

    def add_reference(self, subject: str, name: str, data: bytes) -> str:
        """Store an image as a reference of a character or location; returns its path in the project."""
        ...


class WorkspacePort(Protocol):
    def slugs(self) -> list[str]: ...

    def open(self, slug: str | None = None) -> ProjectPort: ...

    def create(self, title: str, *, slug: str | None = None) -> ProjectPort: ...


class MemoryPort(Protocol):
    """Semantic memory of one project (memory.recall.ProjectMemory)."""

    def context(self, stage: Stage, *, query: str = "", scene: int | None = None, budget_tokens: int = 600) -> str:
        ...

    def recall(self, question: str, *, limit: int = 5, kinds: list[str] | None = None) -> list: ...


class RenderBackend(Protocol):
    """Makes one image or one clip (tools.render: sketch, animatic, diffusers)."""

    name: str

    def render(self, request: RenderRequest, progress: Progress, cancelled: Cancelled) -> RenderOutput:
        """Raise JobCancelled when ``cancelled()`` turns true, AuteurError with a fix on bad input."""
        ...


class JobRunnerPort(Protocol):
    """Runs render jobs: in process (tools.jobs.local) or on Celery workers (tools.jobs.celery_runner).

    Submitting a job whose id is already done or under way returns that job: nothing runs twice.
    """

    name: str

    def submit(self, spec: JobSpec) -> JobState: ...

    def get(self, job_id: str) -> JobState | None: ...

    def cancel(self, job_id: str) -> JobState | None: ...

    def wait(self, job_ids: list[str], *, timeout: float | None = None,
             on_event: Callable[[JobEvent], None] | None = None) -> list[JobState]:
        """Block until every job is finished (or the timeout passes), passing each progress event on."""
        ...

    def jobs(self, project: str | None = None) -> list[JobState]: ...
