"""The kinds of a director's request that have few wordings, for studio.intents: a bare yes, status, help, next,
undo, pick, navigate, show and render. Each reader looks at one clause's words (already spelled right) once."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from studio.intent_shots import Refs, number
from studio.intent_model import Intent, Known
from studio.intent_tables import (ARTIFACT_FILLER, ARTIFACTS, COMMAND_WORDS, HELP_STARTS, HELP_WORDS, NEXT_CORES,
                                  NEXT_TAIL, RENDER_THINGS, STATUS_CORES, STATUS_TAIL, UNDO_OBJECTS, UNDO_PHRASES,
                                  UNDO_VERBS, YES_HEADS, YES_WORDS)
from studio.intent_names import Names
from studio.intent_words import NUMBER_WORDS, STAGE_WORDS, TIERS, Token
from studio.stages import Stage


@dataclass
class Context:
    """What the clauses read so far in one message said: what "her", "it" and "them" point at."""

    known: Known
    names: Names
    characters: list[str] = field(default_factory=list)
    shots: list[tuple[int, int]] = field(default_factory=list)
    scene: int | None = None
    last: str = ""  # the kind the clause before came out as
    variants: bool = False  # the treatment's variants are in front (or the message went back to them)
    retract: bool = False  # "no wait, …": what came before in the message is taken back
    idle_stages: list[Stage] = field(default_factory=list)  # stages named in clauses that asked for nothing
    source: str = ""  # the whole message: a value is cut from it as written
    stale_asked: bool = False  # a clause before asked what is out of date: "redo it" then redoes that
    stage: Stage | None = None  # the stage a clause before named ("told me to approve the look, show it to me")
    name_words: frozenset[str] = frozenset()  # every word of the project's names
    praised: list[Token] = field(default_factory=list)  # what praise before a note named ("lovely palette, but…")


def _starts(key: tuple[str, ...], heads: tuple[tuple[str, ...], ...]) -> int:
    """The length of the first of `heads` that `key` starts with (0: none)."""
    for head in heads:
        if key[:len(head)] == head:
            return len(head)
    return 0


def bare_yes(words: list[str]) -> bool:
    """'yeah go on then', 'fine by me', 'okey dokey', 'sure': a yes and nothing else."""
    if not words or not all(w in YES_WORDS for w in words):
        return False
    pairs = set(zip(words, words[1:]))
    return any(w in YES_HEADS for w in words) or any(p in YES_HEADS for p in pairs) or \
        any(t in YES_HEADS for t in zip(words, words[1:], words[2:]))


def status(key: tuple[str, ...]) -> bool:
    n = _starts(key, STATUS_CORES)
    return bool(n) and all(w in STATUS_TAIL for w in key[n:])


def helping(key: tuple[str, ...]) -> bool:
    """'what can I say here?', 'how do I render the boards?', "what does 'approve' do?", 'what commands are
    there', 'help me out': a question about using the studio, not about the film."""
    if _starts(key, HELP_STARTS) or any(w in HELP_WORDS for w in key) and len(key) <= 8:
        return True
    if key[:2] in (("what", "does"), ("what", "do")) and key[-1:] == ("do",) and len(key) <= 6:
        return any(w in COMMAND_WORDS for w in key[2:-1])
    return False


def going_on(key: tuple[str, ...]) -> bool:
    n = _starts(key, NEXT_CORES)
    return bool(n) and all(w in NEXT_TAIL for w in key[n:])


def undoing(key: tuple[str, ...]) -> bool:
    """'undo', 'take that back', 'scrap that last change', 'revert the last edit'."""
    if key in UNDO_PHRASES or key[:3] in UNDO_PHRASES or key[:2] in UNDO_PHRASES:
        return True
    if key[:1] and key[0] in UNDO_VERBS and all(w in UNDO_OBJECTS for w in key[1:]):
        return key[0] in ("undo", "revert") or any(w in ("that", "it", "last", "change", "edit") for w in key)
    return key[:1] == ("take",) and key[-1:] == ("back",) and all(w in UNDO_OBJECTS for w in key[1:-1])


def _stage_named(w: list[str]) -> Stage | None:
    return next((STAGE_WORDS[x] for x in w if x in STAGE_WORDS and x not in ("dialogue", "pdf")), None)


