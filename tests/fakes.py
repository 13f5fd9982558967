"""In-memory fakes of the ports in studio/ports.py, for the engine's unit tests: no disk, no Git, no model.

They keep the rules the domain owns (stage transitions from studio.stages, the screenplay import of
studio.screenplay) and stand in for what the outer folders do (files, commits, renders, recall).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from pydantic import BaseModel

from studio.errors import AuteurError, ProjectNotFound, RevisionNotFound, StageError
from studio.models import Breakdown, Brief, Cut, CutEntry, Script, Take, TakeKind
from studio.project import Author, Project, Usage, slugify
from studio.render import Estimate, JobEvent, JobSpec, JobState, JobStatus, RenderKind
from studio.screenplay import read_fountain
from studio.source import Source
from studio.stages import (Stage, StageStatus, Transition, record_approval, record_derived, record_edit,
                           unapproved_upstream)
from tests.fake_review import FakeReviewNotes


@dataclass
class FakeChange:
    commit: str | None
    project: Project
    transitions: list[Transition] = field(default_factory=list)

    @property
    def made_stale(self) -> list[Stage]:
        return [s for t in self.transitions for s in t.made_stale]


@dataclass
class FakeCommit:
    commit: str
    author: str
    message: str
    time: str
    trailers: dict[str, str]
    snapshot: tuple[Project, dict[Stage, BaseModel]]
    email: str = "fake@auteur.test"

    @property
    def short(self) -> str:
        return self.commit[:10]


class FakeProject(FakeReviewNotes):
    """ProjectPort and TakesPort in memory."""

    def __init__(self, title: str, slug: str, user: str = "Dana Director") -> None:
        self.project = Project(slug=slug, title=title)
        self.artifacts: dict[Stage, BaseModel] = {}
        self._user = user
        self.current = "main"
        self.logs: dict[str, list[FakeCommit]] = {"main": []}
        self.decisions: list[tuple[str, Stage, str | None]] = []
        self.take_list: dict[tuple[int, int], list[Take]] = {}
        self.references: dict[str, bytes] = {}
        self.files: list[str] = []  # project-relative render files
        self.source: Source | None = None  # a story brought in as prose
        self.source_text = ""
        self.lock = threading.Lock()

    # ------------------------------------------------------------ reading

    @property
    def slug(self) -> str:
        return self.project.slug

    @property
    def branch(self) -> str:
        return self.current

    def manifest(self) -> Project:
        return self.project.model_copy(deep=True)

    def read(self, stage: Stage, model: Any = None) -> Any:
        art = self.artifacts.get(stage)
        return art.model_copy(deep=True) if art is not None else None

    def read_at(self, stage: Stage, rev: str) -> Any:
        found = next((c for log in self.logs.values() for c in log if c.commit.startswith(rev)), None)
        art = found.snapshot[1].get(stage) if found else None
        return art.model_copy(deep=True) if art is not None else None

    def read_script(self) -> Script | None:
        return self.read(Stage.SCRIPT)

    def breakdown(self) -> Breakdown:
        return self.read(Stage.BREAKDOWN) or Breakdown()

    def user(self) -> Author:
        return Author(self._user, "dana@example.test")

    def locate(self, rel: str) -> str:
        return f"/fake/{self.slug}/{rel}".rstrip("/")

    def turn_lock(self) -> threading.Lock:
        return self.lock

    # ------------------------------------------------------------ changing

    def _commit(self, message: str, author: Author | str, trailers: dict[str, str]) -> str:
        log = self.logs[self.current]
        commit = f"{len(sum(self.logs.values(), [])) + 1:040x}"
        name = author if isinstance(author, str) else author.name
        snapshot = (self.project.model_copy(deep=True), {k: v.model_copy(deep=True) for k, v in self.artifacts.items()})
        log.insert(0, FakeCommit(commit, name, message, f"2026-12-01T00:00:{len(log):02d}", trailers, snapshot))
        return commit

    def save(self, stage: Stage, model: BaseModel, *, author: Author, summary: str, action: str = "draft",
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> FakeChange:
        before = self.artifacts.get(stage)
        if before is not None and before.model_dump() == model.model_dump():
            state = self.project.stages[stage]
            if state.status is not StageStatus.STALE:
                return FakeChange(None, self.manifest())
            state.status, state.stale_because = StageStatus.DRAFT, None  # looked at again: waits for approval
            commit = self._commit(f"{stage.value}: {action} {summary}", author,
                                  {"Auteur-Stage": stage.value, "Auteur-Action": action})
            return FakeChange(commit, self.manifest())
        transition = record_edit(self.project.stages, stage)
        self.artifacts[stage] = model.model_copy(deep=True)
        for key, used in {stage.value: usage, **(other_usage or {})}.items():
            if used is not None and used.calls:
                self.project.llm[key] = self.project.llm.get(key, Usage()) + used
        commit = self._commit(f"{stage.value}: {action} {summary}", author,
                              {"Auteur-Stage": stage.value, "Auteur-Action": action})
        return FakeChange(commit, self.manifest(), [transition])

    def sound_in_use(self) -> dict[str, str]:
        return {}

    def set_sound_target(self, lufs: float, true_peak: float, *, author: Author | None = None) -> FakeChange:
        self.project.settings = self.project.settings.model_validate(
            {**self.project.settings.model_dump(), "loudness_lufs": lufs, "true_peak_db": true_peak})
        commit = self._commit(f"cut: settings mix to {lufs:g} LUFS", author or self.user(),
                              {"Auteur-Stage": "cut", "Auteur-Action": "settings"})
        return FakeChange(commit, self.manifest())

    def amend(self, artifacts: dict[Stage, BaseModel], *, author: Author, summary: str,
              action: str = "change") -> FakeChange:
        changed = [s for s, m in artifacts.items()
                   if self.artifacts.get(s) is None or self.artifacts[s].model_dump() != m.model_dump()]
        if not changed:
            return FakeChange(None, self.manifest())
        for stage in changed:
            self.artifacts[stage] = artifacts[stage].model_copy(deep=True)
            if self.project.stages[stage].status is StageStatus.EMPTY:
                self.project.stages[stage].status = StageStatus.DRAFT
        first = min(changed, key=lambda s: s.index)
        commit = self._commit(f"{first.value}: {action} {summary}", author,
                              {"Auteur-Stage": first.value, "Auteur-Stages": ", ".join(s.value for s in changed),
                               "Auteur-Action": action})
        return FakeChange(commit, self.manifest())

    def edit(self, stage: Stage, data: bytes, *, name: str, author: Author | None = None, action: str = "edit",
             summary: str | None = None, encoding: str | None = None,
             usage: Usage | None = None, other_usage: dict[str, Usage] | None = None) -> FakeChange:
        if stage is Stage.SCRIPT:
            change, _ = self.import_script(name, data)
            return change
        raise AuteurError("the fake store edits only the script", "use save()")

    def import_script(self, name: str, data: bytes, *, encoding: str | None = None) -> tuple[FakeChange, Any]:
        imported = read_fountain(name, data, encoding=encoding)
        stages = self.project.stages
        breakdown_before = stages[Stage.BREAKDOWN].status
        transitions = [record_edit(stages, Stage.SCRIPT)]
        stages[Stage.BREAKDOWN].status = breakdown_before
        record_derived(stages, Stage.BREAKDOWN)
        self.artifacts[Stage.SCRIPT] = imported.script
        self.artifacts[Stage.BREAKDOWN] = imported.breakdown
        if Stage.BRIEF not in self.artifacts:
            self.artifacts[Stage.BRIEF] = imported.brief
            record_edit(stages, Stage.BRIEF)
        self.source = None  # the screenplay is the script now, not a story to adapt
        commit = self._commit(f"script: import {name}", self.user(), {"Auteur-Stages": "script, breakdown"})
        return FakeChange(commit, self.manifest(), transitions), imported

    def read_source(self) -> Source | None:
        return self.source

    def import_story(self, source: Source, text: str, brief: Brief, *, author: Author | None = None) -> FakeChange:
        stages = self.project.stages
        self.source, self.source_text = source, text
        if Stage.BRIEF not in self.artifacts:
            self.artifacts[Stage.BRIEF] = brief
        transitions = [record_edit(stages, Stage.BRIEF)]
        commit = self._commit(f"brief: adapt {source.name}", author or self.user(), {"Auteur-Stages": "brief"})
        return FakeChange(commit, self.manifest(), transitions)

    def approve(self, stage: Stage, *, author: Author | None = None) -> tuple[FakeChange, list[Stage]]:
        transition = record_approval(self.project.stages, stage)
        commit = self._commit(f"{stage.value}: approve", author or self.user(), {"Auteur-Stage": stage.value,
                                                                                 "Auteur-Action": "approve"})
        self.project.stages[stage].approved_commit = commit
        return FakeChange(commit, self.manifest(), [transition]), unapproved_upstream(self.project.stages, stage)

    def record_decision(self, text: str, *, stage: Stage, who: str | None = None) -> FakeChange:
        self.decisions.append((text, stage, who))
        commit = self._commit(f"{stage.value}: decision", who or self._user, {"Auteur-Action": "decision"})
        return FakeChange(commit, self.manifest())

    def undo(self, *, author: Author | None = None) -> tuple[FakeChange, str]:
        """As memory.undo: the newest change not undone yet, put back (the snapshot of the commit before it)."""
        log = self.logs[self.current]
        undone = {c.trailers.get("Auteur-Undoes") for c in log}
        for k, entry in enumerate(log):
            action = entry.trailers.get("Auteur-Action", "")
            if action in ("decision", "export", "undo") or entry.commit in undone:
                continue
            if k + 1 >= len(log):
                break
            project, artifacts = log[k + 1].snapshot
            self.project = project.model_copy(deep=True)
            self.artifacts = {s: m.model_copy(deep=True) for s, m in artifacts.items()}
            commit = self._commit(f"undo {entry.message}", author or self.user(),
                                  {"Auteur-Action": "undo", "Auteur-Undoes": entry.commit})
            return FakeChange(commit, self.manifest()), entry.message
        raise StageError("there is nothing to undo", "the project is as it was made; /history shows its changes")

    # ------------------------------------------------------------ history and branches

    def history(self, stage: Stage | None = None, *, rev: str = "HEAD", limit: int | None = None) -> list[FakeCommit]:
        log = self.logs[self.current if rev == "HEAD" else rev]
        if stage is not None:
            log = [c for c in log if stage.value in (c.trailers.get("Auteur-Stage", ""),
                                                     *c.trailers.get("Auteur-Stages", "").split(", "))]
        return log[:limit] if limit else list(log)

    def restore(self, stage: Stage, rev: str, *, author: Author | None = None) -> FakeChange:
        found = next((c for log in self.logs.values() for c in log if c.commit.startswith(rev)), None)
        if found is None:
            raise RevisionNotFound(f"there is no revision {rev}", "see /history")
        old = found.snapshot[1].get(stage)
        if old is None:
            raise StageError(f"the {stage.value} was empty at {rev}", "pick another revision")
        return self.save(stage, old, author=author or self.user(), summary=f"restore {rev}", action="restore")

    def branches(self) -> list[str]:
        return sorted(self.logs)

    def create_branch(self, name: str, *, switch: bool = True) -> None:
        if name in self.logs:
            raise AuteurError(f"the branch {name} already exists", "choose another name")
        self.logs[name] = list(self.logs[self.current])
        if switch:
            self.switch_branch(name)

    def switch_branch(self, name: str) -> None:
        if name not in self.logs:
            raise AuteurError(f"there is no branch {name}", "see /branch list")
        self.current = name

    # ------------------------------------------------------------ takes

    def add_take(self, scene: int, shot: int, kind: TakeKind = TakeKind.IMAGE, *, active: bool = True) -> Take:
        takes = self.take_list.setdefault((scene, shot), [])
        number = len(takes) + 1
        suffix = "png" if kind is TakeKind.IMAGE else "mp4"
        rel = f"03_Renders/Scene_{scene:02d}/Shot_{shot:03d}/S{scene:02d}_SH{shot:03d}_take{number:02d}.{suffix}"
        if active:
            for t in takes:
                if t.kind is kind:
                    t.active = False
        take = Take(scene=scene, shot=shot, number=number, kind=kind, path=rel, active=active, model="fake")
        takes.append(take)
        self.files.append(rel)
        return take

    def takes(self, scene: int, shot: int) -> list[Take]:
        return [t.model_copy() for t in self.take_list.get((scene, shot), [])]

    def choose_take(self, scene: int, shot: int, number: int) -> Take:
        takes = self.take_list.get((scene, shot), [])
        chosen = next((t for t in takes if t.number == number), None)
        if chosen is None:
            raise AuteurError(f"there is no take {number}", "see /takes")
        for t in takes:
            if t.kind is chosen.kind:
                t.active = t is chosen
        return chosen.model_copy()

    def add_reference(self, subject: str, name: str, data: bytes) -> str:
        rel = f"01_Assets/Characters/{subject.upper()}/ref_{len(self.references) + 1:02d}.png"
        self.references[rel] = data
        return rel

    def render_files(self) -> list[str]:
        return sorted(self.files)


class FakeWorkspace:
    def __init__(self) -> None:
        self.projects: dict[str, FakeProject] = {}

    def slugs(self) -> list[str]:
        return sorted(self.projects)

    def open(self, slug: str | None = None) -> FakeProject:
        if slug not in self.projects:
            raise ProjectNotFound(f"there is no project {slug}", "see /open")
        return self.projects[slug]

    def remove(self, slug: str) -> None:
        self.projects.pop(slug, None)

    def create(self, title: str, *, slug: str | None = None) -> FakeProject:
        slug = slug or slugify(title)
        if slug in self.projects:
            raise AuteurError(f"a project {slug} already exists", "choose another title")
        self.projects[slug] = FakeProject(title, slug)
        return self.projects[slug]


class FakeCrew:
    """A crew that answers each task from a script: task name → a dict (or a callable of the inputs); an answer
    that is an exception is raised. ``asks`` answers ``ask`` by ``(task, field)`` or ``field`` (unscripted: "", a
    model that says nothing). The lexicon: COMMON_WORDS, ``words`` and the sample's own, or ``lexicon``."""

    def __init__(self, answers: dict[str, Any] | None = None, *, tools: bool = False,
                 direct: Callable[[str, str], str] | None = None, asks: dict[Any, Any] | None = None,
                 words: Iterable[str] = (), lexicon: Any = None) -> None:
        self.answers = answers or {}
        self.asks = asks or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.asked: list[tuple[str, str, dict[str, Any]]] = []
        self._tools = tools
        self._direct = direct
        self._words = set(COMMON_WORDS) | {w.lower() for w in words}
        self._lexicon = lexicon

    @property
    def can_use_tools(self) -> bool:
        return self._tools

    def run(self, task: str, inputs: dict[str, Any], output: type[Any], schema: dict[str, Any] | None = None) -> Any:
        self.calls.append((task, inputs))
        if task not in self.answers:
            raise AssertionError(f"the fake crew has no answer for the task {task!r}")
        answer = self.answers[task]
        answer = answer(inputs) if callable(answer) else answer
        if isinstance(answer, BaseException):
            raise answer
        return output.model_validate(answer)

    def ask(self, task: str, field: str, inputs: dict[str, Any]) -> str:
        self.asked.append((task, field, inputs))
        answer = self.asks.get((task, field), self.asks.get(field, ""))
        answer = answer(inputs) if callable(answer) else answer
        if isinstance(answer, BaseException):
            raise answer
        return str(answer)

    def lexicon(self, sample: str) -> Any:
        if self._lexicon is not None:
            return self._lexicon
        from studio.vetting import WordSet
        return WordSet(self._words | {w.lower() for w in re.findall(r"[^\W\d_]+", sample)})

    def direct(self, agent: str, request: str) -> str:
        self.calls.append((f"direct:{agent}", {"request": request}))
        if self._direct is None:
            raise AssertionError("the fake crew was not told how to take a request")
        return self._direct(agent, request)

    def take_usage(self) -> Usage:
        return Usage(calls=1, tokens=10, seconds=0.1) if self.calls else Usage()


