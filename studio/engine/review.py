"""The timeline review: notes on the latest cut (/note), the list (/notes), the fixes (/fix) and the `review`
view. A note is attached to the shot under its time (or the shot it names), sorted into the stage that can fix
it (studio.review.classify), given to that stage's owner, who proposes a fix in words and command lines
(studio.engine.review_fixes); /fix runs those lines as if the person typed them, so each note comes back as a
changed shot, a changed look or a new take, every step a commit, and the note marked done in one more."""

from __future__ import annotations

from typing import Any, Iterator

from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.engine.review_fixes import find_shot, propose
from studio.errors import AuteurError, StageError
from studio.media import Cut
from studio.models import TakeKind
from studio.ports import ProjectPort
from studio.review import (
    OWNER, ReviewNote, ReviewNotes, classify, clean_text, looks_like_time, parse_time, shot_at, spans, split_code,
    time_text,
)
from studio.shot_codes import SHOT_RE, parse_shot, shot_code
from studio.stages import Stage
from studio.views import View

FIX_COMMANDS = ("change", "shot", "prompt", "line", "scene", "render")  # what a proposal's lines may run
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
    elif first and SHOT_RE.match(first.rstrip(":,")) and "_" in first:
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
    category = classify(words)
    proposal, commands = propose(conv, code, words, category, clips=uses_clips(cut))
    notes = store.review_notes()
    note = ReviewNote(id=notes.next_id(), cut=cut.version, at=at, code=code, text=words, category=category,
                      agent=OWNER[category], proposal=proposal, commands=commands, author=store.user().name,
                      created=_now())
    notes.notes.append(note)
    where = f" at {time_text(at)}" if at is not None else ""
    change = store.save_review_notes(notes, summary=f"note {note.id} on {code}{where}: {words[:60]}",
                                     action="note", author=store.user())
    data = {"note": note.model_dump(mode="json"), "commit": change.commit}
    yield say(f"Note {note.id} on {code}{where} ({category.value}) goes to the {note.agent}.", author="Producer",
              stage="cut", data=data)
    lines = "\n".join(f"  {line}" for line in commands)
    yield Event("question", f"{proposal}\n{lines}", author=note.agent, stage="cut",
                options=[f"/fix {note.id}", "/notes"], data=data)


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
    for note in chosen:
        if note.status != "open":
            yield say(f"Note {note.id} is {note.status} already{f' ({note.result})' if note.result else ''}.",
                      author="Producer", stage="cut")
            continue
        yield from _fix_one(conv, note.id)


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


def _fix_one(conv: Conversation, note_id: str) -> Iterator[Event]:
    """Run a note's command lines in order; when all went through, the note is done, with what it made."""
    store = conv.require_project()
    note = store.review_notes().get(note_id)
    before = _state(store, note.code)
    yield say(f"The {note.agent} takes note {note.id} on {note.code}: {note.proposal}", author=note.agent,
              stage="cut", data={"note": note.id})
    for line in note.commands:
        head = line.lstrip("/").split(" ", 1)[0].lower()
        if not line.startswith("/") or head not in FIX_COMMANDS:  # notes.json is a file: only a fix's commands run
            yield say(f"Note {note.id} is still open: its step {line[:40]!r} is no fix I run (a fix changes the "
                      f"look, a shot, a prompt, a line or a scene, then renders).", author="Producer", stage="cut",
                      data={"note": note.id, "failed": line})
            return
        try:
            yield from conv.run_command(line)
        except AuteurError as exc:
            yield say(f"Note {note.id} is still open: {line.split(' ', 1)[0]} did not go through ({exc.problem}). "
                      f"{exc.fix}".strip(), author="Producer", stage="cut", data={"note": note.id, "failed": line})
            return
    result = _result(store, note.code, before)
    notes = store.review_notes()  # read again: the commands wrote commits of their own
    done = notes.get(note.id)
    done.status, done.result = "done", result
    change = store.save_review_notes(notes, summary=f"fixed note {note.id} on {note.code}: {result}", action="fix",
                                     author=store.user())
    yield say(f"Note {note.id} is done: {result}.", author=note.agent, stage="cut",
              data={"note": done.model_dump(mode="json"), "commit": change.commit})


def _state(store: ProjectPort, code: str) -> dict[str, Any]:
    """What a fix can change of a shot: its fields, its active takes, its prompt, the look."""
    scene, number = parse_shot(code)
    takes = {t.kind.value: t.number for t in store.takes(scene, number) if t.active}
    shot = find_shot(store, code).model_dump(mode="json")
    look = store.read(Stage.LOOK)
    return {"shot": shot, "takes": takes, "look": look.model_dump(mode="json") if look is not None else None}


def _result(store: ProjectPort, code: str, before: dict[str, Any]) -> str:
    """'S02_SH003 board take 3', 'S02_SH003 duration 2.8 s', 'look changed' — what came back."""
    after = _state(store, code)
    parts = []
    if after["look"] != before["look"]:
        parts.append(_look_change(before["look"] or {}, after["look"] or {}))
    changed = [k for k, v in after["shot"].items() if before["shot"].get(k) != v and k not in ("person", "fitted_from")]
    if changed:
        parts.append(f"{code} " + ", ".join(_field(k, after["shot"][k]) for k in changed))
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
    """The `review` view's model: the latest cut, its shots as markers, and its notes (DESIGN17 schema)."""
    cut = latest_cut(store)
    notes: ReviewNotes = store.review_notes()
    return {"cut": {"version": cut.version, "video": cut.path, "duration": round(cut.duration_s, 3), "fps": cut.fps},
            "markers": [{"code": code, "start": start, "end": end, "take": take}
                        for code, start, end, take in spans(cut)],
            "notes": [{"id": n.id, "at": n.at, "code": n.code, "text": n.text, "category": n.category.value,
                       "agent": n.agent, "proposal": n.proposal, "status": n.status, "result": n.result}
                      for n in notes.of_cut(cut.version)]}


def review_view(conv: Conversation, args: str = "") -> View:
    """The `review` view: the cut in a player with its shot markers and notes; its text is the list of notes."""
    store = conv.require_project()
    props = review_props(store)
    cut = props["cut"]
    head = f"Cut v{cut['version']}: {len(props['markers'])} shots, {time_text(cut['duration'])}."
    listed = notes_text(store.review_notes().of_cut(cut["version"]))
    text = f"{head}\n{listed}" if listed else f"{head} No notes yet: {NOTE_USAGE}."
    return View(props, text, "Producer", "cut")
