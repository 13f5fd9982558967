"""Working on the script as a writer does: /scene (cut, move, rewrite), /beat (split, merge, move) and /line
(a speech's new words, or punched up by the Screenwriter).

Each is one commit, and the Producer says what it made stale downstream. The text operations are
studio.script_ops (the rest of the script stays as written); what the model writes (a scene rewritten, a line
punched up) is vetted like every draft, and a part that does not pass is kept as it was, or refused, never saved
as junk."""

from __future__ import annotations

import re
from typing import Iterator

from studio import script_ops as ops
from studio.beat_ops import beat_index
from studio.engine.commands.registry import Registry
from studio.engine.commands.writing_saves import give_line, said_stale, save_script, script_text, set_line
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.models import BeatSheet
from studio.stages import Stage

SCENE_USAGE = "/scene cut N | /scene move N before|after M | /scene rewrite N [NOTES]"
BEAT_USAGE = "/beat split N [at WORDS] | /beat merge N M | /beat move N to|before|after M"
LINE_USAGE = "/line S.K NEW WORDS | /line S.K punch up | /line S.K as NAME"


def register(registry: Registry) -> None:
    registry.add("scene", SCENE_USAGE, "cut a scene, move it before or after another, or have the Screenwriter "
                 "rewrite it with your notes", scene)
    registry.add("beat", BEAT_USAGE, "split a beat in two, merge two beats, or move a beat", beat)
    registry.add("line", LINE_USAGE, "give the K-th speech of scene S new words, have the Screenwriter punch it "
                 "up, or give it to another character", line)


def _number(word: str, what: str, usage: str) -> int:
    if not (word.isascii() and word.isdigit() and len(word) <= 4):
        raise StageError(f"{word!r} is not a {what} number", f"e.g. {usage}")
    return int(word)


def _beats(conv: Conversation) -> BeatSheet:
    sheet = conv.require_project().read(Stage.BEATS)
    if not isinstance(sheet, BeatSheet) or not sheet.beats:
        raise StageError("there is no beat sheet yet", "say 'next' until the Screenwriter drafts the beats")
    return sheet


def save_beats(conv: Conversation, sheet: BeatSheet, summary: str, said: str) -> Iterator[Event]:
    store = conv.require_project()
    change = store.save(Stage.BEATS, sheet, author=store.user(), summary=summary, action="edit")
    conv.focus = Stage.BEATS
    listing = "\n".join(f"{k}. {b.name}: {b.description[:90]}" for k, b in enumerate(sheet.beats, start=1))
    yield say(f"{said}\n{listing}", author="Screenwriter", stage="beats",
              data={"commit": change.commit, "beats": [b.name for b in sheet.beats]})
    yield from said_stale(conv, Stage.BEATS, change)


# ---------------------------------------------------------------- /scene


def scene(conv: Conversation, args: str) -> Iterator[Event]:
    words = args.split()
    verb = words[0].lower() if words else ""
    if verb in ("cut", "drop", "delete", "remove") and len(words) == 2:
        yield from cut(conv, _number(words[1], "scene", "/scene cut 3"))
    elif verb == "move" and len(words) in (4, 5) and words[2].lower() in ("before", "after", "to"):
        n = _number(words[1], "scene", "/scene move 4 after 6")
        m = _number(words[-1], "scene", "/scene move 4 after 6")
        yield from move(conv, n, words[2].lower(), m)
    elif verb in ("rewrite", "redraft", "rework") and len(words) >= 2:
        n = _number(words[1], "scene", "/scene rewrite 2 so that she hesitates")
        from studio.engine.commands.writing_model import rewrite

        yield from rewrite(conv, n, args.split(None, 2)[2] if len(words) > 2 else "")
        conv.scene_focus = n  # the scene worked on, once it was there to work on
    else:
        raise StageError(f"I could not read \u201c/scene {args.strip()[:60]}\u201d", f"say {SCENE_USAGE}")


def cut(conv: Conversation, n: int) -> Iterator[Event]:
    fountain = script_text(conv)
    heading = ops.heading_of(fountain, n)
    new = ops.cut_scene(fountain, n)
    yield from save_script(conv, new, f"cut scene {n} ({heading})", said=f"Cut scene {n} ({heading}).",
                           data={"cut": n})


def move(conv: Conversation, n: int, where: str, m: int) -> Iterator[Event]:
    """Scene n before or after scene m; 'to M' is the place it ends up at."""
    fountain = script_text(conv)
    heading = ops.heading_of(fountain, n)
    if where == "to":
        if m == n:
            raise StageError(f"scene {n} is already scene {m}", "name another place, e.g. /scene move 4 to 2")
        where = "before" if m < n else "after"
    new = ops.move_scene(fountain, n, before=m if where == "before" else None, after=m if where == "after" else None)
    now = ops.position_after_move(n, before=m if where == "before" else None, after=m if where == "after" else None)
    conv.scene_focus = now
    yield from save_script(conv, new, f"move scene {n} {where} scene {m} ({heading})",
                           said=f"Moved scene {n} ({heading}) {where} scene {m}: it is scene {now} now.",
                           data={"moved": n, "to": now})