# Everyday English words for the fake crew's lexicon (the real one is agents.lexicon, over wordfreq).
COMMON_WORDS = frozenset("""a an the and or but of in on at to for from with by as into over under about after before is
    are was were be been has have had do does did it its his her their he she they we you i me him them not no so then
    there here when where what who how all some one two this that which man woman girl boy old young tired kind face
    eyes hair grey white black blue red green pink brown dark light warm cold soft coat jacket shirt dress uniform cap
    hat apron boots worn faded wet rain night day morning evening dawn dusk neon sign diner counter kitchen room street
    car road window door table lamp glow film grain palette colour colours lighting camera lens wide close shot frame
    static slow handheld muted natural cool amber gold golden shadow low high key practical lights looks walks sits
    stands waits holds says sees lone quiet empty small big weathered scar smile grim gentle sad hope home town lot
    truck photograph mug cup wallet book story stranger waitress cook father daughter back inside outside""".split())


@dataclass
class FakePlan:
    specs: list[JobSpec]
    estimate: Estimate
    notices: list[str] = field(default_factory=list)
    missing_boards: list[str] = field(default_factory=list)


@dataclass
class FakeBatch:
    states: list[JobState]
    boards_first: list[JobState] = field(default_factory=list)

    @property
    def failed(self) -> list[JobState]:
        return [s for s in self.boards_first + self.states if s.status is not JobStatus.DONE]


