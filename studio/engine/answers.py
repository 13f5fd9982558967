"""A question about the project answered: what the project itself knows (its length, a shot, what is out of date)
from the project; the rest recalled by meaning with sources (semantic memory), or, with memory off, from the
decisions and changes in the history (studio.engine.recall_words)."""

from __future__ import annotations

from typing import Iterator

from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.intents import Intent
from studio.models import shot_code
from studio.stages import Stage, StageStatus


def answer(conv: Conversation, intent: Intent) -> Iterator[Event]:
    """A question about the project. What the project itself knows (its length, a shot, what is out of date) is
    answered from it; the rest is recalled by meaning with sources when memory is on, else from the decisions and
    changes in the history whose words match, each with its commit."""
    question = intent.value or intent.text
    if intent.target in ("runtime", "shot", "stale"):
        yield from _known_answer(conv, intent)
        return
    memory = conv.memory
    if memory is not None:
        yield from conv.run_command("/recall " + question)
        return
    from studio.engine.recall_words import search_history

    hits = search_history(conv.require_project(), question)
    if not hits:
        yield say("I found nothing about that in what we said or changed. /history lists every change.",
                  data={"hits": []})
        return
    lines = [f"{k}. [" + (f"{h['action']} {h['commit'][:7]}, {h['time'][:16]}" if h["commit"] else "the look now")
             + f"] {h['text']}" for k, h in enumerate(hits, 1)]
    yield say("\n".join(lines), data={"hits": hits})


def _known_answer(conv: Conversation, intent: Intent) -> Iterator[Event]:
    from studio.engine.describe import staleness_text
    from studio.models import Cut, ShotList

    store = conv.require_project()
    shots = store.read(Stage.SHOTS)
    listed = shots.shots if isinstance(shots, ShotList) else []
    if intent.target == "runtime":
        parts = []
        script = store.read_script()
        if script is not None:
            parts.append(f"The script runs about {script.runtime_seconds / 60:.1f} minutes "
                         f"({script.pages:.1f} pages, {script.scene_count} scenes)")
        if listed:
            parts.append(f"the shot list {sum(s.duration_s for s in listed) / 60:.1f} minutes in {len(listed)} shots")
        cut = store.read(Stage.CUT)
        if isinstance(cut, Cut) and cut.entries:
            parts.append(f"the last cut {cut.duration_s / 60:.1f} minutes")
        yield say(("; ".join(parts) or "Nothing has a length yet: there is no script") + ".")
    elif intent.target == "shot":
        scene, number = intent.shot or (conv.scene_focus, 1)
        shot = next((s for s in listed if (s.scene, s.number) == (scene, number)), None)
        if shot is None:
            raise StageError(f"there is no shot {shot_code(scene, number)}", f"see /shots {scene}")
        conv.scene_focus = scene
        time = f", at {shot.time_of_day.lower()}" if shot.time_of_day else ""
        mood = f", {shot.mood}" if shot.mood else ""
        yield say(f"{shot.code}: {shot.size.value} {shot.angle.value}, {shot.movement.value}, {shot.lens_mm}mm, "
                  f"{shot.duration_s:g} s{time}{mood}. {shot.action}".strip(), author="Cinematographer",
                  stage="shots", data={"shot": shot.model_dump(mode="json")})
    else:
        manifest = store.manifest()
        stale = [s.value for s in Stage if manifest.status(s) is StageStatus.STALE]
        text = staleness_text(store, conv.renderer)
        said = " ".join(x for x in (f"Stale stages: {', '.join(stale)}." if stale else "", text) if x)
        yield say(said or "Nothing is out of date: every board, clip and the cut match the shots and prompts.")
