"""The timeline review: notes on the latest cut (/note), the list (/notes), the fixes (/fix) and the `review`
view. A note is attached to the shot under its time (or the shot it names), sorted into the stage that can fix
it (studio.review.classify), given to that stage's owner, who proposes a fix in words and command lines
(studio.engine.review_fixes); /fix runs those lines as if the person typed them, so each note comes back as a
changed shot, a changed look or a new take, every step a commit, and the note marked done in one more."""

from __future__ import annotations

from typing import Any, Generator, Iterator

from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.engine.review_fixes import find_shot, propose
from studio.errors import AuteurError, StageError
from studio.media import Cut
from studio.models import TakeKind
from studio.ports import ProjectPort
from studio.review import (
    OWNER, Category, ReviewNote, ReviewNotes, classify, clean_text, cut_frames, looks_like_time, other_requests,
    parse_time, shot_at, spans, split_code, time_text,
)
from studio.shot_codes import SHOT_RE, parse_shot, shot_code
from studio.stages import Stage
from studio.views import View
from studio.views.common import project_path

NOTE_USAGE = "/note TIME TEXT | /note SHOT TEXT (TIME: 0:07.5, 7.5s, 00:00:07:12; SHOT: S02_SH003)"


def latest_cut(store: ProjectPort) -> Cut:
    cut = store.read(Stage.CUT)
    if not isinstance(cut, Cut) or not cut.entries:
        raise StageError("there is no cut to review yet", "make one with /render cut (after the boards)")
    return cut


def uses_clips(cut: Cut) -> bool:
    """Whether the cut is made of video clips (a fix renders a clip) rather than boards."""
    return any(e.take and e.take.lower().endswith((".mp4", ".mov", ".webm")) for e in cut.entries)


# ---------------------------------------------------------------- /note

def read_note(cut: Cut, args: str) -> tuple[float | None, str, str]:
    """(seconds or None, shot code, words) of '/note 0:29 too slow here', '/note S02_SH003 make it red' or
    '/note S02_SH003: her coat should be red'. A code the words start with wins over the time's shot."""
    first, _, rest = args.strip().partition(" ")
    at: float | None = None
    code: str | None = None
    if first and looks_like_time(first):
        at = round(parse_time(first, cut.fps), 3)
        code, words = split_code(rest)
        code = code or shot_at(cut, at)
    elif first and SHOT_RE.match(first.rstrip(":,")) and ("_" in first or "." in first):
        code, words = shot_code(*parse_shot(first.rstrip(":,"))), rest
    else:
        code, words = split_code(args)
    if code is None:
        raise StageError("a note needs a time in the cut or a shot", f"say {NOTE_USAGE}")
    code = shot_code(*parse_shot(code))
    if code not in {c for c, _, _, _ in spans(cut)}:
        raise StageError(f"{code} is not in the latest cut", "see /review for the shots of the cut and their times")
    return at, code, clean_text(words)


def add_note(conv: Conversation, args: str) -> Iterator[Event]:
    """A note left on the latest cut: attached, sorted, given to its owner, who says how he would fix it."""
    store = conv.require_project()
    cut = latest_cut(store)
    if not args.strip():
        raise StageError("/note needs a time or a shot, and what should change", f"say {NOTE_USAGE}")
    at, code, words = read_note(cut, args)
    find_shot(store, code)  # still a shot of the shot list
    if at is None:  # a note on a shot sits where the shot starts in this cut (its card, the player, the markers)
        at = next((start for shot, start, _, _ in spans(cut) if shot == code), None)
    proposal = propose(conv, code, words, classify(words), clips=uses_clips(cut))
    category = proposal.category
    also = [c.value for c in other_requests(words) if c is not category]
    said = proposal.words + (f" Your note also asks for a {' and a '.join(also)} change: leave that as a note of its "
                             f"own, so its owner takes it." if also else "")
    notes = store.review_notes()
    note = ReviewNote(id=notes.next_id(), cut=cut.version, at=at, code=code, text=words, category=category,
                      agent=OWNER[category], proposal=said, commands=proposal.commands, author=store.user().name,
                      created=_now())
    notes.notes.append(note)
    where = f" at {time_text(at)}" if at is not None else ""
    change = store.save_review_notes(notes, summary=f"note {note.id} on {code}{where}: {words[:60]}",
                                     action="note", author=store.user())
    data = {"note": note.model_dump(mode="json"), "commit": change.commit}
    yield say(f"Note {note.id} on {code}{where} ({category.value}) goes to the {note.agent}.", author="Producer",
              stage="cut", data=data)
    lines = "\n".join(f"  {line}" for line in proposal.commands)
    options = [f"/fix {note.id}", f"/fix {note.id} no", "/notes"] if proposal.commands else ["/notes"]
    yield Event("question", f"{said}\n{lines}".rstrip(), author=note.agent, stage="cut", options=options, data=data)


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# ---------------------------------------------------------------- /fix