class FakeRunner:
    name = "fake"

    def __init__(self) -> None:
        self.states: dict[str, JobState] = {}

    def jobs(self, project: str | None = None) -> list[JobState]:
        return [s for s in self.states.values() if project is None or s.spec.project == project]

    def cancel(self, job_id: str) -> JobState | None:
        state = self.states.get(job_id)
        if state is not None and not state.status.finished:
            state.status = JobStatus.CANCELLED
        return state


class FakeRenderer:
    """RenderPort: plans one job per shot of the shot list and 'renders' a take per job in the fake project."""

    def __init__(self) -> None:
        self.runner = FakeRunner()
        self.plans: list[dict[str, Any]] = []
        self.runs = 0

    def plan(self, store: FakeProject, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
             shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
             activate: bool = False) -> FakePlan:
        self.plans.append({"kind": kind, "scene": scene, "tier": tier, "shots": shots, "prompt": prompt,
                           "activate": activate})
        shot_list = store.read(Stage.SHOTS)
        wanted = shots or [(s.scene, s.number) for s in (shot_list.shots if shot_list else [])
                           if scene is None or s.scene == scene]
        specs = [JobSpec(project=store.slug, kind=kind, scene=sc, shot=sh, prompt=prompt or "a frame", seed=1,
                         model="sketch", activate=activate) for sc, sh in wanted]
        estimate = Estimate(shots=len(specs), kind=kind, tier=tier or "sketch", device="cpu",
                            seconds=len(specs) * 2.0, renderer="sketch")
        return FakePlan(specs, estimate)

    def run(self, store: FakeProject, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
            shots: list[tuple[int, int]] | None = None, prompt: str | None = None,
            on_event: Callable[[JobEvent], None] | None = None, prepared: Any = None,
            activate: bool = False) -> FakeBatch:
        self.runs += 1
        plan = prepared or self.plan(store, kind, scene=scene, tier=tier, shots=shots, prompt=prompt,
                                     activate=activate)
        states = []
        for spec in plan.specs:
            media = TakeKind.IMAGE if kind is RenderKind.BOARD else TakeKind.VIDEO
            first = not any(t.kind is media for t in store.takes(spec.scene or 1, spec.shot or 1))
            # As tools.render.execute: a take is active when the job says so, or when it is the shot's first.
            take = store.add_take(spec.scene or 1, spec.shot or 1, media, active=spec.activate or first)
            state = JobState(id=spec.id, spec=spec, status=JobStatus.DONE, progress=1.0, take=take.path)
            self.runner.states[state.id] = state
            if on_event is not None:
                on_event(JobEvent.of(state))
            states.append(state)
        return FakeBatch(states)

    def cut(self, store: FakeProject) -> Cut:
        shot_list = store.read(Stage.SHOTS)
        entries = [CutEntry(scene=s.scene, shot=s.number, duration_s=s.duration_s) for s in shot_list.shots]
        return Cut(fps=24.0, entries=entries, path="06_Exports/cut.mp4", width=640, height=360)

    def reference(self, store: FakeProject, subject: str, *, tier: str | None = None) -> JobState:
        rel = store.add_reference(subject, f"{subject}.png", b"\x89PNG\r\n\x1a\n")
        spec = JobSpec(project=store.slug, kind=RenderKind.BOARD, subject=subject.upper(), prompt=subject, seed=1,
                       model="sketch")
        return JobState(id=spec.id, spec=spec, status=JobStatus.DONE, progress=1.0, take=rel)


class FakeMemory:
    def __init__(self, hits: list[Any] | None = None, *, down: AuteurError | None = None) -> None:
        self.hits = hits or []
        self.down = down
        self.asked: list[str] = []

    def context(self, stage: Stage, *, query: str = "", scene: int | None = None, budget_tokens: int = 600) -> str:
        if self.down is not None:
            raise self.down
        return ""

    def recall(self, question: str, *, limit: int = 5, kinds: list[str] | None = None) -> list[Any]:
        self.asked.append(question)
        return self.hits[:limit]

    def sync(self, progress: Any = None) -> dict[str, int]:
        if self.down is not None:
            raise self.down
        if progress is not None:
            progress(1, 1)
        return {"embedded": 1, "removed": 0, "total": 1}
