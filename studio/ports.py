"""The ports the domain core talks through; the outer folders implement them.

The engine (studio.engine) reaches the disk, Git, models and renderers only through these:

- ProjectPort (with TakesPort): one project's artifacts, history, branches and takes — memory.ProjectStore.
- WorkspacePort: the projects of a person — memory.Workspace.
- CrewPort: the creative crew on a language model — crews.CrewRunner.
- MemoryPort: what was said and decided, recalled by meaning — memory.recall.ProjectMemory.
- RenderPort: plans, runs and cuts renders — tools.render.service.RenderService, whose JobRunnerPort runs
  each job with a RenderBackend.

Each has an in-memory fake in tests/fakes.py for the engine's unit tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:  # annotations only: a face that imports the ports loads no film model for them
    from studio.models import Breakdown, Brief, Cut, Script, Take
    from studio.project import Author, Project, Usage
    from studio.sound import SoundCue, SoundPlan, SoundTake
    from studio.source import Source
    from studio.review import ReviewNotes
    from studio.render import (Cancelled, Estimate, JobEvent, JobSpec, JobState, Progress, RenderKind, RenderOutput,
                               RenderRequest)
    from studio.stages import Stage, Transition

D = TypeVar("D", bound=BaseModel)


class Lexicon(Protocol):
    """The words of the languages a project is written in (agents.lexicon, over wordfreq's lists)."""

    languages: tuple[str, ...]

    def is_word(self, word: str) -> bool:
        """Whether ``word`` (any case) is a word of one of the languages."""
        ...


class CrewPort(Protocol):
    """The creative crew: runs one named task (a key of config/tasks.yaml) for a typed draft."""

    @property
    def can_use_tools(self) -> bool:
        """Whether the model can call tools (never the tiny profiles)."""
        ...

    def run(self, task: str, inputs: dict[str, Any], output: type[D], schema: dict[str, Any] | None = None) -> D:
        """``schema`` overrides the output's JSON schema for this run (exact list lengths)."""
        ...

    def ask(self, task: str, field: str, inputs: dict[str, Any]) -> str:
        """One short answer in plain words for one field of a task (its question: ``fields.<field>`` of the task
        in config/tasks.yaml, formatted with ``inputs``): a tiny model's free-text slots, and every repair."""
        ...

    def lexicon(self, sample: str) -> Lexicon:
        """The words of the languages ``sample`` is written in."""
        ...

    def direct(self, agent: str, request: str) -> str:
        """One agent (a key of config/agents.yaml) takes a request in words, with its tools; its answer."""
        ...

    def take_usage(self) -> Usage:
        """The model work done since the last call, and reset it."""
        ...


class ChangeResult(Protocol):
    """What a change to a project did: its commit (None when nothing changed) and the stages it made stale."""

    commit: str | None
    project: Project
    transitions: list[Transition]

    @property
    def made_stale(self) -> list[Stage]: ...


class HistoryEntry(Protocol):
    commit: str
    author: str
    message: str
    time: str

    @property
    def short(self) -> str: ...


class ImportedLike(Protocol):
    """What an imported screenplay brought (studio.screenplay.ImportedScript)."""

    encoding: str
    script: Script
    breakdown: Breakdown
    brief: Brief


class TurnLock(Protocol):
    def acquire(self, blocking: bool = ...) -> bool: ...

    def release(self) -> None: ...


class TakesPort(Protocol):
    """The takes of the shots: never overwritten, one active per shot and kind."""

    def takes(self, scene: int, shot: int) -> list[Take]: ...

    def choose_take(self, scene: int, shot: int, number: int) -> Take: ...

    def add_reference(self, subject: str, name: str, data: bytes) -> str:
        """Store an image as a reference of a character or location; returns its path in the project."""
        ...

    def render_files(self) -> list[str]:
        """Every take file under 03_Renders, as project-relative paths."""
        ...


class ProjectPort(TakesPort, Protocol):
    """One project's artifacts and history (memory.ProjectStore)."""

    @property
    def slug(self) -> str: ...

    @property
    def branch(self) -> str: ...

    def manifest(self) -> Project: ...

    def read(self, stage: Stage, model: Any = None) -> Any: ...

    def read_script(self) -> Script | None: ...

    def breakdown(self) -> Breakdown: ...

    def user(self) -> Author: ...

    def save(self, stage: Stage, model: BaseModel, *, author: Author, summary: str, action: str = "draft",
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> ChangeResult: ...

    def read_at(self, stage: Stage, rev: str) -> Any:
        """The stage's artifact as it was at revision ``rev`` (None when it had none then)."""
        ...

    def amend(self, artifacts: dict[Stage, BaseModel], *, author: Author, summary: str,
              action: str = "change") -> ChangeResult:
        """A scoped change in one commit: each stage keeps its status and nothing is staled stage by stage (what
        it touched is stale shot by shot, by the takes' ``made_from``)."""
        ...

    def undo(self, *, author: Author | None = None) -> tuple[ChangeResult, str]:
        """The newest change put back as it was before it, as a new commit: (the change, what was undone)."""
        ...

    def edit(self, stage: Stage, data: bytes, *, name: str, author: Author | None = None, action: str = "edit",
             summary: str | None = None, encoding: str | None = None,
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> ChangeResult: ...

    def import_script(self, name: str, data: bytes, *,
                      encoding: str | None = None) -> tuple[ChangeResult, ImportedLike]: ...

    def approve(self, stage: Stage, *, author: Author | None = None) -> tuple[ChangeResult, list[Stage]]: ...

    def sound_in_use(self) -> dict[str, str]:
        """Each sound key (a dialogue shot's code, a cue's id) → the path of its active sound take."""
        ...

    def set_sound_target(self, lufs: float, true_peak: float, *, author: Author | None = None) -> ChangeResult:
        """The loudness the cut is mastered to (project.json settings), in one commit."""
        ...

    def read_source(self) -> Source | None:
        """The story the project adapts (studio.source), None when it started from an idea or a screenplay."""
        ...

    def import_story(self, source: Source, text: str, brief: Brief, *, author: Author | None = None) -> ChangeResult:
        """Keep a story (its text as read, its passages and skeleton) as the project's source, and the brief
        drawn from it when the project has none, in one commit."""
        ...

    def review_notes(self) -> ReviewNotes:
        """Every review note on every version of the cut (studio.review), oldest first."""
        ...

    def save_review_notes(self, notes: ReviewNotes, *, summary: str, action: str = "note",
                          author: Author | None = None) -> ChangeResult:
        """The notes written back in one commit on the cut stage, by the person unless ``author`` says."""
        ...

    def record_decision(self, text: str, *, stage: Stage, who: str | None = None) -> ChangeResult:
        """A preference or decision the person stated, kept in the history (memory brings it back)."""
        ...

    def history(self, stage: Stage | None = None, *, rev: str = "HEAD", limit: int | None = None) -> list[Any]: ...

    def restore(self, stage: Stage, rev: str, *, author: Author | None = None) -> ChangeResult: ...

    def branches(self) -> list[str]: ...

    def create_branch(self, name: str, *, switch: bool = True) -> None: ...

    def switch_branch(self, name: str) -> None: ...

    def locate(self, rel: str) -> str:
        """The file behind a project-relative path, for a face to show; never part of a message's text."""
        ...

    def turn_lock(self) -> TurnLock:
        """Held by one conversation turn while it changes the project (shared by every conversation)."""
        ...


class WorkspacePort(Protocol):
    def slugs(self) -> list[str]: ...

    def open(self, slug: str | None = None) -> ProjectPort: ...

    def create(self, title: str, *, slug: str | None = None) -> ProjectPort: ...

    def remove(self, slug: str) -> None:
        """Delete a project (one just made, whose first draft failed before anything was saved)."""
        ...


class RecallHit(Protocol):
    kind: str
    key: str
    source: str
    commit: str
    text: str

    def to_dict(self) -> dict[str, Any]: ...


class MemoryPort(Protocol):
    """Semantic memory of one project (memory.recall.ProjectMemory)."""

    def context(self, stage: Stage, *, query: str = "", scene: int | None = None, budget_tokens: int = 600) -> str:
        ...

    def recall(self, question: str, *, limit: int = 5, kinds: list[str] | None = None) -> list[Any]: ...

    def sync(self, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Index what changed in the project since the last sync; ``progress(done, total)`` as it goes."""
        ...


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


class RenderPlan(Protocol):
    """The jobs a batch would run and what they cost, before anything runs."""

    specs: list[JobSpec]
    estimate: Estimate
    notices: list[str]
    missing_boards: list[str]


class RenderBatch(Protocol):
    states: list[JobState]
    boards_first: list[JobState]
    notes: list[str]  # a sound batch: the shots refitted to their voices, in words
    fallbacks: list[str]  # a sound batch: why takes were made another way than asked (a voice model unusable)

    @property
    def failed(self) -> list[JobState]: ...


class RenderPort(Protocol):
    """Plans, runs and cuts renders (tools.render.service.RenderService)."""

    @property
    def runner(self) -> JobRunnerPort: ...

    def plan(self, store: Any, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
             shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
             activate: bool = False) -> RenderPlan:
        """The jobs and their cost; ``activate``: each take made becomes its shot's active one (JobSpec.activate:
        a render a person asked for of that shot)."""
        ...

    def run(self, store: Any, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
            shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
            on_event: Callable[[JobEvent], None] | None = None, prepared: Any = None,
            activate: bool = False) -> RenderBatch: ...

    def cut(self, store: Any) -> Cut: ...

    def reference(self, store: Any, subject: str, *, tier: str | None = None) -> JobState: ...

    # Sound (tools.sound): a key is a dialogue shot's code (S01_SH003) or a cue's id (S01_AMB, S01_FX02, M01).

    def sound_plan(self, store: Any, *, scene: int | None = None, keys: list[str] | None = None,
                   tier: str | None = None, activate: bool = False, write: bool = True) -> RenderPlan:
        """The sound jobs (one per dialogue shot and cue without an up-to-date take, or per key named) and their
        cost; ``write`` off: the voices and cues are worked out without saving them (an estimate only)."""
        ...

    def refit(self, store: Any) -> list[str]:
        """Each dialogue shot at least as long as its lines and a breath, saved in one commit; the changes."""
        ...

    def sound_preview(self, store: Any, *, scene: int | None = None) -> str:
        """A mixed, mastered WAV of the film's (or one scene's) sound, outside the history: its project path."""
        ...

    def sound_takes(self, store: Any, key: str) -> list[SoundTake]: ...

    def choose_sound(self, store: Any, key: str, number: int) -> SoundTake: ...

    def sound_cues(self, store: Any) -> SoundPlan:
        """The sound cues as the script gives them now (a person's edits kept), and the active takes."""
        ...

    def edit_cue(self, store: Any, key: str, *, prompt: str | None = None, mood: str | None = None) -> SoundCue:
        """A cue's prompt or mood as the person says it, saved in one commit; its takes are then out of date."""
        ...


Exporter = Callable[[ProjectPort, str], Any]  # (project, kind) → the exported file (a path with a .name)
Converter = Callable[[str, bytes], bytes]  # (file name, bytes) → Fountain bytes, for FDX and PDF uploads


class StoryTextLike(Protocol):
    """A story's text as tools.imports.story_reader reads it from .txt, .md, .docx, .epub or a text PDF."""

    text: str
    title: str
    author: str
    format: Any  # "txt" | "md" | "docx" | "epub" | "pdf"


# (file name, bytes, encoding, the person said it is prose) → the story
StoryReader = Callable[[str, bytes, "str | None", bool], StoryTextLike]


# The states of a model profile (agents.llm.discover): whether the crew can use it now. "not checked": a server
# on another machine, never asked, used as it is.
MODEL_STATES: tuple[str, ...] = ("ready", "not checked", "server down", "key missing", "model file missing",
                                 "model not on server", "not installed")


class ProfileState(Protocol):
    """A model profile and whether the crew can use it now (agents.llm.discover.ProfileState)."""

    @property
    def name(self) -> str: ...

    @property
    def state(self) -> str:
        """One of MODEL_STATES."""
        ...

    @property
    def tiny(self) -> bool: ...

    @property
    def found(self) -> str:
        """What discovery found it on ("Ollama on port 11434"); "" for a profile of config/models.yaml."""
        ...

    @property
    def problem(self) -> str: ...

    @property
    def fix(self) -> str: ...

    @property
    def usable(self) -> bool: ...

    def to_dict(self) -> dict[str, Any]: ...


class ModelsPort(Protocol):
    """The model profiles a conversation may use, and the one its crew uses (config.container wires it)."""

    @property
    def current(self) -> str:
        """The profile the crew uses now."""
        ...

    def profiles(self) -> list[ProfileState]:
        """Every profile with its state, the model servers on this machine asked afresh."""
        ...

    def offer(self) -> str:
        """What the Producer says a person can connect (what discovery found), in a chat's words."""
        ...

    def choose(self, name: str) -> ProfileState:
        """The crew uses ``name`` from its next call; an AuteurError (why, and what to do) when it cannot be
        used, and then nothing changes."""
        ...
