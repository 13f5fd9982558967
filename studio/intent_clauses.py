"""A director's message cut into clauses for studio.intents: sentences, then clauses at ', then', 'and then',
'but', 'though', before a verb after 'and' or a comma, and before a second question ("where are we, and what's
stale?"). One pass over the tokens."""

from __future__ import annotations

from dataclasses import dataclass

from studio.intent_tables import CONDITIONS, REQUEST_VERBS, SPLIT_BEFORE
from studio.intent_words import STOPS, Token

_ASKS = frozenset({"what", "what's", "how", "how's", "where", "where's", "why", "when", "who", "which"})
TIER_NOUNS = frozenset({"quality", "tier", "mode", "version", "versions", "style"})  # ", sketch quality"


@dataclass
class Clause:
    toks: list[Token]
    text: str
    question: bool
    conditional: bool

    @property
    def words(self) -> list[str]:
        return [t.word for t in self.toks]


def clauses(text: str, toks: list[Token]) -> list[Clause]:
    """Sentences, then clauses: ', then', 'and then', 'and also', 'but', 'though', and 'and'/','/'also' before
    a verb."""
    out: list[Clause] = []
    sentence: list[Token] = []
    for t in [*toks, Token("\n", len(text), len(text), "")]:
        if t.word not in STOPS:
            sentence.append(t)
            continue
        if sentence:
            conditional = any(s.word in CONDITIONS for s in sentence)
            for part in split(sentence):
                question = t.word == "?" and part[-1] is sentence[-1]  # "nice work, though can 4.2 be static?"
                end = t.end if question else part[-1].end
                out.append(Clause(part, text[part[0].start:end], question, conditional))
        sentence = []
    return out


def split(sentence: list[Token]) -> list[list[Token]]:
    parts: list[list[Token]] = [[]]
    n = len(sentence)
    i = 0
    while i < n:
        w = sentence[i].word
        nxt = sentence[i + 1].word if i + 1 < n else ""
        after = sentence[i + 2].word if i + 2 < n else ""
        cut = 0
        if w == "," and nxt == "then" or w == "and" and nxt in ("then", "also"):
            cut = 2
        elif w == "," and nxt in ("and", "but", "also") and after in REQUEST_VERBS:
            cut = 2
        elif w in ("but", "though") or (w in SPLIT_BEFORE and (nxt in REQUEST_VERBS and after not in TIER_NOUNS
                                                               or nxt in ("carry", "next")) and parts[-1]):
            cut = 1
        elif w in (",", "and") and parts[-1] and parts[-1][0].word in _ASKS and (
                nxt in _ASKS or nxt == "and" and after in _ASKS):  # "where are we, and what's stale?"
            cut = 1 + (nxt == "and")
        elif w == "," and nxt in ("can", "could") and after == "you":
            cut = 1
        elif w == "then" and nxt in REQUEST_VERBS and parts[-1]:
            cut = 1
        if cut and parts[-1]:
            parts.append([])
            i += cut
            continue
        parts[-1].append(sentence[i])
        i += 1
    return [p for p in parts if any(t.word != "," for t in p)]


def lead_of(toks: list[Token], words: tuple[str, ...]) -> list[Token] | None:
    """The tokens after a leading phrase (commas aside), or None when the clause does not start so."""
    w = [t for t in toks if t.word != ","]
    if tuple(t.word for t in w[:len(words)]) == words and len(w) > len(words):
        return w[len(words):]
    return None
