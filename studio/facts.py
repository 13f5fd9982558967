"""The script's facts: what the screenplay itself says about its people, places and props.

The look is drafted by a model, and a model contradicts what it is told ("40s" comes back "in her late fifties").
So the facts the script states are read here, by code, and copied over the model's words: a character's age as
the script writes it (`NELL (40s)`, `NELL (40s, tired)`, `WALT, 60s,`, `ROY (10)`, `MARA, a lighthouse keeper in
her late thirties`, `(mid-twenties)`), the sentence that introduces them, each location's INT/EXT, times of day
and first action, and the sentence that names each prop. `without_ages` takes the ages out of a model's text, so
that the script's age is the only one a description carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.breakdown import _AGE_WORDS, _INTRO_RE, scene_chunks
from studio.fountain.elements import Element, ElementType, FountainDocument
from studio.models import Breakdown

MAX_SENTENCE = 300
_DECADES = r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|\d0'?s)"
_AGE_BAND = rf"(?:(?:early|mid|late)[- ]?)?{_DECADES}"
_NUMBER_WORDS = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                 r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?")
# An age as a clause of its own among the name's first clauses: 'WALT, 60s,'  'ANNA, 42.'  'BEN, mid-twenties,'
# 'CHARYA, a librarian, 30,'  'THRAIN, a unicorn, 6 (26 in human years),'  'BOSS, 40 (or any age),'; and said of a
# group: 'CHALF, NAR, and YOR, each male and 15,'. A number inside a clause ('at 3:15', '2 bottles', 'page 40',
# '$40', '1983') is not an age.
_AGE_TOKEN = rf"(\d{{1,3}}(?:'?s)?|{_AGE_BAND})"
_NOTE = r"(?:\s*\([^()]*\))?"
_BARE_AGE_RE = re.compile(rf"^(?:(?:aged?|age:)\s*)?{_AGE_TOKEN}{_NOTE}$", re.IGNORECASE)
_GROUP_AGE_RE = re.compile(rf"^(?:each|all|both)\b(?:\s+[A-Za-z-]+){{0,3}}?\s+(?:and|aged?|age:)\s+{_AGE_TOKEN}{_NOTE}$",
                           re.IGNORECASE)
_CLAUSES = 5  # how many of the clauses after a name may hold its age
# 'in her late thirties', '42 years old', 'a 42-year-old': an age said in words inside the introduction.
_WORDS_AGE_RE = re.compile(
    rf"\bin (?:his|her|their) ({_AGE_BAND})\b|\b(\d{{1,3}}|{_NUMBER_WORDS})[- ]years?[- ]old\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)(?<=[.!?])\s+")
_CAPS_WORD = r"(?<![A-Za-z])(?:Mc|Mac)?[A-Z][A-Z'’\-]*[A-Z](?![a-z])"
_CAPS_RUN = re.compile(rf"{_CAPS_WORD}(?:\s+{_CAPS_WORD})*")
_NOT_TIMES = {"CONTINUOUS", "SAME", "SAME TIME", "LATER", "MOMENTS LATER"}


@dataclass
class CharacterFacts:
    name: str
    age: str = ""  # as the script states it: "40s", "42", "late twenties", "" when it does not
    description: str = ""  # the script's introduction of them, plain words


@dataclass
class LocationFacts:
    name: str
    int_ext: str = ""  # "INT", "EXT", "INT/EXT" (both, or the heading says so), "EST"
    times: list[str] = field(default_factory=list)  # times of day, in script order: ["NIGHT", "DAWN"]
    first_action: str = ""  # the first sentence of action there


@dataclass
class ScriptFacts:
    characters: dict[str, CharacterFacts]  # key: the name as in the breakdown (upper case)
    locations: dict[str, LocationFacts]  # key: the location as in the breakdown
    props: dict[str, str]  # prop → the action sentence that names it

    def character(self, name: str) -> CharacterFacts | None:
        """A character by name, whatever its case."""
        key = name.strip().upper()
        return next((c for k, c in self.characters.items() if k.upper() == key), None)


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(flat) if s]


def _cut(text: str, limit: int = MAX_SENTENCE) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > 0 else limit - 1].rstrip(" ,;:") + "…"


def _age_of(inside: str) -> str:
    """The age in a character's bracket: '40s, tired' → '40s'; 'V.O.' → ''."""
    for piece in re.split(r"[,;/]", inside):
        piece = piece.strip()
        low = piece.lower()
        if piece and (any(ch.isdigit() for ch in piece) or any(w in low for w in _AGE_WORDS)):
            return piece
    return ""


def _name_re(name: str) -> re.Pattern[str]:
    """The name in capitals, as a whole word (the way a screenplay introduces a character)."""
    return re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])")


