"""What studio.intents says about the parts of a request it could not read: the words of a clause that no intent
used ("show me shot 1.2 at dusk, with rain on the window": "rain on the window"), values out of range ("9000mm"),
a web address; a request a verb takes away ("lose the dutch angle", "add a shot of the mug": no change of that
value); what a question is about (`ask_target`); whether a clause is an explicit approval (`approval`, of one stage or
several). Praise is studio.intent_praise. Each pass is linear in the clause."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from studio.intent_shots import Refs, code, dotted
from studio.intent_model import Intent
from studio.intent_tables import (APPROVE_OBJECTS, CONDITIONS, FILLERS, NEGATIONS, PRONOUNS,
                                  RENDER_VERBS, REQUEST_VERBS, SHOW_VERBS)
from studio.intent_words import NUMBER_WORDS, STAGE_WORDS, URL, WEAR, base
from studio.stages import Stage

# Words that carry no part of a request of their own: articles, prepositions, pronouns, modals, politeness,
# the verb the request starts with, the words that name what is asked about.
FILLER = FILLERS | PRONOUNS | REQUEST_VERBS | SHOW_VERBS | RENDER_VERBS | CONDITIONS | frozenset({
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "it's", "them", "their", "they", "me", "my",
    "i", "we", "us", "our", "you", "your", "to", "of", "on", "in", "at", "for", "from", "by", "with", "into",
    "onto", "as", "up", "over", "about", "around", "can", "could", "would", "will", "should", "must", "shall",
    "might", "may", "be", "is", "are", "was", "were", "been", "being", "am", "do", "does", "did", "have", "has",
    "had", "get", "let", "let's", "want", "like", "need", "needs", "please", "pls", "thanks", "thank", "shot",
    "shots", "scene", "scenes", "board", "boards", "frame", "prompt", "take", "takes", "version", "again", "now",
    "just", "bit", "little", "more", "much", "less", "really", "very", "quite", "too", "rather", "somewhat",
    "feel", "feels", "look", "looks", "seem", "seems", "one", "ones", "maybe", "perhaps", "instead", "only",
    "first", "then", "also", "there", "here", "what", "how", "some", "any", "all", "every", "everything", "so",
    "kind", "sort", "lot", "way", "go", "try", "see", "new", "same", "well", "still", "always", "where", "which", "who", "i'd", "i'm", "we'd", "ok", "okay", "yeah", "yes", "quality", "pace",
    "whole", "entire", "both", "each", "other", "own", "and", "or", "but", "not", "no", ",", "wait", "guess",
    "think", "reckon", "mean", "says", "said", "sure", "fine", "good", "great", "nice", "perfect", "sounds",
    "throughout", "everywhere", "across", "onwards", "onward", "forward", "until", "through", "while",
    "during", "before", "after", "since", "when", "if", "time", "times", "draft", "sketch", "preview", "final",
    "&", "#", "thing", "things", "stuff", "change", "changes", "changed", "make", "made", "put", "set",
    "keep", "use", "give", "having", "something", "bring", "show", "level", "long",
    "except", "last", "lasts", "run", "runs", "hold", "held", "stay", "stays", "slow", "slowly", "gentle", "gently", "quick", "quickly", "fast", "smooth", "smoothly",
    "subtle", "subtly", "soft", "softly", "hard", "nicely", "obviously", "definitely", "camera",
    "fresh", "another", "different", "redo",
}) | (STAGE_WORDS.keys() - {"beat", "beats", "outline"}) | NUMBER_WORDS.keys() | WEAR

# A verb that takes away, adds or undoes: what follows is no new value of the aspect it names.
TAKING = frozenset({"add", "insert", "delete", "remove", "cut", "drop", "lose", "undo", "scrap", "ditch", "kill",
                    "erase", "without", "no", "nix"})


def taken_away(words: list[str]) -> bool:
    """The clause's main verb adds, removes or undoes ("lose the dutch angle on 2.5", "get rid of the hat",
    "add a shot of the mug after 1.2", "undo the mug"): not a change to what it names."""
    w = [x for x in words if x not in FILLERS and x != ","]
    return bool(w) and (w[0] in TAKING or w[:3] == ["get", "rid", "of"])


def _values(got: list[Intent]) -> set[str]:
    said: set[str] = set()
    for i in got:
        for part in (i.value, i.aspect):
            said.update(base(x.strip(",.:;'\"").lower()) for x in part.split())
    return said


def leftover(refs: Refs, got: list[Intent], one: Intent) -> Intent | None:
    """An 'unclear' for the clause's words no intent used (as said), or None when all it said was read."""
    w = refs.words
    used = _values(got)
    keep = [i for i, x in enumerate(w) if i in refs.odd or x == URL or i not in refs.used and x not in FILLER and
            base(x) not in used and base(refs.raw[i].lower()) not in used and not x.isdigit() and not dotted(x, 0) and not code(x) and
            x not in NEGATIONS]
    if not keep:
        return None
    runs: list[list[int]] = [[keep[0]]]
    for a, b in zip(keep, keep[1:]):
        gap = range(a + 1, b)
        if all(k not in refs.used and w[k] != "," and w[k] in FILLER for k in gap) and b - a <= 4 and \
                w[a] != URL and w[b] != URL:
            runs[-1].append(b)
        else:
            runs.append([b])
    said = []
    for run in runs:
        if w[run[0]] == URL:
            said.append("a web address")
        elif refs.source and len(refs.spans) == len(w):
            said.append(refs.source[refs.spans[run[0]][0]:refs.spans[run[-1]][1]])
        else:
            said.append(" ".join(refs.raw[run[0]:run[-1] + 1]))
    value = ", ".join(dict.fromkeys(said))
    return replace(one, kind="unclear", target="", aspect="", shot=None, scene=None, value=value, text=value)


