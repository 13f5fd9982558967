"""A shot's action or dialogue changed by the person (/shot CODE action …, an edited cell of the shot list): the
words that studio.shot_revision.change_shot does not change, kept in the same kind of scoped change: that shot
alone, marked as the person's, its prompt assembled again, one commit by the person. A line longer than the shot
lengthens it to the time the line takes to say, as a change of the dialogue in chat does."""

from __future__ import annotations

import math

from pydantic import BaseModel

from studio.craft import speech_seconds
from studio.models import ShotList
from studio.ports import ChangeResult, ProjectPort
from studio.project import Author
from studio.scoped import clean_value, reassemble
from studio.stages import Stage
from studio.views.common import shot_list

LIMITS = {"action": 1000, "dialogue": 2000}


def change_words(store: ProjectPort, scene: int, number: int, field: str, value: str, *,
                 author: Author) -> tuple[ChangeResult, str]:
    """Set one shot's ``field`` ('action' or 'dialogue') to the person's words: (the change, what it did in words).
    Nothing is saved when the words are refused (StageError naming what is wrong)."""
    from studio.views.shots import find_shot

    text = clean_value(value, f"shot's {field}", LIMITS[field])
    said_as = " ".join(value.split())
    if said_as == text + ".":  # a sentence keeps its full stop (clean_value takes it off a value)
        text = said_as
    shots: ShotList = shot_list(store)
    find_shot(store, scene, number)  # a shot that is not there is said so, with the shots there are
    shot = next(s for s in shots.shots if (s.scene, s.number) == (scene, number))
    setattr(shot, field, text)
    shot.person = [*shot.person, *([field] if field not in shot.person else [])][:20]
    said = f"{shot.code}'s {field} is now \u201c{text if len(text) <= 60 else text[:57] + '…'}\u201d"
    if field == "dialogue":
        floor = math.ceil(speech_seconds(shot.dialogue) * 10 - 1e-6) / 10
        if shot.duration_s < floor:
            shot.duration_s = floor
            said += f"; it lasts {floor:g} s now, the time its lines take to say"
    artifacts: dict[Stage, BaseModel] = {Stage.SHOTS: shots}
    prompts = reassemble(store, {(scene, number)}, shot_list=shots)
    if prompts is not None:
        artifacts[Stage.PROMPTS] = prompts
    change = store.amend(artifacts, author=author, summary=f"{shot.code} {field}", action="edit")
    return change, said
