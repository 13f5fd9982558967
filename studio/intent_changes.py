"""What a clause asks to change, for studio.intents: a character's wardrobe, hair, age or look, a prop's state,
a location's look, a scene's time of day or mood, a shot's size, angle, move, lens, duration, time or mood, the
style's palette, lighting or medium. Each reader walks the clause's words once.

A value is the person's own phrase, cut from the message as written ("longer, whiter hair", "coat over the
uniform", "mid twenties"). A thing named with nothing asked of it ("hmm, nell's coat") is no change: see
`requested`."""

from __future__ import annotations

from studio.intent_shots import Found, Refs, number
from studio.intent_tables import (CONDITIONS, DECADES, FEATURES, HAIR_VERBS, NEGATIONS, REQUEST_VERBS,
                                  REVISE_VERBS, STATE_VERBS)
from studio.intent_words import HAIR, MEDIUMS, MOODS, STATES, STYLE, WARDROBE, WEAR

__all__ = ["Found", "Refs", "character", "mood", "requested", "style", "thing", "unnamed"]


_BE = frozenset({"should", "be", "is", "are", "was", "were", "would", "to", "become", "becomes", "turn", "now", "always", "must",
                 "gets", "get", "have", "has", "it's", "look", "looks", "seem", "feel", "feels", "appear",
                 "please", "make", "needs", "need", "going", "will", "can", "set", "into",
                 "change", "changed", "made", "being", "wear", "wears", "wearing", "in", "with", "dressed",
                 "dress", "the", "like", "and", ",", "up"})
_SCOPE = frozenset({"in", "from", "for", "throughout", "everywhere", "always", "every", "starting", "on", "scene",
                    "scenes", "not", "instead", "rather", ",", "and", "please", "now", "but", "until", "across",
                    "all", "onwards", "onward", "forward", "through", "when", "while", "so", "because", "at",
                    "during", "since", "after", "before", "like", "than", "again", "too", "as", "then", "shot"})
_LEFT_STOP = frozenset({"in", "on", "to", "into", "with", "for", "wear", "wears", "wearing", "should", "always",
                        "be", "her", "his", "their", "the", "give", "make", "put", "is", "are", "has", "have",
                        "dress", "dressed", "change", "swap", "replace", "get", "got", ",", "and", "of", "from"})
_ARTICLES = frozenset({"a", "an", "some"})
_SWAPS = frozenset({"change", "swap", "replace", "switch", "turn", "trade", "exchange", "changed"})
_GENERIC_NOUNS = frozenset({"hair", "wardrobe", "outfit", "clothes", "clothing", "costume", "hairdo", "hairstyle"})
_JOINS = frozenset({"over", "under", "with", "without", "and", "beneath", "underneath", "on", "tucked", "buttoned",
                    "open", "zipped", "rolled"})  # "coat over the uniform": the phrase goes on past the noun
_AFTER = frozenset({"up", "down", "back", "loose", "out", "short", "long", "longer", "shorter", "straight",
                    "curly", "wet", "messy", "tied", "slicked", "shaved", "grey", "gray", "white", "dyed"})
_PLAIN = frozenset({"a", "an", "the", "her", "his", "their", "my", "its", "some", ","})
# words that ask for something: a verb, a modal, a copula ("hmm, nell's coat" has none and is no change)
_ASKING = frozenset({"should", "must", "needs", "need", "is", "are", "be", "was", "were", "wear", "wears",
                     "wearing", "wore", "dressed", "gets", "get", "become", "becomes", "looks", "look", "feel",
                     "feels", "seem", "seems", "has", "have", "want", "in", "with", "without", "like", "more",
                     "less", "too", "instead", "now", "always", "every", "everywhere", "from", "at"})


