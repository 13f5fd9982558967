"""A director's requests about one shot, in the conversation: "redo shot 3 as a low angle close-up",
"show me shot 1.3 from lower, at dusk", or a picture asked for in other words (the Cinematographer's tools).
The shot itself is changed by the domain operation studio.shot_revision.change_shot: that shot alone, its prompt
assembled again, no stage back to draft; every part of the request is done or said not done. A board asked for
this way becomes the shot's active take (the storyboard and the cut use it), and the Producer says so."""

from __future__ import annotations

import re
from typing import Any, Iterator

from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.engine.render_gate import ask_render, estimate_question
from studio.errors import AuteurError, StageError
from studio.render import RenderKind
from studio.shot_codes import parse_shot, shot_code
from studio.shot_revision import ASK, change_shot, described, picture_words, shot_changes
from studio.stages import Stage
from studio.vetting import vet


def which_shot(conv: Conversation, which: str) -> tuple[int, int]:
    """A shot as the person named it; a bare number is a shot of the scene in focus."""
    return parse_shot(which, scene=conv.scene_focus)


def apply_shot_changes(conv: Conversation, scene: int, number: int, changes: dict[str, Any],
                       words: str = "") -> Iterator[Event]:
    """A change of one shot (studio.intents' change(shot…), or words read by shot_changes): the Cinematographer
    says what the shot is now and each part he could not do; data {"commit", "shot", "not_done"}."""
    store = conv.require_project()
    change, shot, done, not_done = change_shot(store, scene, number, changes, words=words,
                                                author=store.user())  # the person asked: their commit
    conv.focus = Stage.SHOTS
    conv.scene_focus = scene
    code = shot_code(scene, number)
    text = f"{code} is now {described(done)}." if change.commit else f"{code} was already {described(done)}."
    if change.commit and any(k in done for k in ("time_of_day", "mood")):
        prompts = store.read(Stage.PROMPTS)
        has_prompt = any((p.scene, p.number) == (scene, number) for p in getattr(prompts, "prompts", []))
        text += (" Its prompt says so; the" if has_prompt else " Its board will show it; the") + \
            " other shots are as they were."
    if not_done:
        text += " " + " ".join(_sentence(n) for n in not_done)
    yield say(text, author="Cinematographer", stage="shots",
              data={"commit": change.commit, "shot": shot.model_dump(mode="json"), "not_done": not_done})


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _not_understood(extra: str) -> str:
    return f"I could not tell what {extra!r} should change: {ASK}."


def redo_shot(conv: Conversation, which: str, words: str) -> Iterator[Event]:
    """'redo shot 3 as a low angle close-up': that shot changed as said, and nothing else."""
    store = conv.require_project()
    scene, number = which_shot(conv, which)
    changes = shot_changes(words)
    if not changes:
        raise StageError(f"I could not tell what {' '.join(words.split())[:80]!r} should change in "
                         f"{shot_code(scene, number)}", f"{ASK} (e.g. 'from lower, at dusk', '85mm', '4 seconds')")
    yield from apply_shot_changes(conv, scene, number, changes, words)
    extra = picture_words(words)
    if extra:
        yield say(_not_understood(extra), author="Producer", data={"not_done": [extra]})
    yield from _staleness(conv, store)


def show_shot(conv: Conversation, which: str, words: str) -> Iterator[Event]:
    """'show me shot 3 from lower, at dusk': the shot changed as asked, and a new board of it, which becomes
    the shot's active one. Words that are no field of a shot ('in the rain') go into this board's prompt."""
    scene, number = which_shot(conv, which)
    if shot_changes(words):
        yield from apply_shot_changes(conv, scene, number, shot_changes(words), words)
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
        yield say(f"{extra!r} is no part of a shot I can change ({ASK}): it goes into this board's prompt only.",
                  author="Producer", data={"prompt_only": extra})
    # the estimate, then a yes; the take becomes the active board
    yield from ask_render(conv, RenderKind.BOARD, shots=[(scene, number)], prompt=prompt, activate=True)


def _staleness(conv: Conversation, store: Any) -> Iterator[Event]:
    """What is out of date now, shot by shot, and what redoing it costs (studio.engine.describe)."""
    from studio.engine.describe import staleness_text

    text = staleness_text(store, conv.renderer)
    if text:
        yield say(text, author="Producer", data={"stale": True})


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
