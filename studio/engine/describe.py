"""The Producer's words about the work: a short account of a stage's artifact, and what went stale."""

from __future__ import annotations

from dataclasses import dataclass

from studio.models import BeatSheet, Breakdown, Brief, Look, Prompts, ShotList, Treatment
from studio.ports import ProjectPort
from studio.stages import Stage, StageStatus

# The stages the crew writes (the others are rebuilt by code, or rendered).
CREW_WRITTEN = (Stage.BRIEF, Stage.TREATMENT, Stage.BEATS, Stage.SCRIPT, Stage.LOOK, Stage.SHOTS)


def describe(store: ProjectPort, stage: Stage) -> str:
    """A short human account of a stage's artifact."""
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


def stale_text(store: ProjectPort, stage: Stage, stale: list[Stage]) -> str:
    """What went stale, what redoing it means, and what it cost the last time."""
    names = ", ".join(s.value for s in stale)
    creative = [s for s in stale if s in CREW_WRITTEN]
    text = (f"The {stage.value} changed after approval, so {names} "
            f"{'is' if len(stale) == 1 else 'are'} now stale. Redoing {len(creative)} "
            f"stage{'s' if len(creative) != 1 else ''} with the crew (the rest is rebuilt by code) "
            f"would bring them up to date")
    llm = store.manifest().llm
    calls = sum(llm[s.value].calls for s in creative if s.value in llm)
    seconds = sum(llm[s.value].seconds for s in creative if s.value in llm)
    if calls:
        text += f": about {calls} model calls and {seconds:.0f} s, going by the work so far"
    return text + "."


# ---------------------------------------------------------------- what an export is made from, and is it stale

_SCRIPT = (Stage.SCRIPT,)
_SHOTS = (Stage.SHOTS, Stage.BOARDS)
_TIMELINE = (Stage.SHOTS, Stage.BOARDS, Stage.CLIPS, Stage.CUT)
EXPORT_INPUTS: dict[str, tuple[Stage, ...]] = {
    "fountain": _SCRIPT, "fdx": _SCRIPT, "pdf": _SCRIPT, "shotlist-csv": _SHOTS, "shotlist-pdf": _SHOTS,
    "storyboard-pdf": _SHOTS, "otio": _TIMELINE, "edl": _TIMELINE, "fcpxml": _TIMELINE, "mp4": _TIMELINE,
    "archive": (),
}
# What a rendered stage is made from: when one of these changed after it, it shows an older version.
MADE_FROM: dict[Stage, tuple[Stage, ...]] = {
    Stage.BOARDS: (Stage.SHOTS, Stage.PROMPTS), Stage.CLIPS: (Stage.SHOTS, Stage.PROMPTS),
    Stage.CUT: (Stage.SHOTS, Stage.BOARDS, Stage.CLIPS),
}
NAMES = {Stage.SHOTS: "shot list", Stage.BEATS: "beat sheet"}
PLURAL = {Stage.BOARDS, Stage.CLIPS, Stage.PROMPTS, Stage.BEATS}
REDO = {Stage.BOARDS: "/render boards", Stage.CLIPS: "/render clips", Stage.CUT: "/render cut"}
NOT_A_CHANGE = {"approve", "decision", "export"}  # commits that leave a stage's content as it was


@dataclass(frozen=True)
class StaleInput:
    """One input of an export that is not up to date: which stage, why (in words), and the command that redoes it."""

    stage: Stage
    reason: str
    redo: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage.value, "reason": self.reason, "redo": self.redo}


def _name(stage: Stage) -> str:
    return f"the {NAMES.get(stage, stage.value)}"


def _last_changes(store: ProjectPort) -> dict[Stage, int]:
    """Each stage's newest change of content as its place in the history (0: the newest commit)."""
    found: dict[Stage, int] = {}
    for place, commit in enumerate(store.history()):
        trailers = getattr(commit, "trailers", {}) or {}
        if trailers.get("Auteur-Action", "") in NOT_A_CHANGE:
            continue
        names = {trailers.get("Auteur-Stage", ""), *trailers.get("Auteur-Stages", "").split(", ")}
        for stage in Stage:
            if stage.value in names:
                found.setdefault(stage, place)
    return found


def stale_inputs(store: ProjectPort, kind: str) -> list[StaleInput]:
    """The inputs of an export that are stale: marked stale by an upstream edit, or older than what they are
    made from (boards drawn before the shot list changed, a cut made before the boards were redone)."""
    inputs = EXPORT_INPUTS.get(kind, ())
    stages = store.manifest().stages
    present = [s for s in inputs if stages[s].status is not StageStatus.EMPTY]
    changes = _last_changes(store) if any(s in MADE_FROM for s in present) else {}
    out: list[StaleInput] = []
    for stage in present:
        redo = REDO.get(stage, f"/approve {stage.value}")
        verb = "are" if stage in PLURAL else "is"
        newer = [up for up in MADE_FROM.get(stage, ()) if stages[up].status is not StageStatus.EMPTY
                 and up in changes and stage in changes and changes[up] < changes[stage]]
        if newer:
            out.append(StaleInput(stage, f"{_name(stage)} {verb} older than {_name(newer[0])}", redo))
        elif stages[stage].status is StageStatus.STALE:
            because = stages[stage].stale_because
            why = f" since {_name(Stage(because))} changed" if because in {s.value for s in Stage} else ""
            out.append(StaleInput(stage, f"{_name(stage)} {verb} stale{why}", redo))
    return out