def _phrase(refs: Refs, start: int, stop_words: frozenset[str] = _SCOPE) -> list[int]:
    """The run of words from `start` up to a scope word, a name or the end, what 'be' words lead it left out.
    A comma goes on with the phrase when more of it follows ("emptier, more chrome"); a last "through" is
    the phrase's own ("soaked through")."""
    w = refs.words
    i = start
    while i < len(w) and (w[i] in _BE or i in refs.used):
        i += 1
    out: list[int] = []
    while i < len(w) and i not in refs.used:
        word = w[i]
        nxt = w[i + 1] if i + 1 < len(w) else ""
        goes_on = out and i + 1 < len(w) and i + 1 not in refs.used and nxt not in stop_words and \
            nxt not in REQUEST_VERBS and nxt not in NEGATIONS and nxt not in CONDITIONS
        if word == "too" and not out and nxt and nxt not in stop_words and nxt not in _BE:
            out.append(i)  # "the diner feels too clean": "too" starts the value
            i += 1
            continue
        if word in stop_words and not (word in ("and", ",") and goes_on) and \
                not (word == "through" and i + 1 == len(w) and out):
            break
        out.append(i)
        i += 1
    return out


def _text(refs: Refs, idx: list[int]) -> str:
    """The words at those indices as the person wrote them (one run is cut from the message itself)."""
    if not idx:
        return ""
    if refs.source and len(refs.spans) == len(refs.words) and idx == list(range(idx[0], idx[-1] + 1)):
        return refs.source[refs.spans[idx[0]][0]:refs.spans[idx[-1]][1]].strip(" ,:")
    return " ".join(refs.raw[i] for i in idx).strip(" ,")


def _noun_value(refs: Refs, nouns: frozenset[str]) -> tuple[int, str]:
    """'wear a long red coat' → 'a long red coat'; 'make Nell's coat red' → 'red coat'; 'her coat over the
    uniform' → 'coat over the uniform'; 'longer, whiter hair' stays whole. (Where it starts, the words.)"""
    w = refs.words
    at = [i for i, word in enumerate(w) if word in nouns and i not in refs.used]
    if not at:
        return -1, ""
    if any(x in _SWAPS for x in w):  # "change her pink uniform to a red coat": the new one
        turn = next((i for i, x in enumerate(w) if x in ("to", "into", "for", "with") and i < at[-1]), -1)
        at = [a for a in at if a > turn] if turn >= 0 else at
    cut = next((i for i, x in enumerate(w) if x in ("instead", "rather", "not")), len(w))
    at = [a for a in at if a < cut] or at  # "a red coat instead of the uniform": not the old one
    k = next((i for i in at if w[i] not in _GENERIC_NOUNS), at[0])  # "her hair up in a messy bun": the bun
    left: list[int] = []
    j = k - 1
    while j >= 0 and j not in refs.used and (w[j] not in _LEFT_STOP or w[j] == "," and left) and \
            not w[j].endswith("'s") and w[j] not in REQUEST_VERBS:
        left.insert(0, j)
        if w[j] in _ARTICLES:
            break
        j -= 1
    while left and w[left[0]] == ",":
        left.pop(0)
    end = k
    while end + 1 < len(w) and w[end + 1] in nouns and end + 1 not in refs.used:
        end += 1  # "a plaid flannel shirt"
    while end + 1 < len(w) and end + 1 not in refs.used:  # on through 'and a trucker cap', 'over the uniform'
        nxt = [x for x in range(end + 1, min(len(w), end + 6)) if x not in refs.used]
        later = next((x for x in nxt if w[x] in nouns), None)
        if later is None or w[end + 1] not in _JOINS or any(w[x] in _SCOPE - {"and"} for x in range(end + 1, later)):
            break
        end = later
    span = left + list(range(k, end + 1))
    right = _phrase(refs, end + 1)
    if not right and not left and end == k:  # "her hair up", "her hair should be down": the word after it
        tail = [j for j in range(k + 1, len(w)) if j not in refs.used and w[j] in _AFTER]
        if tail and all(w[j] in _BE or w[j] in _AFTER for j in range(k + 1, tail[-1] + 1) if j not in refs.used):
            return k, f"{refs.raw[k]} {_text(refs, tail)}"
    if right and not left and end == k:  # "her coat red" → "red coat"; "her hair down" stays so
        turned = right[0] != k + 1 or w[k + 1] not in _AFTER
        return k, f"{_text(refs, right)} {refs.raw[k]}" if turned else f"{refs.raw[k]} {_text(refs, right)}"
    if right and end + 1 < len(w) and w[end + 1] == ",":  # "a waxed jacket, soaked through"
        span += list(range(end + 1, right[-1] + 1))
    return (span[0] if span else k), _text(refs, span)


