"""Quoted speech and who says it, by rule: the speaker the narration names beside a line ("…," said Ahab / Ahab
said, "…" / said I), else the one whose turn it is in a run of lines two people exchange, else the one the
narration last named. The narrator of a story told in the first person is 'I' here (studio.story_narrator names
them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.source import Passage, Quote
from studio.story_names import Mention, Name, is_place
from studio.story_span import clip_to, one_sentence
from studio.story_words import ROLES, SPEECH_VERBS


OWNERS = ("the", "my", "our", "his", "her")   # words before a role that speaks: 'said the doctor', 'my sister'
ROLE_SEX = {r: "f" for r in "queen princess duchess countess sister mother aunt wife mistress landlady".split()} | {
    r: "m" for r in "king prince duke count brother father uncle husband master landlord".split()}
QUOTE = re.compile(r"[\"“]([^\"“”]*)(?:[\"”]|$)")
ROLE = r"(?:the|my|our|his|her)\s+(?:" + "|".join(sorted(ROLES, key=len, reverse=True)) + r")"
SPEAKER = r"((?:the\s+)?(?:[A-Z][\w'’-]*\.?\s+){0,3}[A-Z][\w'’-]*|" + ROLE + r"|he|she|I)"
VERB = r"(?:went\s+on|" + "|".join(sorted(SPEECH_VERBS - {"went"})) + ")"
SAID_AFTER = re.compile(r"^[\s,.!?—–-]*(?:" + VERB + r"\s+" + SPEAKER + r"\b|" + SPEAKER + r"\s+" + VERB + r"\b)")
SAID_BEFORE = re.compile(SPEAKER + r"\s+" + VERB + r"\b[^\"“”.!?]{0,60}[,:]?\s*$")
INTRO = re.compile(r"\b" + VERB + r"\b[^.!?]{0,25}[,:]\s*$")
NAMED = r"((?:[A-Z][\w'’-]*\.?\s+){0,2}[A-Z][\w'’-]*)"
VOCATIVE = re.compile(r"(?:^|[‘’'\"!?]\s+)" + NAMED + r"\s*(?=[,!?])|,\s*" + NAMED + r"\s*(?=[,.!?]|$)")


@dataclass
class Read:
    """What the first pass found in each passage."""

    mentions: list[list[Mention]]
    names: list[Name]
    of_form: dict[str, Name]



def quotes_of(passages: list[Passage], read: Read, canonical: dict[str, str]) -> list[Quote]:
    """Each quoted line with its speaker: the one the narration names next to it; else the one who spoke before
    in the same paragraph; else, when two take turns in consecutive paragraphs, the one who spoke two lines back.
    'He said' is a man the narration named last, 'she said' a woman; a line that names whom it speaks to
    ('Jim, darling, …') is not said by them. A line the narration interrupts ('"Wedlock suits you," he remarked,
    "I think …"') is one line."""
    sex = {n.name: n.sex for n in read.names if n.sex or n.person}   # who 'he' or 'she' may be
    quotes: list[Quote] = []
    turns: list[tuple[int, str]] = []   # (passage index, speaker) per quote; 'I' for the narrator
    exchange = Exchange()
    for i, p in enumerate(passages):
        last_end, here = -1, 0
        exchange.read_paragraph(p, read.mentions[i], canonical)
        for m in QUOTE.finditer(p.text):
            line = " ".join(m.group(1).split())
            if len(line) < 2:
                continue
            gap = p.text[last_end:m.start()] if last_end >= 0 else ""
            if here and len(gap) < 80 and SAID_AFTER.match(gap) and not re.search(r"[.!?]\s*$", quotes[-1].text):
                quotes[-1].text = clip_to(_joined_line(quotes[-1].text, gap, line), 600)
                last_end = m.end()
                continue
            said = _speaker(p.text, m, canonical, read, i, sex)
            pronoun = said if said in ("he", "she") else ""
            if pronoun:
                said = _fits(_last_named(_outside_quotes(read.mentions[i], p.text), m.start(), canonical), pronoun,
                             sex) or "?"
            if said in ("", "?") and here:
                said = turns[-1][1]
            if said in ("", "?"):
                said = _fits(exchange.next_speaker() or _in_turn(turns, i), pronoun, sex) or ("" if not said else _fits(
                    _named_before(passages, read, i, canonical, pronoun, sex), pronoun, sex) or _fits(
                    _last_speaker(turns, i), pronoun, sex))
            said = _not_addressed(said, line, turns, i, canonical, passages, read)
            quotes.append(Quote(text=clip_to(line, 600), speaker=said, passage=p.id))
            turns.append((i, said))
            exchange.spoke(said)
            last_end, here = m.end(), here + 1
    return quotes


class Exchange:
    """Two people trading lines: once two speakers are named, the untagged lines that follow, a paragraph each,
    alternate between them. A paragraph of narration that names someone else, a line no rule gives a speaker,
    or more than QUIET_PARAGRAPHS paragraphs without a line end the exchange."""

    QUIET_PARAGRAPHS = 2

    def __init__(self) -> None:
        self.pair: list[str] = []    # the last two who spoke, the latest last
        self.quiet = 0

    def read_paragraph(self, passage: Passage, mentions: list[Mention], canonical: dict[str, str]) -> None:
        """A paragraph without a line keeps the exchange only if its narration names nobody but the two."""
        if QUOTE.search(passage.text):
            self.quiet = 0
            return
        self.quiet += 1
        others = {canonical[m.form] for m in mentions if not m.quoted and m.form in canonical} - set(self.pair)
        if others or self.quiet > self.QUIET_PARAGRAPHS:
            self.pair = []

    def next_speaker(self) -> str:
        """Whose turn an untagged line in a new paragraph is: the one of the two who did not speak last."""
        return self.pair[0] if len(self.pair) == 2 else ""

    def spoke(self, said: str) -> None:
        if said in ("", "?"):
            self.pair = []
        elif not self.pair or self.pair[-1] != said:
            self.pair = [*self.pair[-1:], said]


def _joined_line(before: str, gap: str, line: str) -> str:
    """One line the narration interrupts: '"If Jim doesn't kill me," she said, "before he …"' reads on with a
    comma; '"You needn't look for it," said Della. "It's sold."' is two sentences."""
    if re.search(r"[.!?]\s*$", gap):
        return before.rstrip(",;—- ") + ". " + line
    return before.rstrip(",;—- ") + ", " + line


def _fits(name: str, pronoun: str, sex: dict[str, str]) -> str:
    """``name`` unless a pronoun says otherwise: 'he' is not a woman the story calls 'she'."""
    want = {"he": "m", "she": "f"}.get(pronoun, "")
    if name.split(" ")[0] in OWNERS:      # a role: 'the captain' may be 'he', 'my sister' is 'she'
        return "" if want and ROLE_SEX.get(name.split()[-1], want) != want else name
    return "" if want and name and (name not in sex or sex[name] not in ("", want)) else name


def addressed(line: str, canonical: dict[str, str]) -> set[str]:
    """Whom a line speaks to, by name: 'Jim, darling, …', '… for you, Jim?', 'Dell, let's …'."""
    found = set()
    for m in VOCATIVE.finditer(line):
        said = m.group(1) or m.group(2)
        name = canonical.get(said)
        if name and len(line.split()) > len(said.split()) + 1:
            found.add(name)
    return found


def _not_addressed(said: str, line: str, turns: list[tuple[int, str]], i: int, canonical: dict[str, str],
                   passages: list[Passage], read: Read) -> str:
    """A line spoken to someone by name is said by another: the one who spoke last in the three paragraphs
    before, or the last named there, when the rules gave it no speaker or gave it the one it speaks to."""
    to = addressed(line, canonical)
    if not to or (said and said not in to and said != "?"):
        return said
    recent = [who for _, who in _recent(turns, i, 3) if who and who not in ("I", "?") and who not in to]
    if recent:
        return recent[-1]
    for back in range(i, max(-1, i - 4), -1):
        named = [canonical[m.form] for m in _outside_quotes(read.mentions[back], passages[back].text)
                 if m.form in canonical and canonical[m.form] not in to]
        if named:
            return named[-1]
    return "" if said in to else said


def _recent(turns: list[tuple[int, str]], i: int, back: int) -> list[tuple[int, str]]:
    """The turns of the ``back`` paragraphs before paragraph ``i`` (and of ``i``), read from the end, so that a
    novel of many thousand lines is read in linear time."""
    found = []
    for at, who in reversed(turns):
        if at < i - back:
            break
        found.append((at, who))
    found.reverse()
    return found


def _in_turn(turns: list[tuple[int, str]], i: int) -> str:
    """Two people taking turns in consecutive paragraphs: the one who spoke in the paragraph before last."""
    recent = _recent(turns, i, 2)
    last = [who for at, who in recent if at == i - 1]
    before = [who for at, who in recent if at == i - 2]
    if last and before and last[-1] and before[-1] and last[-1] != before[-1]:
        return before[-1]
    return ""


def _speaker(text: str, m: re.Match[str], canonical: dict[str, str], read: Read, i: int,
             sex: dict[str, str]) -> str:
    """The speaker the narration names beside a quote: a name, 'he'/'she' (resolved by the caller), 'I' (the
    narrator), or the subject of the sentence that leads into it ('Della leaped up and cried, "Oh!"'); ''
    when it names none."""
    after = SAID_AFTER.match(text[m.end():m.end() + 80])
    who = ""
    if after:
        who = after.group(1) or after.group(2) or ""
    else:
        before = SAID_BEFORE.search(text[max(0, m.start() - 120):m.start()])
        who = before.group(1) if before else _lead_in(text, m.start(), read.mentions[i], canonical)
    who = one_sentence(who.strip())
    if who in ("I", "he", "she"):
        return who
    first, _, rest = who.partition(" ")
    if first.lower() in OWNERS and rest:
        return _named(rest, canonical) if rest[:1].isupper() else _role(rest.lower(), first.lower(), read)
    return _named(who, canonical)


def _role(role: str, owner: str, read: Read) -> str:
    """A speaker the narration calls by a role: the one character whose title says it ('said the doctor' → Dr.
    Livesey), else the role as the story says it ('the captain', 'my sister'): a character of its own."""
    titles = ROLES.get(role, ())
    found = {n.name for n in read.names if not is_place(n) and any(
        form.split()[0].rstrip(".") in titles for form in n.forms)}
    if len(found) == 1:
        return found.pop()
    return f"{'the' if owner == 'the' else owner} {role}"


def _lead_in(text: str, at: int, mentions: list[Mention], canonical: dict[str, str]) -> str:
    """The subject of a sentence that ends in a speech verb just before a quote: 'And then Della leaped up like a
    little singed cat and cried, "Oh, oh!"' → Della; '… she was able to look up and say: "…"' → she."""
    start = max(text.rfind(ch, 0, at) for ch in ".!?”\"") + 1
    lead = text[start:at]
    if not INTRO.search(lead):
        return ""
    for mention in mentions:
        if start <= mention.start < at and mention.form in canonical:
            return mention.form
    pronoun = re.search(r"\b(he|she|I)\b", lead)
    return pronoun.group(1) if pronoun else ""


def _outside_quotes(mentions: list[Mention], text: str) -> list[Mention]:
    """Names the narration gives, not those said in a line ('"Mary Jane is incorrigible," said he')."""
    return [m for m in mentions if not m.quoted]


def _last_speaker(turns: list[tuple[int, str]], i: int) -> str:
    """'he said' in a conversation: the last one other than the narrator who spoke in the three paragraphs
    before."""
    recent = [who for _, who in _recent(turns, i, 3) if who and who not in ("I", "?")]
    return recent[-1] if recent else ""


def _named_before(passages: list[Passage], read: Read, i: int, canonical: dict[str, str], pronoun: str = "",
                  sex: dict[str, str] | None = None) -> str:
    for back in range(i - 1, max(-1, i - 4), -1):
        named = _outside_quotes(read.mentions[back], passages[back].text)
        for m in reversed(named):
            found = canonical.get(m.form, "")
            if found and _fits(found, pronoun, sex or {}):
                return found
    return ""


def _named(who: str, canonical: dict[str, str]) -> str:
    for form in (who, who.split()[-1] if who else ""):
        if form in canonical:
            return canonical[form]
    return ""


def _last_named(mentions: list[Mention], before: int, canonical: dict[str, str]) -> str:
    for m in reversed(mentions):
        if m.start < before and m.form in canonical:
            return canonical[m.form]
    return ""
