"""The twelve stages of a film project, their statuses and the invalidation cascade."""

from __future__ import annotations

from enum import Enum
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field

from studio.errors import StageError


class Stage(str, Enum):
    BRIEF = "brief"
    TREATMENT = "treatment"
    BEATS = "beats"
    SCRIPT = "script"
    BREAKDOWN = "breakdown"
    LOOK = "look"
    SHOTS = "shots"
    PROMPTS = "prompts"
    BOARDS = "boards"
    CLIPS = "clips"
    CUT = "cut"
    EXPORT = "export"

    @property
    def index(self) -> int:  # type: ignore[override]  # the stage's place, not str.index
        return STAGE_ORDER.index(self)

    @property
    def downstream(self) -> list[Stage]:
        return list(STAGE_ORDER[self.index + 1 :])

    @property
    def upstream(self) -> list[Stage]:
        return list(STAGE_ORDER[: self.index])

    @property
    def lead(self) -> str:
        return STAGE_LEADS[self]

    @classmethod
    def parse(cls, name: str) -> Stage:
        """Accept 'script', 'Script', '4' or 'stage 4'; say which names exist otherwise."""
        key = name.strip().lower().removeprefix("stage").strip()
        if key.isdigit() and 1 <= int(key) <= len(STAGE_ORDER):
            return STAGE_ORDER[int(key) - 1]
        for stage in STAGE_ORDER:
            if stage.value == key:
                return stage
        aliases = {"shotlist": cls.SHOTS, "shot-list": cls.SHOTS, "storyboard": cls.BOARDS,
                   "storyboards": cls.BOARDS, "animatic": cls.CUT, "exports": cls.EXPORT,
                   "beat-sheet": cls.BEATS, "beatsheet": cls.BEATS, "screenplay": cls.SCRIPT}
        if key in aliases:
            return aliases[key]
        names = ", ".join(s.value for s in STAGE_ORDER)
        raise StageError(f"there is no stage called {name!r}", f"use one of: {names}")


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
# The stages the crew works through (drafted or derived); rendering and exports come after, with the render tools.
CREATIVE: tuple[Stage, ...] = (Stage.BRIEF, Stage.TREATMENT, Stage.BEATS, Stage.SCRIPT, Stage.BREAKDOWN, Stage.LOOK,
                               Stage.SHOTS, Stage.PROMPTS)

STAGE_LEADS: dict[Stage, str] = {
    Stage.BRIEF: "Producer",
    Stage.TREATMENT: "Screenwriter",
    Stage.BEATS: "Screenwriter",
    Stage.SCRIPT: "Screenwriter",
    Stage.BREAKDOWN: "Producer",
    Stage.LOOK: "Art Director",
    Stage.SHOTS: "Cinematographer",
    Stage.PROMPTS: "Cinematographer",
    Stage.BOARDS: "Cinematographer",
    Stage.CLIPS: "Cinematographer",
    Stage.CUT: "Producer",
    Stage.EXPORT: "Producer",
}


class StageStatus(str, Enum):
    EMPTY = "empty"
    DRAFT = "draft"
    APPROVED = "approved"
    STALE = "stale"

    @property
    def has_content(self) -> bool:
        return self is not StageStatus.EMPTY


class StageState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: StageStatus = StageStatus.EMPTY
    updated: str = ""
    approved_commit: str | None = None
    stale_because: str | None = Field(default=None, description="the upstream stage whose edit made this stale")


class Transition(BaseModel):
    """What one operation did to the stages: the edited stage and what went stale."""

    stage: Stage
    before: StageStatus
    after: StageStatus
    made_stale: list[Stage] = Field(default_factory=list)


def default_stages() -> dict[Stage, StageState]:
    return {stage: StageState() for stage in STAGE_ORDER}


def record_edit(stages: dict[Stage, StageState], stage: Stage, *, has_content: bool = True,
                now: str = "") -> Transition:
    """A stage's artifact changed.

    The stage becomes ``draft`` (or ``empty`` when its content was removed). When the
    stage had been approved — or was stale, which means it had been approved once —
    every downstream stage that has content becomes ``stale``: its work was built on
    the old version.
    """
    state = stages[stage]
    before = state.status
    state.status = StageStatus.DRAFT if has_content else StageStatus.EMPTY
    state.updated = now or state.updated
    state.stale_because = None
    state.approved_commit = None
    made_stale: list[Stage] = []
    if before in (StageStatus.APPROVED, StageStatus.STALE):
        for down in stage.downstream:
            d = stages[down]
            if d.status in (StageStatus.DRAFT, StageStatus.APPROVED):
                d.status = StageStatus.STALE
                d.stale_because = stage.value
                d.updated = now or d.updated
                made_stale.append(down)
    return Transition(stage=stage, before=before, after=state.status, made_stale=made_stale)