def drop_urls(got: list[Intent], refs: Refs) -> list[Intent]:
    """No value keeps a web address (the person's words are kept, the address is not)."""
    urls = [refs.raw[i] for i, x in enumerate(refs.words) if x == URL]
    if not urls:
        return got
    out = []
    for i in got:
        value = i.value
        for u in urls:
            value = value.replace(u, "")
        out.append(replace(i, value=" ".join(value.split()).strip(" ,:")) if value != i.value else i)
    return out


_RUNTIME = frozenset({"runtime", "run-time", "running", "length", "duration"})
_STALE = frozenset({"stale", "outdated"})


def ask_target(words: list[str], refs: Refs) -> str:
    """What a question is about, when the project can answer it: 'runtime' (how long the film is), 'shot'
    (a shot named: its lens, its length), 'stale' (what is out of date, what bringing it up to date costs)."""
    w = set(words)
    pairs = set(zip(words, words[1:]))
    if w & _STALE or ("out", "of") in pairs and "date" in w or ("up", "to") in pairs and "date" in w:
        return "stale"
    if refs.shots:
        return "shot"
    if w & _RUNTIME or ("how", "long") in pairs and w & {"film", "movie", "cut", "animatic", "it", "everything",
                                                                  "run", "runs", "last", "lasts", "play", "plays"}:
        return "runtime"
    return ""


def shown_anew(out: list[Intent]) -> list[Intent]:
    """"can we see the opening shot again, but darker?": a board asked for, then a change to that shot: the
    changes, then a new board of it."""
    changed = {i.shot for i in out if i.kind == "change" and i.target == "shot"}
    shown = [i for i in out if i.kind == "show" and i.target == "board" and i.shot in changed]
    if not shown:
        return out
    kept = [i for i in out if i not in shown]
    last = max(k for k, i in enumerate(kept) if i.kind == "change" and i.shot in changed)
    return kept[:last + 1] + [replace(i, kind="render", target="shot") for i in shown] + kept[last + 1:]


def approval(key: tuple[str, ...]) -> list[Stage] | Literal[False]:
    """The stages approved, in the order said ([]: the one offered), or False when the words are not an explicit
    approval ("approve the look and the shots", "sign off on brief, script and breakdown": each)."""
    words = [x for i, x in enumerate(key) if x not in ("please", "thanks", "thank", "now") and not (
        x == "you" and i and key[i - 1] == "thank")]
    if words[:2] in (["i", "approve"], ["we", "approve"]):
        words = words[1:]
    if words[:2] in (["ship", "it"], ["sign", "off"]) or words[:1] in (["approve"], ["approved"], ["lgtm"]) or \
            words[:2] in (["it's", "approved"], ["that's", "approved"], ["ship", "the"]) or \
            words[:1] == ["sign"] and words[-1:] == ["off"] and len(words) <= 4:
        body = words[2:] if words[0] in ("sign", "ship", "it's", "that's") else words[1:]
        stages: list[Stage] = []
        for i, x in enumerate(body):
            x = "shot-list" if x == "shot" and body[i + 1:i + 2] == ["list"] else x
            if x in STAGE_WORDS and x not in ("dialogue", "pdf"):
                stages += [STAGE_WORDS[x]] if STAGE_WORDS[x] not in stages else []
            elif x not in APPROVE_OBJECTS and x not in ("on", "and", "go", "ahead", "is", "are", "the", "shot", "list",
                                                        "as", "stands", "off", "here", "then", "both", "&"):
                return False
        if words[0] == "ship" and words[1] == "the" and not stages:
            return False
        return stages
    return False