def navigate(refs: Refs, one: Intent, ctx: Context) -> list[Intent]:
    w, raw = refs.words, refs.raw
    go = replace(one, kind="navigate")
    stage = _stage_named(w)
    if "branch" in w or stage is None and not refs.names and {"main", "master"} & set(w):
        return _branch(w, raw, go)
    if w[0] == "open" and stage is not None:
        return [replace(one, kind="show", target="stage", stage=stage)]
    pairs = set(zip(w, w[1:]))
    if stage is not None and ({"back", "return", "jump", "head", "revisit"} & set(w) or
                              ("go", "to") in pairs or w[0] in ("switch", "go")):
        if stage == Stage.TREATMENT:
            ctx.variants = True
        return [replace(go, target="stage", stage=stage)]
    if stage is not None and {("start", "on"), ("move", "on"), ("on", "to"), ("start", "the")} & pairs:
        focus = ctx.known.focus
        if focus is None or stage.index > focus.index:
            return [replace(go, target="next")]
        return [replace(go, target="stage", stage=stage)]
    if w[0] in ("open", "switch") and stage is None:
        words = [raw[i] for i in range(1, len(w)) if w[i] not in ("the", "project", "to", "called", "named")]
        target = "open" if w[0] == "open" else "switch"
        return [replace(go, target=target, value=" ".join(words).strip(" '\""))] if words else []
    return []


_NOT_NAME = frozenset({"called", "named", "as", "off", "to", "a", "an", ",", "this", "it", "here", "new", "now",
                       "please", "the", "my", "our", "and", "for", "me", "us"})
_GOING = frozenset({"switch", "checkout", "back", "return", "jump", "head", "go"})


def _branch(w: list[str], raw: list[str], go: Intent) -> list[Intent]:
    """'branch this as red coat', 'make a branch called red coat' → a new branch of that name; 'switch to the
    main branch', 'go back to main' → the branch 'main'. The name is what follows 'called'/'named'/'as', else
    the words around 'branch' that are no filler."""
    k = w.index("branch") if "branch" in w else len(w)
    said = max((i for i in range(k, len(w)) if w[i] in ("called", "named", "as")), default=-1)
    idx = list(range(said + 1, len(w))) if said >= 0 else [i for i in range(k + 1, len(w)) if w[i] not in _NOT_NAME]
    if not idx:  # "the main branch", "go back to main"
        j = k - 1
        while j >= 0 and w[j] not in _NOT_NAME and w[j] not in _GOING and w[j] not in ("make", "create", "start"):
            j -= 1
        idx = list(range(j + 1, k))
    name = " ".join(raw[i] for i in idx if w[i] != ",").strip(" '\"")
    switch = bool(_GOING & set(w[:k])) and "off" not in w[:k + 2] or k == len(w)
    return [replace(go, target="switch" if switch else "branch", value=name)] if name or not switch else []


_STRONG_PICK = frozenset({"pick", "choose", "select", "with", "prefer"})
_PICKED = frozenset({"one", "variant", "option", "version", "treatment", "take"})


def pick(w: list[str], ctx: Context) -> int | None:
    for i, x in enumerate(w[:-1]):
        if x in ("variant", "option", "version", "number", "#", "treatment") and w[i + 1] in NUMBER_WORDS:
            return NUMBER_WORDS[w[i + 1]]
        if x in ("variant", "option", "version", "number", "#") and number(w[i + 1], 2):
            return number(w[i + 1], 2)
    strong = any(x in _STRONG_PICK for x in w)
    if not (ctx.variants or strong or "treatment" in w):
        return None
    chose = strong or any(x in ("use", "like", "take", "want", "go") for x in w) or \
        len([x for x in w if x not in ("please", "thanks", ",")]) <= 3
    for i, x in enumerate(w):
        if x in NUMBER_WORDS and not x.isdigit() and x != "one" and chose and \
                (i + 1 == len(w) or w[i + 1] in _PICKED) and (i == 0 or w[i - 1] in ("the", "#", "number", "pick")):
            return NUMBER_WORDS[x]
    return None


def show(refs: Refs, one: Intent, w: list[str]) -> list[Intent]:
    """What to show; 'scene 3 and its shots' is two things."""
    out: list[Intent] = []
    part: list[str] = []
    for x in [*w, "and"]:
        if x == "and" and part:
            out += _show_one(refs, one, part, first=not out)
            part = []
        elif x != "and":
            part.append(x)
    return out if len(out) > 1 else _show_one(refs, one, w, first=True)


