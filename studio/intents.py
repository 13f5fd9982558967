"""A director's chat message read into what they ask, in order: approve, revise, change one thing, ask, show,
navigate, render, undo, pick, status, help, or 'unclear' (the conversation then asks; it never guesses a yes).

Rules, not a model: the built-in model is too small to tell these apart, so the words decide and a real model is
consulted only for 'unclear'. A message is split into clauses ('make Nell's coat red, then show me the script'),
each read on its own; "it", "her" and "them" point at what an earlier clause named. Slips are forgiven ('aprove',
'scnee', 'shwo', 'onn'), names are the project's ('nells coat', 'the diner kitchen'). Only an explicit approval
approves: a clause that is nothing but 'approve (it | the look | the look and the shots)', 'lgtm', 'ship it',
'sign it off' — never in a question, a condition, beside a negation or passed on ("Dee told me to approve the look,
show it to me first": the look shown). Praise alone ('gorgeous', 'spot on, cheers') is an 'affirm' with value
'praise'; praise before a note is no part of it ('lovely palette but more teal': the palette, more teal), as a bare yes ('yeah go on then', 'fine by me') is an 'affirm': the conversation decides what it answers. A part of
a request no intent used ('…, with rain on the window', '9000mm', a web address) comes back as an 'unclear' right
after that clause's intents; a clause about one shot or scene is never notes for a whole stage. A change needs a
request: "hmm, nell's coat" asks nothing. The time grows with the message's length.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from studio import intent_shots as shots
from studio import intent_kinds as kinds
from studio import intent_praise as praise
from studio import intent_rest as rest
from studio import intent_targets as targets
from studio import intent_writing as writing
from studio.intent_clauses import Clause, clauses, lead_of
from studio.intent_names import Names
from studio.intent_model import ASPECTS, Intent, IntentKind, Known, describe
from studio.intent_tables import (CONDITIONS, FILLERS, NEGATIONS, NOTE_WORDS, QUESTION_STARTS, RENDER_VERBS, REPORTED, REQUEST_VERBS, REVISE_VERBS,
                                  SHOW_VERBS)
from studio.intent_words import STAGE_WORDS, STOPS, URL, Token, correct, tokens, vocabulary
from studio.stages import Stage

__all__ = ["ASPECTS", "Intent", "IntentKind", "Known", "describe", "parse"]

_APPROVE_WORDS = frozenset({"approve", "approved", "ship", "sign", "lgtm", "approval", "approving"})
_NAV_VERBS = frozenset({"switch", "branch", "open", "go", "return", "back", "jump", "take", "checkout", "head",
                        "start", "move", "revisit"})
_WRITING = frozenset({Stage.BRIEF, Stage.TREATMENT, Stage.BEATS, Stage.SCRIPT, Stage.BREAKDOWN, Stage.LOOK,
                      Stage.SHOTS, Stage.PROMPTS})
_OVERALL = frozenset({"more", "fewer", "less", "overall", "throughout", "everywhere", "generally", "mostly"})
_POLITE = ("please", "thanks", "pls")
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "my", "our", "your", "its", "their", "his", "her"})
_NOUN_BEFORE = _DETERMINERS | {"shot"}  # "the cut", "the shot list": nouns, not verbs


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
    asked = "?" in (t.word for t in toks)
    if not asked and praise.only(words, exact):  # praise is no approval: an affirm that says so
        return [Intent("affirm", text=text.strip(), value="praise")]
    if not asked and kinds.bare_yes(words):
        return [Intent("affirm", text=text.strip())]
    ctx = kinds.Context(known, names, variants=known.has_variants, source=text, name_words=exact)
    out: list[Intent] = []
    for clause in clauses(text, toks):
        got = _read(clause, ctx)
        targets.remember(clause.words, ctx)
        ctx.stage = kinds.stage_named(clause.words) or ctx.stage
        if ctx.retract:
            out, ctx.retract = [], False
        out += got
        ctx.last = got[-1].kind if got else ctx.last
        ctx.stale_asked = any(i.kind == "ask" and i.target == "stale" for i in got) or ctx.stale_asked and not got
        if not got:
            w = clause.words
            ctx.idle_stages += [Stage.SHOTS if x == "shot" else STAGE_WORDS[x] for i, x in enumerate(w)
                                if x in STAGE_WORDS and x != "look" or x == "shot" and w[i + 1:i + 2] == ["list"]]
    return _tidy(rest.shown_anew(out), words, ctx) or unclear



def _tidy(out: list[Intent], words: list[str], ctx: kinds.Context) -> list[Intent]:
    """One revise for notes said in several clauses, one help, one status, one approval (with the stage a
    clause of praise named: "I'm happy with the breakdown, approve it"); "…, but X first" puts X first."""
    groups: list[list[Intent]] = []
    for i in out:
        if i.kind == "approve" and i.stage is None and len(set(ctx.idle_stages)) == 1:
            i = replace(i, stage=ctx.idle_stages[0])
        if groups and groups[-1][0].kind == i.kind and i.kind in ("revise", "help", "status", "approve") and not (
                i.kind == "approve" and None not in (i.stage, groups[-1][0].stage) and i.stage != groups[-1][0].stage):
            groups[-1].append(i)
        else:
            groups.append([i])
    tidy = [g[0] if len(g) == 1 else replace(
        g[0], stage=next((i.stage for i in g if i.stage), None), text=" ".join(i.text for i in g),
        value=" ".join(i.value for i in g) if g[0].kind == "revise" else g[0].value) for g in groups]
    if any(i.kind == "approve" for i in tidy) and "first" in words:  # "approve, but make the coat red first"
        tidy = [i for i in tidy if i.kind != "approve"] + [i for i in tidy if i.kind == "approve"]
    return tidy



def _read(clause: Clause, ctx: kinds.Context) -> list[Intent]:
    led, toks = praise.lead(clause.toks, ctx, ctx.name_words)  # "gorgeous boards, the kitchen ones are too dark"
    if led and toks and praise.mocks(toks):  # "great, if you like…" mocks
        return [Intent("unclear", text=clause.text, value=clause.text)]
    if led and not toks:  # praise alone asks nothing ("looks good?" asks)
        if not clause.question:
            return []
        toks = clause.toks
    k = 0
    while k < len(toks) - 1 and (toks[k].word in FILLERS and toks[k].word != "please" or toks[k].word == ","):
        k += 1
    while k < len(toks) and toks[k].word in ("please", ","):
        k += 1
    toks = toks[k:]
    w = [t.word for t in toks]
    if w[:2] == ["no", "wait"] or w[:2] == ["wait", ","] or w[:2] == ["actually", "no"]:
        ctx.retract = True  # "That's approved? No wait, Roy's apron should be white."
        toks = [t for t in toks[2:] if t.word != ","] if w[:2] != ["wait", ","] else toks[2:]
    denied = False
    while len(toks) > 2 and toks[0].word in ("no", "nope", "nah") and toks[1].word in (",", "no"):
        denied, toks = True, toks[2:]  # "yeah no, the shots need more close-ups": no to what came before
    while denied and toks and toks[0].word == ",":
        toks = toks[1:]
    w = [t.word for t in toks]
    polite = False
    if len(w) > 2 and w[0] in ("can", "could", "would", "will") and w[1] == "you":
        polite, toks = True, [t for t in toks[2:] if t.word != "please"]
    for _ in range(2):  # "let's look at scene 3": two leads
        toks, polite, asked = _strip_lead(toks, polite)
        if asked:  # "remind me what we said about…", "tell me how long it runs"
            return _question(clause, toks, ctx)
    w = [t.word for t in toks]
    if not w:
        return []
    key = tuple(x for i, x in enumerate(w) if x != "," and x not in _POLITE and x != "thank" and not (
        x == "you" and i and w[i - 1] == "thank") or len(w) == 1)
    one = Intent("unclear", text=clause.text)
    if kinds.status(key):
        return [replace(one, kind="status")]
    if kinds.helping(key):
        return [replace(one, kind="help")]
    if kinds.going_on(key):
        return [replace(one, kind="navigate", target="next")]
    if key[:2] == ("never", "mind"):
        return []
    if any(x in NEGATIONS for x in w[:3]):  # "no dutch angle on 2.5": asked about, not done; "no no": nothing
        content = any(x not in rest.FILLER and x not in NEGATIONS for x in w)
        return [replace(one, value=clause.text)] if content else []
    said = next((i for i, x in enumerate(w) if x in REPORTED), -1)
    if said >= 0 and w[0] not in QUESTION_STARTS:  # "Roy says make it shorter": a note passed on; "Dee said it looks good": nothing asked
        if said + 1 < len(w) and w[said + 1] in REQUEST_VERBS and not _APPROVE_WORDS & set(w):
            return _request(clause, toks[said + 1:], ctx)
        return []
    if any(x in _APPROVE_WORDS and w[i - 2:i] in (["me", "to"], ["us", "to"]) for i, x in enumerate(w)):
        return []  # "the studio wants me to sign off on the boards": someone else's wish, no approval
    approving = any(x in _APPROVE_WORDS for x in w[:3])
    if polite and clause.question and approving and "would" in clause.words[:3]:
        return [replace(one, kind="ask", value=clause.text)]  # "would you approve this if you were me?"
    if not clause.question and not clause.conditional and not denied and (polite or w[0] not in ("would", "could",
                                                                                                 "can")):
        approved = rest.approval(key)
        if approved is not False:
            return [replace(one, kind="approve", stage=s) for s in approved] or [replace(one, kind="approve")]
    asking = clause.question or w[0] in QUESTION_STARTS and w[0] not in ("would", "could", "should")
    if approving and not asking:  # not an explicit approval, so no approval; what it waits on may be a change that was asked:
        # "approve the look once Walt's scar is visible", "approving this would be a mistake, Walt looks too young"
        at = next((i for i, x in enumerate(w) if x in CONDITIONS or x == ","), len(w))
        return [i for i in _request(clause, toks[at + 1:], ctx) if i.kind == "change" and i.target]
    written = [] if clause.question and not polite else writing.read(toks, one, ctx.source)
    if written:  # "cut scene 3", "merge beats 3 and 4", "punch up Nell's line in scene 2"
        return written
    if kinds.cut_together(list(key)):
        return [replace(one, kind="render", target="cut")]
    if kinds.redo_what_was_stale(list(key), ctx):
        return [replace(one, kind="render", target="stale")]
    if kinds.undoing(key):
        return [replace(one, kind="undo")]
    question = w[0] in QUESTION_STARTS and not polite and not (w[0] in ("do", "does", "did") and not clause.question
                                                               and w[1:2] not in (["you"], ["we"], ["i"]))
    if clause.question and polite and (w[0] in REQUEST_VERBS or w[0] in SHOW_VERBS or w[0] in RENDER_VERBS):
        requested = _request(clause, toks, ctx)  # "can you do clips for scene 2, draft quality?": a request
        if requested:
            return requested
    if ctx.shots and not question and all(x in rest.FILLER or x in _STEPPED for x in w) and _STEPPED & set(w):
        return _request(clause, toks, ctx)  # "…, but darker?": more for the shot just named
    if question or (clause.question and w[0] not in REQUEST_VERBS and w[0] not in SHOW_VERBS):
        return _question(clause, toks, ctx)
    return _request(clause, praise.carry(toks, ctx), ctx)


_STEPPED = frozenset({"darker", "lighter", "moodier", "warmer", "colder", "wider", "tighter", "closer", "looser",
                      "shorter", "longer", "slower", "quicker", "faster", "lower", "higher", "brighter"})


def _strip_lead(toks: list[Token], polite: bool) -> tuple[list[Token], bool, bool]:
    """The clause without a lead that only frames the request ("I'd like", "let me see" → show), whether that
    makes it polite, and whether it is a question put as a request ("remind me what…", "tell me why…")."""
    for lead in _LEADS:
        rest = lead_of(toks, lead)
        if rest is None:
            continue
        if lead[-1] in ("see", "at"):
            rest = [Token("show", rest[0].start, rest[0].start, "show"), *rest]
        elif lead == ("i'll", "go", "with"):
            rest = [Token("pick", rest[0].start, rest[0].start, "pick"), *rest]
        asked = lead[0] in ("remind", "tell", "i") and rest[0].word in QUESTION_STARTS - {"do", "does", "is", "are"}
        return rest, polite or lead[0] not in ("i", "i'd", "i'll", "remind", "tell"), asked
    return toks, polite, False


_LEADS = (("i", "want", "you", "to"), ("i'd", "like", "you", "to"), ("i", "need", "you", "to"), ("go", "ahead", "and"),
          ("you", "can"), ("i", "want", "to"), ("let's",), ("i'd", "like"), ("i", "want"), ("i'd", "love"),
          ("i'll", "go", "with"), ("let", "me", "see"), ("let", "me", "look", "at"), ("have", "a", "look", "at"),
          ("take", "a", "look", "at"), ("look", "at"), ("remind", "me"), ("tell", "me"), ("i", "wonder"))



def _question(clause: Clause, toks: list[Token], ctx: kinds.Context) -> list[Intent]:
    w = [t.word for t in toks]
    refs = shots.Refs(w, [t.raw for t in toks])
    shots.scan(refs, ctx.known.scene_focus, ctx.known.scenes)
    refs.shots += [s for s in map(lambda x: shots.dotted(x, ctx.known.scenes), w) if s and s not in refs.shots]
    ctx.shots = refs.shots or ctx.shots  # "what lens is 3.4? render it"
    about = rest.ask_target(w, refs)
    one = Intent("ask", text=clause.text, value=clause.text, target=about,
                 shot=refs.shots[0] if about == "shot" else None)
    key = tuple(w)
    if key[:2] in (("what", "does"), ("how", "does"), ("what", "do")) and key[-1:] in (("like",), ("look",)):
        shown = [t for t in toks[2:] if t.word not in ("look", "like")]
        return _request(clause, [Token("show", toks[0].start, toks[0].start, "show"), *shown], ctx)
    if key[:3] in (("can", "i", "see"), ("can", "we", "see"), ("could", "i", "see"), ("may", "i", "see")):
        return _request(clause, [Token("show", toks[0].start, toks[0].start, "show"), *toks[3:]], ctx)
    if key in (("what's", "next"), ("what", "next"), ("what", "now")):
        return [replace(one, kind="navigate", target="next", value="")]
    if w[0] in ("can", "could", "can't", "couldn't") or key[:2] in (("what", "if"), ("how", "about")):
        asked = [i for i in _request(clause, toks, ctx) if i.kind == "change" and i.target]
        if asked:  # "can 4.2 be static?": a change asked as a question
            return asked
    return [one]


def _request(clause: Clause, toks: list[Token], ctx: kinds.Context) -> list[Intent]:
    if not toks:
        return []
    parts = targets.segments(toks, ctx)
    if len(parts) > 1:
        return [i for part in parts for i in _request_one(clause, part, ctx)]
    return _request_one(clause, toks, ctx)


def _request_one(clause: Clause, toks: list[Token], ctx: kinds.Context) -> list[Intent]:
    w = [t.word for t in toks]
    labelled = len(toks) > 2 and toks[1].raw == ":" or len(toks) > 3 and toks[2].raw == ":"
    toks = [t for t in toks if t.raw != ":"] if labelled else toks
    w = [t.word for t in toks]
    refs = shots.Refs(w, [t.raw for t in toks], [(t.start, t.end) for t in toks], ctx.source,
                        labelled=labelled)
    refs.used.update(i for i, x in enumerate(w) if x == URL)
    targets.name_refs(refs, ctx)
    shots.scan(refs, ctx.known.scene_focus, ctx.known.scenes)
    if not refs.shots and refs.scene is None and (any(x in ("it", "them", "those", "that", "its", "it's", "their") for x in w) or
                                                  _STEPPED & set(w) and all(x in rest.FILLER or x in _STEPPED
                                                                            for x in w)):
        refs.shots, refs.scene = list(ctx.shots), ctx.scene  # "… then render it", "…, but darker"
        shots.scan(refs, ctx.known.scene_focus, ctx.known.scenes)
    ctx.shots, ctx.scene = refs.shots or ctx.shots, refs.scene if refs.scene is not None else ctx.scene
    one = Intent("unclear", text=clause.text, scene=refs.scene)
    got = _read_request(clause, refs, ctx, one, labelled)
    if rest.taken_away(w) and any(i.kind == "change" and i.aspect != "duration" for i in got):
        got = [replace(one, value=clause.text)]  # "lose the dutch angle on 2.5": not a dutch angle
    named = bool(refs.shots) or refs.scene is not None
    if named and any(i.kind == "revise" and i.stage is None for i in got):
        got = []  # "the pie looks too fresh in scene 4": about one scene, not notes for a whole stage
    if refs.shots or refs.odd or URL in w or not got and (named or ctx.last == "change"):
        part = rest.leftover(refs, got, one)
        if part is not None:
            got = [*got, part] if got else [replace(one, value=clause.text, scene=None)]
    return rest.drop_urls(got, refs)


def _read_request(clause: Clause, refs: shots.Refs, ctx: kinds.Context, one: Intent,
                  labelled: bool) -> list[Intent]:
    w = refs.words
    verb = next((x for i, x in enumerate(w) if (x in REQUEST_VERBS or x in SHOW_VERBS) and
                 (i == 0 or w[i - 1] not in _NOUN_BEFORE) and (x not in ("bring", "pull") or "up" in w)), "")
    verb = verb or ("do" if w[0] == "do" else "")  # "do clips for scene 2"
    pairs = set(zip(w, w[1:]))
    if (verb in _NAV_VERBS or w[0] in _NAV_VERBS or "branch" in w) and not {("go", "for"), ("go", "with")} & pairs:
        moved = kinds.navigate(refs, one, ctx)
        if moved:
            return moved
    picked = kinds.pick(w, ctx)
    if picked is not None:
        return [replace(one, kind="pick", number=picked)]
    found = targets.found(refs)
    things = any(x in ("boards", "clips", "board", "clip", "cut", "takes", "take") for x in w)
    fresh = "new" in w and things
    if fresh or verb in SHOW_VERBS and verb != "open" or verb in RENDER_VERBS and not found and \
            (verb != "make" or things) or verb == "render":
        made = [targets.as_intent(one, f) for f in found if f.shot is not None]
        if verb in SHOW_VERBS and not fresh and not (made and refs.shots) and verb not in ("render", "draw"):
            return made + (kinds.show(refs, one, w) or kinds.show_again(refs, one, w, ctx))
        rendered = kinds.render(refs, one, w, verb)
        if rendered or made:
            return made + rendered  # else "redo the beats so Dee gets a proper exit": notes, read below
    stage = _stage_of(w)
    if stage is not None and not refs.shots and not any(f.target in ("shot", "scene") for f in found) and \
            (any(x in NOTE_WORDS or x in REVISE_VERBS and not (i and w[i - 1] in _NOUN_BEFORE)
                 for i, x in enumerate(w)) or labelled):
        return [replace(one, kind="revise", stage=stage, value=clause.text, scene=None)]
    if found and not refs.shots and all(f.target == "" and f.aspect in ASPECTS["shot"] for f in found) and \
            _OVERALL & set(w):  # "more close-ups overall, fewer wides": notes for the whole shot list
        return [replace(one, kind="revise", stage=Stage.SHOTS, value=clause.text, scene=None)]
    if found:
        return [targets.as_intent(one, f) for f in found]
    if not verb and kinds.artifact_only(w, refs):  # "shots for scene 4 pls", "…, then the clips"
        if ctx.last == "render" or any(x.split("-")[0] in ("draft", "sketch", "preview", "final") for x in w):
            return kinds.render(refs, one, w, "render")
        return kinds.show(refs, one, w)
    if verb in REVISE_VERBS or any(x in NOTE_WORDS for x in w):
        return [replace(one, kind="revise", stage=stage, value=clause.text, scene=None)]
    return []


def _stage_of(w: list[str]) -> Stage | None:
    """The stage a clause's notes are about: the stage word near its start ('the shot list feels static',
    'redo the beats so…', "I'd like the breakdown to…"), 'the look' only with its article."""
    for i, x in enumerate(w[:4]):
        x = "shot-list" if x == "shot" and w[i + 1:i + 2] == ["list"] else x[:-2] if x.endswith("'s") else x
        if x in STAGE_WORDS and (x not in ("look", "cut") or i and w[i - 1] == "the") and \
                STAGE_WORDS[x] in _WRITING | {Stage.BOARDS}:
            return STAGE_WORDS[x]
    return None