def requested(refs: Refs, value: str, nouns: frozenset[str]) -> bool:
    """The clause asks for something: a verb or modal, a copula, 'in a …', a colon after the name — or its value
    holds a word beyond the thing's own noun ("nell's red coat"). "hmm, nell's coat" asks for nothing."""
    if refs.labelled or any(x in _ASKING or x in REQUEST_VERBS or x in STATE_VERBS or x in HAIR_VERBS
                            for i, x in enumerate(refs.words) if i not in refs.used):
        return True
    return any(x.lower().strip(",.'") not in nouns | _PLAIN for x in value.split())


def character(refs: Refs, name: str) -> list[Found]:
    """Wardrobe, hair, age or look of one character, in the order said."""
    w = refs.words
    out: list[tuple[int, Found]] = []

    def add(at: int, aspect: str, value: str) -> None:
        if value and requested(refs, value, WARDROBE | HAIR | FEATURES | {"head"}):
            out.append((at, Found(name, aspect, value, scene=refs.scene, from_scene=refs.from_scene)))
    _dress_verb(refs)
    if any(x in WARDROBE for i, x in enumerate(w) if i not in refs.used):
        at, value = _noun_value(refs, WARDROBE)
        add(at, "wardrobe", value)
    elif any(x in WEAR for x in w) and not any(x in HAIR for x in w):  # "wears her hair back": the hair
        k = next(i for i, x in enumerate(w) if x in WEAR)
        add(k, "wardrobe", _text(refs, _phrase(refs, k + 1)))
    if any(x in HAIR for i, x in enumerate(w) if i not in refs.used):
        at, value = _noun_value(refs, HAIR)
        add(at, "hair", value)
    elif any(x in HAIR_VERBS for x in w[:2]) and any(x in ("head", "beard", "hair") or i == len(w) - 1
                                                     for i, x in enumerate(w)):
        k = next(i for i, x in enumerate(w) if x in HAIR_VERBS)
        add(k, "hair", _text(refs, [i for i in range(k, len(w)) if i not in refs.used]))
    at, age = _age(refs)
    if age:
        add(at, "age", age)
    if any(x in FEATURES for i, x in enumerate(w) if i not in refs.used):
        at, value = _noun_value(refs, FEATURES)
        add(at, "look", value)
    if not out and any(x in ("look", "looks", "give") for x in w) and \
            any(x in ("make", "give", "should", "must", "needs", "need", "to") for x in w):
        k = next(i for i, x in enumerate(w) if x in ("look", "looks", "give"))
        add(k, "look", _text(refs, _phrase(refs, k + 1)))
    return [f for _, f in sorted(out, key=lambda p: p[0])]


_AGE_HINTS = frozenset({"older", "younger", "age", "aged", "years", "year-old", "make", "is"})


def _age(refs: Refs) -> tuple[int, str]:
    w = refs.words
    said = set(w)
    for i, word in enumerate(w):
        lead = w[i - 1] if i > 0 else ""
        early = lead in ("early", "mid", "late")
        if word in DECADES:
            return i, f"{refs.raw[i - 1]} {refs.raw[i]}" if early else DECADES[word]
        decade = word.endswith("s") and word[:-1].isdigit() and len(word) == 3
        years = number(word)
        if decade or (years is not None and 3 < years < 120 and i not in refs.used):
            if word.isdigit() and not (decade or _AGE_HINTS & said):
                continue
            return i, f"{lead} {word}" if early else word
        if word in ("young", "youthful", "old", "elderly") and lead == "too":
            return i, "older" if word in ("young", "youthful") else "younger"
    for i, word in enumerate(w):
        if word in ("older", "younger"):
            return i, word
    return -1, ""


_PARTS_OF = frozenset({"ones", "one", "boards", "frames", "shots", "scenes", "bits", "parts", "clips"})


