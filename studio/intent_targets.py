"""What a clause names and what it asks to change of it, for studio.intents: the project's names (and "her",
"his" for the last character named), one part per thing when a clause names several ("make 2.3 a close-up and
2.4 a wide"), and the changes found, read by studio.intent_changes. Each pass is linear in the clause."""

from __future__ import annotations

from dataclasses import replace

from studio import intent_changes as changes
from studio import intent_shots as shots
from studio.intent_kinds import Context
from studio.intent_model import Intent
from studio.intent_tables import PRONOUNS, REQUEST_VERBS, STATE_VERBS
from studio.intent_words import STATES, WARDROBE, Token


_NO_CONTENT = frozenset({"the", "a", ",", "and", "too", "also", "as", "well", "please", "again", "both"})
# the scope said first ("from scene 4 on, Nell wears…", "starting scene 3, …"): it goes with what follows
_SCOPE_LEAD = frozenset({"from", "starting", "after", "since", "on", "onwards", "onward", "forward", "forwards",
                         "in", "for", "at", "with", "beginning", "start"})


def segments(toks: list[Token], ctx: Context) -> list[list[Token]]:
    """'make 2.3 a close-up and 2.4 a wide', 'Roy in a white apron, Dee in a denim jacket': one part per thing
    named with its own words; the verb the first part starts with goes with each."""
    w = [t.word for t in toks]
    cuts = [0]
    content = False  # the part so far says something beyond its verb and what it names
    for i, x in enumerate(w):
        if i and x in ("and", ",") and content and i + 1 < len(w):
            j = i + 1 + (w[i + 1] == "the")
            if j < len(w) and _anchor(w, j, ctx):
                cuts.append(i)
                content = False
                continue
        if x not in REQUEST_VERBS and x not in _NO_CONTENT and not _in_anchor(w, i, ctx) and not (
                x in _SCOPE_LEAD and _scope_near(w, i)):
            content = True
    if len(cuts) > 1 and not content:
        cuts.pop()  # "crane up on the last shot of scene 8, 8.3": the last part only names what the first meant
    if len(cuts) == 1:
        return [toks]
    parts = [toks[a + (a > 0):b] for a, b in zip(cuts, [*cuts[1:], len(toks)])]
    verb = toks[0] if w[0] in REQUEST_VERBS else None
    return [p if verb is None or p[0].word in REQUEST_VERBS or p is parts[0] else [verb, *p] for p in parts if p]


def _anchor(w: list[str], i: int, ctx: Context) -> bool:
    """A thing to change starts at words[i]: a name, 'scene 3', 'shot 2', '2.3', 'S01_SH002'."""
    x = w[i]
    nxt = w[i + 1] if i + 1 < len(w) else ""
    if x in ("scene", "shot", "sc") and (nxt.isdigit() or "." in nxt):
        return True
    if shots.dotted(x, ctx.known.scenes) or shots.code(x):
        return True
    hit = ctx.names.at(w, i)
    return hit is not None and hit[1] != "location" or hit is not None and i > 0 and w[i - 1] == "the"


def _scope_near(w: list[str], i: int) -> bool:
    """words[i] frames a scene number: "from scene 4", "scene 4 on", "starting from scene 2"."""
    return any(w[j] in ("scene", "scenes", "sc") for j in range(max(0, i - 2), min(len(w), i + 3)))


def _in_anchor(w: list[str], k: int, ctx: Context) -> bool:
    return _anchor(w, k, ctx) or k > 0 and w[k - 1] in ("scene", "shot", "sc", "scenes") and (
        _anchor(w, k - 1, ctx) or w[k].isdigit())


def remember(words: list[str], ctx: Context) -> None:
    """The characters a clause named, whatever it asked: "I approve of Nell in red, make her coat red"."""
    w = words
    i = 0
    while i < len(w):
        hit = ctx.names.at(w, i)
        if hit and hit[1] == "character" and hit[2] not in ctx.characters[-1:]:
            ctx.characters.append(hit[2])
        i += hit[0] if hit else 1


def name_refs(refs: shots.Refs, ctx: Context) -> None:
    w = refs.words
    i = 0
    while i < len(w):
        hit = ctx.names.at(w, i)
        if hit:
            n, kind, name = hit
            refs.names.append((i, kind, name))
            refs.used.update(range(i, i + n))
            if kind == "character":
                ctx.characters.append(name)
            i += n
            continue
        if w[i] in PRONOUNS and ctx.characters:
            refs.names.append((i, "character", ctx.characters[-1]))
            refs.used.add(i)
        i += 1


def found(refs: shots.Refs) -> list[shots.Found]:
    aspects = refs.shot_aspects
    felt = changes.mood(refs)  # once: it walks the clause
    if refs.shots and aspects or refs.shots and felt:
        out = []
        for shot in refs.shots:
            out += [shots.Found("shot", k, v, shot=shot) for k, v in aspects.items()]
            if felt and "mood" not in aspects:
                out.append(shots.Found("shot", "mood", felt, shot=shot))
        return out
    people = refs.of("character")
    w = refs.words
    if people:  # "Walt's cap should be red": the cap is his wardrobe; "walt's cap should be soaking wet": the prop
        worn = {i for i, kind, _ in refs.names if kind == "prop" and w[i] in WARDROBE}
        if not any(x in STATES or x in STATE_VERBS for x in w):
            refs.used -= worn
            refs.names = [n for n in refs.names if n[0] not in worn]
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
            return [shots.Found("scene", "time_of_day", aspects["time_of_day"], scene=refs.scene)]
        if felt:
            return [shots.Found("scene", "mood", felt, scene=refs.scene)]
    found = changes.style(refs)
    if found or refs.shots:
        return found
    timed = "time_of_day" in aspects and any(x in ("at", "to", "into", "during", "by", "it") for x in w)
    shot_words = {k: v for k, v in aspects.items() if k != "time_of_day" or timed}
    if shot_words and not people and refs.scene is None:
        return [shots.Found("", k, v) for k, v in shot_words.items()]
    return changes.unnamed(refs) if w[0] in REQUEST_VERBS or "should" in w else []


def as_intent(one: Intent, f: shots.Found) -> Intent:
    return replace(one, kind="change", target=f.target, aspect=f.aspect, value=f.value, scene=f.scene, shot=f.shot,
                   from_scene=f.from_scene)
