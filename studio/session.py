"""The conversation engine: a person's turn in, events out.

Chainlit, Slack and the terminal only translate these events; the engine holds
the film logic: which stage is next, who speaks, what is approved, what went
stale. Free text is routed by plain patterns first and by the Producer's
intent classifier second; revision notes go to the agent that leads the stage.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Literal

from studio.drafts import IntentDraft
from studio.errors import AuteurError, StageError
from studio.models import Angle, Movement, ShotList, ShotSize, Structure, Treatment, shot_code
from studio.pipeline import CREATIVE, Pipeline
from studio.ports import CrewPort, MemoryPort, ProjectPort, WorkspacePort
from studio.project import Usage
from studio.stages import STAGE_ORDER, Stage, StageStatus, next_stage

EventKind = Literal["message", "artifact", "question", "progress", "error"]


@dataclass
class Event:
    kind: EventKind
    text: str = ""
    author: str = "Producer"
    stage: str | None = None
    options: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "author": self.author, "text": self.text, "stage": self.stage,
                "options": self.options, "data": self.data}


@dataclass
class Turn:
    """What a person did: typed text (or a /command), pressed an option, or uploaded a file."""

    text: str = ""
    choice: str | None = None
    upload: tuple[str, bytes] | None = None


def say(text: str, author: str = "Producer", **kw) -> Event:
    return Event("message", text, author, **kw)


def error(exc: AuteurError) -> Event:
    return Event("error", f"{exc.problem}. {exc.fix}".strip(), data=exc.to_dict())


# ---------------------------------------------------------------- routing by pattern

# Whole-message patterns: "ok, but make the title shorter" is a note, not an approval.
_END = r"[\s.!]*(?:please|thanks|thank you)?[\s.!]*$"
APPROVE_RE = re.compile(r"^\s*(?:i\s+)?(approve[d]?(?: it| this| that)?|looks? good|lgtm|great|perfect|ship it|"
                        r"sounds good|love it)" + _END, re.IGNORECASE)
YES_RE = re.compile(r"^\s*(yes|yeah|yep|ok(ay)?|sure|go ahead|do it|go for it)" + _END, re.IGNORECASE)
NEXT_RE = re.compile(r"^\s*(next|continue|go on|proceed|keep going|carry on|what'?s next\??|next stage|move on)" + _END,
                     re.IGNORECASE)
PICK_RE = re.compile(r"^\s*(?:let'?s\s+|i'?ll\s+)?(?:use|pick|choose|go with|select|take|i like)\s+(?:the\s+)?"
                     r"(?:variant|option|version|number|treatment|#)\s*(\d+)(?:\s+(?:one|please))?" + _END, re.IGNORECASE)
REDO_SHOT_RE = re.compile(r"\b(?:redo|reshoot|make|change|try)\s+shot\s+([\w.:/]+)\s+(?:as|with|from|into|in)\s+(.+)",
                          re.IGNORECASE)
SHOW_SHOT_RE = re.compile(r"\b(?:show me|render|draw|give me|try)\s+(?:shot\s+)([\w.:/]+)(?:\s*,?\s*(.+))?$",
                          re.IGNORECASE)
# A request about a picture in other words ("can we see the diner scene's opening shot again, but darker?"):
# with a model that calls tools, the Cinematographer takes it with his render tools.
RENDER_ASK_RE = re.compile(r"\b(show|render|draw|see|make|give|try|redo|reshoot|again)\b.*\b(shot|board|frame|clip|"
                           r"take|angle)s?\b|\b(shot|board|clip)s?\b.*\b(again|darker|lighter|brighter|at (?:dawn|dusk|"
                           r"night|noon)|from (?:above|below|lower|higher))", re.IGNORECASE)
STATUS_RE = re.compile(r"^\s*(status|where are we|progress)\b", re.IGNORECASE)
HELP_RE = re.compile(r"^\s*(help|\?|what can you do|what can we do|how does this work)\s*\??\s*$", re.IGNORECASE)

SIZE_WORDS = [(r"extreme close[- ]?up|\becu\b", ShotSize.ECU), (r"medium close[- ]?up|\bmcu\b", ShotSize.MCU),
              (r"close[- ]?up|\bcu\b", ShotSize.CU), (r"extreme wide|\bews\b", ShotSize.EWS),
              (r"medium (long|wide)|\bmls\b", ShotSize.MLS), (r"wide|\bws\b|long shot", ShotSize.WS),
              (r"medium|\bms\b", ShotSize.MS)]
ANGLE_WORDS = [(r"low[- ]angle|from (?:below|lower)", Angle.LOW), (r"high[- ]angle|from (?:above|higher)", Angle.HIGH),
               (r"overhead|bird'?s[- ]eye|top[- ]down", Angle.OVERHEAD), (r"dutch|canted", Angle.DUTCH),
               (r"over[- ]the[- ]shoulder|\bots\b", Angle.OVER_THE_SHOULDER), (r"\bpov\b|point of view", Angle.POV),
               (r"eye[- ]level", Angle.EYE_LEVEL)]
MOVE_WORDS = [(r"dolly[- ]in", Movement.DOLLY_IN), (r"dolly[- ]out", Movement.DOLLY_OUT),
              (r"push[- ]in", Movement.PUSH_IN), (r"pull[- ]out|pull[- ]back", Movement.PULL_OUT),
              (r"zoom[- ]in", Movement.ZOOM_IN), (r"zoom[- ]out", Movement.ZOOM_OUT), (r"\bpan", Movement.PAN),
              (r"\btilt", Movement.TILT), (r"track|follow", Movement.TRACK), (r"handheld", Movement.HANDHELD),
              (r"crane|jib", Movement.CRANE), (r"static|locked[- ]off", Movement.STATIC)]


def shot_changes(words: str) -> dict[str, Any]:
    """'a low angle close-up on a 85mm, slow push-in' → size, angle, movement and lens."""
    changes: dict[str, Any] = {}
    for table, key in ((SIZE_WORDS, "size"), (ANGLE_WORDS, "angle"), (MOVE_WORDS, "movement")):
        for pattern, value in table:
            if re.search(pattern, words, re.IGNORECASE):
                changes[key] = value
                break
    lens = re.search(r"(\d{2,3})\s*mm", words)
    if lens:
        changes["lens_mm"] = max(8, min(600, int(lens.group(1))))
    return changes


# ---------------------------------------------------------------- the session


PREFERENCE_RE = re.compile(r"\b(i want|i'd like|i would like|i prefer|let'?s (?:make|keep|have|give)|make sure|"
                           r"always|never|don'?t|do not|we decided|remember|keep (?:it|her|him|them)|"
                           r"should (?:be|have|wear|look)|make (?:it|the|her|him|them|this|that)|change|add|remove|"
                           r"shorter|longer|darker|lighter|warmer|colder|funnier|sadder|"
                           r"more \w+|less \w+|instead)\b", re.IGNORECASE)
RECENT_TURNS = 8
CREW_WRITTEN = (Stage.BRIEF, Stage.TREATMENT, Stage.BEATS, Stage.SCRIPT, Stage.LOOK, Stage.SHOTS)


def revise_shot(store: ProjectPort, scene: int, number: int, words: str):
    """Change one shot as the words say (size, angle, move, lens), refit the scene's durations and save:
    (the change, the shot, what changed). Shared by the conversation and the Cinematographer's tools."""
    from studio.coverage import LENS_FOR_SIZE, fit_durations
    from studio.project import Author

    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError("there is no shot list yet", "draft the shots first ('next' until the shots stage)")
    shot = next((s for s in shots.shots if s.scene == scene and s.number == number), None)
    if shot is None:
        raise StageError(f"there is no shot {shot_code(scene, number)}",
                         f"see /shots {scene} for the shots of scene {scene}")
    changes = shot_changes(words)
    if not changes:
        raise StageError(f"I could not tell what to change in {words!r}",
                         "name a size (close-up, wide…), an angle (low, high…), a move (push-in, pan…) or a lens (85mm)")
    if "size" in changes and "lens_mm" not in changes:
        changes["lens_mm"] = LENS_FOR_SIZE[changes["size"]]
    for key, value in changes.items():
        setattr(shot, key, value)
    shot.notes = f"{shot.notes}; redone as {words.strip()}".strip("; ")[:1000]
    scene_seconds = next((s.seconds for s in store.breakdown().scenes if s.number == scene), 0)
    fit_durations([s for s in shots.shots if s.scene == scene], scene_seconds)
    change = store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"),
                        summary=f"redo {shot_code(scene, number)} as {words.strip()[:60]}", action="revise")
    return change, shot, changes