def fix(conv: Conversation, args: str) -> Iterator[Event]:
    """The person's yes to one note's fix (/fix n3) or to every open note of the latest cut (/fix all, /fix);
    '/fix n3 no' declines it."""
    store = conv.require_project()
    notes = store.review_notes()
    which = args.strip().lower()
    if which.split()[-1:] in (["no"], ["decline"]):
        yield from _decline(conv, which.rsplit(" ", 1)[0] if " " in which else "")
        return
    if which in ("", "all"):
        chosen = [n for n in notes.of_cut(latest_cut(store).version) if n.status == "open"]
        if not chosen:
            raise StageError("there is no open note on the latest cut", f"leave one: {NOTE_USAGE}")
    else:
        chosen = [notes.get(w) for w in which.replace(",", " ").split()]
    done = []
    for note in chosen:
        if note.status != "open":
            yield say(f"Note {note.id} is {note.status} already{f' ({note.result})' if note.result else ''}.",
                      author="Producer", stage="cut")
            continue
        done.append((yield from _fix_one(conv, note.id)))
    if any(done):
        yield Event("question", f"{sum(done)} of {len(chosen)} notes fixed. Render the cut again to see them.",
                    author="Producer", stage="cut", options=["/render cut", "/notes"])


def _decline(conv: Conversation, which: str) -> Iterator[Event]:
    """'/fix n3 no': the person does not want that fix; the note stays in the list as declined."""
    store = conv.require_project()
    notes = store.review_notes()
    if not which.strip():
        raise StageError("/fix … no needs the note to decline", "e.g. /fix n3 no")
    chosen = [notes.get(w) for w in which.replace(",", " ").split()]
    for note in chosen:
        note.status = "declined"
    ids = ", ".join(n.id for n in chosen)
    change = store.save_review_notes(notes, summary=f"declined note {ids}", action="note", author=store.user())
    yield say(f"Declined: {ids}. Nothing was changed; the note stays in /notes.", author="Producer", stage="cut",
              data={"notes": [n.model_dump(mode="json") for n in chosen], "commit": change.commit})


def _fix_one(conv: Conversation, note_id: str) -> Generator[Event, None, bool]:
    """Run the note's fix, proposed again now by its owner for its category and shot (never the lines stored in
    notes.json, a file anyone can edit); the note is done only when what was proposed came back, else it stays
    open with the reason. Returns whether it was done. The steps' own closing questions are left out: /fix asks
    once, at the end."""
    store = conv.require_project()
    note = store.review_notes().get(note_id)
    proposal = propose(conv, note.code, note.text, note.category, clips=uses_clips(latest_cut(store)))
    if not proposal.commands:
        yield from _stays_open(store, note.id, f"there is nothing to run: {proposal.words}", note.agent)
        return False
    before = _state(store, note.code)
    changed = "" if proposal.commands == note.commands else " (proposed again now, from the note and the shot as they are)"
    lines = "\n".join(f"  {line}" for line in proposal.commands)
    yield say(f"The {note.agent} takes note {note.id} on {note.code}{changed}: {proposal.words}\n{lines}",
              author=note.agent, stage="cut", data={"note": note.id, "commands": proposal.commands})
    for line in proposal.commands:
        try:
            for event in conv.run_command(line):
                if event.kind == "question":
                    continue
                if event.kind == "error":
                    yield event
                    yield from _stays_open(store, note.id, f"{line.split(' ', 1)[0]} did not go through", note.agent)
                    return False
                yield event
        except AuteurError as exc:
            yield from _stays_open(store, note.id, f"{line.split(' ', 1)[0]} did not go through ({exc.problem}). "
                                   f"{exc.fix}".strip(), note.agent)
            return False
    after = _state(store, note.code)
    result = _result(note.code, before, after)
    missed = _missed(note.code, proposal.commands, before, after)
    if missed:
        yield from _stays_open(store, note.id, missed, note.agent, result=result)
        return False
    notes = store.review_notes()  # read again: the commands wrote commits of their own
    done = notes.get(note.id)
    done.status, done.result = "done", result
    done.proposal, done.commands = proposal.words, proposal.commands
    change = store.save_review_notes(notes, summary=f"fixed note {note.id} on {note.code}: {result}", action="fix",
                                     author=store.user())
    yield say(f"Note {note.id} is done: {result}.{_sketch_caveat(store, note, before, after)}", author=note.agent,
              stage="cut", data={"note": done.model_dump(mode="json"), "commit": change.commit})
    return True


