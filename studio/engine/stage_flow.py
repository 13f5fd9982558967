"""The stage flow: which stage is next, drafting it, approving it, revising it, treatment variants,
and the cascade's words when an approved stage changes. Where a stage is approved: `approve`."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.conversation import Conversation
from studio.engine.describe import CREW_WRITTEN, describe, stale_text
from studio.engine.events import Event, error, say
from studio.errors import AuteurError, StageError
from studio.models import Structure, Treatment
from studio.ports import ProjectPort
from studio.stages import CREATIVE, RENDERED, STAGE_ORDER, Stage, StageStatus, next_stage as stage_after, skipped


def imported(store: ProjectPort) -> bool:
    """Whether the project's script was brought in (its treatment and beats are skipped, not to do)."""
    brief = store.read(Stage.BRIEF)
    return bool(brief and brief.imported_from)


def next_stage(conv: Conversation) -> Stage | None:
    """The next stage the crew works on (up to the prompts; rendering is not the crew's)."""
    store = conv.require_project()
    stage = stage_after(store.manifest().stages, imported=imported(store))
    return stage if stage in CREATIVE else None


# After a rendered stage waits for approval: what else the person may do from there.
AFTER_RENDER = {Stage.BOARDS: ["Render clips", "Cut"], Stage.CLIPS: ["Cut"], Stage.CUT: ["Status"]}


def render_question(conv: Conversation) -> Event:
    """Past the prompts: approve the boards, clips or cut that wait (a render is a draft like any other), or
    render what comes next. A stage the work went past (clips, when the cut is made from the boards) is skipped."""
    store = conv.require_project()
    stages = store.manifest().stages
    waiting = next((s for s in RENDERED if stages[s].status is StageStatus.DRAFT), None)
    if waiting is not None:
        verb = "is" if waiting is Stage.CUT else "are"
        return Event("question", f"The {waiting.value} {verb} ready for you. Approve, or render again what you want "
                                 "changed (/render boards SHOT).", stage=waiting.value,
                     options=[f"Approve {waiting.value}"] + AFTER_RENDER[waiting], data={"approval": waiting.value})
    gone = skipped(stages, imported=imported(store))
    todo = next((s for s in RENDERED if s not in gone and stages[s].status is not StageStatus.APPROVED), None)
    if todo is Stage.BOARDS:
        return Event("question", "Every stage up to the prompts is approved. Shall the Cinematographer render the "
                                 "boards?", stage="boards", options=["Render boards", "Render clips", "Cut"],
                     data={"stage": "boards"})
    if todo is Stage.CLIPS:
        return Event("question", "The boards are approved. Shall the Cinematographer render the clips, or shall the "
                                 "Producer cut the boards together?", stage="clips", options=["Render clips", "Cut"],
                     data={"stage": "clips"})
    if todo is Stage.CUT:
        return Event("question", "Shall the Producer assemble the cut?", stage="cut", options=["Cut"],
                     data={"stage": "cut"})
    return say("The cut is approved. Deliver it to your team: /export mp4, edl, otio, fcpxml, or the script as fdx "
               "or pdf.", data={"stage": "export"})


def propose(conv: Conversation) -> list[Event]:
    """The question that moves the work on: approve what waits, or draft (or render) what comes next."""
    stage = next_stage(conv)
    store = conv.require_project()
    if stage is None:
        if conv.renderer is None:
            return [say("Every stage up to the prompts is approved. Render boards, clips and the cut with "
                        "`auteur render`.", data={"stage": None})]
        return [render_question(conv)]
    status = store.manifest().status(stage)
    if status is StageStatus.DRAFT:
        options = ["Approve", "Revise"] + (["Variants"] if stage is Stage.TREATMENT else [])
        # The approval question: the one a bare "yes" may answer (studio.engine.directing.affirm).
        return [Event("question", f"The {stage.value} stage is ready for you. Approve it, or tell me what to change.",
                      stage=stage.value, options=options, data={"approval": stage.value})]
    verb = "redo" if status is StageStatus.STALE else "draft"
    return [Event("question", f"Next: the {stage.lead} will {verb} the {stage.value}. Go ahead?",
                  stage=stage.value, options=["Next", "Status"])]


def waiting_for_idea(conv: Conversation) -> bool:
    """A project with no brief and no screenplay: what the person types is the idea."""
    store = conv.require_project()
    return store.manifest().status(Stage.BRIEF) is StageStatus.EMPTY and store.read_script() is None


def has_variants(conv: Conversation) -> bool:
    t = conv.require_project().read(Stage.TREATMENT)
    return isinstance(t, Treatment) and len(t.variants) > 1