def thing(refs: Refs, name: str, kind: str) -> list[Found]:
    """A prop's state or look, a location's look or time of day."""
    w = refs.words
    k = max(i for i, kk, n in refs.names if n == name)
    start = k + 1
    while start < len(w) and w[start] in _PARTS_OF:  # "the kitchen ones are too dark": the kitchen's
        start += 1
    right = _phrase(refs, start)
    value = _text(refs, right) or _text(refs, [i for i in range(k) if i not in refs.used and w[i] not in _BE and
                                               w[i] not in _LEFT_STOP and w[i] not in _ARTICLES and
                                               (w[i] not in REQUEST_VERBS or w[i] in STATE_VERBS)])
    if kind == "location" and "time_of_day" in refs.shot_aspects and refs.scene is None:
        return [Found(name, "time_of_day", refs.shot_aspects["time_of_day"])]
    if not value or not requested(refs, value, frozenset()):
        return []
    if kind == "prop":
        aspect = "state" if any(x in STATES or x in STATE_VERBS for x in w) else "look"
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


_NOT_STYLE = REQUEST_VERBS | REVISE_VERBS | CONDITIONS | NEGATIONS | STYLE.keys() | {
    "it", "you", "i", "we", "they", "whole", "film's", "movie's", "overall", "entire", "everything", "all", "thing"}


_GAUGES = frozenset({"8", "16", "35", "65", "70"})
_WHOLE = frozenset({"film", "movie", "everything", "whole", "all", "look", "looks", "feel", "feels", "shoot",
                    "shot", "shots"})


def style(refs: Refs) -> list[Found]:
    """The palette, lighting or medium of the whole film."""
    w = refs.words
    for i, word in enumerate(w):
        if word.endswith("mm") and word[:-2].isdigit() and i + 1 < len(w) and w[i + 1] in ("film", "stock"):
            left = [j for j in range(max(0, i - 3), i) if j not in refs.used and w[j] not in _NOT_STYLE and
                    w[j] not in _LEFT_STOP and w[j] not in _ARTICLES and w[j] != "go"]
            return [Found("style", "medium", _text(refs, left + [i, i + 1]))]
    for i, word in enumerate(w):  # "make the whole film look like 16mm": the film's gauge, not a lens
        gauge = word[:-2] if word.endswith("mm") else word if w[i + 1:i + 2] == ["mm"] else ""
        if gauge in _GAUGES and not refs.shots and i and w[i - 1] in ("like", "on", "in", "as", "to") and \
                _WHOLE & set(w) and w[i + 1:i + 2] != ["lens"]:
            refs.used.update((i, i + 1) if w[i + 1:i + 2] == ["mm"] else (i,))
            return [Found("style", "medium", f"{gauge}mm film")]
    for i, word in enumerate(w):
        if word in STYLE and not (word == "light" and i + 1 < len(w) and w[i + 1] in ("hour",)):
            aspect = STYLE[word]
            value = _text(refs, [j for j in _phrase(refs, i + 1) if w[j] not in STYLE])
            if not value:
                value = _text(refs, [j for j in range(i) if j not in refs.used and w[j] not in _BE and
                                     w[j] not in _LEFT_STOP and w[j] not in _NOT_STYLE and w[j] not in _ARTICLES])
            return [Found("style", aspect, value)] if value else []
    for i, word in enumerate(w):
        if word in MEDIUMS:
            return [Found("style", "medium", _text(refs, [i] + _phrase(refs, i + 1)))]
    return []


def _dress_verb(refs: Refs) -> None:
    """'dress Nell in a red raincoat', 'dress her up in…': 'dress' is the verb there, no part of the value."""
    w = refs.words
    named = {i for i, _, _ in refs.names}
    refs.used.update(i for i, x in enumerate(w) if x in ("dress", "dresses", "tie", "ties") and (
        i == 0 or i + 1 in named or w[i + 1:i + 2] and w[i + 1] in ("her", "him", "them", "up") or
        w[i - 1] in ("to", "please", "let's", "should", "and", "you", "will", "i'd", "we")))


def unnamed(refs: Refs) -> list[Found]:
    """'make the coat red': a wardrobe or hair change whose owner is not named (the conversation asks whose)."""
    w = refs.words
    _dress_verb(refs)
    if any(x in WARDROBE for i, x in enumerate(w) if i not in refs.used):
        _, value = _noun_value(refs, WARDROBE)
        return [Found("", "wardrobe", value, scene=refs.scene, from_scene=refs.from_scene)]
    if any(x in HAIR for x in w):
        _, value = _noun_value(refs, HAIR)
        return [Found("", "hair", value, scene=refs.scene, from_scene=refs.from_scene)]
    return []
