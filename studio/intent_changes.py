"""What a clause asks to change, for studio.intents: a character's wardrobe, hair, age or look, a prop's state,
a location's look, a scene's time of day or mood, a shot's size, angle, move, lens, duration, time or mood, the
style's palette, lighting or medium. Each reader walks the clause's words once."""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.intent_words import (ANGLES, HAIR, MEDIUMS, MOODS, MOVES, NUMBER_WORDS, REQUEST_VERBS, SIZES, STATES,
                                 STYLE, TIME_PHRASES, TIMES, WARDROBE, WEAR, phrase_at)


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
    names: list[tuple[int, str, str]] = field(default_factory=list)  # (index, kind, NAME)
    used: set[int] = field(default_factory=set)  # indices taken by names, scenes, shots, scope words
    shots: list[tuple[int, int]] = field(default_factory=list)
    scene: int | None = None
    from_scene: bool = False
    shot_aspects: dict[str, str] = field(default_factory=dict)

    def of(self, kind: str) -> list[str]:
        seen: list[str] = []
        for _, k, name in self.names:
            if k == kind and name not in seen:
                seen.append(name)
        return seen


_BE = frozenset({"should", "be", "is", "are", "was", "to", "become", "becomes", "turn", "now", "always", "must",
                 "gets", "get", "have", "has", "it's", "look", "looks", "seem", "feel", "feels", "appear",
                 "more", "much", "please", "make", "needs", "need", "gonna", "going", "will", "can", "set", "into",
                 "change", "changed", "made", "being", "wear", "wears", "wearing", "in", "with", "dressed",
                 "dress", "the", "like", "and", ","})
_SCOPE = frozenset({"in", "from", "for", "throughout", "everywhere", "always", "every", "starting", "on", "scene",
                    "scenes", "not", "instead", "rather", ",", "and", "please", "now", "but", "until", "across",
                    "all", "onwards", "onward", "forward", "through", "when", "while", "so", "because", "at",
                    "during", "since", "after", "before", "like", "than", "again", "too", "as", "then", "shot"})
_LEFT_STOP = frozenset({"in", "on", "to", "into", "with", "for", "wear", "wears", "wearing", "should", "always",
                        "be", "her", "his", "their", "the", "give", "make", "put", "is", "are", "has", "have",
                        "dress", "dressed", "change", "swap", "replace", "get", "got", ",", "and", "of", "from"})
_ARTICLES = frozenset({"a", "an", "some"})


def scan(refs: Refs, scene_focus: int) -> None:
    """Scenes, scope, shots and the shot vocabulary of the clause, each word looked at once."""
    w = refs.words
    n = len(w)
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
            if i > 0 and w[i - 1] in ("from", "starting", "after", "since"):
                refs.from_scene = True
                refs.used.add(i - 1)
                number = (number or 0) + (1 if w[i - 1] == "after" else 0)
            if i + 2 < n and w[i + 2] in ("on", "onwards", "onward", "forward", "forwards"):
                refs.from_scene = True
                refs.used.add(i + 2)
            if i > 0 and w[i - 1] in ("in", "of", "for", "from", "starting", "after", "since"):
                refs.used.add(i - 1)
            refs.scene = number
            i += 2
            continue
        if word in ("shot", "shots", "board", "boards", "frame", "prompt", "takes", "take") and nxt:
            found = _shot(nxt, scene_focus)
            if found and not (nxt.isdigit() and i + 2 < n and w[i + 2] in ("seconds", "s")):
                refs.shots.append(found)
                refs.used.update((i, i + 1))
                j = i + 2
                while j + 1 < n and w[j] in ("and", ",", "&") and _shot(w[j + 1], scene_focus):
                    refs.shots.append(_shot(w[j + 1], scene_focus) or found)
                    refs.used.update((j, j + 1))
                    j += 2
                i = j
                continue
        if _code(word):
            refs.shots.append(_code(word) or (1, 1))
            refs.used.add(i)
            i += 1
            continue
        for table, key in ((SIZES, "size"), (ANGLES, "angle"), (MOVES, "movement")):
            hit = phrase_at(w, i, table)
            if hit and key not in refs.shot_aspects:
                refs.shot_aspects[key] = getattr(hit[1], "value", "")
                refs.used.update(range(i, i + hit[0]))
        lens = _lens(w, i)
        if lens:
            refs.shot_aspects.setdefault("lens", lens)
            refs.used.add(i)
        secs = _seconds(w, i)
        if secs:
            refs.shot_aspects.setdefault("duration", secs)
            refs.used.update((i, i + 1))
        tod = phrase_at(w, i, TIME_PHRASES) or ((1, TIMES[word]) if word in TIMES and i not in refs.used else None)
        if tod and "time_of_day" not in refs.shot_aspects:
            refs.shot_aspects["time_of_day"] = str(tod[1])
            refs.used.update(range(i, i + tod[0]))
        i += 1


