"""Who and where a story is about, by rule: names by capitalisation and frequency, places by the words around.

A capitalised word in the middle of a sentence is a name, unless the story also writes it in lower case ("Will"
and "will"); a word only capitalised at the start of a sentence is not. A name is a person when the text treats
it as one (a title before it, a verb after it, speech given to it, a possessive) and a place when it does (a
preposition before it, "Street" or "Lodge" in it). Forms of one name are one character: "Mr. Sherlock Holmes",
"Sherlock Holmes" and "Holmes"; "Mr. Hale" and "Mrs. Hale" stay two.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from studio.story_words import (ABBREVIATIONS, HONORIFICS, MAIDEN, NICKNAMES, NOT_NAMES, PLACE_NAME_WORDS, PLACE_NOUNS,
                                PLACE_PREPOSITIONS, SETTING_PREPOSITIONS, SPEECH_VERBS, VERBS)

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")
SENTENCE_END = re.compile(r"[.!?]+['\"’”)\]]*\s+(?=['\"‘“(\[]*[A-Z])")
POSSESSIVE = re.compile(r"['’]s$")
DEMONYM = re.compile(r"(?:ish|ese|ian|ean)$")
QUOTED = re.compile(r"[\"“][^\"“”]*(?:[\"”]|$)")
HE = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.IGNORECASE)
COMPARING = frozenset({"like", "as", "than"})
CALENDAR = frozenset("""january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split())
# Verbs of going before 'to': 'sailed to Bristol' names a place, 'said to Holmes' a person.
GOING = frozenset("""go goes going went gone come comes coming came sail sails sailed sailing travel travelled
    traveled return returned returning back way off ride rode drove journey journeyed road moved removed""".split())


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: a full stop after 'Mr' or an initial ('O. Henry') does not end
    one, so a name is never cut in two."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        before = text[start:m.start()].rsplit(None, 1)
        last = before[-1] if before else ""
        last = last.lstrip("\"'“‘(")
        if last in ABBREVIATIONS or (len(last) == 1 and last.isupper()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def is_capitalised(word: str) -> bool:
    """'Della', 'McCoy', "O'Brien" — not 'PERHAPS' (emphasis in capitals) and not 'the'."""
    return word[0].isupper() and any(ch.islower() for ch in word[1:])


@dataclass
class Mention:
    """One capitalised run in a passage: 'Mr. Sherlock Holmes' at ``start``, with what surrounds it."""

    form: str                  # as written, possessive dropped: 'Mr. Sherlock Holmes'
    core: tuple[str, ...]      # without titles: ('Sherlock', 'Holmes')
    gender: str                # from the title: 'm', 'f' or ''
    start: int
    end: int
    initial: bool              # the first word of its sentence
    before: str                # the word before, lower case ('' at a sentence start)
    after: str                 # the word after, as written
    possessive: bool
    the: bool                  # 'the' before it: 'the Pequod'
    quoted: bool = False       # said in a line of speech, not told by the narration
    aside: bool = False        # only a comparison or a modifier: 'like a Coney Island chorus girl'
    sentence_end: int = 0      # where its sentence ends, for the pronouns that follow it
    earlier: str = ""          # the word before ``before``: 'sailed' in 'sailed to Bristol'


def mentions_in(text: str) -> list[Mention]:
    """Every capitalised run in ``text``, sentence by sentence."""
    found: list[Mention] = []
    inside = [(q.start(), q.end()) for q in QUOTED.finditer(text)] if ("\"" in text or "“" in text) else []
    for s_start, s_end in sentences(text):
        words = list(WORD.finditer(text, s_start, s_end))
        i = 0
        while i < len(words):
            if not is_capitalised(words[i].group()):
                i += 1
                continue
            j = i + 1
            while j < len(words) and is_capitalised(words[j].group()) and _joined(text, words[j - 1], words[j]):
                j += 1
            mention = _mention(text, words, i, j)
            if mention is not None:
                mention.sentence_end = s_end
                mention.quoted = any(a <= mention.start < b for a, b in inside)
                found.append(mention)
            i = j
    return found


def _joined(text: str, left: re.Match[str], right: re.Match[str]) -> bool:
    """Two capitalised words are one name when only a space parts them, or the full stop of a title or an
    initial ('Mr. Holmes', 'O. Henry')."""
    gap = text[left.end():right.start()]
    if gap.isspace() and "\n\n" not in gap:
        return not POSSESSIVE.search(left.group())
    if gap.startswith(".") and gap[1:].isspace():
        return left.group() in HONORIFICS or left.group() in ABBREVIATIONS or len(left.group()) == 1
    return False


def _plain(word: str) -> str:
    """A word as the word lists write it: lower case, a straight apostrophe ('I’ll' → "i'll")."""
    return word.lower().replace("’", "'")


def _interjection(word: str) -> bool:
    """'Yo-ho-ho', 'Ha-ha': a word of repeated syllables is a cry, not a name."""
    parts = word.lower().split("-")
    return len(parts) > 1 and len(set(parts)) < len(parts)


def _mention(text: str, words: list[re.Match[str]], i: int, j: int) -> Mention | None:
    tokens = [w.group() for w in words[i:j]]
    initial = i == 0
    # 'the March Hare': a month or a day after 'the' that more capitals follow is the first word of a name
    named = i > 0 and words[i - 1].group() == "the" and j - i > 1 and _plain(tokens[0]) in CALENDAR
    while tokens and not named and _plain(tokens[0]) in NOT_NAMES and tokens[0] not in HONORIFICS:
        tokens.pop(0)          # 'When Holmes' → 'Holmes'; 'The Pequod' → 'Pequod'
        i += 1
        initial = False
    if not tokens:
        return None
    possessive = bool(POSSESSIVE.search(tokens[-1]))
    tokens[-1] = POSSESSIVE.sub("", tokens[-1])
    titles = [t for t in tokens if t in HONORIFICS]
    core = tuple(t for t in tokens if t not in HONORIFICS or t == tokens[-1])
    if not core or all(_plain(t) in NOT_NAMES or t in HONORIFICS for t in core) or _interjection(core[-1]):
        return None
    gender = next((HONORIFICS[t] for t in titles if HONORIFICS[t]), "")
    form = " ".join(t + "." if t in ABBREVIATIONS else t for t in tokens)
    before = words[i - 1].group().lower() if i > 0 else ""
    earlier = words[i - 2].group().lower() if i > 1 else ""
    after = words[j].group() if j < len(words) else ""
    return Mention(form=form, core=core, gender=gender, start=words[i].start(), end=words[j - 1].end(),
                   initial=initial, before=before, after=after, possessive=possessive, the=before == "the",
                   aside=_aside(before, earlier, after), earlier=earlier)


def _aside(before: str, earlier: str, after: str) -> bool:
    """A name only used to say what something is like: 'like a Coney Island chorus girl', 'as the Eddystone', 'a
    Broadway window' — a name after 'a' that a lower-case noun follows is a modifier, not a place anyone is in."""
    if before in COMPARING or (earlier in COMPARING and before in ("a", "an", "the")):
        return True
    return before in ("a", "an") and after.islower() and after not in VERBS


@dataclass
class Name:
    """Every mention of one person or place, under the form the story uses most."""

    forms: Counter[str] = field(default_factory=Counter)
    passages: list[int] = field(default_factory=list)
    person: int = 0
    place: int = 0
    the: int = 0
    gender: str = ""
    speaks: int = 0
    initial: int = 0           # mentions that start a sentence
    told: int = 0              # mentions in the narration, not in speech nor as a comparison
    he: int = 0                # 'he'/'his' in the sentences where only this name is mentioned
    she: int = 0

    @property
    def sex(self) -> str:
        """'m' or 'f' from a title, else from the pronouns that follow the name ('Della … her cry'); '' unsure."""
        if self.gender:
            return self.gender
        if self.he >= 2 and self.he > 2 * self.she:
            return "m"
        if self.she >= 2 and self.she > 2 * self.he:
            return "f"
        return ""

    @property
    def name(self) -> str:
        return max(self.forms.items(), key=lambda kv: (kv[1], len(kv[0])))[0]

    @property
    def mentions(self) -> int:
        return sum(self.forms.values())


def count_pronouns(text: str, mentions: list[Mention], of_form: dict[str, Name]) -> None:
    """He or she for each name, from the pronouns after it in a sentence that names nobody else."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        if not m.quoted and m.form in of_form:
            by_sentence.setdefault(m.sentence_end, []).append(m)
    for end, found in by_sentence.items():
        if len({id(of_form[m.form]) for m in found}) != 1:
            continue
        rest = QUOTED.sub(" ", text[found[0].end:end])
        name = of_form[found[0].form]
        name.he += len(HE.findall(rest))
        name.she += len(SHE.findall(rest))


def lower_counts(text: str) -> Counter[str]:
    """How often each word is written in lower case: 'will' tells that 'Will' at a sentence start is no name."""
    return Counter(w for w in WORD.findall(text) if w.islower())


def group_names(per_passage: list[list[Mention]], lowered: Counter[str]) -> tuple[list[Name], dict[str, Name]]:
    """The names of the story, and for each form the Name it belongs to."""
    keyed: dict[tuple[str, tuple[str, ...]], list[Mention]] = {}
    capital: Counter[str] = Counter()
    for mentions in per_passage:
        for m in mentions:
            for t in m.core:
                capital[t] += 1
    mid_sentence = Counter(t for mentions in per_passage for m in mentions if not m.initial for t in m.core)
    for mentions in per_passage:
        for k, m in enumerate(mentions):
            if m.initial and len(m.core) > 1 and not mid_sentence[m.core[0]] and not m.gender:
                mentions[k] = m = _without_first(m)
            if _plausible(m, capital, lowered):
                keyed.setdefault((_title_class(m), m.core), []).append(m)
    by_core = _merge_forms(keyed)
    names: list[Name] = []
    of_form: dict[str, Name] = {}
    for members in by_core.values():
        name = Name()
        for m in members:
            name.forms[m.form] += 1
            name.gender = name.gender or m.gender
            name.person += 0 if m.aside else _person_evidence(m)
            name.place += 0 if m.aside else _place_evidence(m)
            name.the += m.the
            name.initial += m.initial
            name.told += not (m.quoted or m.aside)
            of_form[m.form] = name
        names.append(name)
    return names, of_form


def _title_class(m: Mention) -> str:
    """Whom a title says: a man ('m'), a married woman ('f'), an unmarried one ('miss': 'Miss Bennet' is the
    daughter of 'Mrs. Bennet'), '' for none or a title of either."""
    if any(t in MAIDEN for t in m.form.replace(".", " ").split()):
        return "miss"
    return m.gender


def _without_first(m: Mention) -> Mention:
    """'Meanwhile Ahab' at a sentence start is 'Ahab': a first word never capitalised elsewhere is no part of
    the name."""
    first = m.form.split()[0]
    return replace(m, form=m.form[len(first):].strip(), core=m.core[1:], start=m.start + len(first) + 1,
                   initial=False, before="", the=False)


def _plausible(m: Mention, capital: Counter[str], lowered: Counter[str]) -> bool:
    """A run is a name candidate unless it only starts a sentence and the story writes it in lower case too."""
    if m.gender or len(m.core) > 1 and not m.initial:
        return True
    word = m.core[0] if len(m.core) == 1 else m.core[-1]
    if _plain(word) in NOT_NAMES or _interjection(word):
        return False
    return lowered[word.lower()] * 3 < capital[word] or (not m.initial and lowered[word.lower()] < capital[word])


def _merge_forms(keyed: dict[tuple[str, tuple[str, ...]], list[Mention]]) -> dict[tuple[str, tuple[str, ...]],
                                                                                     list[Mention]]:
    """Forms of one name together: the same words whatever the title (unless the titles' genders differ), and a
    single word with the longest-used full name it starts or ends ('Holmes' → 'Sherlock Holmes')."""
    sizes = {k: len(v) for k, v in keyed.items()}
    target: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}
    titled: dict[tuple[str, ...], set[str]] = {}
    for gender, core in keyed:
        if gender:
            titled.setdefault(core, set()).add(gender)
    for key in sorted(keyed, key=lambda k: (-len(k[1]), not k[0], -sizes[k], k)):
        target[key] = _home(key, target, sizes, titled) or key
    merged: dict[tuple[str, tuple[str, ...]], list[Mention]] = {}
    for key, members in keyed.items():
        home = key
        while target[home] != home:
            home = target[home]
        merged.setdefault(home, []).extend(members)
    return merged


def _home(key: tuple[str, tuple[str, ...]], target: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]],
          sizes: dict[tuple[str, tuple[str, ...]], int],
          titled: dict[tuple[str, ...], set[str]]) -> tuple[str, tuple[str, ...]] | None:
    """The form a name joins, if any. A family's titles keep its people apart: when 'Mr. Bennet' and 'Mrs. Bennet'
    are both written, neither is 'Elizabeth Bennet'; a bare 'Joe' is not 'Mrs. Joe' (a wife called by her
    husband's name)."""
    gender, core = key
    best: tuple[str, tuple[str, ...]] | None = None
    for other in target:
        if other == key or target[other] != other:
            continue
        o_gender, o_core = other
        if gender and o_gender and gender != o_gender:
            continue
        if not gender and o_gender in ("f", "miss") and o_core == core:
            continue
        if gender and not o_gender and len(o_core) > len(core) and len(titled.get(core, ())) > 1:
            continue
        same = o_core == core
        part = len(core) == 1 and len(o_core) > 1 and core[0] in (o_core[0], o_core[-1])
        familiar = len(core) == 1 and (
            (_familiar(core[0], o_core[0]) and (len(o_core) > 1 or sizes[other] > sizes[key]))
            or (len(o_core) == 1 and _familiar(o_core[0], core[0]) and sizes[other] > sizes[key]))
        if (same or part or familiar) and (best is None or _rank(other, sizes) > _rank(best, sizes)):
            best = other
    return best


def _familiar(short: str, given: str) -> bool:
    """'Jim' for 'James' (the nickname table), 'Dell' for 'Della' (a name that only starts the other, by up to
    three letters): a story's familiar form of a given name."""
    if NICKNAMES.get(short) == given:
        return True
    return short != given and len(short) >= 3 and given.startswith(short) and len(given) - len(short) <= 3


def _rank(key: tuple[str, tuple[str, ...]], sizes: dict[tuple[str, tuple[str, ...]], int]) -> tuple[bool, int]:
    """Which name a bare surname joins: a man's titled name first ('Hale' is Mr. Hale; the story calls his wife
    'Mrs. Hale'), then the most used."""
    return key[0] == "m", sizes[key]


def _person_evidence(m: Mention) -> int:
    after = m.after
    verb = after.islower() and (after in VERBS or (after.endswith("ed") and len(after) > 3))
    return (2 if m.gender or any(t in HONORIFICS for t in m.form.split()) else 0) + int(verb) + int(m.possessive) \
        + (2 if m.before in SPEECH_VERBS and m.before != "went" else 0)


def _place_evidence(m: Mention) -> int:
    word = m.core[-1]
    named = 3 if word in PLACE_NAME_WORDS or m.form.startswith("St. ") else 0
    going = m.before == "to" and m.earlier in GOING
    return named + int(going or (m.before in PLACE_PREPOSITIONS and m.before not in ("to", "on", "upon", "by")))


def may_speak(name: Name) -> bool:
    """Whether a name beside 'said' is a speaker: not a word that only ever starts a sentence ('Slipping')."""
    the_only = name.place == 0 and name.the > 0   # 'the Hatter': a place only by its article, until it speaks
    return (not is_place(name) or the_only) and (name.mentions >= 2 or name.initial < name.mentions)


def is_place(name: Name) -> bool:
    """A name is a place when the narration puts it after 'in'/'at'/'from' or calls it a Street, a Lodge …, or
    mostly says 'the' before it, more than once, without a title, a line or a deed ('the Temple'); a name used
    only in a comparison ('like a Coney Island chorus girl') is no place of the story."""
    return _placelike(name)


def _placelike(name: Name) -> bool:
    if name.place > name.person or (name.place and name.place == name.person and not name.gender
                                    and not name.speaks):
        return True
    return name.the * 2 > name.mentions >= 2 and not name.gender and not name.speaks and not name.person


def is_person(name: Name) -> bool:
    """A name is a person when it is used as one at least once (speaks, a title, a verb after it) and often
    enough to matter, or it speaks; a demonym ('Bohemian') is not, unless it speaks or has a title."""
    if _placelike(name):
        return False
    word = name.name.split()[-1]
    if DEMONYM.search(word) and name.speaks == 0 and not name.gender:
        return False
    if name.speaks:
        return True
    return name.mentions >= 2 and (name.person >= 1 or name.mentions >= 4) and name.the * 2 < name.mentions


def aliases(name: Name) -> list[str]:
    main = name.name
    return [form for form, _ in name.forms.most_common() if form != main][:10]


def place_interior(name: str) -> bool | None:
    """INT. or EXT. for a proper place, by the word its name ends with ('Baker Street' outside, 'Briony Lodge'
    inside); None for a town or a country."""
    last = name.split()[-1]
    if last in PLACE_NAME_WORDS:
        return PLACE_NAME_WORDS[last]
    return PLACE_NOUNS.get(last.lower())


COMMON_PLACE = re.compile(
    r"\b(" + "|".join(sorted(PLACE_PREPOSITIONS | {"of", "by"})) + r")\s+(?:the|a|an|his|her|their|our|my|this|that|its)\s+"
    r"((?:[a-z]+[\s-]){0,2}?)(" + "|".join(sorted((re.escape(n) for n in PLACE_NOUNS), key=len, reverse=True))
    + r")\b(?![-'’]\w)")


def common_places(text: str) -> list[tuple[int, str]]:
    """'into the kitchen', 'on the deck': (offset, 'the kitchen') for each place noun after a preposition."""
    found = []
    for m in COMMON_PLACE.finditer(text):
        noun = m.group(3)
        if m.group(1) in ("to", "on", "by", "up", "down", "off", "over") and noun in ("bed", "water", "hold"):
            continue
        found.append((m.start(3), "the " + noun))
    return found


UNREAL = re.compile(r"\b(?:could|might|should|must)\s+have\b|\bwould\b|\bif\b|^\W*(?:Had|Were)\s", re.IGNORECASE)
GONE_HOME = re.compile(r"\b(?:reached|reaches|came|comes|went|goes|got|gets|returned|returns|hurried|hurries|"
                       r"walked|walks|ran|runs|back|at)\s+home\b")


ARRIVING = SETTING_PREPOSITIONS | {"reached", "entered"}  # 'we reached Baker Street'


def settings_in(text: str, mentions: list[Mention], places: dict[str, str]) -> list[tuple[int, str]]:
    """The places a passage's narration puts someone in, (offset, label) in order: 'down the stairs to the street', 'in
    Briony Lodge', 'reached home' ('home'). Not a place said in a line of speech, only compared with ('as
    the Eddystone'), or in what did not happen ('Had the queen lived in the flat across the airshaft …')."""
    inside = [(q.start(), q.end()) for q in QUOTED.finditer(text)] if ("\"" in text or "“" in text) else []
    found: list[tuple[int, str]] = []
    for start, end in sentences(text):
        if UNREAL.search(text[start:end]):
            continue
        for m in COMMON_PLACE.finditer(text, start, end):
            lead = text[max(start, m.start() - 20):m.start()].lower().split()[-2:]
            if m.group(1) in SETTING_PREPOSITIONS and not set(lead) & COMPARING and not _within(m.start(), inside):
                found.append((m.start(3), "the " + m.group(3)))
        for mention in mentions:
            if start <= mention.start < end and mention.form in places and mention.before in ARRIVING \
                    and not (mention.quoted or mention.aside):
                found.append((mention.start, places[mention.form]))
        for m in GONE_HOME.finditer(text, start, end):
            if not _within(m.start(), inside):
                found.append((m.end() - 4, "home"))
    return sorted(found)


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in spans)
