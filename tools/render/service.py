"""Render batches for the faces: plan, estimate, submit to the job runner, follow, and cut.

The CLI and the conversation engine both come through here, so a board made in
the terminal and one made in the chat are the same job with the same id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from config.settings import Settings
from studio.models import shot_code
from studio.render import JobEvent, JobState, JobStatus, RenderKind
from tools.render.plan import Plan, plan


@dataclass
class Batch:
    kind: RenderKind
    plan: Plan
    states: list[JobState] = field(default_factory=list)
    boards_first: list[JobState] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # sound: the shots refitted to their voices, in words
    fallbacks: list[str] = field(default_factory=list)  # sound: why a take was made another way than asked

    @property
    def failed(self) -> list[JobState]:
        return [s for s in self.boards_first + self.states if s.status is not JobStatus.DONE]


class RenderService:
    """The render port. ``make_runner`` gives the job runner (the composition root, config.container, decides
    which): called on first use, so a face that never renders never reaches Redis."""

    def __init__(self, settings: Settings, make_runner: Callable[[], Any]) -> None:
        self.settings = settings
        self._make_runner = make_runner
        self._runner = None

    @property
    def runner(self):
        if self._runner is None:
            self._runner = self._make_runner()
        return self._runner

    @property
    def local(self) -> bool:
        return self.settings.jobs != "celery"

    def plan(self, store, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
             shots: list[tuple[int, int]] | None = None, seed: int | None = None,
             prompt: str | None = None, activate: bool = False) -> Plan:
        """``activate``: the takes become their shots' active ones (a render a person asked for)."""
        if kind is RenderKind.SOUND:  # an estimate: the voices and cues are saved when it renders
            return self.sound_plan(store, scene=scene, tier=tier, activate=activate, write=False)
        return plan(store, kind, self.settings, scene=scene, tier=tier, shots=shots, seed=seed, local=self.local,
                    prompt_override=prompt, activate=activate)

    def follow(self, states: list[JobState], *, timeout: float | None = None) -> Iterator[JobEvent | list[JobState]]:
        """Yield each job's progress events as they come, then the final states (a list)."""
        ids = [s.id for s in states]
        deadline = None if timeout is None else time.monotonic() + timeout
        pending: list[JobEvent] = []
        seen: dict[str, tuple] = {}
        while True:
            finals = self.runner.wait(ids, timeout=0.5, on_event=pending.append)
            while pending:
                event = pending.pop(0)
                key = (event.status, round(event.progress, 3), event.message)
                if seen.get(event.id) != key:  # each wait starts by repeating where a job stands
                    seen[event.id] = key
                    yield event
            if all(s.status.finished for s in finals):  # (a job whose state vanished counts as over)
                yield finals
                return
            if deadline is not None and time.monotonic() > deadline:
                yield finals
                return

    def run(self, store, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
            shots: list[tuple[int, int]] | None = None, seed: int | None = None, prompt: str | None = None,
            on_event: Callable[[JobEvent], None] | None = None, prepared: Plan | None = None,
            activate: bool = False) -> Batch:
        """Render a batch and wait for it. Clips whose shot has no board get a board first."""
        events = on_event or (lambda e: None)
        if kind is RenderKind.SOUND:
            return self._run_sound(store, prepared or self.sound_plan(store, scene=scene, tier=tier,
                                                                      activate=activate),
                                   events, scene=scene, tier=tier, activate=activate)
        the_plan = prepared or self.plan(store, kind, scene=scene, tier=tier, shots=shots, seed=seed, prompt=prompt,
                                         activate=activate)
        batch = Batch(kind, the_plan)
        if kind is RenderKind.CLIP and the_plan.missing_boards:
            need = [(s.scene, s.shot) for s in the_plan.specs
                    if s.scene is not None and s.shot is not None
                    and shot_code(s.scene, s.shot) in the_plan.missing_boards]
            boards = self.plan(store, RenderKind.BOARD, tier=tier, shots=need)
            batch.boards_first = self._submit_and_wait(boards.specs, events)
            if any(s.status is not JobStatus.DONE for s in batch.boards_first):
                return batch
            the_plan = self.plan(store, kind, scene=scene, tier=tier, shots=shots, seed=seed, prompt=prompt,
                                 activate=activate or any(s.activate for s in the_plan.specs))
            batch.plan = the_plan
        batch.states = self._submit_and_wait(the_plan.specs, events)
        return batch

    def _submit_and_wait(self, specs, on_event) -> list[JobState]:
        states = [self.runner.submit(spec) for spec in specs]
        finals: list[JobState] = states
        for item in self.follow(states):
            if isinstance(item, list):
                finals = item
            else:
                on_event(item)
        return finals

    def cut(self, store, *, on_progress: Callable[[float, str], None] | None = None):
        """The cut, with what sound is missing or out of date rendered first (as clips draw missing boards), so
        its MP4 carries the mixed track."""
        from tools.render.cut import assemble_cut

        _pictures_first(store)  # a cut that cannot be made renders no sound for it
        batch = self.sound_for_cut(store)
        if batch is not None and batch.failed:  # a cut missing lines would pass for a finished one: say so
            from studio.errors import AuteurError

            first = batch.failed[0]
            raise AuteurError(f"{len(batch.failed)} of the sound takes the cut needs did not render ({first.spec.label}: "
                              f"{first.error or first.status.value})",
                              "fix that, then cut again; `auteur render sound` (/render sound) renders and "
                              "shows each one")
        return assemble_cut(store, progress=on_progress)

    # ---------------------------------------------------------------- sound

    def sound_plan(self, store, *, scene: int | None = None, keys: list[str] | None = None, tier: str | None = None,
                   activate: bool = False, write: bool = True) -> Plan:
        """The sound jobs (voices cast and cues derived first, unless ``write`` is off) and their cost."""
        from tools.sound.plan import sound_plan

        return sound_plan(store, self.settings, scene=scene, keys=keys, local=self.local, tier=tier,
                          activate=activate, write=write)

    def _run_sound(self, store, the_plan: Plan, events, *, scene: int | None, tier: str | None,
                   activate: bool) -> Batch:
        """The dialogue first; then the shots refitted to their voices; then the cues, planned again on the
        refitted durations (a room tone spans its scene as the cut will place it)."""
        from studio.sound import Track
        from tools.sound.plan import save_setup, sound_plan

        save_setup(store)  # the voices and cues the plan was made with (the same: both are deterministic)
        dialogue = [s for s in the_plan.specs if s.parameters.get("track") == Track.DIALOGUE.value]
        asked = sorted({s.subject for s in the_plan.specs if s.activate}) or None
        batch = Batch(RenderKind.SOUND, the_plan)
        batch.states = self._submit_and_wait(dialogue, events)
        batch.notes = self.refit(store)  # also after no new take: a shot shortened by hand since is fitted again
        cue_keys = None if asked is None else [k for k in asked if k not in {s.subject for s in dialogue}]
        if cue_keys == []:
            batch.fallbacks = _fallbacks(store, batch.states)
            return batch
        cues = sound_plan(store, self.settings, scene=scene, keys=cue_keys, local=self.local, tier=tier,
                          activate=activate, write=False, tracks=(Track.EFFECTS, Track.MUSIC))
        batch.plan = Plan(dialogue + cues.specs, the_plan.estimate,
                          the_plan.notices + [n for n in cues.notices if n not in the_plan.notices])
        batch.states += self._submit_and_wait(cues.specs, events)
        batch.fallbacks = _fallbacks(store, batch.states)
        return batch

    def refit(self, store) -> list[str]:
        """Each dialogue shot at least as long as its active take and a breath (studio.sound_timing), saved in
        one commit by the Producer (the shot list keeps its status; boards and clips stay up to date); the
        changes in words."""
        from memory.sound_takes import SoundTakes
        from studio.models import ShotList
        from studio.project import Author
        from studio.sound_timing import refit
        from studio.stages import Stage

        shots = store.read(Stage.SHOTS)
        if not isinstance(shots, ShotList):
            return []
        takes = SoundTakes(store)
        spoken: dict[str, float] = {}
        for shot in shots.shots:
            take = takes.active(shot.code) if shot.dialogue.strip() else None
            if take is None:
                continue
            where = str(take.parameters.get("dual_with") or shot.code)  # dual dialogue plays over that shot
            spoken[where] = max(spoken.get(where, 0.0), take.seconds)
        new, changes = refit(shots, spoken)
        if changes:
            shown = "; ".join(changes[:4]) + (f" and {len(changes) - 4} more" if len(changes) > 4 else "")
            store.amend({Stage.SHOTS: new}, author=Author.agent("Producer"),
                        summary=f"shots fitted to their voices: {shown}"[:300], action="refit")
        return changes

    def sound_for_cut(self, store, on_event: Callable[[JobEvent], None] | None = None) -> Batch | None:
        """Render the sound the cut needs and lacks (missing or out of date); None when there was none to do."""
        the_plan = self.sound_plan(store)
        if not the_plan.specs:
            return None
        return self._run_sound(store, the_plan, on_event or (lambda e: None), scene=None, tier=None,
                               activate=False)

    def sound_preview(self, store, *, scene: int | None = None) -> str:
        """A mixed and mastered WAV of the film's sound (or one scene's) as the cut would carry it, under 05_Cache
        (never committed): its path in the project."""
        from tools.sound.preview import preview

        return preview(store, scene=scene)

    def sound_takes(self, store, key: str) -> list:
        from memory.sound_takes import SoundTakes

        return SoundTakes(store).list(key)

    def choose_sound(self, store, key: str, number: int):
        from memory.sound_takes import SoundTakes

        return SoundTakes(store).choose(key, number, author=store.user())

    def sound_cues(self, store):
        """The cues as the script gives them now, with a person's edits kept (worked out, not saved), and which take
        of each is active (the plan on disk)."""
        from memory.sound_takes import read_plan
        from studio.errors import StageError
        from studio.models import Breakdown, ShotList
        from studio.sound import SoundPlan
        from studio.stages import Stage
        from tools.sound.plan import derived_cues

        saved = read_plan(store)
        shots, breakdown, script = store.read(Stage.SHOTS), store.read(Stage.BREAKDOWN), store.read_script()
        if not isinstance(shots, ShotList) or not shots.shots or not isinstance(breakdown, Breakdown):
            raise StageError(f"{store.slug} has no shot list yet, so no sound cues",
                             f"draft the shots first (`auteur run -p {store.slug} --until shots --yes`)")
        cues = derived_cues(store, shots, breakdown, script.fountain if script is not None else "")
        return SoundPlan(cues=cues, active=dict(saved.active), chosen=list(saved.chosen))

    def edit_cue(self, store, key: str, *, prompt: str | None = None, mood: str | None = None):
        """The person's prompt or mood for one cue, in one commit (the cue keeps it through later derivations)."""
        from memory.sound_takes import SoundTakes
        from studio.errors import StageError

        plan = self.sound_cues(store)
        cue = plan.cue(key)
        if cue is None:
            raise StageError(f"there is no sound cue {key}", "see /sound for the cues of each scene")
        changes: dict = {"person": sorted({*cue.person, *(["prompt"] if prompt else []), *(["mood"] if mood else [])})}
        if prompt:
            changes["prompt"] = prompt
        if mood:
            changes["mood"] = mood
        edited = cue.model_copy(update=changes)
        plan.cues = [edited if c.id == key else c for c in plan.cues]
        what = f"prompt: {prompt}" if prompt else f"mood: {mood}"
        SoundTakes(store).save_plan(plan, author=store.user(), summary=f"sound cue {key} {what}"[:200])
        return edited

    def reference(self, store, subject: str, *, tier: str | None = None,
                  on_event: Callable[[JobEvent], None] | None = None) -> JobState:
        """A reference image of a character or location, rendered as a job and waited for."""
        from tools.render.execute import reference_spec

        spec = reference_spec(store, subject, self.settings, tier=tier,
                              seed=_next_seed(store, subject))
        return self._submit_and_wait([spec], on_event or (lambda e: None))[0]