def start_from_idea(conv: Conversation, idea: str, minutes: float | None = None) -> Iterator[Event]:
    words = re.findall(r"[\w'’-]+", idea)
    if len(words) < 3:
        raise StageError("tell me your film idea in a sentence to start a project",
                         "e.g. 'A night-shift waitress recognises the stranger at the counter', or type /help")
    _ = conv.crew  # a model profile that cannot load is reported before any project is made
    before = conv.store
    title = " ".join(words[:6]).title()
    base, n = title, 1
    while True:
        try:
            conv.store = conv.workspace.create(title)
            break
        except AuteurError as exc:
            if "already exists" not in exc.problem or n > 50:
                raise
            n += 1
            title = f"{base} {n}"
    made = conv.store
    yield say(f"A new project: {title}. Let me write the brief.", data={"slug": made.slug})
    try:
        yield from draft(conv, Stage.BRIEF, idea=idea, minutes=minutes)
    except AuteurError:
        # A failed start leaves no project behind (a model that cannot be reached fails at the first draft): the
        # project made a moment ago holds nothing of the person's yet, and a rerun would make another.
        if made.read(Stage.BRIEF) is None:
            conv.store = before
            conv.workspace.remove(made.slug)
        raise


def draft(conv: Conversation, stage: Stage, *, notes: str = "", idea: str = "",
          structure: Structure | None = None, minutes: float | None = None) -> Iterator[Event]:
    """The stage's lead drafts it (again); then it waits for approval, or is approved at once."""
    yield Event("progress", f"The {stage.lead} is working on the {stage.value}…", author=stage.lead,
                stage=stage.value, data={"state": "running"})
    done = conv.pipeline.draft(stage, notes=notes, idea=idea, structure=structure, minutes=minutes)
    conv.focus = stage
    yield Event("progress", f"{stage.value} done", author=stage.lead, stage=stage.value, data={"state": "done"})
    store = conv.require_project()
    yield Event("artifact", describe(store, stage), author=done.author, stage=stage.value,
                data={"commit": done.commit, "summary": done.summary})
    if not done.changed:
        yield say(f"The {stage.lead} came back with the same {stage.value}: nothing changed.",
                  author=stage.lead, stage=stage.value)
    yield from vetted(stage, done.fallbacks, done.corrections)
    yield from theirs(stage, done.kept, done.lost)
    if done.made_stale:
        yield say(stale_text(store, stage, done.made_stale))
    if conv.auto_approve:
        yield from approve(conv, stage)
    else:
        yield from propose(conv)


SHOWN = 5  # items named in the Producer's note about a draft; the rest are counted


def _listed(items: list[str]) -> str:
    named = ", ".join(items[:SHOWN])
    return f"{named} and {len(items) - SHOWN} more" if len(items) > SHOWN else named


def vetted(stage: Stage, fallbacks: list[str], corrections: list[str]) -> Iterator[Event]:
    """The Producer says which fields were written by rule (the model's answers failed their checks) and which
    shots the craft rules corrected: nothing of it is hidden, and it is short."""
    if fallbacks:
        n = len(fallbacks)
        yield say(f"{n} field{'s were' if n != 1 else ' was'} written by rule instead of the model: "
                  f"{_listed(fallbacks)} (the model's answers were not usable).", stage=stage.value,
                  data={"fallbacks": fallbacks})
    if corrections:
        n = len(dict.fromkeys(c.split(":", 1)[0] for c in corrections))  # 'S01_SH001: rule (change)'
        yield say(f"{n} shot{'s' if n != 1 else ''} corrected: {_listed(corrections)}.", stage=stage.value,
                  data={"corrections": corrections})


def theirs(stage: Stage, kept: list[str], lost: list[str]) -> Iterator[Event]:
    """The Producer says which of the person's own changes the redraft kept, and which it could not keep."""
    if kept:
        yield say(f"Kept your changes: {_listed(kept)}.", stage=stage.value, data={"kept": kept})
    if lost:
        more = f" And {len(lost) - SHOWN} more could not be kept." if len(lost) > SHOWN else ""
        yield say(" ".join(f"{line}." for line in lost[:SHOWN]) + more, stage=stage.value, data={"lost": lost})


def go_next(conv: Conversation) -> Iterator[Event]:
    """'next': draft the next stage, or ask for the approval it waits for."""
    stage = next_stage(conv)
    if stage is None:
        yield from propose(conv)
        return
    status = conv.require_project().manifest().status(stage)
    if status is StageStatus.DRAFT:
        if conv.auto_approve:
            yield from approve(conv, stage)
            return
        yield from propose(conv)
        return
    yield from draft(conv, stage)


