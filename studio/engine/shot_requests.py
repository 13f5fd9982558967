"""A director's requests about one shot, in the conversation: "redo shot 3 as a low angle close-up",
"show me shot 1.3 from lower, at dusk", or a picture asked for in other words (the Cinematographer's tools).
The shot itself is changed by the domain operation studio.shot_revision.revise_shot."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.conversation import Conversation
from studio.engine.describe import stale_text
from studio.engine.events import Event, say
from studio.engine.render_gate import ask_render, estimate_question
from studio.errors import AuteurError
from studio.engine.stage_flow import draft, propose
from studio.render import RenderKind
from studio.shot_codes import parse_shot, shot_code
from studio.shot_revision import picture_words, revise_shot, shot_changes
from studio.stages import Stage, StageStatus
from studio.vetting import vet


def which_shot(conv: Conversation, which: str) -> tuple[int, int]:
    """A shot as the person named it; a bare number is a shot of the scene in focus."""
    return parse_shot(which, scene=conv.scene_focus)


def redo_shot(conv: Conversation, which: str, words: str) -> Iterator[Event]:
    store = conv.require_project()
    scene, number = which_shot(conv, which)
    change, shot, changes = revise_shot(store, scene, number, words)
    conv.focus = Stage.SHOTS
    described = ", ".join(f"{k.replace('_mm', '')} {getattr(v, 'value', v)}" for k, v in changes.items())
    yield say(f"{shot_code(scene, number)} is now {described}.", author="Cinematographer", stage="shots",
              data={"commit": change.commit, "shot": shot.model_dump(mode="json")})
    if change.made_stale:
        yield say(f"The shots are a draft again (approve them when you're happy). "
                  f"{stale_text(store, Stage.SHOTS, change.made_stale)}")
    if store.manifest().status(Stage.PROMPTS) is not StageStatus.EMPTY:
        yield from draft(conv, Stage.PROMPTS)
    else:
        yield from propose(conv)


def show_shot(conv: Conversation, which: str, words: str) -> Iterator[Event]:
    """'show me shot 3 from lower, at dusk': the shot redone as asked, and a new board of it."""
    scene, number = which_shot(conv, which)
    if shot_changes(words):
        yield from redo_shot(conv, which, words)
    extra = picture_words(words)
    prompt = None
    if extra:
        store = conv.require_project()
        prompts = store.read(Stage.PROMPTS)
        base = next((p.frame_override or p.frame_prompt for p in getattr(prompts, "prompts", [])
                     if p.scene == scene and p.number == number), "")
        if not base:  # no prompts yet: the shot's own words carry the picture
            shot = next((s for s in getattr(store.read(Stage.SHOTS), "shots", [])
                         if (s.scene, s.number) == (scene, number)), None)
            base = ", ".join(x for x in (shot.action, " and ".join(shot.characters)) if x) if shot else ""
        prompt = ", ".join(x for x in (base, extra) if x)[:2000]
    yield from ask_render(conv, RenderKind.BOARD, shots=[(scene, number)], prompt=prompt)  # the estimate, then a yes


def direct_render(conv: Conversation, text: str) -> Iterator[Event]:
    """A render asked for in words, taken by the Cinematographer with his tools (capable models only)."""
    store = conv.require_project()
    before = set(store.render_files())
    yield Event("progress", "The Cinematographer is on it…", author="Cinematographer", stage="boards",
                data={"state": "running"})
    conv.pending_render = None
    answer = conv.crew.direct("cinematographer", text)
    conv.add_usage()
    yield Event("progress", "done", author="Cinematographer", stage="boards", data={"state": "done"})
    new = [rel for rel in store.render_files()
           if rel not in before and rel.rsplit(".", 1)[-1].lower() in ("png", "mp4")]
    yield say(_reply(conv, answer, made=len(new)), author="Cinematographer", stage="boards")
    if conv.pending_render is not None:  # his tools asked for a render: it waits, with its estimate, for a yes
        yield estimate_question(conv.pending_render)
    for rel in new:
        name = rel.rsplit("/", 1)[-1]
        image = name.rsplit(".", 1)[-1].lower() == "png"
        yield Event("artifact", f"New take: {name}", author="Cinematographer", stage="boards" if image else "clips",
                    data={"path": store.locate(rel), "media": "image" if image else "video"})


def _reply(conv: Conversation, answer: str, *, made: int) -> str:
    """The model's answer when it reads as plain sentences (no web address, markup or junk: it goes to the
    person's screen); otherwise a plain sentence of what was done."""
    store = conv.require_project()
    script = store.read_script()
    lexicon = conv.crew.lexicon(script.fountain[:20000] if script is not None else "")
    try:
        breakdown = store.breakdown()
        known = [*breakdown.characters, *breakdown.locations]
    except AuteurError:
        known = []
    # Our own shot codes are no junk: S01_SH003 is said as shot 1.3.
    answer = re.sub(r"\bS(\d{1,3})_SH(\d{1,4})\b", lambda m: f"shot {int(m[1])}.{int(m[2])}", answer or "")
    verdict = vet(answer, "sentence", lexicon, max_chars=1000, known=known)
    if verdict.ok:
        return verdict.text
    if made:
        return "The Cinematographer made the render you asked for" + (f" ({made} new takes)." if made > 1 else ".")
    if conv.pending_render is not None:
        return "The Cinematographer set up the render you asked for: it waits for your yes."
    return "Done."
