"""The narrator of a story told in the first person: the 'I' of the narration, as a character under the name the
story gives them once or twice ("My name is Tom Weller", "Call me Ishmael", "I, Nell Gray,", or another who speaks
to them by name: "Good night, Mr. Weller"), ranked by how often the 'I' acts in the narration.

Without a name the 'I' is no character (a nameless narrator is no one a script can cast), and their lines keep
no speaker.
"""

from __future__ import annotations

import re

from studio.source import Passage, Quote
from studio.story_names import QUOTED, Name, is_capitalised
from studio.story_quotes import NAMED, addressed
from studio.story_words import HONORIFICS, NOT_NAMES

NARRATING_I = re.compile(r"\bI\b")
SELF_NAMED = re.compile(r"\b(?:[Mm]y\s+name\s+(?:is|was)|[Cc]all(?:ed)?\s+me|[Nn]amed\s+me|[Cc]hristened\s+me|"
                        r"called\s+myself|I\s+was\s+(?:called|named|known\s+as))\s+" + NAMED + r"|\bI,\s+" + NAMED
                        + r",")
OWN_NAME = re.compile(r"^\W*(?:I\s+am|I['’]m)\s+" + NAMED + r"\s*[,.!]")   # '"I am Tom Weller," said I'

FIRST_PERSON_SHARE = 0.005   # an 'I' in at least one word of 200 of the narration: told in the first person
FIRST_PERSON_MIN = 3


def narration_i(passages: list[Passage]) -> tuple[int, list[int], int]:
    """How often 'I' is said in the narration (not in quoted lines), the passages where it is, and the narration's
    length in words."""
    count, where, words = 0, [], 0
    for i, p in enumerate(passages):
        told = QUOTED.sub(" ", p.text) if ("\"" in p.text or "“" in p.text) else p.text
        found = len(NARRATING_I.findall(told))
        words += len(told.split())
        if found:
            count += found
            where.append(i)
    return count, where, words


def narrator_name(passages: list[Passage], quotes: list[Quote], forms: dict[str, Name]) -> str:
    """The name the story gives its 'I': said of themselves in the narration or in their own lines, else the name
    others call them by in lines the narrator answers or is answering."""
    own = [q.text for q in quotes if q.speaker == "I"]
    for text in [*(QUOTED.sub(" ", p.text) for p in passages), *own]:
        for m in SELF_NAMED.finditer(text):
            name = _a_name(m.group(1) or m.group(2))
            if name:
                return name
    for line in own:
        own_name = OWN_NAME.match(line)
        name = _a_name(own_name.group(1)) if own_name else ""
        if name:
            return name
    return _addressed_name(quotes, forms)


def _a_name(found: str) -> str:
    """'Tom Weller' from 'Tom Weller. The'; '' for a word that is no name ('Call me Sometime')."""
    words: list[str] = []
    for word in found.split():
        stem = word.rstrip(".")
        if not is_capitalised(stem) and len(stem) > 1:
            break
        if word.endswith(".") and stem not in HONORIFICS and len(stem) > 1:
            words.append(stem)    # 'Call me Ishmael. Some years ago': the sentence ends the name
            break
        words.append(word)
    while words and words[-1].lower() in NOT_NAMES:
        words.pop()
    if not words or words[-1].rstrip(".") in HONORIFICS or words == ["I"]:
        return ""
    return " ".join(words)


def _addressed_name(quotes: list[Quote], forms: dict[str, Name]) -> str:
    """A name spoken to in a line said by another just before or after a line of the narrator's, never the name of
    anyone who speaks, and hardly told by the narration (which says 'I' of them): the narrator's."""
    speakers = {q.speaker for q in quotes}
    canonical = {form: form for form in forms}
    votes: dict[str, int] = {}
    for k, q in enumerate(quotes):
        if q.speaker in ("", "I"):
            continue
        near = [quotes[j].speaker for j in (k - 1, k + 1) if 0 <= j < len(quotes)]
        if "I" not in near:
            continue
        for form in addressed(q.text, canonical):
            name = forms[form]
            if name.name not in speakers and not speakers & set(name.forms) and name.told <= 2:
                votes[form] = votes.get(form, 0) + 1
    if not votes:
        return ""
    return max(votes.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]


def name_the_narrator(passages: list[Passage], quotes: list[Quote], names: list[Name],
                      forms: dict[str, Name]) -> Name | None:
    """The narrator as a character when the story is told in the first person and names its 'I'; their lines get
    that name. The 'I' of the narration counts as a mention of them each time it acts, so a narrator named once
    ranks with the characters the story names often. Lines of a nameless 'I' lose the speaker 'I'."""
    count, where, words = narration_i(passages)
    said = _narrator_form(passages, quotes, forms) if count >= max(FIRST_PERSON_MIN, FIRST_PERSON_SHARE * words) \
        else ""
    name = None
    if said:
        name = forms.get(said)
        if name is None:
            name = Name()
            names.append(name)
            forms[said] = name
        name.forms[said] += count
        name.person += 3
        name.told += count
        name.passages = sorted(set(name.passages) | set(where))
    for q in quotes:
        if q.speaker == "I":
            q.speaker = name.name if name is not None else ""
    return name


def _narrator_form(passages: list[Passage], quotes: list[Quote], forms: dict[str, Name]) -> str:
    said = narrator_name(passages, quotes, forms)
    if said and said not in forms:
        last = said.split()[-1]
        return next((f for f in forms if f.split()[-1] == last and forms[f].told <= 2), said)
    return said
