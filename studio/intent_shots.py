"""What a clause names for studio.intents (the Refs it is read into) and the shot words in it: scenes, shots
("shot 1.2", "2.3", "S01_SH002", "the opening shot"), the scope ("from scene 3 on"), a shot's size, angle, move,
lens, duration and time of day, the steps from what a shot is now ("wider", "too long") and the values said out of
range ("9000mm", "0 seconds"). Every number is read through `number`, which refuses more digits than a value has:
a word of thousands of digits is never given to int(). Each word is looked at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.intent_tables import REQUEST_VERBS
from studio.intent_words import ANGLES, MOODS, MOVES, NUMBER_WORDS, SIZES, TIME_PHRASES, TIMES, phrase_at


@dataclass(frozen=True)
class Found:
    target: str
    aspect: str
    value: str
    scene: int | None = None
    shot: tuple[int, int] | None = None
    from_scene: bool = False


@dataclass
class Refs:
    """What one clause names: the project's things, scenes, shots and the shot vocabulary."""

    words: list[str]
    raw: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)  # where each word is in `source`
    source: str = ""
    names: list[tuple[int, str, str]] = field(default_factory=list)  # (index, kind, NAME)
    used: set[int] = field(default_factory=set)  # indices taken by names, scenes, shots, scope words
    shots: list[tuple[int, int]] = field(default_factory=list)
    scene: int | None = None
    from_scene: bool = False
    shot_aspects: dict[str, str] = field(default_factory=dict)
    relative: dict[str, str] = field(default_factory=dict)  # "wider", "too long": a step from the shot's own
    odd: list[int] = field(default_factory=list)  # values out of range ("9000mm", "0 seconds"): said, not done
    labelled: bool = False  # "Walt: a waxed jacket": a name, a colon, what it is to be

    def of(self, kind: str) -> list[str]:
        seen: list[str] = []
        for _, k, name in self.names:
            if k == kind and name not in seen:
                seen.append(name)
        return seen


_UNITS = frozenset({"seconds", "second", "s", "mm", "minutes", "minute", "min", "mins", "hours", "percent", "%",
                    "x", "times", "lens"})
_SHOT_CONTEXT = frozenset({"shot", "shots", "board", "boards", "frame", "frames", "prompt", "prompts", "takes",
                           "take", "clip", "clips", "render", "rerender", "redraw", "draw", "show", "see", "shoot",
                           "reshoot", "angle", "lens", "mood", "feel", "feels", "coverage", "view", "play", "hold",
                           "seconds", "camera", "framing", "sketch"})