def approve(conv: Conversation, stage: Stage | None = None, *, anyway: bool = False) -> Iterator[Event]:
    """Approve a stage (the one offered when none is named): committed, and the work moves on. Boards or clips of
    which some are older than their shots are asked about first (``anyway``: the person already said yes)."""
    store = conv.require_project()
    if stage is None:
        # The stage the Producer just offered; a stale stage is approved only by name.
        manifest = store.manifest()
        offered = next_stage(conv)
        waiting = [s for s in STAGE_ORDER if manifest.status(s) is StageStatus.DRAFT]
        if offered in waiting:
            stage = offered
        elif waiting:
            stage = waiting[0]
        else:
            raise StageError("nothing is waiting for approval",
                             "say 'next' and the crew drafts the next stage (a stale stage: /approve STAGE)")
    if stage in (Stage.BOARDS, Stage.CLIPS) and not anyway and (asked := out_of_date_question(store, stage)):
        yield asked
        return
    if stage is Stage.TREATMENT:
        treatment = store.read(Stage.TREATMENT)
        if isinstance(treatment, Treatment) and treatment.chosen is None and len(treatment.variants) > 1:
            yield from pick(conv, 1, propose_next=False)
            yield say("I took variant 1 for the story; /pick N chooses another.", stage="treatment")
    change, pending = store.approve(stage)
    conv.focus = stage
    note = f" ({', '.join(s.value for s in pending)} still to approve)" if pending else ""
    after = stage_after(change.project.stages, imported=imported(store))
    yield say(f"{stage.value.capitalize()} approved and saved{note}.", stage=stage.value,
              data={"commit": change.commit, "stage": stage.value, "status": "approved",
                    "unapproved_upstream": [s.value for s in pending], "next": after.value if after else None})
    if not conv.auto_approve:
        yield from propose(conv)


def out_of_date_question(store: ProjectPort, stage: Stage) -> Event | None:
    """'4 boards are out of date (S01_SH002, S01_SH004 and 2 more): /render boards stale first, or approve anyway?'
    — None when every board (clip) is as new as its shot."""
    from studio.engine.describe import shot_staleness

    stale = shot_staleness(store)
    codes = stale.boards if stage is Stage.BOARDS else stale.clips
    if not codes:
        return None
    noun = stage.value if len(codes) > 1 else stage.value[:-1]
    verb = "are" if len(codes) > 1 else "is"
    named = ", ".join(codes[:3]) + (f" and {len(codes) - 3} more" if len(codes) > 3 else "")
    return Event("question", f"{len(codes)} {noun} {verb} out of date ({named}): their shots changed since they "
                             f"were made. /render {stage.value} stale first, or approve anyway?",
                 stage=stage.value, options=[f"/render {stage.value} stale", f"/approve {stage.value} anyway"],
                 data={"stale_approval": stage.value, "stale": codes})


def affirm(conv: Conversation) -> Iterator[Event]:
    """'yes' / 'ok': approve what waits for approval, or go ahead with the next stage."""
    stage = next_stage(conv)
    if stage is not None and conv.require_project().manifest().status(stage) is StageStatus.DRAFT:
        yield from approve(conv, stage)
    else:
        yield from go_next(conv)


def revisable(conv: Conversation) -> Stage | None:
    """The stage notes belong to: the one in front of us if the crew writes it, else the last the crew wrote."""
    manifest = conv.require_project().manifest()
    if conv.focus in CREW_WRITTEN and manifest.status(conv.focus) is not StageStatus.EMPTY:
        return conv.focus
    drafted = [s for s in CREW_WRITTEN if manifest.status(s) is not StageStatus.EMPTY]
    return drafted[-1] if drafted else None


def revise(conv: Conversation, notes: str, stage: Stage | None = None) -> Iterator[Event]:
    """Notes go to the agent that leads the stage, who drafts it again; the notes are kept as a decision."""
    store = conv.require_project()
    if not notes.strip():
        raise StageError("a revision needs notes", "say what to change, e.g. /revise make the ending hopeful")
    stage = stage or revisable(conv)
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
    store.record_decision(notes, stage=stage, who=conv.user)
    yield say(f"Passing your notes to the {stage.lead}.")
    yield from draft(conv, stage, notes=notes)


def pick(conv: Conversation, number: int, *, propose_next: bool = True) -> Iterator[Event]:
    """Choose treatment variant ``number`` for the story."""
    done = conv.pipeline.pick_variant(number)
    conv.focus = Stage.TREATMENT
    store = conv.require_project()
    treatment = store.read(Stage.TREATMENT)
    yield say(f"Variant {number}, \u201c{treatment.active.title}\u201d, it is.", author="Screenwriter",
              stage="treatment", data={"commit": done.commit})
    if done.made_stale:
        yield say(stale_text(store, Stage.TREATMENT, done.made_stale))
    if propose_next:
        yield from propose(conv)


def run_until(conv: Conversation, last: Stage, *, idea: str | None = None,
              minutes: float | None = None) -> Iterator[Event]:
    """Draft every stage up to ``last`` (approving each when auto-approve is on), without questions."""
    try:
        if idea:
            yield from start_from_idea(conv, idea, minutes)
        for _ in range(4 * len(CREATIVE)):
            stage = next_stage(conv)
            if stage is None or stage.index > last.index:
                return
            status = conv.require_project().manifest().status(stage)
            if status is StageStatus.DRAFT:
                if not conv.auto_approve:
                    yield Event("question", f"The {stage.value} stage waits for your approval: "
                                            f"`auteur approve {stage.value}`, or run again with --yes.",
                                stage=stage.value)
                    return
                yield from approve(conv, stage)
            else:
                yield from draft(conv, stage)
    except AuteurError as exc:
        yield error(exc)
