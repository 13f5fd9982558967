"""What one conversation holds: the open project, the stage in focus, the crew, memory and renderer, and
what was said lately. The engine's other modules act on it; none of them keeps state of its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

from studio.engine.events import Event, say
from studio.errors import AuteurError, StageError
from studio.ports import (
    Converter, CrewPort, Exporter, MemoryPort, ModelsPort, ProjectPort, RenderPlan, RenderPort, StoryReader, WorkspacePort,
)
from studio.project import Usage
from studio.stages import Stage

if TYPE_CHECKING:
    from studio.pipeline import Pipeline
    from studio.render import RenderKind

log = logging.getLogger("auteur.engine")
RECENT_TURNS = 8
CrewSource = CrewPort | Callable[[], CrewPort]


@dataclass
class PendingRender:
    """A batch shown with its estimate, waiting for a yes (see studio.engine.render_gate)."""

    kind: RenderKind
    scene: int | None
    tier: str | None
    shots: list[tuple[int, int]] | None
    prompt: str | None
    plan: RenderPlan
    activate: bool = False  # each take made becomes its shot's active one (a person asked for this shot)


class Conversation:
    def __init__(self, workspace: WorkspacePort, crew: CrewSource, *,
                 project: str | None = None, auto_approve: bool = False, user: str = "you",
                 memory: Callable[[ProjectPort], MemoryPort] | None = None,
                 exporter: Exporter | None = None, converter: Converter | None = None,
                 renderer: RenderPort | None = None, story_reader: StoryReader | None = None) -> None:
        self.workspace = workspace
        self._crew = crew
        self.auto_approve = auto_approve
        self.user = user
        self.store: ProjectPort | None = workspace.open(project) if project else None
        self.focus: Stage | None = None
        self.scene_focus = 1
        self._memory_factory = memory
        self.exporter = exporter  # (project, kind) → the exported file
        self.converter = converter  # (file name, bytes) → Fountain bytes, for FDX and PDF uploads
        self.story_reader = story_reader  # (file name, bytes, encoding) → a story's text, for prose uploads
        self.renderer = renderer  # plans, runs and cuts renders
        self.pending_render: PendingRender | None = None  # a batch shown with its estimate, waiting for a yes
        self.quality_tier: str | None = None  # the chat's tier for renders (else the project's)
        self.pending_restore: tuple[Stage, str] | None = None  # /restore asked about: (stage, revision)
        self.awaiting_notes: Stage | None = None  # after the Revise button: the stage the next words revise
        self._memory: tuple[str, MemoryPort | None] | None = None  # (slug, memory) of the open project
        self.notices: list[Event] = []
        self.turns: list[tuple[str, str]] = []  # short-term memory: (who, what), newest last
        self.conversation_usage = Usage()  # the Producer's classifying, saved with the next stage
        self.models: ModelsPort | None = None  # /model: the profiles and the switch (the container sets it)
        self.unclear_text = ""  # the last message the Producer asked about ("Use as notes" sends it)
        self.asked: Event | None = None  # the question the Producer asked last turn: what a bare "yes" answers
        self.last_question: Event | None = None  # the question of this turn, so far

    def run_command(self, line: str) -> Iterator[Event]:
        """A command of the registry, as if typed. The registry's commands act on a conversation, so the engine's
        modules reach them through it and none imports them in a circle: studio.engine.session gives it."""
        raise StageError("commands are not available in this conversation", "talk to the studio through a Session")
        yield  # pragma: no cover - a generator

    @property
    def crew(self) -> CrewPort:
        """The crew, made on first use (a model loads only when a turn needs it)."""
        if callable(self._crew) and not hasattr(self._crew, "run"):
            self._crew = self._crew()
        return self._crew  # type: ignore[return-value]

    def require_project(self) -> ProjectPort:
        if self.store is None:
            slugs = self.workspace.slugs()[:3]  # a new chat opens none: name those there are to open
            there = f"open one ({', '.join(f'/open {s}' for s in slugs)}), or " if slugs else ""
            raise StageError("no project is open", f"{there}start one with /new TITLE, tell me your idea, or "
                                                   "/open SLUG")
        return self.store

    def require_renderer(self) -> RenderPort:
        if self.renderer is None:
            raise StageError("rendering is not available in this studio", "use `auteur render boards` in a terminal")
        return self.renderer

    @property
    def pipeline(self) -> Pipeline:
        """The stages' drafting on the open project; the crew and memory load when a step needs them."""
        from studio.pipeline import Pipeline  # drafting's code loads with the first draft, not with a command

        def remember(stage: Stage, query: str, scene: int | None = None) -> str:
            memory = self.memory
            if memory is None:
                return ""
            try:
                return memory.context(stage, query=query, scene=scene)
            except Exception as exc:  # whatever memory's libraries raise, the draft goes on
                self._memory_down(exc)
                return ""

        def conversation() -> dict[str, Usage]:
            usage, self.conversation_usage = self.conversation_usage, Usage()
            return {"conversation": usage} if usage.calls else {}

        def crew() -> CrewPort:
            return self.crew

        return Pipeline(self.require_project(), crew, remember if self._memory_factory is not None else None,
                        conversation)

    @property
    def memory(self) -> MemoryPort | None:
        """The open project's semantic memory, or None when it is off or cannot be used."""
        if self._memory_factory is None or self.store is None:
            return None
        if self._memory is None or self._memory[0] != self.store.slug:
            try:
                self._memory = (self.store.slug, self._memory_factory(self.store))
            except Exception as exc:  # memory that cannot start is a notice, never a failed turn
                self._memory = (self.store.slug, None)
                self._memory_down(exc)
        return self._memory[1]

    def _memory_down(self, exc: Exception) -> None:
        """Recall is off for this project in this conversation, said once; the work goes on without it."""
        self._memory = (self.store.slug if self.store else "", None)
        if isinstance(exc, AuteurError):
            reason = f"{exc.problem}. {exc.fix.rstrip('.')}."
        else:  # a port that let a library's error through: say what, keep the details for the log
            log.warning("semantic memory failed; recall is off for this conversation", exc_info=exc)
            reason = f"semantic memory failed ({type(exc).__name__}); the log has the details."
        self.notices.append(say(f"Memory is off for now: {reason} I'll work without recall."))

    def add_usage(self) -> None:
        """Count the crew's work since the last call towards the conversation (saved with the next stage)."""
        self.conversation_usage = self.conversation_usage + self.crew.take_usage()

    def recent(self) -> str:
        """The recent turns for the Producer; older ones shortened to their first words."""
        if not self.turns:
            return "nothing yet"
        older, latest = self.turns[:-RECENT_TURNS], self.turns[-RECENT_TURNS:]
        parts = []
        if older:
            parts.append("Earlier: " + "; ".join(f"{who}: {' '.join(text.split()[:8])}" for who, text in older[-12:]))
        parts += [f"{who}: {' '.join(text.split())[:200]}" for who, text in latest]
        return "\n".join(parts)
