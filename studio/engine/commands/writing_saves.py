"""Saving what a writer changed in the script: one commit each (the breakdown follows), said, with what it
made out of date downstream. Shared by the commands of studio.engine.commands.writing and their model-made
variants (writing_model)."""

from __future__ import annotations

from typing import Iterator

from studio import script_ops as ops
from studio.engine.conversation import Conversation
from studio.engine.describe import stale_text
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.ports import ChangeResult
from studio.project import Author
from studio.stages import Stage


def script_text(conv: Conversation) -> str:
    script = conv.require_project().read_script()
    if script is None:
        raise StageError("there is no script yet", "say 'next' until the Screenwriter drafts it, or upload a "
                                                   "screenplay")
    return str(script.fountain)


def said_stale(conv: Conversation, stage: Stage, change: ChangeResult) -> Iterator[Event]:
    """The Producer's word on what the change made out of date downstream."""
    if change.made_stale:
        store = conv.require_project()
        yield say(stale_text(store, stage, list(change.made_stale)),
                  data={"stale": [s.value for s in change.made_stale]})


def save_script(conv: Conversation, fountain: str, summary: str, *, author: Author | None = None,
                said: str, data: dict[str, object] | None = None) -> Iterator[Event]:
    """The new script as one commit (the breakdown follows it), said, with what went stale."""
    store = conv.require_project()
    change = store.edit(Stage.SCRIPT, fountain.encode("utf-8"), name=summary, author=author or store.user(),
                        action="edit", summary=summary)
    conv.focus = Stage.SCRIPT
    scenes = len(store.breakdown().scenes)
    yield say(f"{said} The script now has {scenes} scene{'s' if scenes != 1 else ''}.", author="Screenwriter",
              stage="script", data={"commit": change.commit, "scenes": scenes, **(data or {})})
    yield from said_stale(conv, Stage.SCRIPT, change)


def set_line(conv: Conversation, s: int, k: int, words: str, *, author: Author | None = None,
             how: str = "") -> Iterator[Event]:
    fountain = script_text(conv)
    old = ops.speeches(fountain, s)
    new = ops.set_line(fountain, s, k, words)
    speech = ops.speeches(new, s)[k - 1]
    yield from save_script(conv, new, f"line {s}.{k} ({speech.character}){how}", author=author,
                           said=f"{speech.character}, scene {s}, speech {k}: \u201c{speech.text}\u201d "
                                f"(was \u201c{old[k - 1].text}\u201d).",
                           data={"speech": f"{s}.{k}", "character": speech.character, "line": speech.text,
                                 "was": old[k - 1].text})


def give_line(conv: Conversation, s: int, k: int, name: str) -> Iterator[Event]:
    """The K-th speech of scene S given to another character, its words kept."""
    fountain = script_text(conv)
    old = ops.speeches(fountain, s)
    ops.check_speech(old, s, k)
    new = ops.set_speaker(fountain, s, k, name)
    speech = ops.speeches(new, s)[k - 1]
    yield from save_script(conv, new, f"line {s}.{k} to {speech.character}",
                           said=f"Scene {s}, speech {k} is {speech.character}'s now (was {old[k - 1].character}'s): "
                                f"\u201c{speech.text}\u201d.",
                           data={"speech": f"{s}.{k}", "character": speech.character, "was": old[k - 1].character})