def scan(refs: Refs, scene_focus: int, scenes: int = 0) -> None:
    """Scenes, scope, shots and the shot vocabulary of the clause, each word looked at once. A bare number
    "2.3" is a shot when the clause speaks of shots ("low angle on 1.2", "redraw 2.3", "3.2 from above")."""
    w = refs.words
    n = len(w)
    bare: list[tuple[int, tuple[int, int]]] = []
    stepped: list[int] = []
    said: dict[str, int] = {}  # where each aspect was said
    steps: dict[str, int] = {}
    i = 0
    while i < n:
        word = w[i]
        nxt = w[i + 1] if i + 1 < n else ""
        if word in ("scene", "scenes", "sc") and _num(nxt) is not None:
            number = _num(nxt)
            refs.used.update((i, i + 1))
            if i + 3 < n and w[i + 2] == "shot" and _num(w[i + 3]) is not None:
                refs.shots.append((number or 1, _num(w[i + 3]) or 1))
                refs.used.update((i + 2, i + 3))
                i += 4
                continue
            begun = i > 1 and w[i - 1] in ("at", "in", "with", "from") and w[i - 2] in ("starting", "beginning")
            if begun:  # "starting at scene 3", "beginning with scene 2"
                refs.used.add(i - 2)
            if i > 0 and w[i - 1] in ("from", "starting", "after", "since", "beginning") or begun:
                refs.from_scene = True
                refs.used.add(i - 1)
                number = (number or 0) + (1 if w[i - 1] == "after" else 0)
            if i + 2 < n and w[i + 2] in ("on", "onwards", "onward", "forward", "forwards"):
                refs.from_scene = True
                refs.used.add(i + 2)
            if i > 0 and w[i - 1] in ("in", "of", "for", "from", "starting", "after", "since", "beginning"):
                refs.used.add(i - 1)
            refs.scene = number
            i += 2
            continue
        if word in ("first", "opening") and nxt == "shot":  # "the opening shot", "the first shot of scene 3"
            of = _num(w[i + 4]) if i + 4 < n and w[i + 2] in ("of", "in") and w[i + 3] in ("scene", "sc") else None
            refs.shots.append((of or 1, 1))
            refs.used.update(range(i, i + (5 if of else 2)))
            i += 5 if of else 2
            continue
        if word in ("shot", "shots", "board", "boards", "frame", "prompt", "takes", "take") and nxt:
            found = _shot(nxt, scene_focus)
            if found and not (nxt.isdigit() and i + 2 < n and w[i + 2] in _UNITS):
                refs.shots.append(found)
                refs.used.update((i, i + 1))
                j = i + 2
                while j + 1 < n and w[j] in ("and", ",", "&") and _shot(w[j + 1], scene_focus):
                    refs.shots.append(_shot(w[j + 1], scene_focus) or found)
                    refs.used.update((j, j + 1))
                    j += 2
                i = j
                continue
        pair = dotted(word, scenes)
        if pair and nxt not in _UNITS:
            if (i == 0 or w[i - 1] in REQUEST_VERBS) and not bare:
                refs.shots.append(pair)  # "make 1.2 black and white", "2.4 drags": the clause is about it
                refs.used.add(i)
            else:
                bare.append((i, pair))
            i += 1
            continue
        if code(word):
            refs.shots.append(code(word) or (1, 1))
            refs.used.add(i)
            i += 1
            continue
        for table, key in ((SIZES, "size"), (ANGLES, "angle"), (MOVES, "movement")):
            hit = phrase_at(w, i, table)
            if hit and key not in refs.shot_aspects and not (word == "closer" and nxt in ("to", "than")):
                refs.shot_aspects[key] = getattr(hit[1], "value", "")
                said.setdefault(key, i)
                refs.used.update(range(i, i + hit[0]))
        lens = _lens(w, i)
        if lens:
            refs.shot_aspects.setdefault("lens", lens)
            said.setdefault("lens", i)
            refs.used.update((i, i + 1) if nxt == "mm" else (i,))
        elif _odd_lens(word, nxt):
            refs.odd.append(i)
        secs = _seconds(w, i)
        if secs and seconds_ok(secs):
            refs.shot_aspects.setdefault("duration", secs)
            said.setdefault("duration", i)
            refs.used.update((i, i + 1, i - 1) if word == "a" and i and w[i - 1] == "half" else (i, i + 1))
        elif secs or sum(c.isdigit() for c in word) > 6 or not word.isascii() and any(c.isdigit() for c in word):
            refs.odd.append(i)  # "0 seconds", a number of thousands of digits: said, no value
        step = _relative(w, i)
        if step:
            refs.relative.setdefault(*step[:2])
            steps.setdefault(step[0], i)
            stepped += step[2]
        tod = phrase_at(w, i, TIME_PHRASES) or ((1, TIMES[word]) if word in TIMES and i not in refs.used else None)
        if tod and "time_of_day" not in refs.shot_aspects:
            refs.shot_aspects["time_of_day"] = str(tod[1])
            said["time_of_day"] = i
            refs.used.update(range(i, i + tod[0]))
        i += 1
    if bare and (refs.shot_aspects or refs.relative or refs.shots or any(x in _SHOT_CONTEXT or x in MOODS
                                                                         for x in w)):
        for k, shot in bare:
            refs.shots.append(shot)
            refs.used.add(k)
    if refs.shots:  # "wider", "too long": a step only when a shot is named; a number said wins
        for key, value in refs.relative.items():
            refs.shot_aspects.setdefault(key, value)
            said.setdefault(key, steps[key])
        refs.used.update(stepped)
    # in the order said: "tighter on 2.4 and push in" is the size, then the move
    refs.shot_aspects = dict(sorted(refs.shot_aspects.items(), key=lambda kv: said.get(kv[0], n)))


_STEPS = {"wider": ("size", "wider"), "looser": ("size", "wider"), "tighter": ("size", "tighter"),
          "closer": ("size", "tighter"), "shorter": ("duration", "shorter"), "quicker": ("duration", "shorter"),
          "longer": ("duration", "longer"), "slower": ("duration", "longer"), "faster": ("duration", "shorter"),
          "drags": ("duration", "shorter"), "dragging": ("duration", "shorter"), "rushed": ("duration", "longer")}