def record_derived(stages: dict[Stage, StageState], stage: Stage, *, now: str = "") -> None:
    """A stage's artifact was recomputed by code from its upstream (e.g. the breakdown).

    A stage that was waiting for review stays a draft; one that had been approved
    (or was already stale) is stale, so a person looks at it again.
    """
    state = stages[stage]
    if state.status in (StageStatus.APPROVED, StageStatus.STALE):
        state.status = StageStatus.STALE
    else:
        state.status = StageStatus.DRAFT
    state.updated = now or state.updated


def check_approvable(stages: dict[Stage, StageState], stage: Stage) -> None:
    status = stages[stage].status
    if status is StageStatus.EMPTY:
        producer = stage.lead
        raise StageError(
            f"the {stage.value} stage is empty, so there is nothing to approve",
            f"draft it first (the {producer} leads it), or import a screenplay with `auteur import FILE`",
        )
    if status is StageStatus.APPROVED:
        raise StageError(
            f"the {stage.value} stage is already approved",
            "edit it with `auteur edit` to change it, or approve the next stage",
        )


def record_approval(stages: dict[Stage, StageState], stage: Stage, *, now: str = "") -> Transition:
    check_approvable(stages, stage)
    state = stages[stage]
    before = state.status
    state.status = StageStatus.APPROVED
    state.stale_because = None
    state.updated = now or state.updated
    return Transition(stage=stage, before=before, after=state.status)


def unapproved_upstream(stages: dict[Stage, StageState], stage: Stage) -> list[Stage]:
    """Upstream stages with content that are not approved: worth a warning, not a refusal."""
    return [s for s in stage.upstream if stages[s].status in (StageStatus.DRAFT, StageStatus.STALE)]


# The stages a brought screenplay makes unnecessary: the story is already told in the script.
SKIPPED_BY_IMPORT: tuple[Stage, ...] = (Stage.TREATMENT, Stage.BEATS)
# The stages a person approves after a render (a batch of boards or clips, the cut) rather than a crew's draft.
RENDERED: tuple[Stage, ...] = (Stage.BOARDS, Stage.CLIPS, Stage.CUT)
IMPORT_REASON = "the script was imported"
BOARDS_CUT_REASON = "the cut was made from the boards"


def skipped(stages: dict[Stage, StageState], *, imported: bool = False) -> dict[Stage, str]:
    """The empty stages the work went past, with the reason in words: a tracker that counted them as "to do"
    would never reach 12 of 12. An imported screenplay skips the treatment and the beats; a cut assembled from the
    boards alone (an animatic) skips the clips. A skipped stage that gets content is no longer skipped."""
    out: dict[Stage, str] = {}
    if imported:
        for stage in SKIPPED_BY_IMPORT:
            if stages[stage].status is StageStatus.EMPTY:
                out[stage] = IMPORT_REASON
    if stages[Stage.CLIPS].status is StageStatus.EMPTY and stages[Stage.CUT].status.has_content:
        out[Stage.CLIPS] = BOARDS_CUT_REASON
    return out


# The exports that deliver the film (or its script) to the people who finish, show or shoot it: the picture
# (mp4), the timeline an editor conforms (edl, otio, fcpxml), the sound for the mix (stems), the whole project
# handed over (archive), and the script a team reads (fdx, pdf, fountain). The export stage is done when one of
# them is written. The storyboard contact sheet (storyboard-pdf, which /board writes to show the boards) and the
# shot list tables (shotlist-csv, shotlist-pdf) are working papers printed on the way, not a delivery: writing one
# must not tick off the last stage of a film nobody exported.
DELIVERIES = frozenset({"mp4", "edl", "otio", "fcpxml", "stems", "archive", "fdx", "pdf", "fountain"})


def delivered(kinds: Iterable[str]) -> bool:
    """Whether the exports written (their kinds) include a delivery (``DELIVERIES``)."""
    return any(kind in DELIVERIES for kind in kinds)


def is_done(stages: dict[Stage, StageState], stage: Stage, skipped_stages: dict[Stage, str], *,
            delivery: bool = False) -> bool:
    """Nothing left to do for the stage: approved, skipped, or (the export) a delivery written (``delivery``, see
    ``DELIVERIES``) and up to date. An export is an act, not a draft: nobody approves a PDF once it is written."""
    status = stages[stage].status
    if stage in skipped_stages or status is StageStatus.APPROVED:
        return True
    return stage is Stage.EXPORT and status is StageStatus.DRAFT and delivery


def done_count(stages: dict[Stage, StageState], *, imported: bool = False, delivery: bool = False) -> int:
    """How many of the twelve stages are done (see ``is_done``): the figure of "N of 12 done"."""
    gone = skipped(stages, imported=imported)
    return sum(1 for stage in STAGE_ORDER if is_done(stages, stage, gone, delivery=delivery))


def next_stage(stages: dict[Stage, StageState], *, imported: bool = False, delivery: bool = False) -> Stage | None:
    """The first stage that is not done: where the Producer proposes to go on.

    A brought screenplay skips the treatment and the beats while they are empty; a cut from the boards, the clips;
    the export is done once a delivery is written (``delivery``).
    """
    gone = skipped(stages, imported=imported)
    for stage in STAGE_ORDER:
        if not is_done(stages, stage, gone, delivery=delivery):
            return stage
    return None