def _num(word: str) -> int | None:
    if word.isdigit() and 0 < len(word) <= 3:
        return int(word)
    return NUMBER_WORDS.get(word)


def _shot(word: str, scene_focus: int) -> tuple[int, int] | None:
    for sep in ".:/_-":
        if sep in word:
            a, _, b = word.partition(sep)
            if a.isdigit() and b.isdigit() and len(a) <= 3 and len(b) <= 4 and int(a) and int(b):
                return int(a), int(b)
            return None
    number = _num(word)
    return (scene_focus, number) if number else None


def _code(word: str) -> tuple[int, int] | None:
    """S01_SH002 / s1sh2."""
    if not word.startswith("s") or "sh" not in word:
        return None
    a, _, b = word[1:].replace("_", "").partition("sh")
    if a.startswith("c"):
        a = a[1:]
    return (int(a), int(b)) if a.isdigit() and b.isdigit() and int(a) and int(b) else None


def _lens(w: list[str], i: int) -> str:
    word = w[i]
    digits = word[:-2] if word.endswith("mm") else word
    if not digits.isdigit() or not 8 <= int(digits) <= 600:
        return ""
    after = w[i + 1] if i + 1 < len(w) else ""
    if word.endswith("mm") or after in ("mm", "lens", "millimeter", "millimetre"):
        return digits
    if i > 0 and w[i - 1] in ("an", "a", "on") and after not in ("seconds", "s", "percent", "%", "year", "years"):
        return digits if int(digits) >= 12 and (i < 2 or w[i - 2] in ("on", "with", "use", "try", "to")) else ""
    return ""


def _seconds(w: list[str], i: int) -> str:
    word = w[i]
    if word.endswith("s") and _decimal(word[:-1]):
        return _clean(word[:-1])
    after = w[i + 1] if i + 1 < len(w) else ""
    if after in ("seconds", "second") and (_decimal(word) or word in NUMBER_WORDS):
        return _clean(word) if _decimal(word) else str(NUMBER_WORDS[word])
    return ""


def _decimal(s: str) -> bool:
    a, _, b = s.partition(".")
    return a.isdigit() and (not b or b.isdigit()) and len(s) <= 6


def _clean(s: str) -> str:
    return s[:-2] if s.endswith(".0") else s


def _phrase(refs: Refs, start: int, stop_words: frozenset[str] = _SCOPE) -> list[int]:
    """The run of words from `start` up to a scope word, a name or the end, what 'be' words lead it left out."""
    w = refs.words
    i = start
    while i < len(w) and (w[i] in _BE or i in refs.used):
        i += 1
    out: list[int] = []
    while i < len(w) and i not in refs.used:
        if w[i] in stop_words and not (w[i] == "and" and out and i + 1 < len(w) and i + 1 not in refs.used
                                       and w[i + 1] not in stop_words and w[i + 1] not in REQUEST_VERBS):
            break
        out.append(i)
        i += 1
    return out


def _text(refs: Refs, idx: list[int]) -> str:
    return " ".join(refs.raw[i] for i in idx).strip(" ,")


def _noun_value(refs: Refs, nouns: frozenset[str]) -> str:
    """'wear a long red coat' → 'a long red coat'; 'make Nell's coat red' → 'red coat'."""
    w = refs.words
    at = [i for i, word in enumerate(w) if word in nouns and i not in refs.used]
    if not at:
        return ""
    k = at[-1]
    left: list[int] = []
    j = k - 1
    while j >= 0 and j not in refs.used and w[j] not in _LEFT_STOP and not w[j].endswith("'s"):
        left.insert(0, j)
        if w[j] in _ARTICLES:
            break
        j -= 1
    right = _phrase(refs, k + 1)
    if right and not left:
        return f"{_text(refs, right)} {refs.raw[k]}"
    return _text(refs, left + [k])


