"""The Producer's words about the work: a short account of a stage's artifact, and what went stale."""

from __future__ import annotations

from studio.models import BeatSheet, Breakdown, Brief, Look, Prompts, ShotList, Treatment
from studio.ports import ProjectPort
from studio.stages import Stage

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