def _sketch_caveat(store: ProjectPort, note: ReviewNote, before: dict[str, Any], after: dict[str, Any]) -> str:
    """Said plainly when a look or prompt fix was drawn by the CPU sketch renderer: it draws the shot's framing from
    its spec, never colours or wardrobe, so the new board looks as the old one did and only a model shows the change."""
    if note.category not in (Category.LOOK, Category.PROMPT) or after["takes"] == before["takes"]:
        return ""
    scene, number = parse_shot(note.code)
    newest = max(store.takes(scene, number), key=lambda t: t.number, default=None)
    if newest is None or newest.model != "sketch":
        return ""
    return (" The CPU sketch draws the shot's framing, not colours or wardrobe: the change is in the prompt, and a "
            "board from an image model shows it (see Models, or /prompt to read it).")


def _stays_open(store: ProjectPort, note_id: str, why: str, agent: str, *, result: str = "") -> Iterator[Event]:
    """The note stays open, and says why (in the list too), so the person can see what did not take."""
    notes = store.review_notes()
    note = notes.get(note_id)
    note.result = f"not fixed: {why}"[:300] if not result or result == "nothing changed" else \
        f"not fixed: {why} ({result})"[:300]
    change = store.save_review_notes(notes, summary=f"note {note.id} still open: {why[:80]}", action="note",
                                     author=store.user())
    yield say(f"Note {note.id} is still open: {why}", author=agent, stage="cut",
              data={"note": note.model_dump(mode="json"), "commit": change.commit})


def _missed(code: str, commands: list[str], before: dict[str, Any], after: dict[str, Any]) -> str:
    """Why the fix did not take, step by step ('' when each step's change is there): a /shot field that is not
    the value asked for (a refit undid it), a render with no new active take, a look, prompt or line unchanged."""
    shot = after["shot"]
    for line in commands:
        head, _, rest = line.lstrip("/").partition(" ")
        if head == "shot":
            words = rest.split()[1:]
            for field, value in zip(words[::2], words[1::2]):
                key = {"size": "size", "angle": "angle", "move": "movement", "lens": "lens_mm",
                       "duration": "duration_s"}.get(field, field)
                if key == "duration_s" and abs(float(shot[key]) - float(value)) > 0.05:
                    return f"{code} is {shot[key]:g} s, not the {value} s proposed (the refit of the shots kept it so)"
                if key in ("size", "angle", "movement") and str(shot[key]).lower() != value.lower():
                    return f"{code}'s {field} is {shot[key]}, not {value}"
        elif head == "render":
            kind = "video" if rest.startswith("clips") else "image"
            if after["takes"].get(kind) == before["takes"].get(kind):
                return f"no new {'clip' if kind == 'video' else 'board'} of {code} is active"
        elif head == "voice" and after["look"] == before["look"]:
            return "the voice did not change"
        elif head == "change" and all(after[k] == before[k] for k in ("look", "shot", "prompt")):
            return f"neither the look nor {code} changed"  # /change lands where the words say: look or shots
        elif head == "prompt" and after["prompt"] == before["prompt"]:
            return f"{code}'s prompt did not change"
        elif head in ("line", "scene") and after["script"] == before["script"]:
            return "the script did not change"
    return ""


def _state(store: ProjectPort, code: str) -> dict[str, Any]:
    """What a fix can change of a shot: its fields, its active takes, its prompt, the look, the script."""
    scene, number = parse_shot(code)
    takes = {t.kind.value: t.number for t in store.takes(scene, number) if t.active}
    shot = find_shot(store, code).model_dump(mode="json")
    look = store.read(Stage.LOOK)
    prompts = store.read(Stage.PROMPTS)
    mine = next((p.model_dump(mode="json") for p in getattr(prompts, "prompts", [])
                 if (p.scene, p.number) == (scene, number)), None)
    script = store.read_script()
    return {"shot": shot, "takes": takes, "look": look.model_dump(mode="json") if look is not None else None,
            "prompt": mine, "script": script.fountain if script is not None else None}