def character(refs: Refs, name: str) -> list[Found]:
    """Wardrobe, hair, age or look of one character."""
    w, out = refs.words, []
    if any(x in WARDROBE for x in w):
        out.append(Found(name, "wardrobe", _noun_value(refs, WARDROBE), scene=refs.scene, from_scene=refs.from_scene))
    elif any(x in WEAR for x in w):
        k = next(i for i, x in enumerate(w) if x in WEAR)
        value = _text(refs, _phrase(refs, k + 1))
        if value:
            out.append(Found(name, "wardrobe", value, scene=refs.scene, from_scene=refs.from_scene))
    if any(x in HAIR for x in w):
        out.append(Found(name, "hair", _noun_value(refs, HAIR), scene=refs.scene, from_scene=refs.from_scene))
    age = _age(refs)
    if age:
        out.append(Found(name, "age", age, scene=refs.scene, from_scene=refs.from_scene))
    if not out and any(x in ("look", "looks", "give") for x in w) and \
            any(x in ("make", "give", "should", "must", "needs", "need", "to") for x in w):
        k = next(i for i, x in enumerate(w) if x in ("look", "looks", "give"))
        value = _text(refs, _phrase(refs, k + 1))
        if value:
            out.append(Found(name, "look", value, scene=refs.scene, from_scene=refs.from_scene))
    return out


def _age(refs: Refs) -> str:
    w = refs.words
    for i, word in enumerate(w):
        decade = word.endswith("s") and word[:-1].isdigit() and len(word) == 3
        if decade or (word.isdigit() and 1 <= len(word) <= 3 and 3 < int(word) < 120 and i not in refs.used):
            lead = w[i - 1] if i > 0 else ""
            if word.isdigit() and not (decade or any(x in ("older", "younger", "age", "aged", "years", "year-old",
                                                           "make", "is") for x in w)):
                continue
            return f"{lead} {word}" if lead in ("early", "mid", "late") else word
    for word in ("older", "younger"):
        if word in w:
            return word
    return ""


def thing(refs: Refs, name: str, kind: str) -> list[Found]:
    """A prop's state or look, a location's look or time of day."""
    w = refs.words
    k = max(i for i, kk, n in refs.names if n == name)
    value = _text(refs, _phrase(refs, k + 1)) or _text(refs, [i for i in range(k) if i not in refs.used and
                                                             w[i] not in _BE and w[i] not in _LEFT_STOP])
    if kind == "location" and "time_of_day" in refs.shot_aspects and refs.scene is None:
        return [Found(name, "time_of_day", refs.shot_aspects["time_of_day"])]
    if not value:
        return []
    if kind == "prop":
        aspect = "state" if any(x in STATES for x in w) else "look"
        return [Found(name, aspect, value, scene=refs.scene, from_scene=refs.from_scene)]
    return [Found(name, "look", value, scene=refs.scene, from_scene=refs.from_scene)]


def mood(refs: Refs) -> str:
    w = refs.words
    for i, word in enumerate(w):
        if word in ("mood", "feel", "feeling", "atmosphere", "tone") and i not in refs.used:
            return _text(refs, _phrase(refs, i + 1)) or _text(refs, [j for j in range(max(0, i - 2), i)
                                                                   if w[j] not in _LEFT_STOP and j not in refs.used])
        if word in MOODS:
            lead = [i - 1] if i > 0 and w[i - 1] in ("more", "less", "a", "bit", "much") else []
            return _text(refs, lead + [i])
    return ""


def style(refs: Refs) -> list[Found]:
    """The palette, lighting or medium of the whole film."""
    w = refs.words
    for i, word in enumerate(w):
        if word in STYLE and not (word == "light" and i + 1 < len(w) and w[i + 1] in ("hour",)):
            aspect = STYLE[word]
            value = _text(refs, [j for j in _phrase(refs, i + 1) if w[j] not in STYLE])
            if not value:
                value = _text(refs, [j for j in range(i) if j not in refs.used and w[j] not in _BE and
                                     w[j] not in _LEFT_STOP and w[j] not in STYLE and w[j] != "it"])
            return [Found("style", aspect, value)] if value else []
    for i, word in enumerate(w):
        if word in MEDIUMS:
            return [Found("style", "medium", _text(refs, [i] + _phrase(refs, i + 1)))]
    return []


def unnamed(refs: Refs) -> list[Found]:
    """'make the coat red': a wardrobe or hair change whose owner is not named (the conversation asks whose)."""
    w = refs.words
    if any(x in WARDROBE for x in w):
        return [Found("", "wardrobe", _noun_value(refs, WARDROBE), scene=refs.scene, from_scene=refs.from_scene)]
    if any(x in HAIR for x in w):
        return [Found("", "hair", _noun_value(refs, HAIR), scene=refs.scene, from_scene=refs.from_scene)]
    return []
