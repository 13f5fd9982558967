"""The Producer's words about the work: a short account of a stage's artifact, and what went stale (stage by
stage, and shot by shot: which boards and clips are older than their shot or prompt, and what redoing them costs)."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.errors import AuteurError
from studio.models import BeatSheet, Breakdown, Brief, Cut, Exports, Look, Prompts, ShotList, Take, TakeKind, Treatment, shot_code
from studio.ports import ProjectPort, RenderPort
from studio.render import RenderKind, json_digest, shot_digest
from studio.sound_timing import picture_digest
from studio.stages import DELIVERIES, RENDERED, STAGE_ORDER, Stage, StageStatus, delivered, is_done, skipped

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
    """What went stale, what redoing it means, and what it cost the last time. The crew's stages are redrafted
    (with the model work they took before); the rest is rebuilt by code, and the boards and clips out of date are
    redone shot by shot (/render stale)."""
    names = ", ".join(s.value for s in stale)
    creative = [s for s in stale if s in CREW_WRITTEN]
    text = f"The {stage.value} changed after approval, so {names} {'is' if len(stale) == 1 else 'are'} now stale."
    if creative:
        rest = " (the rest is rebuilt by code)" if len(creative) < len(stale) else ""
        text += (f" Redoing {len(creative)} stage{'s' if len(creative) != 1 else ''} with the crew{rest} "
                 f"would bring {'it' if len(stale) == 1 else 'them'} up to date")
        llm = store.manifest().llm
        calls = sum(llm[s.value].calls for s in creative if s.value in llm)
        seconds = sum(llm[s.value].seconds for s in creative if s.value in llm)
        if calls:
            text += f": about {calls} model calls and {seconds:.0f} s, going by the work so far"
        text += "."
    by_code = [s for s in stale if s not in CREW_WRITTEN and s not in REDO]
    if by_code:
        listed = ", ".join(("the " + NAMES.get(s, s.value)) for s in by_code)
        text += f" {listed[:1].upper() + listed[1:]} {'are' if len(by_code) > 1 or by_code[0] in PLURAL else 'is'} " \
                f"rebuilt by code, with no model work."
    renders = [s for s in stale if s in (Stage.BOARDS, Stage.CLIPS)]
    if renders:
        found = shot_staleness(store)
        counts = [f"{n} {s.value if n != 1 else s.value.removesuffix('s')}"
                  for s, n in ((Stage.BOARDS, len(found.boards)), (Stage.CLIPS, len(found.clips))) if n]
        if counts:
            text += f" /render stale redoes the {' and '.join(counts)} out of date."
        else:
            text += f" {' and '.join(REDO[s] for s in renders)} make{'s' if len(renders) == 1 else ''} them again."
    if Stage.CUT in stale:
        text += " /render cut makes the cut again."
    return text


# ---------------------------------------------------------------- the stage tracker: where every stage stands


@dataclass(frozen=True)
class TrackerRow:
    """One stage as the tracker shows it: its status (``skipped`` besides the stored ones), the words for a person,
    whether nothing is left to do there, and the command that approves it when it waits for that."""

    stage: Stage
    status: str
    words: str
    done: bool
    approve: str | None = None


def tracker(store: ProjectPort) -> list[TrackerRow]:
    """Every stage, truthfully: one an import (or an animatic cut) went past says so and counts as done; boards,
    clips and the cut wait for an approval that /approve gives; an export written is done."""
    stages = store.manifest().stages
    brief = store.read(Stage.BRIEF)
    gone = skipped(stages, imported=bool(isinstance(brief, Brief) and brief.imported_from))
    kinds = exported_kinds(store)
    rows: list[TrackerRow] = []
    for stage in STAGE_ORDER:
        status = stages[stage].status
        done = is_done(stages, stage, gone, delivery=delivered(kinds))
        if stage in gone:
            rows.append(TrackerRow(stage, "skipped", f"skipped: {gone[stage]}", True))
        elif status is StageStatus.DRAFT and stage is Stage.EXPORT:
            rows.append(TrackerRow(stage, status.value, export_words(kinds), done))
        elif status is StageStatus.DRAFT:
            made = "rendered" if stage in RENDERED else "draft"
            rows.append(TrackerRow(stage, status.value, f"{made}, waiting for your approval (/approve {stage.value})",
                                   done, f"/approve {stage.value}"))
        else:
            words = {StageStatus.EMPTY: "to do", StageStatus.APPROVED: "approved", StageStatus.STALE: "stale, to redo"}
            rows.append(TrackerRow(stage, status.value, words[status], done))
    return rows


def exported_kinds(store: ProjectPort) -> list[str]:
    """The kinds of export written on this branch (the export stage's record), oldest first."""
    found = store.read(Stage.EXPORT)
    return [e.kind for e in found.exports] if isinstance(found, Exports) else []


def delivery_written(store: ProjectPort) -> bool:
    """Whether a delivery of the film was exported (studio.stages.DELIVERIES), not only working papers."""
    return delivered(exported_kinds(store))


def export_words(kinds: list[str]) -> str:
    """'exported: mp4, edl', or, when only working papers were written, what is still to do."""
    if delivered(kinds):
        return "exported: " + ", ".join(k for k in kinds if k in DELIVERIES)
    return (f"to do: only {', '.join(kinds)} written so far; deliver with /export mp4 (or edl, otio, fcpxml, "
            "fdx, pdf)")


def tracker_heading(store: ProjectPort, rows: list[TrackerRow] | None = None) -> str:
    """"Night Shift · branch main: 9 of 12 done (2 skipped)": the project, the branch in use, and how far it is."""
    rows = rows if rows is not None else tracker(store)
    done = sum(1 for r in rows if r.done)
    gone = sum(1 for r in rows if r.status == "skipped")
    extra = f" ({gone} skipped)" if gone else ""
    return f"{store.manifest().title} · branch {store.branch}: {done} of {len(rows)} done{extra}"


def tracker_lines(store: ProjectPort) -> list[str]:
    """The tracker as text (/status in every face): the heading, then one line per stage that starts with its
    status word (" 6. look       empty") and says what a person needs to know beside it."""
    rows = tracker(store)
    lines = [tracker_heading(store, rows)]
    for k, row in enumerate(rows, start=1):
        said = row.words.removeprefix(f"{row.status}: ").removeprefix(f"{row.status}, ")
        extra = f": {said}" if row.status == "skipped" else (f" — {said}" if row.status == "draft" else "")
        lines.append(f"{k:>2}. {row.stage.value:<10} {row.status}{extra}")
    return lines


def take_label(take: Take) -> str:
    """" (active board)" or " (active clip)" for the take a shot uses of its kind, else "": a shot has one active
    board AND one active clip, and two takes both marked "(active)" read as a contradiction."""
    if not take.active:
        return ""
    return " (active board)" if take.kind is TakeKind.IMAGE else " (active clip)"


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
    made from, shot by shot: a board drawn before its shot (or its prompt) changed, a clip made from another board
    than the active one, a cut that uses other takes than the active ones. Takes rendered before their sidecar
    recorded what they were made from fall back to the order of the stages' changes in the history."""
    inputs = EXPORT_INPUTS.get(kind, ())
    stages = store.manifest().stages
    present = [s for s in inputs if stages[s].status is not StageStatus.EMPTY]
    shots = store.read(Stage.SHOTS) if any(s in MADE_FROM for s in present) else None
    check = _ShotCheck(store, shots) if isinstance(shots, ShotList) else None
    changes: dict[Stage, int] | None = None
    out: list[StaleInput] = []
    for stage in present:
        redo = REDO.get(stage, f"/approve {stage.value}")
        verb = "are" if stage in PLURAL else "is"
        exact, legacy = check.findings(stage) if check is not None and stage in MADE_FROM else ({}, False)
        newer: list[Stage] = []
        if not exact and legacy:  # takes that do not say what they were made from: the order of the changes
            changes = _last_changes(store) if changes is None else changes
            newer = [up for up in MADE_FROM[stage] if stages[up].status is not StageStatus.EMPTY
                     and up in changes and stage in changes and changes[up] < changes[stage]]
        if exact:
            out.append(StaleInput(stage, "; ".join(_exact_reason(stage, verb, why, codes)
                                                   for why, codes in exact.items()), redo))
        elif newer:
            out.append(StaleInput(stage, f"{_name(stage)} {verb} older than {_name(newer[0])}", redo))
        elif stages[stage].status is StageStatus.STALE:
            because = stages[stage].stale_because
            why = f" since {_name(Stage(because))} changed" if because in {s.value for s in Stage} else ""
            out.append(StaleInput(stage, f"{_name(stage)} {verb} stale{why}", redo))
    return out


def _exact_reason(stage: Stage, verb: str, why: Stage, codes: list[str]) -> str:
    shown = ", ".join(codes[:SHOWN]) + (f" and {len(codes) - SHOWN} more" if len(codes) > SHOWN else "")
    return f"{_name(stage)} {verb} older than {_name(why)} for {shown}"


SHOWN = 3  # shot codes named in a reason; the rest are counted



class _ShotCheck:
    """Each shot of the current shot list against its active takes and the cut: what is older than what.

    A finding maps what an input is older than to the shots concerned (a shot not drawn yet is none: the export
    leaves it blank, or shows its board); ``legacy`` says that some take records nothing to check against (rendered
    before takes recorded it, or added by hand)."""

    def __init__(self, store: ProjectPort, shots: ShotList) -> None:
        self.store = store
        self.shots = shots.shots
        prompts = store.read(Stage.PROMPTS)
        by_shot = {(p.scene, p.number): p for p in prompts.prompts} if isinstance(prompts, Prompts) else {}
        self.digests = {s.code: (shot_digest(s),
                                 json_digest(by_shot[s.scene, s.number].model_dump_json())
                                 if (s.scene, s.number) in by_shot else "") for s in self.shots}
        self.pictures = {s.code: picture_digest(s) for s in self.shots}
        self.unfitted = {s.code: (shot_digest(s.model_copy(update={"duration_s": s.fitted_from})),)
                         for s in self.shots if s.fitted_from is not None}
        self.active: dict[tuple[str, TakeKind], Take] = {}
        for s in self.shots:
            for take in store.takes(s.scene, s.number):
                if take.active:
                    self.active[s.code, take.kind] = take

    def _take(self, code: str, kind: TakeKind) -> tuple[Stage | None, bool] | None:
        """None: no active take; else (what it is older than, or None when fresh; whether it records nothing)."""
        take = self.active.get((code, kind))
        if take is None:
            return None
        made = take.parameters.get("made_from")
        if not isinstance(made, dict) or not isinstance(made.get("shot"), str):
            return None, True
        shot, prompt = self.digests[code]
        # A take made before takes recorded their picture matches its shot as it is, or as it was before the shot
        # was fitted to its voice (the same picture, held longer).
        shots = (shot, *self.unfitted.get(code, ()))
        # A take that records its picture (the shot without its duration) is out of date only when the picture
        # changed: a shot refitted to its voices holds the same board and clip longer (the cut is what changes).
        picture = made.get("picture")
        if (made["shot"] not in shots) if not isinstance(picture, str) else (picture != self.pictures[code]):
            return Stage.SHOTS, False
        if made.get("prompt", "") != prompt:
            return Stage.PROMPTS, False
        if kind is TakeKind.VIDEO:
            board = self.active.get((code, TakeKind.IMAGE))
            if board is None or made.get("board") != board.path:
                return Stage.BOARDS, False
        return None, False

    def findings(self, stage: Stage) -> tuple[dict[Stage, list[str]], bool]:
        if stage is Stage.CUT:
            cut = self.store.read(Stage.CUT)
            if not isinstance(cut, Cut) or any(e.take is None for e in cut.entries):
                return {}, True  # a cut that does not record its takes
            return self._cut(cut), False
        found: dict[Stage, list[str]] = {}
        legacy = False
        kind = TakeKind.IMAGE if stage is Stage.BOARDS else TakeKind.VIDEO
        for s in self.shots:
            state = self._take(s.code, kind)
            if state is None:
                continue  # not drawn yet: the export leaves it blank (boards) or shows its board (clips)
            if state[0] is not None:
                found.setdefault(state[0], []).append(s.code)
            legacy = legacy or state[1]
        return found, legacy

    def _cut(self, cut: Cut) -> dict[Stage, list[str]]:
        """The cut uses, for each shot, its active clip (else its active board), itself up to date."""
        entries = {(e.scene, e.shot): e for e in cut.entries}
        found: dict[Stage, list[str]] = {}
        for s in self.shots:
            entry = entries.pop((s.scene, s.number), None)
            used = self.active.get((s.code, TakeKind.VIDEO)) or self.active.get((s.code, TakeKind.IMAGE))
            if entry is None or used is None or entry.duration_s != s.duration_s:
                why: Stage | None = Stage.SHOTS  # a shot the cut lacks, or shows for another length
            elif entry.take != used.path:
                why = Stage.CLIPS if used.kind is TakeKind.VIDEO else Stage.BOARDS
            else:  # the take the cut uses is the active one: is it itself up to date?
                state = self._take(s.code, used.kind)
                why = state[0] if state is not None else Stage.SHOTS
            if why is not None:
                found.setdefault(why, []).append(s.code)
        if entries:  # shots cut from the shot list since
            found.setdefault(Stage.SHOTS, []).extend(shot_code(*k) for k in entries)
        self._cut_sound(cut, found)
        return found

    def _cut_sound(self, cut: Cut, found: dict[Stage, list[str]]) -> None:
        """A mixed cut is older than a sound take made since: a line spoken again (its voice is the look's) or a cue
        rendered again (cues come from the script)."""
        if cut.audio is None:
            return
        now = self.store.sound_in_use()
        for key, used in cut.audio.takes.items():
            if key in now and now[key] != used:
                found.setdefault(Stage.LOOK if "_SH" in key else Stage.SCRIPT, []).append(key)


# ---------------------------------------------------------------- staleness shot by shot, in words


@dataclass
class ShotStaleness:
    """Which shots' active takes are older than what they are made from, now."""

    boards: list[str]  # shot codes whose active board is older than its shot or prompt
    clips: list[str]  # … whose active clip is older than its shot, prompt or board
    cut: bool  # the cut uses other takes or lengths than now
    drawn: int = 0  # shots with an active board
    filmed: int = 0  # shots with an active clip
    keys: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)  # shot code → (scene, number)

    def shots(self, codes: list[str]) -> list[tuple[int, int]]:
        """The (scene, number) of ``codes``, for a render."""
        return [self.keys[c] for c in codes if c in self.keys]