def _next_seed(store, subject: str) -> int:
    from memory.project_store import reference_folder
    from tools.render.plan import seed_for

    folder = store.path / reference_folder(store, subject)
    count = len(list(folder.glob("ref_*.json"))) if folder.is_dir() else 0
    return seed_for(store.manifest().id, subject.upper(), count)


def _fallbacks(store, states: list[JobState]) -> list[str]:
    """Why sound takes were made another way than asked (a voice model that could not be used, an audio model
    missing on this machine), once each, from the takes' sidecars: for the Producer to say."""
    import json

    found: list[str] = []
    for state in states:
        if state.status is not JobStatus.DONE or not state.take:
            continue
        try:
            sidecar = json.loads((store.path / state.take).with_suffix(".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        why = sidecar.get("parameters", {}).get("fallback") if isinstance(sidecar, dict) else None
        if isinstance(why, str) and why and why not in found:
            found.append(why)
    return found


def _pictures_first(store) -> None:
    """Every shot has an active clip or board, or the StageError the cut would give (before any sound is made)."""
    from studio.errors import StageError
    from studio.models import ActiveTakes, ShotList
    from studio.stages import Stage

    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError(f"{store.slug} has no shot list to cut", "draft the shots first, then render boards")
    drawn: set[str] = set()
    for stage in (Stage.BOARDS, Stage.CLIPS):
        active = store.read(stage)
        drawn |= set(active.active) if isinstance(active, ActiveTakes) else set()
    missing = [s.code for s in shots.shots if s.code not in drawn]
    if missing:
        shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
        raise StageError(f"{len(missing)} shots have no board or clip yet ({shown})",
                         f"render their boards first: /render boards in the chat, or `auteur render boards -p "
                         f"{store.slug}` in a terminal")

