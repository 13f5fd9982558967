"""Praise in a director's message, for studio.intents. A message that is nothing but praise ("Gorgeous.", "spot
on, cheers", "the dawn shot is stunning", "realy good") is an 'affirm' with value 'praise': never an approval.
Praise that leads a clause ("gorgeous boards, the kitchen ones are too dark") is no part of the note that
follows it, and what it praised is what a note without a subject of its own is about ("lovely palette but a
touch more teal": the palette). Praise that leads into a condition ("oh great, if you like everything lit like
an operating theatre") mocks: it is asked about, never done. Each pass is linear in the message."""

from __future__ import annotations

from studio.intent_kinds import Context
from studio.intent_shots import code, dotted
from studio.intent_tables import CONDITIONS, PRAISE, PRAISE_KEYS, REQUEST_VERBS
from studio.intent_words import HAIR, STAGE_WORDS, STYLE, TIMES, WARDROBE, Token, base, slips

# Two words that praise together ("spot on", "nailed it"), neither of which praises alone.
_PAIRS = frozenset({("spot", "on"), ("bang", "on"), ("nailed", "it"), ("well", "done"), ("top", "notch"),
                    ("chef's", "kiss"), ("good", "job"), ("nice", "job"), ("great", "job"), ("nice", "work"),
                    ("good", "work"), ("great", "work"), ("love", "it"), ("love", "this"), ("love", "that"),
                    ("nailed", "that"), ("looks", "good"), ("sounds", "good"), ("so", "good"),
                    ("top", "stuff"), ("top", "work"), ("top", "job")})
# What praise is said of: the film's parts, a stage, the style, a time of day (names and shots are read apart).
_SUBJECTS = frozenset({"shot", "shots", "board", "boards", "frame", "frames", "script", "scene", "scenes", "cut",
                       "clip", "clips", "film", "movie", "opening", "ending", "version", "take", "takes", "one",
                       "ones", "edit", "framing", "composition", "angle", "angles", "pacing", "performance",
                       "costumes", "set", "sets", "location", "locations", "pictures", "images", "image",
                       "sequence", "montage", "writing", "lines", "idea", "ideas", "everything", "new", "first",
                       "last", "final", "whole", "of", "in", "your", "our", "my", "his", "her", "their", "its",
                       "and", "mood", "feel", "atmosphere", "colours", "wardrobe", "treatment", "work", "job"})
_CARRIED = STYLE.keys() | STAGE_WORDS.keys() - {"look", "cut"}  # what a note after the praise may be about
_TYPO_TARGETS = tuple(sorted(k for k in PRAISE_KEYS | {"really", "totally", "absolutely", "pretty"} if len(k) >= 5))
_ASKING = frozenset({"is", "are", "does", "do", "did", "was", "were", "should", "would", "could", "can", "will",
                     "isn't", "shall"})


def _near(word: str) -> str:
    """A praise word a slip away ("realy", "gorgous", "beautifull"), or ''."""
    if len(word) < 4 or not word.isalpha():
        return ""
    return next((k for k in _TYPO_TARGETS if k[0] == word[0] and slips(word, k, 1) <= 1), "")


_GOES_WITH = frozenset({"cheers", "ta", "super", "truly", "quite", "totally", "looking", "are", "these", "those",
                        "they", "they're", "the", "a", "an", "was", "were", "looked", "feels", "feel", "such",
                        "bloody", "properly", "seriously", "honestly", "simply", "utterly", "again", "as", "always",
                        "ever", "indeed", "mate", "guys", "team", "folks", "everyone",
                        "everybody", "people", "crew", "y'all", "ooh", "oh", "ah", "aah", "oooh", "woah", "whoa",
                        "wow"})


def _kind(words: list[str], i: int, names: frozenset[str]) -> str:
    """words[i] as 'key' (it praises), 'word' (it goes with praise), 'subject' (what is praised) or ''."""
    w = words[i]
    if i and (words[i - 1], w) in _PAIRS or i + 1 < len(words) and (w, words[i + 1]) in _PAIRS:
        return "key"
    near = _near(w) if w not in PRAISE and w not in _SUBJECTS else ""
    if w in PRAISE_KEYS or near in PRAISE_KEYS:
        return "key"
    if w in ("what", "how"):  # "what a gorgeous frame", "how lovely"
        return "word" if i + 1 < len(words) and (words[i + 1] in ("a", "an") or words[i + 1] in PRAISE_KEYS) else ""
    if w in PRAISE or near or w in _GOES_WITH:
        return "word"
    if w in _SUBJECTS or w in STAGE_WORDS or w in STYLE or w in TIMES or w in WARDROBE or w in HAIR or \
            base(w) in names or \
            dotted(w, 0) or code(w) or w.isdigit():
        return "subject"
    return ""


def _kinds(words: list[str], names: frozenset[str]) -> list[str] | None:
    out = []
    for i in range(len(words)):
        out.append(_kind(words, i, names))
        if not out[-1]:
            return None  # the first word that is no praise ends the look
    return out


def only(words: list[str], names: frozenset[str]) -> bool:
    """The whole message is praise and nothing else ("brilliant, cheers", "the dawn shot is stunning")."""
    if not words or words[0] in _ASKING:
        return False
    kinds = _kinds(words, names)
    return kinds is not None and "key" in kinds


def lead(toks: list[Token], ctx: Context, names: frozenset[str]) -> tuple[bool, list[Token]]:
    """Praise that leads the clause, up to its last comma or the clause's end ("gorgeous boards, …"): whether
    there was one, and the clause without it. What it praised is kept for a note that follows (ctx.praised)."""
    words = [t.word for t in toks]
    end, key = 0, False
    for i, w in enumerate(words):
        if w == ",":
            end = i + 1 if key else end
            continue
        kind = _kind(words, i, names)
        if not kind:
            break
        key = key or kind == "key"
    else:
        end = len(toks) if key else end
    if not end or words[0] in _ASKING:
        return False, toks
    said = [t for t in toks[:end] if t.word in _CARRIED or base(t.word) in names]
    ctx.praised = said or ctx.praised
    rest = toks[end:]
    while rest and rest[0].word == ",":
        rest = rest[1:]
    return True, rest


def mocks(toks: list[Token]) -> bool:
    """After praise, a condition: "…, if you like everything lit like an operating theatre"."""
    return bool(toks) and toks[0].word in CONDITIONS


_POINTING = frozenset({"it", "they", "these", "those", "this", "that", "it's", "they're"})


def carry(toks: list[Token], ctx: Context) -> list[Token]:
    """A note with no subject of its own after praise of one ("lovely palette but a touch more teal"): the
    note about what was praised (in place of "it", else before the note)."""
    if not ctx.praised or not toks:
        return toks
    for i, t in enumerate(toks):
        if t.word in _CARRIED or t.word in ("scene", "shot") or dotted(t.word, 0) or code(t.word) or \
                ctx.names.at([x.word for x in toks], i) is not None:
            return toks
    at = next((i for i, t in enumerate(toks) if t.word in _POINTING), -1)
    if at < 0 and toks[0].word in REQUEST_VERBS:
        return toks  # "…, keep it going": a request of its own
    said, ctx.praised = ctx.praised, []
    return [*toks[:at], *said, *toks[at + 1:]] if at >= 0 else [*said, *toks]