def shot_staleness(store: ProjectPort) -> ShotStaleness:
    """The boards and clips out of date shot by shot (by what each take records it was made from), and the cut."""
    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        return ShotStaleness([], [], False)
    check = _ShotCheck(store, shots)
    stale: dict[Stage, list[str]] = {}
    for stage in (Stage.BOARDS, Stage.CLIPS):
        found, _ = check.findings(stage)
        codes = {c for why in found.values() for c in why}
        stale[stage] = [s.code for s in shots.shots if s.code in codes]
    found, legacy = check.findings(Stage.CUT)
    cut = bool(found) or (legacy and isinstance(store.read(Stage.CUT), Cut)
                          and store.manifest().stages[Stage.CUT].status is StageStatus.STALE)
    drawn = sum(1 for (_, kind) in check.active if kind is TakeKind.IMAGE)
    filmed = sum(1 for (_, kind) in check.active if kind is TakeKind.VIDEO)
    return ShotStaleness(stale[Stage.BOARDS], stale[Stage.CLIPS], cut, drawn, filmed,
                         {s.code: (s.scene, s.number) for s in shots.shots})


def _listed(codes: list[str]) -> str:
    return ", ".join(codes[:2]) + (f" and {len(codes) - 2} more" if len(codes) > 3 else
                                   f" and {codes[2]}" if len(codes) == 3 else "")