def _result(code: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """'S02_SH003 board take 3', 'S02_SH003 duration 2.8 s', 'look changed' — what came back."""
    parts = []
    if after["look"] != before["look"]:
        parts.append(_look_change(before["look"] or {}, after["look"] or {}))
    if after["script"] != before["script"]:
        parts.append("script changed")
    changed = [k for k, v in after["shot"].items() if before["shot"].get(k) != v and k not in ("person", "fitted_from")]
    if changed:
        parts.append(f"{code} " + ", ".join(_field(k, after["shot"][k]) for k in changed))
    if after["prompt"] != before["prompt"] and not changed:
        parts.append(f"{code} prompt changed")
    for kind, name in ((TakeKind.IMAGE.value, "board"), (TakeKind.VIDEO.value, "clip")):
        if after["takes"].get(kind) != before["takes"].get(kind) and kind in after["takes"]:
            parts.append(f"{code} {name} take {after['takes'][kind]}")
    return "; ".join(parts) or "nothing changed"


def _look_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    """'look of NELL changed': the characters, places and props whose look the fix changed."""
    def named(look: dict[str, Any]) -> dict[str, Any]:
        return {item.get("name", ""): item for key in ("characters", "locations", "props") for item in look.get(key, [])}

    old, new = named(before), named(after)
    changed = [name for name, item in new.items() if old.get(name) != item]
    return f"look of {', '.join(changed[:3])} changed" if changed else "look changed"


def _field(key: str, value: Any) -> str:
    if key == "duration_s":
        return f"duration {value:g} s"
    return f"{key.replace('_mm', '').replace('_', ' ')} {value}"


# ---------------------------------------------------------------- /notes and the view

def notes_text(notes: list[ReviewNote]) -> str:
    lines = []
    for n in notes:
        where = f" at {time_text(n.at)}" if n.at is not None else ""
        outcome = f" → {n.result}" if n.result else ""
        lines.append(f"{n.id} [{n.status}] cut v{n.cut} {n.code}{where} ({n.category.value}, {n.agent}): "
                     f"{n.text}{outcome}")
    return "\n".join(lines)


def list_notes(conv: Conversation, args: str) -> Iterator[Event]:
    """The notes of the latest cut (of every cut: /notes all), as a list."""
    store = conv.require_project()
    notes = store.review_notes()
    if args.strip().lower() == "all":
        chosen, what = notes.notes, "every cut"
    else:
        version = latest_cut(store).version
        chosen, what = notes.of_cut(version), f"cut v{version}"
    text = notes_text(chosen) or f"No notes on {what} yet: {NOTE_USAGE}."
    yield say(text, author="Producer", stage="cut", data={"notes": [n.model_dump(mode="json") for n in chosen]})


def review_props(store: ProjectPort) -> dict[str, Any]:
    """The `review` view's model: the latest cut, its shots as markers, and its notes (DESIGN17 schema). The
    cut's video and each shot's take are paths inside the project or nothing: cut.json can be edited by hand."""
    cut = latest_cut(store)
    notes: ReviewNotes = store.review_notes()
    duration = round(cut_frames(cut) / cut.fps, 3)  # the video's own length, in whole frames
    return {"cut": {"version": cut.version, "video": project_path(cut.path), "duration": duration, "fps": cut.fps},
            "markers": [{"code": code, "start": start, "end": end, "take": project_path(take)}
                        for code, start, end, take in spans(cut)],
            "notes": [{"id": n.id, "at": n.at, "code": n.code, "text": n.text, "category": n.category.value,
                       "agent": n.agent, "proposal": n.proposal, "status": n.status, "result": n.result}
                      for n in notes.of_cut(cut.version)]}


def review_view(conv: Conversation, args: str = "") -> View:
    """The `review` view: the cut in a player with its shot markers and notes; its text is the list of notes."""
    store = conv.require_project()
    props = review_props(store)
    cut = props["cut"]
    head = f"Cut v{cut['version']}: {len(props['markers'])} shots, {time_text(cut['duration'], 2)}."
    listed = notes_text(store.review_notes().of_cut(cut["version"]))
    text = f"{head}\n{listed}" if listed else f"{head} No notes yet: {NOTE_USAGE}."
    return View(props, text, "Producer", "cut")