def _mentions(sentence: str, name: str) -> list[re.Match[str]]:
    """Where the sentence names the character in capitals, as the whole run of capitals: 'a CUTE DOG' does not
    name DOG, 'CYBER BOB' does not name BOB, 'YOUNG IDA' does not name IDA."""
    return [m for m in _name_re(name).finditer(sentence)
            if not re.search(rf"{_CAPS_WORD}\s+$", sentence[:m.start()])
            and not re.match(rf"\s+{_CAPS_WORD}", sentence[m.end():])]


def _clauses(text: str) -> list[str]:
    """The clauses of a text between commas outside brackets: ', a cat, 6 (26, in cat years),' → ['a cat',
    '6 (26, in cat years)']."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [" ".join(p.split()).rstrip(".!?…;:").strip() for p in pieces]


def _clause_age(after: str) -> str:
    """The age among the first clauses after a name: 'CHARYA, a librarian, 30,' → '30'. Other names right after
    it make a group, which takes an age only when said of them all ('each male and 15')."""
    pieces = _clauses(after)
    other_name = re.compile(rf"(?:(?:and|&)\s+)?{_CAPS_RUN.pattern}")
    if len(pieces) < 2 or (pieces[0] and not other_name.fullmatch(pieces[0])):
        return ""  # 'NELL, …' or 'NOOR and SAMI, …' begins an introduction; 'NELL walks in, …' does not
    group = bool(pieces[0])
    for piece in pieces[1:_CLAUSES + 1]:
        shared = _GROUP_AGE_RE.match(piece)
        if shared and _plausible(shared.group(1)):
            return shared.group(1)
        if other_name.fullmatch(piece):
            group = True  # 'CHALF, NAR, and YOR, each …': the age that follows may be theirs, or YOR's alone
            continue
        bare = _BARE_AGE_RE.match(piece)
        if bare:
            return bare.group(1) if not group and _plausible(bare.group(1)) else ""
        if re.search(rf"{_CAPS_RUN.pattern}(?:\s*\(|$)", piece):  # 'sits with WALT, 60s': WALT's age, not hers
            return ""
    return ""


def _plausible(age: str) -> bool:
    digits = re.match(r"\d+", age)
    return not digits or 0 < int(digits.group()) <= 120


def _plain(sentence: str, names: dict[str, str]) -> str:
    """A sentence of action in plain words: capitalised names as names ('NELL' → 'Nell'), capitalised props and
    sounds in lower case, age brackets taken out ('NELL (40s, tired)' → 'Nell, tired,')."""
    def bracket(m: re.Match[str]) -> str:
        inside = m.group(2)
        rest = [p.strip() for p in re.split(r"[,;]", inside) if p.strip() and p.strip() != _age_of(p)]
        return m.group(1) + (", " + ", ".join(rest) + "," if rest else "")

    text = _INTRO_RE.sub(bracket, sentence)

    def words(m: re.Match[str]) -> str:
        run = m.group(0)
        after_article = re.search(r"\b(?:a|an|the)\s+$", text[:m.start()], re.IGNORECASE)
        if run.upper() in names and not after_article:  # 'a GIRL' is a girl; 'NELL' is Nell
            return names[run.upper()]
        return run.lower() if len(run) > 1 else run

    text = _CAPS_RUN.sub(words, text)
    text = re.sub(r"\s+,", ",", re.sub(r",\s*,", ",", text))
    text = re.sub(r",\s*([.!?:;])", r"\1", text)
    text = text[:1].upper() + text[1:]
    return _cut(" ".join(text.split()))


def _title(name: str) -> str:
    """'YOUNG IDA' → 'Young Ida', 'McALLISTER' → 'McAllister'."""
    def word(w: str) -> str:
        m = re.match(r"(Mc|Mac)(?=[A-Z])", w)
        head = m.group(1) if m else ""
        return head + w[len(head):].capitalize()
    return " ".join(word(w) for w in name.split())


def _age_in(sentence: str, name: str) -> str:
    """The age a sentence gives for the name, in any of the ways a screenplay writes it."""
    for m in _mentions(sentence, name):
        after = sentence[m.end():]
        bracket = re.match(r"\s*\(([^)\n]{0,200})\)", after)
        if bracket and _age_of(bracket.group(1)):
            return _age_of(bracket.group(1))
        clause_age = _clause_age(after)
        if clause_age:
            return clause_age
        clause = re.split(r"(?<![A-Za-z])(?:Mc|Mac)?[A-Z][A-Z'’\-]*[A-Z](?![a-z])", after, maxsplit=1)[0]
        said = _WORDS_AGE_RE.search(clause)
        if said:
            return said.group(1) or said.group(2)
    return ""


def _actions(doc: FountainDocument) -> list[Element]:
    return [el for el in doc.elements if el.type is ElementType.ACTION]


def _characters(doc: FountainDocument, breakdown: Breakdown) -> dict[str, CharacterFacts]:
    names: list[str] = []
    for name in [*breakdown.characters, *(n for s in breakdown.scenes for n in s.introduced)]:
        if name.upper() not in {n.upper() for n in names}:
            names.append(name)
    spoken = {n.upper(): _title(n) for n in names}
    sentences = [s for el in _actions(doc) for s in _sentences(el.plain)]
    facts: dict[str, CharacterFacts] = {}
    for name in names:
        named = [s for s in sentences if _mentions(s, name)]
        intro = named[0] if named else ""
        # the age may come with a later mention in capitals: 'SAL (60s) steps out of the fog'
        age = next((a for s in named for a in [_age_in(s, name)] if a), "")
        facts[name] = CharacterFacts(name=name, age=age, description=_plain(intro, spoken) if intro else "")
    return facts


def _locations(doc: FountainDocument, breakdown: Breakdown) -> dict[str, LocationFacts]:
    _, chunks = scene_chunks(doc)
    found: dict[str, LocationFacts] = {}
    spoken = {n.upper(): _title(n) for n in breakdown.characters}
    for scene, chunk in zip(breakdown.scenes, chunks):
        if not scene.location:
            continue
        key = next((k for k in found if k.upper() == scene.location.upper()), scene.location)
        place = found.setdefault(key, LocationFacts(name=key))
        if scene.int_ext:
            place.int_ext = scene.int_ext if place.int_ext in ("", scene.int_ext) else "INT/EXT"
        time = (scene.time_of_day or "").upper()
        if time and time not in _NOT_TIMES and time not in place.times:
            place.times.append(time)
        if not place.first_action:
            action = next((el.plain for el in chunk if el.type is ElementType.ACTION and el.plain.strip()), "")
            first = _sentences(action)
            place.first_action = _plain(first[0], spoken) if first else ""
    return found


def _props(doc: FountainDocument, breakdown: Breakdown) -> dict[str, str]:
    spoken = {n.upper(): _title(n) for n in breakdown.characters}
    sentences = [s for el in _actions(doc) for s in _sentences(el.plain)]
    props: dict[str, str] = {}
    for prop in dict.fromkeys(p for s in breakdown.scenes for p in s.props):
        pattern = _name_re(prop)
        sentence = next((s for s in sentences if pattern.search(s)), "")
        props[prop] = _plain(sentence, spoken) if sentence else ""
    return props


def script_facts(doc: FountainDocument, breakdown: Breakdown) -> ScriptFacts:
    """What the script states about its characters, locations and props (see the module's note)."""
    return ScriptFacts(characters=_characters(doc, breakdown), locations=_locations(doc, breakdown),
                       props=_props(doc, breakdown))


_AGE_PHRASES = [
    rf"\b(?:in|into) (?:his|her|their|its) {_AGE_BAND}\b",  # in her late fifties
    rf"\b(?:aged?|age:)\s*(?:about |around )?(?:\d{{1,3}}|{_AGE_BAND})\b",  # aged 40, age: 40
    rf"\b(?:\d{{1,3}}|{_NUMBER_WORDS})[- ]years?[- ]old\b",  # 42 years old, forty-year-old
    r"[<>≤≥]=?\s*\d{1,3}\b", r"\b\d{1,3}\s*\+(?!\w)",  # <18, 18+
    r"\b(?:under|over) (?:the age of )?\d{1,3}\b",  # under 18
    r"\((?:about |around |circa |c\. )?(?:\d{1,3}s?|" + _AGE_BAND + r")\)",  # (40s)
    rf"\b(?:early|mid|late)[- ]?(?:\d0'?s|{_DECADES})\b",  # mid-40s, late thirties
]
_AGE_RE = re.compile("|".join(f"(?:{p})" for p in _AGE_PHRASES), re.IGNORECASE)


def without_ages(text: str) -> str:
    """A model's text with any age phrase taken out: 'a waitress in her late fifties, tired' → 'a waitress, tired';
    'a 45-year-old cook' → 'a cook'; '<18' → ''. The script's age is the one the look keeps."""
    out = _AGE_RE.sub("\x00", text)

    def article(m: re.Match[str]) -> str:  # 'a 45-year-old cook' → 'a cook', 'a 45-year-old actor' → 'an actor'
        word = m.group(2)
        if not word:
            return ""
        a = m.group(1)[0]
        return f"{a}n " if word[0] in "aeiouAEIOU" else f"{a} "

    out = re.sub(r"\b(an?|An?)\s*\x00[\s\x00]*(?:(?=(\w))|(?=[^\w]|$))", article, out)
    out = out.replace("\x00", " ")
    out = re.sub(r"\(\s*\)|\[\s*\]", " ", out)
    out = re.sub(r"\s+([,.;:!?])", r"\1", out)
    out = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", out)
    out = re.sub(r"^[\s,;:.-]+|[\s,;:-]+$", "", " ".join(out.split()))
    return out