def _relative(w: list[str], i: int) -> tuple[str, str, list[int]] | None:
    """A step from what the shot is now: 'wider', 'tighter', 'shorter', 'slower pace', 'too long' (the
    aspect, the step, the words that said it)."""
    word = w[i]
    before = w[i - 1] if i else ""
    after = w[i + 1] if i + 1 < len(w) else ""
    if word in _STEPS and after not in ("to", "than", "hair"):
        return (*_STEPS[word], [i, i + 1] if after == "pace" else [i])
    if before == "too" and word in ("long", "short", "tight", "wide"):
        return (*{"long": ("duration", "shorter"), "short": ("duration", "longer"), "tight": ("size", "wider"),
                  "wide": ("size", "tighter")}[word], [i - 1, i])
    return None


def _odd_lens(word: str, after: str) -> bool:
    """A lens said in millimetres that no lens has: '9000mm', '2 mm'."""
    digits = word[:-2] if word.endswith("mm") else word if after in ("mm", "lens") else ""
    if not (digits.isascii() and digits.isdigit()):
        return False
    mm = number(digits)
    return mm is None or not 8 <= mm <= 600


def number(word: str, most: int = 3) -> int | None:
    """The whole number a word of at most `most` ASCII digits says; None for anything else (no 5000-digit int())."""
    return int(word) if word.isascii() and word.isdigit() and 0 < len(word) <= most else None


def _num(word: str) -> int | None:
    n = number(word)
    return n if n is not None else NUMBER_WORDS.get(word)


def _shot(word: str, scene_focus: int) -> tuple[int, int] | None:
    for sep in ".:/_-":
        if sep in word:
            a, _, b = word.partition(sep)
            x, y = number(a), number(b, 4)
            return (x, y) if x and y else None
    said = _num(word)
    return (scene_focus, said) if said else None


def dotted(word: str, scenes: int) -> tuple[int, int] | None:
    """'2.3' as a shot of a scene the project has: scene 2, shot 3."""
    a, dot, b = word.partition(".")
    x, y = number(a, 2), number(b)
    if not dot or not x or not y:
        return None
    return (x, y) if not scenes or x <= scenes else None


def code(word: str) -> tuple[int, int] | None:
    """S01_SH002 / s1sh2."""
    if not word.startswith("s") or "sh" not in word:
        return None
    a, _, b = word[1:].replace("_", "").partition("sh")
    if a.startswith("c"):
        a = a[1:]
    x, y = number(a), number(b, 4)
    return (x, y) if x and y else None


def _lens(w: list[str], i: int) -> str:
    word = w[i]
    digits = word[:-2] if word.endswith("mm") else word
    mm = number(digits)
    if mm is None or not 8 <= mm <= 600:
        return ""
    after = w[i + 1] if i + 1 < len(w) else ""
    later = w[i + 2] if i + 2 < len(w) and after == "mm" else after
    if later in ("film", "stock", "grain", "footage", "print"):
        return ""  # "a grainy 16mm film look": the medium, not a lens
    if word.endswith("mm") or after in ("mm", "lens", "millimeter", "millimetre"):
        return digits
    if i > 0 and w[i - 1] in ("an", "a", "on") and after not in ("seconds", "s", "percent", "%", "year", "years"):
        return digits if mm >= 12 and (i < 2 or w[i - 2] in ("on", "with", "use", "try", "to")) else ""
    return ""


def _seconds(w: list[str], i: int) -> str:
    """'4 seconds', '2.5s', 'four seconds', 'about a second', 'half a second': the seconds as digits."""
    word = w[i]
    before = w[i - 1] if i else ""
    after = w[i + 1] if i + 1 < len(w) else ""
    if word.endswith("s") and _decimal(word[:-1]):
        said = word[:-1]
        year = number(said, 4) if "." not in said else None
        decade = year is not None and year % 10 == 0 and (len(said) == 4 or year >= 20)
        if decade and (len(said) == 4 or before not in ("for", "to", "of", "about", "be", "last", "lasts")):
            return ""  # "the 1970s", "in his 70s"
        return _clean(said)
    if after in ("seconds", "second") and (_decimal(word) or word in NUMBER_WORDS):
        return _clean(word) if _decimal(word) else str(NUMBER_WORDS[word])
    if word == "a" and after == "second" and before in ("about", "around", "roughly", "just", "only", "to", "for",
                                                        "half", "last", "lasts", "hold", "under", "over"):
        return "0.5" if before == "half" else "1"
    return ""


def seconds_ok(value: str) -> bool:
    """A shot's length a person can mean: more than nothing, at most two minutes."""
    return 0 < float(value) <= 120


def _decimal(s: str) -> bool:
    a, _, b = s.partition(".")
    return a.isascii() and a.isdigit() and (not b or b.isascii() and b.isdigit()) and len(s) <= 6


def _clean(s: str) -> str:
    return s[:-2] if s.endswith(".0") else s