READ_ONLY = {"help", "status", "history", "shots", "scenes", "variants", "takes", "jobs", "recall"}
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _project_lock(key: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


class Session:
    def __init__(self, workspace: WorkspacePort, crew: CrewPort | Callable[[], CrewPort], *,
                 project: str | None = None, auto_approve: bool = False, user: str = "you",
                 memory: Callable[[ProjectPort], MemoryPort] | None = None,
                 exporter: Callable[[ProjectPort, str], Any] | None = None,
                 converter: Callable[[str, bytes], bytes] | None = None, renderer: Any = None) -> None:
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
        self.renderer = renderer  # plans, runs and cuts renders (tools.render.service.RenderService)
        self.pending_render = None  # a batch shown with its estimate, waiting for a yes
        self.quality_tier: str | None = None  # the chat's tier for renders (else the project's)
        self.awaiting_notes: Stage | None = None  # after the Revise button: the stage the next words revise
        self._memory: tuple[str, MemoryPort | None] | None = None  # (slug, memory) of the open project
        self.notices: list[Event] = []
        self.turns: list[tuple[str, str]] = []  # short-term memory: (who, what), newest last
        self.conversation_usage = Usage()  # the Producer's classifying, saved with the next stage

    # ------------------------------------------------------------ plumbing

    @property
    def crew(self) -> CrewPort:
        if callable(self._crew) and not hasattr(self._crew, "run"):
            self._crew = self._crew()
        return self._crew  # type: ignore[return-value]

    @property
    def pipeline(self) -> Pipeline:
        memory = self.memory

        def remember(stage: Stage, query: str, scene: int | None = None) -> str:
            if memory is None:
                return ""
            try:
                return memory.context(stage, query=query, scene=scene)
            except AuteurError as exc:
                self._memory_down(exc)
                return ""

        def conversation() -> dict[str, Usage]:
            usage, self.conversation_usage = self.conversation_usage, Usage()
            return {"conversation": usage} if usage.calls else {}

        return Pipeline(self.require_project(), self.crew, remember if memory is not None else None, conversation)

    @property
    def memory(self) -> MemoryPort | None:
        """The open project's semantic memory, or None when it is off or cannot be used."""
        if self._memory_factory is None or self.store is None:
            return None
        if self._memory is None or self._memory[0] != self.store.slug:
            try:
                self._memory = (self.store.slug, self._memory_factory(self.store))
            except AuteurError as exc:
                self._memory = (self.store.slug, None)
                self._memory_down(exc)
        return self._memory[1]

    def _memory_down(self, exc: AuteurError) -> None:
        self._memory = (self.store.slug if self.store else "", None)
        self.notices.append(say(f"Memory is off for now: {exc.problem}. {exc.fix} I'll work without recall."))

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

    def require_project(self) -> ProjectPort:
        if self.store is None:
            raise StageError("no project is open", 'start one with /new TITLE, tell me your idea, or /open SLUG')
        return self.store

    def greet(self) -> list[Event]:
        if self.store is not None:
            return [say(f"Welcome back to {self.store.manifest().title}."), *self.propose()]
        return [say("Hello, I'm your Producer. Tell me your film idea in a sentence, upload a screenplay "
                    "(Fountain), or type /help to see what we can do.",
                    options=["Develop an idea", "Bring my screenplay"])]

    def handle(self, turn: Turn) -> Iterator[Event]:
        """Everything a turn causes, as events; errors are events too, and the conversation goes on.

        One turn at a time works on a project, across every conversation of this process (a chat
        in the browser, a Slack thread, a channel): another that would change it is told to wait.
        Commands that only read go through at any time."""
        text = (turn.choice or turn.text or "").strip()
        reading = text.startswith("/") and text[1:].split(" ", 1)[0].lower() in READ_ONLY
        key = str(getattr(self.store, "path", "")) if self.store is not None and not reading else ""
        lock = _project_lock(key) if key else None
        if lock is not None and not lock.acquire(blocking=False):
            title = self.store.manifest().title if self.store is not None else "this project"
            yield Event("error", f"The crew is already working on {title} in another conversation. Try again "
                                 "when it is done; /status shows where it stands.", data={"busy": True})
            return
        try:
            yield from self._handle(turn)
        finally:
            if lock is not None:
                lock.release()

    def _handle(self, turn: Turn) -> Iterator[Event]:
        said = turn.choice or turn.text or (f"(uploaded {turn.upload[0]})" if turn.upload else "")
        if said:
            self.turns.append((self.user, said))
        try:
            for event in self._route(turn):
                if event.kind in ("message", "artifact", "question"):
                    self.turns.append((event.author, event.text[:300]))
                yield event
        except AuteurError as exc:
            yield error(exc)
        while self.notices:
            yield self.notices.pop(0)

    def _route(self, turn: Turn) -> Iterator[Event]:
        from studio.commands import REGISTRY

        if turn.upload is not None:
            yield from self.upload(*turn.upload)
            return
        text = (turn.choice or turn.text or "").strip()
        if turn.choice and text.lower() == "variants":
            text = "/variants"  # the button under a drafted treatment
        if self.awaiting_notes is not None and text.startswith("/") and \
                text[1:].split(" ", 1)[0].lower() not in REGISTRY.commands:
            text = text[1:]  # `/auteur set it in winter` after Revise, in Slack: the notes, not a command
        if self.awaiting_notes is not None and not text.startswith("/") and turn.choice is None:
            stage, self.awaiting_notes = self.awaiting_notes, None
            yield from self.revise(text, stage)  # what the person typed after pressing Revise
            return
        self.awaiting_notes = None
        if turn.choice and text.lower() == "revise" and self.store is not None and (stage := self._revisable()):
            self.awaiting_notes = stage  # the Revise button: the next thing said is the notes
            yield say(f"What should the {stage.lead} change in the {stage.value}? Tell me in a sentence or two.",
                      author="Producer", stage=stage.value)
            return
        if not text:
            yield say("I'm listening: tell me your idea, or type /help.")
            return
        if text.startswith("/"):
            self.pending_render = None  # the person moved on: a render waiting for a yes is dropped
        if text.startswith("/"):
            yield from REGISTRY.dispatch(self, text)
            return
        if self.pending_render is not None:
            from studio.rendering import RENDER_NO, RENDER_YES, run_pending

            if RENDER_YES.match(text):
                yield from run_pending(self)
                return
            self.pending_render = None
            if RENDER_NO.match(text):
                yield say("Fine, nothing rendered. Say /render boards when you want them.")
                return
        if text.lower() in ("render", "not now"):  # a button of an estimate that is no longer open
            yield say("That estimate is closed. Ask again: /render boards, /render clips or /render cut.")
            return
        if text.lower() in ("render boards", "render clips", "cut", "render the cut"):
            yield from REGISTRY.dispatch(self, "/render " + text.lower().replace("render ", "").replace("the ", ""))
            return
        if self.store is None:
            if HELP_RE.match(text):
                yield from REGISTRY.dispatch(self, "/help")
            elif text.lower() in ("develop an idea",):
                yield say("Tell me the idea in one or two sentences: who, what they want, what stands in the way.")
            elif text.lower() in ("bring my screenplay",):
                yield say("Upload your screenplay as a Fountain file (.fountain), and I'll break it down.")
            else:
                yield from self.start_from_idea(text)
            return
        if self._waiting_for_idea():
            if HELP_RE.match(text):
                yield from REGISTRY.dispatch(self, "/help")
            else:
                yield from self.draft(Stage.BRIEF, idea=text)
            return
        if APPROVE_RE.match(text):
            yield from self.approve()
        elif YES_RE.match(text):
            yield from self.affirm()
        elif NEXT_RE.match(text):
            yield from self.next()
        elif (m := PICK_RE.match(text)) and self._has_variants():
            yield from self.pick(int(m.group(1)))
        elif m := REDO_SHOT_RE.search(text):
            yield from self.redo_shot(m.group(1), m.group(2))
        elif (m := SHOW_SHOT_RE.search(text)) and self.renderer is not None:
            yield from self.show_shot(m.group(1), m.group(2) or "")
        elif RENDER_ASK_RE.search(text) and self.renderer is not None and getattr(self.crew, "can_use_tools", False):
            yield from self.direct_render(text)
        elif STATUS_RE.match(text):
            yield from REGISTRY.dispatch(self, "/status")
        elif HELP_RE.match(text):
            yield from REGISTRY.dispatch(self, "/help")
        elif PREFERENCE_RE.search(text) and (stage := self._revisable()):
            # A preference is kept as a decision (memory will bring it back) and, for the
            # stage in front of us, taken as notes.
            yield from self.revise(text, stage)
        else:
            yield from self.classify(text)

    def _waiting_for_idea(self) -> bool:
        """A project with no brief and no screenplay: what the person types is the idea."""
        store = self.require_project()
        return store.manifest().status(Stage.BRIEF) is StageStatus.EMPTY and store.read_script() is None

    def _has_variants(self) -> bool:
        t = self.require_project().read(Stage.TREATMENT)
        return isinstance(t, Treatment) and len(t.variants) > 1

    # ------------------------------------------------------------ what comes next

    def next_stage(self) -> Stage | None:
        """The next stage the crew works on (up to the prompts; rendering is not the crew's)."""
        store = self.require_project()
        brief = store.read(Stage.BRIEF)
        stage = next_stage(store.manifest().stages, imported=bool(brief and brief.imported_from))
        return stage if stage in CREATIVE else None

    def propose(self) -> list[Event]:
        stage = self.next_stage()
        store = self.require_project()
        if stage is None:
            if self.renderer is None:
                return [say("Every stage up to the prompts is approved. Render boards, clips and the cut with "
                            "`auteur render`.", data={"stage": None})]
            return [Event("question", "Every stage up to the prompts is approved. Shall the Cinematographer "
                                      "render the boards?", stage="boards",
                          options=["Render boards", "Render clips", "Cut"], data={"stage": "boards"})]
        status = store.manifest().status(stage)
        lead = stage.lead
        if status is StageStatus.DRAFT:
            options = ["Approve", "Revise"] + (["Variants"] if stage is Stage.TREATMENT else [])
            return [Event("question", f"The {stage.value} stage is ready for you. Approve it, or tell me what to change.",
                          stage=stage.value, options=options)]
        verb = "redo" if status is StageStatus.STALE else "draft"
        return [Event("question", f"Next: the {lead} will {verb} the {stage.value}. Go ahead?",
                      stage=stage.value, options=["Next", "Status"])]

    # ------------------------------------------------------------ actions

    def start_from_idea(self, idea: str, minutes: float | None = None) -> Iterator[Event]:
        words = re.findall(r"[\w'’-]+", idea)
        if len(words) < 3:
            raise StageError("tell me your film idea in a sentence to start a project",
                             "e.g. 'A night-shift waitress recognises the stranger at the counter', or type /help")
        _ = self.crew  # a model profile that cannot load is reported before any project is made
        title = " ".join(words[:6]).title()
        base, n = title, 1
        while True:
            try:
                self.store = self.workspace.create(title)
                break
            except AuteurError as exc:
                if "already exists" not in exc.problem or n > 50:
                    raise
                n += 1
                title = f"{base} {n}"
        yield say(f"A new project: {title}. Let me write the brief.", data={"slug": self.store.slug})
        yield from self.draft(Stage.BRIEF, idea=idea, minutes=minutes)

    def draft(self, stage: Stage, *, notes: str = "", idea: str = "",
              structure: Structure | None = None, minutes: float | None = None) -> Iterator[Event]:
        yield Event("progress", f"The {stage.lead} is working on the {stage.value}…", author=stage.lead,
                    stage=stage.value, data={"state": "running"})
        done = self.pipeline.draft(stage, notes=notes, idea=idea, structure=structure, minutes=minutes)
        self.focus = stage
        yield Event("progress", f"{stage.value} done", author=stage.lead, stage=stage.value,
                    data={"state": "done"})
        yield Event("artifact", self.describe(stage), author=done.author, stage=stage.value,
                    data={"commit": done.commit, "summary": done.summary})
        if not done.changed:
            yield say(f"The {stage.lead} came back with the same {stage.value}: nothing changed.",
                      author=stage.lead, stage=stage.value)
        if done.made_stale:
            yield say(self._stale_text(stage, done.made_stale))
        if self.auto_approve:
            yield from self.approve(stage)
        else:
            yield from self.propose()

    def _stale_text(self, stage: Stage, stale: list[Stage]) -> str:
        """What went stale, what redoing it means, and what it cost the last time."""
        names = ", ".join(s.value for s in stale)
        creative = [s for s in stale if s in CREW_WRITTEN]
        text = (f"The {stage.value} changed after approval, so {names} "
                f"{'is' if len(stale) == 1 else 'are'} now stale. Redoing {len(creative)} "
                f"stage{'s' if len(creative) != 1 else ''} with the crew (the rest is rebuilt by code) "
                f"would bring them up to date")
        llm = self.require_project().manifest().llm
        calls = sum(llm[s.value].calls for s in creative if s.value in llm)
        seconds = sum(llm[s.value].seconds for s in creative if s.value in llm)
        if calls:
            text += f": about {calls} model calls and {seconds:.0f} s, going by the work so far"
        return text + "."

    def next(self) -> Iterator[Event]:
        stage = self.next_stage()
        if stage is None:
            yield from self.propose()
            return
        status = self.require_project().manifest().status(stage)
        if status is StageStatus.DRAFT:
            if self.auto_approve:
                yield from self.approve(stage)
                return
            yield from self.propose()
            return
        yield from self.draft(stage)

    def approve(self, stage: Stage | None = None) -> Iterator[Event]:
        store = self.require_project()
        if stage is None:
            # The stage the Producer just offered; a stale stage is approved only by name.
            manifest = store.manifest()
            offered = self.next_stage()
            waiting = [s for s in STAGE_ORDER if manifest.status(s) is StageStatus.DRAFT]
            if offered in waiting:
                stage = offered
            elif waiting:
                stage = waiting[0]
            else:
                raise StageError("nothing is waiting for approval",
                                 "say 'next' and the crew drafts the next stage (a stale stage: /approve STAGE)")
        if stage is Stage.TREATMENT:
            treatment = store.read(Stage.TREATMENT)
            if isinstance(treatment, Treatment) and treatment.chosen is None and len(treatment.variants) > 1:
                yield from self.pick(1, propose=False)
                yield say("I took variant 1 for the story; /pick N chooses another.", stage="treatment")
        change, pending = store.approve(stage)
        self.focus = stage
        note = f" ({', '.join(s.value for s in pending)} still to approve)" if pending else ""
        yield say(f"{stage.value.capitalize()} approved and saved{note}.", stage=stage.value,
                  data={"commit": change.commit})
        if not self.auto_approve:
            yield from self.propose()

    def affirm(self) -> Iterator[Event]:
        """'yes' / 'ok': approve what waits for approval, or go ahead with the next stage."""
        stage = self.next_stage()
        if stage is not None and self.require_project().manifest().status(stage) is StageStatus.DRAFT:
            yield from self.approve(stage)
        else:
            yield from self.next()

    def _revisable(self) -> Stage | None:
        """The stage notes belong to: the one in front of us if the crew writes it, else the last the crew wrote."""
        manifest = self.require_project().manifest()
        if self.focus in CREW_WRITTEN and manifest.status(self.focus) is not StageStatus.EMPTY:
            return self.focus
        drafted = [s for s in CREW_WRITTEN if manifest.status(s) is not StageStatus.EMPTY]
        return drafted[-1] if drafted else None

    def revise(self, notes: str, stage: Stage | None = None) -> Iterator[Event]:
        store = self.require_project()
        if not notes.strip():
            raise StageError("a revision needs notes", "say what to change, e.g. /revise make the ending hopeful")
        stage = stage or self._revisable()
        if stage is None:
            raise StageError("there is nothing to revise yet", "say 'next' to draft the first stage")
        if stage not in CREW_WRITTEN:
            fixes = {Stage.BREAKDOWN: "it follows the script: revise the script, or edit it with `auteur edit`",
                     Stage.PROMPTS: "they are assembled from the shots and the look: revise those, or give a shot "
                                    "your own words with /prompt SHOT TEXT"}
            raise StageError(f"the {stage.value} stage is not written by the crew",
                             fixes.get(stage, "render stages come with the render tools"))
        brief = store.read(Stage.BRIEF)
        if stage is Stage.SCRIPT and brief is not None and brief.imported_from:
            raise StageError("this screenplay is yours (imported), and a redraft would replace it",
                             "change it in your screenwriting app and `auteur edit script FILE`, or with "
                             "`auteur edit script` in your editor")
        if store.manifest().status(stage) is StageStatus.EMPTY:
            raise StageError(f"the {stage.value} stage has nothing to revise yet", "say 'next' to draft it first")
        store.record_decision(notes, stage=stage, who=self.user)
        yield say(f"Passing your notes to the {stage.lead}.")
        yield from self.draft(stage, notes=notes)

    def pick(self, number: int, *, propose: bool = True) -> Iterator[Event]:
        done = self.pipeline.pick_variant(number)
        self.focus = Stage.TREATMENT
        treatment = self.require_project().read(Stage.TREATMENT)
        yield say(f"Variant {number}, \u201c{treatment.active.title}\u201d, it is.", author="Screenwriter",
                  stage="treatment", data={"commit": done.commit})
        if done.made_stale:
            yield say(self._stale_text(Stage.TREATMENT, done.made_stale))
        if propose:
            yield from self.propose()

    def redo_shot(self, which: str, words: str) -> Iterator[Event]:
        store = self.require_project()
        scene, number = self._parse_shot(which)
        change, shot, changes = revise_shot(store, scene, number, words)
        self.focus = Stage.SHOTS
        described = ", ".join(f"{k.replace('_mm', '')} {getattr(v, 'value', v)}" for k, v in changes.items())
        yield say(f"{shot_code(scene, number)} is now {described}.", author="Cinematographer", stage="shots",
                  data={"commit": change.commit, "shot": shot.model_dump(mode="json")})
        if change.made_stale:
            yield say(f"The shots are a draft again (approve them when you're happy). "
                      f"{self._stale_text(Stage.SHOTS, change.made_stale)}")
        if store.manifest().status(Stage.PROMPTS) is not StageStatus.EMPTY:
            yield from self.draft(Stage.PROMPTS)
        else:
            yield from self.propose()

    def show_shot(self, which: str, words: str) -> Iterator[Event]:
        """'show me shot 3 from lower, at dusk': the shot redone as asked, and a new board of it."""
        from studio.rendering import ask_render
        from studio.render import RenderKind

        scene, number = self._parse_shot(which)
        changes = shot_changes(words)
        if changes:
            yield from self.redo_shot(which, words)
        extra = words
        for table in (SIZE_WORDS, ANGLE_WORDS, MOVE_WORDS):
            for pattern, _ in table:
                extra = re.sub(pattern + r"\w*", "", extra, flags=re.IGNORECASE)
        extra = re.sub(r"\b(from|as|with|a|an|the|angle|shot|in)\b", " ", extra, flags=re.IGNORECASE)
        extra = re.sub(r"[\s,;.]+", " ", extra).strip()
        prompt = None
        if extra:
            store = self.require_project()
            prompts = store.read(Stage.PROMPTS)
            base = next((p.frame_override or p.frame_prompt for p in getattr(prompts, "prompts", [])
                         if p.scene == scene and p.number == number), "")
            if not base:  # no prompts yet: the shot's own words carry the picture
                shot = next((s for s in getattr(store.read(Stage.SHOTS), "shots", [])
                             if (s.scene, s.number) == (scene, number)), None)
                base = ", ".join(x for x in (shot.action, " and ".join(shot.characters)) if x) if shot else ""
            prompt = ", ".join(x for x in (base, extra) if x)[:2000]
        yield from ask_render(self, RenderKind.BOARD, shots=[(scene, number)], prompt=prompt, confirm=False)

    def direct_render(self, text: str) -> Iterator[Event]:
        """A render asked for in words, taken by the Cinematographer with his tools (capable models only)."""
        store = self.require_project()
        before = {p.relative_to(store.path).as_posix() for p in (store.path / "03_Renders").rglob("*_take*.*")}
        yield Event("progress", "The Cinematographer is on it…", author="Cinematographer", stage="boards",
                    data={"state": "running"})
        answer = self.crew.direct("cinematographer", text)
        self.conversation_usage = self.conversation_usage + self.crew.take_usage()
        yield Event("progress", "done", author="Cinematographer", stage="boards", data={"state": "done"})
        yield say(answer.strip() or "Done.", author="Cinematographer", stage="boards")
        for path in sorted((store.path / "03_Renders").rglob("*_take*.*")):
            rel = path.relative_to(store.path).as_posix()
            if rel not in before and path.suffix in (".png", ".mp4"):
                yield Event("artifact", f"New take: {path.name}", author="Cinematographer",
                            stage="boards" if path.suffix == ".png" else "clips",
                            data={"path": str(path), "media": "image" if path.suffix == ".png" else "video"})

    def _parse_shot(self, which: str) -> tuple[int, int]:
        which = which.strip(" .,")
        if which.isdigit():
            return self.scene_focus, int(which)
        m = re.match(r"^S?(\d+)[_.:/-](?:SH)?(\d+)$", which, re.IGNORECASE)
        if not m:
            raise StageError(f"{which!r} is not a shot", "name it as 3 (in the current scene), 2.3 or S02_SH003")
        return int(m.group(1)), int(m.group(2))

    def classify(self, text: str) -> Iterator[Event]:
        """Free text no pattern understood: the Producer's classifier decides."""
        stage = self.focus or self.next_stage()
        intent = self.crew.run("intent", {"stage": stage.value if stage else "start", "text": text[:500],
                                          "recent": self.recent()}, IntentDraft)
        self.conversation_usage = self.conversation_usage + self.crew.take_usage()
        if intent.intent == "approve":
            # Never approve on a guess: ask.
            stage = self.next_stage()
            yield Event("question", f"Shall I take that as approval of the {stage.value if stage else 'current'} "
                                    "stage? Say 'approve' to confirm, or tell me what to change.",
                        stage=stage.value if stage else None, options=["Approve", "Revise"])
        elif intent.intent == "next":
            yield from self.next()
        elif intent.intent == "pick" and intent.number and self._has_variants():
            yield from self.pick(intent.number)
        elif intent.intent == "status":
            from studio.commands import REGISTRY

            yield from REGISTRY.dispatch(self, "/status")
        elif intent.intent == "help":
            from studio.commands import REGISTRY

            yield from REGISTRY.dispatch(self, "/help")
        elif self._revisable() is not None:
            yield from self.revise(text)
        else:
            yield say("Say 'next' and the crew starts on the first stage, or /help for the commands.")

    def upload(self, name: str, data: bytes) -> Iterator[Event]:
        from studio.rendering import IMAGE_TYPES, store_reference

        lower = name.lower()
        if lower.endswith(IMAGE_TYPES):
            yield from store_reference(self, name, data)
            return
        if lower.endswith((".fdx", ".pdf")) and self.converter is not None:
            data = self.converter(name, data)
        elif not lower.endswith((".fountain", ".spmd", ".txt")):
            raise AuteurError(f"{name} is not a screenplay file Auteur can read",
                              "upload a Fountain (.fountain), Final Draft (.fdx) or PDF screenplay, "
                              "or a character's reference image (.png, .jpg, .webp) named after them")
        replacing = self.store is not None and self.store.read_script() is not None
        if self.store is None:
            from studio.screenplay import read_fountain

            imported = read_fountain(name, data)
            self.store = self.workspace.create(imported.brief.title or name.rsplit(".", 1)[0])
        change, imported = self.store.import_script(name, data)
        self.focus = Stage.SCRIPT
        yield Event("artifact", self.describe(Stage.BREAKDOWN), author="Producer", stage="breakdown",
                    data={"commit": change.commit, "slug": self.store.slug})
        if replacing:
            yield say(f"{name} is now the script of {self.store.manifest().title}; the version before it is in "
                      "/history script (and /restore brings it back). To start a separate project with a "
                      "screenplay, say /new TITLE first.", data={"replaced": True})
        if change.made_stale:
            yield say(self._stale_text(Stage.SCRIPT, change.made_stale))
        yield from self.propose()

    def run_until(self, last: Stage, *, idea: str | None = None, minutes: float | None = None) -> Iterator[Event]:
        """Draft every stage up to ``last`` (approving each when auto-approve is on), without questions."""
        try:
            if idea:
                yield from self.start_from_idea(idea, minutes)
            for _ in range(4 * len(CREATIVE)):
                stage = self.next_stage()
                if stage is None or stage.index > last.index:
                    return
                status = self.require_project().manifest().status(stage)
                if status is StageStatus.DRAFT:
                    if not self.auto_approve:
                        yield Event("question", f"The {stage.value} stage waits for your approval: "
                                                f"`auteur approve {stage.value}`, or run again with --yes.",
                                    stage=stage.value)
                        return
                    yield from self.approve(stage)
                else:
                    yield from self.draft(stage)
        except AuteurError as exc:
            yield error(exc)

    # ------------------------------------------------------------ words

    def describe(self, stage: Stage) -> str:
        """A short human account of a stage's artifact."""
        from studio.models import BeatSheet, Breakdown, Brief, Look, Prompts

        store = self.require_project()
        art = store.read(stage)
        if art is None:
            return f"The {stage.value} is empty."
        if isinstance(art, Brief):
            return f"Brief — {art.title}: {art.logline} ({art.genre or 'genre open'}, {art.tone or 'tone open'}, " \
                   f"about {art.runtime_minutes:g} min)."
        if isinstance(art, Treatment):
            lines = [f"{k}. {v.title} — {v.logline}" for k, v in enumerate(art.variants, start=1)]
            chosen = f" Chosen: {art.chosen + 1}." if art.chosen is not None else " Pick one with /pick N."
            return "Treatment variants:\n" + "\n".join(lines) + chosen
        if isinstance(art, BeatSheet):
            return f"Beat sheet ({art.structure.value}):\n" + "\n".join(
                f"- {b.name}: {b.description[:140]}" for b in art.beats)
        if stage is Stage.SCRIPT:
            return f"Script: {art.scene_count} scenes, {art.pages:.1f} pages, about {art.runtime_seconds / 60:.1f} minutes."
        if isinstance(art, Breakdown):
            return f"Breakdown: {len(art.scenes)} scenes; speaking: {', '.join(art.characters) or 'nobody'}; " \
                   f"locations: {', '.join(art.locations[:6])}."
        if isinstance(art, Look):
            return f"Look: {len(art.characters)} characters, {len(art.locations)} locations, {len(art.props)} props; " \
                   f"style: {art.style.medium or 'open'}, {art.style.palette or 'palette open'}."
        if isinstance(art, ShotList):
            scenes = len({s.scene for s in art.shots})
            return f"Shot list: {len(art.shots)} shots over {scenes} scenes, " \
                   f"{sum(s.duration_s for s in art.shots) / 60:.1f} minutes."
        if isinstance(art, Prompts):
            return f"Prompts for {len(art.prompts)} shots. See one with /prompt S01_SH001."
        return f"The {stage.value} is saved."
