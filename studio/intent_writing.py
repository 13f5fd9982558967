"""A writer's requests on the script and the beats, for studio.intents: cut, move or rewrite a scene; split, merge
or move beats; punch up a line. Read only in the plain shapes a writer says them ("cut scene 3", "move scene 4
after scene 6", "rewrite scene 2 so that she hesitates", "merge beats 3 and 4", "split beat 5 at the storm",
"move beat 6 before beat 2", "punch up Nell's line in scene 2"); anything else is left to the other readers.
Each comes out as a 'write' intent: target scene / beat / line, aspect the operation, the numbers named."""

from __future__ import annotations

from dataclasses import replace

from studio.intent_model import Intent
from studio.intent_shots import number
from studio.intent_words import NUMBER_WORDS, Token

_CUT = frozenset({"cut", "drop", "delete", "remove", "lose", "scrap", "ditch", "bin"})
_MOVE = frozenset({"move", "put", "shift"})
_REWRITE = frozenset({"rewrite", "redraft", "rework", "re-write"})
_MERGE = frozenset({"merge", "combine", "join"})
_FILLER = frozenset({"the", "please", "entirely", "completely", "altogether", "now", "then", ",", "thanks"})
_WHERE = ("before", "after", "to")


def _num(word: str) -> int | None:
    n = number(word, 4)
    return n if n is not None else NUMBER_WORDS.get(word)


def read(toks: list[Token], one: Intent, source: str) -> list[Intent]:
    """The write intent of one clause's tokens (its lead words already taken off), or [] when it is none."""
    w = [t.word for t in toks]
    if not w:
        return []
    head = w[0]
    rest = [x for x in w[1:] if x not in _FILLER]
    write = replace(one, kind="write")
    if head in _CUT and len(rest) == 2 and rest[0] == "scene" and _num(rest[1]):
        return [replace(write, target="scene", aspect="cut", scene=_num(rest[1]))]
    if head in _MOVE and len(rest) >= 4 and rest[0] in ("scene", "beat"):
        return _moved(rest, write)
    if head in _REWRITE and w[1:2] == ["scene"] and len(w) > 2 and _num(w[2]):
        notes = source[toks[2].end:].strip(" ,:;-").strip() if len(toks) > 3 else ""
        return [replace(write, target="scene", aspect="rewrite", scene=_num(w[2]), value=notes)]
    if head == "split" and w[1:2] == ["beat"] and len(w) > 2 and _num(w[2]):
        return _split(toks, write, source)
    if head in _MERGE and rest[:1] in (["beats"], ["beat"]):
        nums = [_num(x) for x in rest[1:] if x not in ("and", "with", "into", "beat")]
        if len(nums) == 2 and all(nums) and len(rest) <= 5:
            return [replace(write, target="beat", aspect="merge", number=nums[0], to=nums[1])]
        return []
    if head == "punch" and "up" in w and "line" in w:
        return _punch(w, write)
    if head in ("give", "hand", "reassign") and len(w) >= 4 and "to" in w[2:]:
        return _given(toks, write, source)
    return []


def _given(toks: list[Token], write: Intent, source: str) -> list[Intent]:
    """'give line 2.2 to Watson', 'give 2.2 to WATSON', 'hand the line 3.1 to Mrs. Hale'."""
    w = [t.word for t in toks]
    at = w.index("to", 2)
    refs = [x for x in w[1:at] if x not in ("line", "the", "speech")]
    if len(refs) != 1 or "." not in refs[0] or not all(p.isdigit() for p in refs[0].split(".")) \
            or len(refs[0].split(".")) != 2 or at + 1 >= len(toks):
        return []
    scene, speech = (int(p) for p in refs[0].split("."))
    name = source[toks[at + 1].start:].strip().rstrip(".!")
    if not name or len(name.split()) > 4:
        return []
    return [replace(write, target="line", aspect="speaker", scene=scene, number=speech, value=name)]


def _moved(rest: list[str], write: Intent) -> list[Intent]:
    """'scene 4 after scene 6', 'beat 6 before beat 2', 'scene 4 to 2' (the place it ends up at)."""
    what, n = rest[0], _num(rest[1])
    tail = [x for x in rest[2:] if x not in (what, "position", "place", "number")]
    if n is None or len(tail) != 2 or tail[0] not in _WHERE or _num(tail[1]) is None:
        return []
    if what == "scene":
        return [replace(write, target="scene", aspect="move", scene=n, to=_num(tail[1]), value=tail[0])]
    return [replace(write, target="beat", aspect="move", number=n, to=_num(tail[1]), value=tail[0])]


def _split(toks: list[Token], write: Intent, source: str) -> list[Intent]:
    """'split beat 5', 'split beat 5 in two', 'split beat 5 at the storm' (where the second half starts)."""
    w = [t.word for t in toks]
    k = _num(w[2])
    after = [x for x in w[3:] if x not in _FILLER]
    if not after or after in (["in", "two"], ["in", "half"], ["into", "two"], ["in", "2"]):
        return [replace(write, target="beat", aspect="split", number=k)]
    if w[3] in ("at", "where", "before") and len(toks) > 4:
        at = source[toks[4].start:].strip().strip("\"'\u201c\u201d.").strip()
        return [replace(write, target="beat", aspect="split", number=k, value=at)]
    return []


def _punch(w: list[str], write: Intent) -> list[Intent]:
    """'punch up Nell's line in scene 2', 'punch up line 2.3', 'punch up the line in 2.3'."""
    scene = speech = None
    name = ""
    for i, x in enumerate(w):
        if x == "scene" and i + 1 < len(w) and _num(w[i + 1]):
            scene = _num(w[i + 1])
        elif "." in x and all(p.isdigit() for p in x.split(".")) and len(x.split(".")) == 2:
            scene, speech = (int(p) for p in x.split("."))
        elif x == "line" and i and w[i - 1].endswith("'s"):
            name = w[i - 1][:-2].upper()
    if not name and speech is None:
        return []
    return [replace(write, target="line", aspect="punch", scene=scene, number=speech, value=name)]