def _show_one(refs: Refs, one: Intent, w: list[str], first: bool) -> list[Intent]:
    show = replace(one, kind="show")
    if refs.shots and first:
        what = "prompt" if "prompt" in w or "prompts" in w else "takes" if "takes" in w else "board"
        return [replace(show, target=what, shot=s) for s in refs.shots]
    if "script" in w:
        return [replace(show, target="script")]
    listed = "shot-list" in w or ("shot", "list") in zip(w, w[1:])
    if listed or any(x in ("shots", "coverage") for x in w):
        if listed and refs.scene is None:
            return [replace(show, target="stage", stage=Stage.SHOTS)]
        return [replace(show, target="shots")]
    if refs.scene is not None and ("scene" in w or "scenes" in w):
        return [replace(show, target="scene")]
    if "takes" in w:
        return [replace(show, target="takes")]
    if any(x in ("cut", "animatic", "film", "movie") for x in w):
        return [replace(show, target="cut")]
    if refs.names and first:
        return [replace(show, target="look", value=n) for _, _, n in refs.names[:1]]
    if "look" in w or "looks" in w:
        return [replace(show, target="look")]
    stage = next((STAGE_WORDS[x] for x in w if x in STAGE_WORDS), None)
    return [replace(show, target="stage", stage=stage)] if stage else []


def render(refs: Refs, one: Intent, w: list[str], verb: str) -> list[Intent]:
    tier = next((TIERS[x.split("-")[0]] for x in [verb, *w] if x.split("-")[0] in TIERS and x != "animatic"), "")
    out = replace(one, kind="render", value=tier)
    if "stale" in w or "outdated" in w or ("out", "of", "date") in zip(w, w[1:], w[2:]):
        return [replace(out, target="stale")]
    if refs.shots:
        return [replace(out, target="shot", shot=s) for s in refs.shots]
    what = next((RENDER_THINGS[x] for x in w if x in RENDER_THINGS), "")
    if not what and verb in ("render", "rerender", "draw", "redraw", "sketch"):
        what = "boards"
    if not what and verb in ("assemble", "compile", "build") and set(w) <= _JOINED | {verb, "everything"}:
        what = "cut"  # "assemble everything", "build it": the cut
    return [replace(out, target=what)] if what else []


def artifact_only(w: list[str], refs: Refs) -> bool:
    """The clause names only things to look at ('shots for scene 4 pls', 'the clips', 'draft-quality clips')."""
    named = [x for i, x in enumerate(w) if i not in refs.used and x not in ARTIFACT_FILLER]
    return bool(named) and all(x in ARTIFACTS or x in RENDER_THINGS or x.split("-")[0] in TIERS for x in named) \
        and any(x in ARTIFACTS or x in RENDER_THINGS for x in named)


_REDO = frozenset({"redo", "redraw", "rerender", "render", "fix", "update", "refresh", "regenerate", "do"})
_REDONE = frozenset({"it", "them", "those", "that", "these", "all", "please", "then", "now", "ones", "the", "too",
                     "up", "each", "of", "thanks", ","})


def redo_what_was_stale(w: list[str], ctx: Context) -> bool:
    """'what's stale? redo it': after a question about what is out of date, 'redo it', 'redraw them', 'fix
    those' redo exactly that."""
    return ctx.stale_asked and bool(w) and w[0] in _REDO and all(x in _REDONE for x in w[1:]) and \
        any(x in ("it", "them", "those", "that", "these", "all") for x in w[1:])


_JOIN = frozenset({"cut", "put", "edit", "stitch", "piece", "splice", "assemble", "string", "glue", "knit", "pull",
                   "bring", "sew", "join"})
_JOINED = frozenset({"it", "all", "the", "cut", "film", "movie", "clips", "shots", "boards", "everything", "them",
                     "up", "scenes", "animatic", "a", "rough", "now", "please", "then", "thanks", "whole", "thing",
                     "together", "for", "me", "us", "into", "one", "edit", "final", ","})


def cut_together(w: list[str]) -> bool:
    """'cut it together', 'put the cut together', 'edit the clips together': assemble the cut."""
    return bool(w) and w[0] in _JOIN and "together" in w and all(x in _JOINED for x in w[1:])


def stage_named(w: list[str]) -> Stage | None:
    """The last stage a clause named ("told me to approve the look"): 'look' and 'cut' only with an article."""
    found = None
    for i, x in enumerate(w):
        if x in STAGE_WORDS and x not in ("dialogue", "pdf") and (
                x not in ("look", "cut") or i and w[i - 1] in ("the", "this", "that")):
            found = STAGE_WORDS[x]
    return found


def show_again(refs: Refs, one: Intent, w: list[str], ctx: Context) -> list[Intent]:
    """'show it to me': the stage a clause before named."""
    if ctx.stage is None or not {"it", "them", "that", "those", "these", "this"} & set(w):
        return []
    return show(refs, one, [ctx.stage.value])
