"""A director's chat message read into what they ask, in order: approve, revise, change one thing, ask, show,
navigate, render, undo, pick, status, help, or 'unclear' (the conversation then asks; it never guesses a yes).

Rules, not a model: the built-in model is too small to tell these apart, so the words decide and a real model is
consulted only for 'unclear'. A message is split into clauses ('make Nell's coat red, then show me the script'),
each read on its own. Slips are forgiven ('aprove', 'scnee', 'shwo'), names are the project's ('nells coat',
'the diner'). Only an explicit approval approves: a clause that is nothing but 'approve (it | the look)', 'lgtm',
'ship it', 'sign off on the shots' — never in a question, a condition or beside a negation — or a message that
is nothing but praise ('great', 'love it', 'looks good'). The time grows with the message's length.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from studio import intent_changes as changes
from studio.intent_words import (
    AFFIRM, APPROVE_OBJECTS, CONDITIONS, FILLERS, HELP_PHRASES, NEGATIONS, NEXT_PHRASES, NOTE_WORDS, NUMBER_WORDS,
    PRAISE, PRAISE_KEYS, PRONOUNS, QUESTION_STARTS, RENDER_THINGS, RENDER_VERBS, REPORTED, REQUEST_VERBS,
    REVISE_VERBS, SHOW_VERBS, SPLIT_BEFORE, STAGE_WORDS, STATUS_PHRASES, STOPS, TIERS, UNDO_PHRASES, Names, Token,
    WARDROBE, correct, tokens, vocabulary,
)
from studio.models import SHOT_SIZE_NAMES, ShotSize
from studio.stages import Stage

__all__ = ["ASPECTS", "Intent", "IntentKind", "Known", "describe", "parse"]

IntentKind = Literal["approve", "affirm", "revise", "change", "ask", "show", "navigate", "render", "undo",
                     "pick", "status", "help", "unclear"]

ASPECTS: dict[str, tuple[str, ...]] = {
    "character": ("wardrobe", "hair", "age", "look"),
    "location": ("look", "time_of_day"),
    "prop": ("state", "look"),
    "scene": ("time_of_day", "mood"),
    "shot": ("size", "angle", "movement", "lens", "duration", "time_of_day", "mood"),
    "style": ("palette", "lighting", "medium"),
}


@dataclass(frozen=True)
class Intent:
    kind: IntentKind
    text: str = ""
    stage: Stage | None = None
    target: str = ""
    aspect: str = ""
    value: str = ""
    scene: int | None = None
    shot: tuple[int, int] | None = None
    from_scene: bool = False
    number: int | None = None


@dataclass(frozen=True)
class Known:
    characters: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    props: tuple[str, ...] = ()
    scenes: int = 0
    scene_focus: int = 1
    focus: Stage | None = None
    has_variants: bool = False


@dataclass
class _Clause:
    toks: list[Token]
    words: list[str]
    text: str
    question: bool
    conditional: bool


@lru_cache(maxsize=32)
def _words_of(characters: tuple[str, ...], locations: tuple[str, ...],
              props: tuple[str, ...]) -> tuple[Names, dict[tuple[str, int], list[str]], frozenset[str]]:
    names = Names(characters, locations, props)
    extra = names.words()
    return names, vocabulary(extra), frozenset(extra)


def parse(text: str, known: Known = Known()) -> list[Intent]:
    """Every intent of one message, in the order said; never empty ('unclear' when nothing is understood)."""
    names, vocab, exact = _words_of(tuple(known.characters), tuple(known.locations), tuple(known.props))
    fixed: dict[str, str] = {}  # each distinct word is looked at once
    toks = []
    for t in tokens(text):
        if t.word not in fixed:
            fixed[t.word] = correct(t.word, vocab, exact)
        toks.append(replace(t, word=fixed[t.word]))
    words = [t.word for t in toks if t.word not in STOPS and t.word != ","]
    unclear = [Intent("unclear", text=text.strip(), value=text.strip())]
    if not words:
        return unclear
    if "?" not in (t.word for t in toks) and _praise(words):
        return [Intent("approve", text=text.strip())]
    stripped = tuple(w for w in words if w not in ("please", "thanks", "thank", "you") or len(words) == 1)
    if stripped in AFFIRM:
        return [Intent("affirm", text=text.strip())]
    out: list[Intent] = []
    last_character: list[str] = []
    for clause in _clauses(text, toks):
        out += _read(clause, known, names, last_character)
    if any(i.kind == "approve" for i in out) and "first" in words:  # "approve, but make the coat red first"
        out = [i for i in out if i.kind != "approve"] + [i for i in out if i.kind == "approve"]
    return out or unclear


def _praise(words: list[str]) -> bool:
    """The whole message is praise and nothing else: 'great', 'love it', 'this looks good, thanks'."""
    if not all(w in PRAISE for w in words):
        return False
    pairs = zip(words, words[1:])
    return any(w in PRAISE_KEYS - {"good"} for w in words) or any(a in ("looks", "look", "sounds") and b == "good"
                                                                 for a, b in pairs)


def _clauses(text: str, toks: list[Token]) -> list[_Clause]:
    """Sentences, then clauses: ', then', 'and then', 'and also', 'but', and 'and'/','/'also' before a verb."""
    out: list[_Clause] = []
    sentence: list[Token] = []
    for t in [*toks, Token("\n", len(text), len(text), "")]:
        if t.word not in STOPS:
            sentence.append(t)
            continue
        if sentence:
            question = t.word == "?"
            conditional = any(s.word in CONDITIONS for s in sentence)
            for part in _split(sentence):
                end = t.end if question and part is not None and part[-1] is sentence[-1] else part[-1].end
                words = [p.word for p in part]
                out.append(_Clause(part, words, text[part[0].start:end], question, conditional))
        sentence = []
    return out


def _split(sentence: list[Token]) -> list[list[Token]]:
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
        elif w == "but" or (w in SPLIT_BEFORE and nxt in REQUEST_VERBS and parts[-1]):
            cut = 1
        elif w == "," and nxt in ("can", "could") and after == "you":
            cut = 1
        if cut and parts[-1]:
            parts.append([])
            i += cut
            continue
        parts[-1].append(sentence[i])
        i += 1
    return [p for p in parts if any(t.word != "," for t in p)]


def _read(clause: _Clause, known: Known, names: Names, last_character: list[str]) -> list[Intent]:
    w = [x for x in clause.words]
    polite = False
    k = 0
    while k < len(w) - 1 and (w[k] in FILLERS and w[k] != "please" or w[k] == ","):
        k += 1
    while k < len(w) and w[k] in ("please", ","):
        k += 1
    w = w[k:]
    if len(w) > 2 and w[0] in ("can", "could", "would", "will") and w[1] == "you":
        polite, w = True, [x for x in w[2:] if x != "please"]
    for lead in (("i", "want", "you", "to"), ("i'd", "like", "you", "to"), ("i", "need", "you", "to"),
                 ("go", "ahead", "and"), ("you", "can"), ("i", "want", "to"), ("let's",)):
        if tuple(w[:len(lead)]) == lead and len(w) > len(lead):
            w = w[len(lead):]
            polite = polite or lead != ("i", "want", "to")
            break
    if not w:
        return []
    key = tuple(x for x in w if x != ",")
    one = Intent("unclear", text=clause.text)
    if key in STATUS_PHRASES:
        return [replace(one, kind="status")]
    if key in HELP_PHRASES:
        return [replace(one, kind="help")]
    if key in NEXT_PHRASES or key in (("move", "on"),):
        return [replace(one, kind="navigate", target="next")]
    if any(x in NEGATIONS for x in w[:3]) or key[:2] == ("never", "mind") or any(x in REPORTED for x in w):
        return []
    if not clause.question and not clause.conditional and (polite or w[0] not in ("would", "could", "can")):
        approved = _approval(key)
        if approved is not False:
            return [replace(one, kind="approve", stage=approved)]
    if w[0] in ("approve", "approved", "ship", "sign", "lgtm"):
        return []  # an approval that is not explicit is nothing else either: the conversation asks
    if key in UNDO_PHRASES or key[:1] in (("undo",), ("revert",)) or key[:3] in UNDO_PHRASES:
        return [replace(one, kind="undo")]
    question = w[0] in QUESTION_STARTS and not polite and not (w[0] in ("do", "does", "did") and not clause.question
                                                               and w[1:2] not in (["you"], ["we"], ["i"]))
    if question or (clause.question and w[0] not in REQUEST_VERBS and w[0] not in SHOW_VERBS):
        return _question(clause, w, known, names, last_character)
    return _request(clause, w, known, names, last_character)


def _approval(key: tuple[str, ...]) -> Stage | None | Literal[False]:
    """The stage approved (None: the one offered), or False when the words are not an explicit approval."""
    words = [x for x in key if x not in ("please", "thanks", "thank", "you", "now")]
    if words[:2] in (["i", "approve"], ["we", "approve"]):
        words = words[1:]
    if words[:2] in (["ship", "it"], ["sign", "off"]) or words[:1] in (["approve"], ["approved"], ["lgtm"]) or \
            words[:2] in (["it's", "approved"], ["that's", "approved"], ["ship", "the"]):
        body = words[2:] if words[0] in ("sign", "ship", "it's", "that's") else words[1:]
        stage: Stage | None = None
        for x in body:
            if x in STAGE_WORDS and x not in ("dialogue", "pdf"):
                stage = STAGE_WORDS[x]
            elif x not in APPROVE_OBJECTS and x not in ("on", "and", "go", "ahead", "is", "are", "the", "shot", "list"):
                return False
        if words[0] == "ship" and words[1] == "the" and stage is None:
            return False
        return stage
    return False


def _question(clause: _Clause, w: list[str], known: Known, names: Names, last: list[str]) -> list[Intent]:
    one = Intent("ask", text=clause.text, value=clause.text)
    key = tuple(w)
    if key[:2] in (("what", "does"), ("how", "does"), ("what", "do")) and key[-1:] in (("like",), ("look",)):
        return _request(clause, ["show"] + [x for x in w[2:] if x not in ("look", "like")], known, names, last)
    if key[:3] in (("can", "i", "see"), ("can", "we", "see"), ("could", "i", "see"), ("may", "i", "see")):
        return _request(clause, ["show"] + w[3:], known, names, last)
    if key in (("what's", "next"), ("what", "next"), ("what", "now")):
        return [replace(one, kind="navigate", target="next", value="")]
    return [one]


def _request(clause: _Clause, w: list[str], known: Known, names: Names, last: list[str]) -> list[Intent]:
    refs = changes.Refs(w, _raw(clause, w))
    _name_refs(refs, names, last)
    changes.scan(refs, known.scene_focus)
    one = Intent("unclear", text=clause.text, scene=refs.scene)
    verb = next((x for x in w if x in REQUEST_VERBS or x in SHOW_VERBS), "")
    if verb in ("switch", "branch", "open", "go", "return", "back", "jump", "take", "checkout") or w[0] == "back":
        moved = _navigate(refs, one)
        if moved:
            return moved
    picked = _pick(w, known)
    if picked is not None:
        return [replace(one, kind="pick", number=picked)]
    found = _changes(refs)
    shot_ref = refs.shots[0] if refs.shots else None
    things = any(x in ("boards", "clips", "board", "clip") for x in w)
    if verb in SHOW_VERBS and verb != "open" or verb in RENDER_VERBS and not found and (verb != "make" or things) \
            or verb == "render":
        made = [_as_intent(one, f) for f in found if f.shot is not None]
        if verb in SHOW_VERBS and not (made and shot_ref) and verb not in ("render", "draw"):
            return made + _show(refs, one, w)
        return made + _render(refs, one, w, verb)
    if found:
        return [_as_intent(one, f) for f in found]
    if any(x in REVISE_VERBS for x in w[:2]) or any(x in NOTE_WORDS for x in w):
        stage = next((STAGE_WORDS[x] for i, x in enumerate(w) if x in STAGE_WORDS and (x != "look" or
                      i and w[i - 1] == "the") and (x != "cut" or i and w[i - 1] == "the")), None)
        return [replace(one, kind="revise", stage=stage, value=clause.text, scene=None)]
    return []


def _raw(clause: _Clause, w: list[str]) -> list[str]:
    """The words as written, for the tail of the clause that `w` is."""
    raws = [t.raw for t in clause.toks]
    return raws[len(raws) - len(w):] if len(w) <= len(raws) else w


def _name_refs(refs: changes.Refs, names: Names, last: list[str]) -> None:
    w = refs.words
    i = 0
    while i < len(w):
        hit = names.at(w, i)
        if hit:
            n, kind, name = hit
            refs.names.append((i, kind, name))
            refs.used.update(range(i, i + n))
            if kind == "character":
                last.append(name)
            i += n
            continue
        if w[i] in PRONOUNS and last:
            refs.names.append((i, "character", last[-1]))
            refs.used.add(i)
        i += 1


def _changes(refs: changes.Refs) -> list[changes.Found]:
    aspects = refs.shot_aspects
    if refs.shots and aspects or refs.shots and changes.mood(refs):
        out = []
        for shot in refs.shots:
            out += [changes.Found("shot", k, v, shot=shot) for k, v in aspects.items()]
            if changes.mood(refs) and "mood" not in aspects:
                out.append(changes.Found("shot", "mood", changes.mood(refs), shot=shot))
        return out
    people = refs.of("character")
    if people:  # "Walt's cap should be red": the cap is his wardrobe, not the prop of that name
        refs.used -= {i for i, kind, _ in refs.names if kind == "prop" and refs.words[i] in WARDROBE}
    found = [f for name in people for f in changes.character(refs, name)]
    if found:
        return found
    for kind in ("prop", "location"):
        for name in refs.of(kind):
            found += changes.thing(refs, name, kind)
    if found:
        return found
    if refs.scene is not None and not refs.shots:
        if "time_of_day" in aspects:
            return [changes.Found("scene", "time_of_day", aspects["time_of_day"], scene=refs.scene)]
        if changes.mood(refs):
            return [changes.Found("scene", "mood", changes.mood(refs), scene=refs.scene)]
    found = changes.style(refs)
    if found or refs.shots:
        return found
    w = refs.words
    timed = "time_of_day" in aspects and any(x in ("at", "to", "into", "during", "by", "it") for x in w)
    shot_words = {k: v for k, v in aspects.items() if k != "time_of_day" or timed}
    if shot_words and not people and refs.scene is None:
        return [changes.Found("", k, v) for k, v in shot_words.items()]
    return changes.unnamed(refs) if w[0] in REQUEST_VERBS or "should" in w else []


def _as_intent(one: Intent, f: changes.Found) -> Intent:
    return replace(one, kind="change", target=f.target, aspect=f.aspect, value=f.value, scene=f.scene, shot=f.shot,
                   from_scene=f.from_scene)


def _show(refs: changes.Refs, one: Intent, w: list[str]) -> list[Intent]:
    show = replace(one, kind="show")
    if refs.shots:
        what = "prompt" if "prompt" in w or "prompts" in w else "takes" if "takes" in w else "board"
        return [replace(show, target=what, shot=s) for s in refs.shots]
    if "script" in w:
        return [replace(show, target="script")]
    if any(x in ("shots", "shot-list", "coverage") for x in w):
        return [replace(show, target="shots")]
    if refs.scene is not None:
        return [replace(show, target="scene")]
    if "takes" in w:
        return [replace(show, target="takes")]
    if any(x in ("cut", "animatic", "film", "movie") for x in w):
        return [replace(show, target="cut")]
    if refs.names:
        return [replace(show, target="look", value=n) for _, _, n in refs.names[:1]]
    if "look" in w or "looks" in w:
        return [replace(show, target="look")]
    stage = next((STAGE_WORDS[x] for x in w if x in STAGE_WORDS), None)
    return [replace(show, target="stage", stage=stage)] if stage else []


def _render(refs: changes.Refs, one: Intent, w: list[str], verb: str) -> list[Intent]:
    render = replace(one, kind="render", value=next((TIERS[x] for x in w if x in TIERS and x != "animatic"), ""))
    if "stale" in w or "outdated" in w or ("out", "of", "date") in zip(w, w[1:], w[2:]):
        return [replace(render, target="stale")]
    if refs.shots:
        return [replace(render, target="shot", shot=s) for s in refs.shots]
    what = next((RENDER_THINGS[x] for x in w if x in RENDER_THINGS), "")
    if not what and verb in ("render", "rerender", "draw", "redraw"):
        what = "boards"
    return [replace(render, target=what)] if what else []


def _navigate(refs: changes.Refs, one: Intent) -> list[Intent]:
    w, raw = refs.words, refs.raw
    go = replace(one, kind="navigate")
    stage = next((STAGE_WORDS[x] for x in w if x in STAGE_WORDS and x not in ("dialogue", "pdf")), None)
    if "branch" in w:
        k = w.index("branch")
        rest = [i for i in range(k + 1, len(w)) if w[i] not in ("called", "named", "as", "off", "to", "a", ",")]
        name = " ".join(raw[i] for i in rest).strip(" '\"")
        switch = "switch" in w[:k] or "checkout" in w[:k] or ("go", "to") in zip(w, w[1:])
        return [replace(go, target="switch" if switch else "branch", value=name)] if name or not switch else []
    if w[0] == "open" and stage is not None:
        return [replace(one, kind="show", target="stage", stage=stage)]
    if stage is not None and any(x in ("back", "go", "return", "jump", "switch", "take") for x in w):
        return [replace(go, target="stage", stage=stage)]
    if w[0] in ("open", "switch") and stage is None:
        words = [raw[i] for i in range(1, len(w)) if w[i] not in ("the", "project", "to", "called", "named")]
        target = "open" if w[0] == "open" else "switch"
        return [replace(go, target=target, value=" ".join(words).strip(" '\""))] if words else []
    return []


def _pick(w: list[str], known: Known) -> int | None:
    for i, x in enumerate(w[:-1]):
        if x in ("variant", "option", "version", "number", "#", "treatment") and w[i + 1] in NUMBER_WORDS:
            return NUMBER_WORDS[w[i + 1]]
        if x in ("variant", "option", "version", "number", "#") and w[i + 1].isdigit() and len(w[i + 1]) <= 2:
            return int(w[i + 1])
    if known.has_variants and any(x in ("use", "pick", "choose", "like", "take", "select", "with") for x in w):
        for i, x in enumerate(w):
            if x in NUMBER_WORDS and not x.isdigit() and (i + 1 == len(w) or w[i + 1] in ("one", "variant")):
                return NUMBER_WORDS[x]
    return None


def describe(intent: Intent) -> str:
    """What the intent would do, as a short phrase: 'change NELL's wardrobe to a red coat'."""
    shot = f"shot {intent.shot[0]}.{intent.shot[1]}" if intent.shot else ""
    scene = f"scene {intent.scene}" if intent.scene is not None else ""
    stage = f"the {intent.stage.value}" if intent.stage else ""
    kind, target, value = intent.kind, intent.target, intent.value
    if kind == "change":
        aspect = intent.aspect.replace("_", " ")
        owner = {"shot": f"{shot}'s", "scene": f"{scene}'s", "style": "the film's", "": "its"}.get(target,
                                                                                                 f"{target}'s")
        shown = value.lower() if intent.aspect == "time_of_day" else value
        if intent.aspect == "size" and value in ShotSize.__members__:
            shown = SHOT_SIZE_NAMES[ShotSize(value)]
        shown += "mm" if intent.aspect == "lens" else " s" if intent.aspect == "duration" else ""
        where = ""
        if intent.scene is not None and target not in ("scene", "shot"):
            where = f" from scene {intent.scene} on" if intent.from_scene else f" in scene {intent.scene}"
        return f"change {owner} {aspect} to {shown}{where}"
    if kind == "approve":
        return f"approve {stage or 'this stage'}"
    if kind == "revise":
        return f"revise {stage or 'this stage'} with your notes"
    if kind == "show":
        things = {"script": "the script", "scene": scene, "look": f"{value}'s look" if value else "the look",
                  "shots": f"the shots of {scene}" if scene else "the shot list", "board": f"the board of {shot}",
                  "prompt": f"the prompt of {shot}", "cut": "the cut", "takes": f"the takes of {shot}".strip(),
                  "stage": stage}
        return f"show {things.get(target, 'it')}"
    if kind == "navigate":
        return {"next": "move on to the next stage", "stage": f"go back to {stage}",
                "open": f"open the project {value}", "branch": f"start a branch called {value}",
                "switch": f"switch to the branch {value}"}.get(target, "move on")
    if kind == "render":
        things = {"boards": "the boards", "clips": "the clips", "shot": f"a new board of {shot}", "cut": "the cut",
                  "stale": "the boards and clips that are out of date"}
        where = f" of {scene}" if scene and target in ("boards", "clips") else ""
        return f"render {things.get(target, 'the boards')}{where}"
    plain = {"affirm": "take that as a yes", "ask": f"answer “{value}”", "undo": "undo the last change",
             "pick": f"use variant {intent.number}", "status": "say where the project stands",
             "help": "list what you can ask", "unclear": f"act on “{value[:80]}”"}
    return plain[kind]