# ---------------------------------------------------------------- /beat


def beat(conv: Conversation, args: str) -> Iterator[Event]:
    words = args.split()
    verb = words[0].lower() if words else ""
    usage = "/beat split 5"
    if verb == "split" and len(words) >= 2:
        k = _number(words[1], "beat", "/beat split 5 at WORDS")
        at = None
        if len(words) > 2:
            if words[2].lower() not in ("at", "where", "before"):
                raise StageError(f"I could not read \u201c/beat {args.strip()[:60]}\u201d",
                                 "say /beat split N, or /beat split N at WORDS THE SECOND PART STARTS WITH")
            at = args.split(None, 3)[3] if len(words) > 3 else ""
        yield from split(conv, k, at)
    elif verb in ("merge", "join", "combine") and len([w for w in words[1:] if w.lower() not in ("and", "with")]) == 2:
        k, j = (_number(w, "beat", "/beat merge 3 4") for w in words[1:] if w.lower() not in ("and", "with"))
        yield from merge(conv, k, j)
    elif verb == "move" and len(words) == 4 and words[2].lower() in ("to", "before", "after"):
        k, m = _number(words[1], "beat", usage), _number(words[3], "beat", "/beat move 6 to 2")
        yield from move_beat(conv, k, words[2].lower(), m)
    else:
        raise StageError(f"I could not read \u201c/beat {args.strip()[:60]}\u201d", f"say {BEAT_USAGE}")


def split(conv: Conversation, k: int, at: str | None) -> Iterator[Event]:
    sheet = _beats(conv)
    new = ops.split_beat(sheet, k, at)
    name = sheet.beats[k - 1].name
    yield from save_beats(conv, new, f"split beat {k} ({name})",
                          f"Split beat {k} ({name}) in two: beats {k} and {k + 1}.")


def merge(conv: Conversation, k: int, j: int) -> Iterator[Event]:
    sheet = _beats(conv)
    new = ops.merge_beats(sheet, k, j)
    a = min(k, j)
    yield from save_beats(conv, new, f"merge beats {k} and {j}",
                          f"Merged beats {k} and {j} into beat {a} ({new.beats[a - 1].name}).")


def move_beat(conv: Conversation, k: int, where: str, m: int) -> Iterator[Event]:
    sheet = _beats(conv)
    if where != "to":
        beat_index(sheet, m)  # a place named must be a beat
    to = m if where == "to" else ops.position_after_move(k, before=m if where == "before" else None,
                                                   after=m if where == "after" else None)
    new = ops.move_beat(sheet, k, to)
    name = sheet.beats[k - 1].name
    yield from save_beats(conv, new, f"move beat {k} ({name}) to {to}",
                          f"Moved beat {k} ({name}) {where} {'place' if where == 'to' else 'beat'} {m}: it is "
                          f"beat {to} now.")


# ---------------------------------------------------------------- /line

_SPEECH = re.compile(r"^(\d{1,4})\s*[.:]\s*(\d{1,4})$")


def speech_ref(word: str) -> tuple[int, int]:
    """'2.3' → (scene 2, speech 3)."""
    m = _SPEECH.match(word.strip())
    if not m:
        raise StageError(f"{word!r} does not name a speech", "name it as SCENE.SPEECH, e.g. /line 2.3 YOUR LINE "
                                                             "(the third speech of scene 2)")
    return int(m.group(1)), int(m.group(2))


def line(conv: Conversation, args: str) -> Iterator[Event]:
    which, _, text = args.strip().partition(" ")
    if not which:
        raise StageError("/line needs a speech and its new words", f"say {LINE_USAGE}")
    s, k = speech_ref(which)
    words = text.strip()
    if words.lower().rstrip(".!") in ("punch up", "punch it up", "punchier", "sharpen", "sharper"):
        from studio.engine.commands.writing_model import punch_up

        yield from punch_up(conv, s, k)
    elif words.lower().startswith("as ") and len(words.split()) <= 5:
        yield from give_line(conv, s, k, words[3:].strip())
    elif not words:
        raise StageError(f"/line {which} needs the new words, or 'punch up'",
                         f"e.g. /line {which} Coffee's on me. — or /line {which} punch up")
    else:
        yield from set_line(conv, s, k, words)
    conv.scene_focus = s  # the scene worked on, once it was there to work on