def staleness_text(store: ProjectPort, renderer: RenderPort | None, stale: ShotStaleness | None = None) -> str:
    """What is out of date shot by shot and what redoing it costs, in a sentence ("" when nothing is): "The boards
    of 14 shots are now out of date (S02_SH001, S02_SH003 and 12 more) and 3 clips; redoing them: … (/render
    stale)." The cost is the renderer's own estimate; without a renderer, only the command. ``stale``: the
    staleness already worked out, when the caller has it."""
    stale = stale if stale is not None else shot_staleness(store)
    if not (stale.boards or stale.clips or stale.cut):
        return ""
    parts: list[str] = []
    if stale.boards:
        parts.append(f"the board{'s' if len(stale.boards) != 1 else ''} of {len(stale.boards)} "
                     f"shot{'s' if len(stale.boards) != 1 else ''} ({_listed(stale.boards)})")
    if stale.clips:
        parts.append(f"{len(stale.clips)} clip{'s' if len(stale.clips) != 1 else ''} ({_listed(stale.clips)})"
                     if parts else f"the clips of {len(stale.clips)} shot{'s' if len(stale.clips) != 1 else ''} "
                                   f"({_listed(stale.clips)})")
    if not parts:
        return "The cut uses other takes or lengths than the shots have now: /render cut assembles it again."
    many = len(stale.boards) + len(stale.clips) > 1
    text = f"{' and '.join(parts)} {'are' if many else 'is'} now out of date"
    text = text[0].upper() + text[1:]
    costs: list[str] = []
    if renderer is not None:
        for kind, codes in ((RenderKind.BOARD, stale.boards), (RenderKind.CLIP, stale.clips)):
            if codes:
                try:
                    costs.append(renderer.plan(store, kind, shots=stale.shots(codes)).estimate.text)
                except AuteurError:  # nothing to plan with (no prompts): the command still says how
                    pass
    text += f"; redoing {'them' if many else 'it'}: {'; '.join(costs)} (/render stale)" if costs \
        else "; /render stale redoes " + ("them" if many else "it")
    if stale.cut:
        text += ". The cut uses older takes too: /render cut after"
    return text + "."
