"""Revising a shot as a director says it: 'a low angle close-up on an 85mm, slow push-in'.

A domain operation: the conversation ("redo shot 3 as …") and the Cinematographer's render tools both
call `revise_shot`; the words are read by `shot_changes` into the shot vocabulary of studio.models.

The craft rules (studio.craft) hold after a revision, with one exception: what a person explicitly asked for
wins. Their words name a size, an angle or a lens, and a rule that would undo that choice is waived for that shot
(a director may want a close-up establishing shot); a lens they did not name follows the size they did. The other
rules still hold (the master keeps every speaker), and the dialogue floor always does: no shot is cut shorter
than its lines take to say. A model's words (`strict=True`, the Cinematographer's tools) waive nothing.
"""

from __future__ import annotations

import re
from typing import Any

from studio.coverage import LENS_FOR_SIZE, fit_durations
from studio.craft import Correction, enforce
from studio.errors import StageError
from studio.models import Angle, Movement, Shot, ShotList, ShotSize, shot_code
from studio.ports import ChangeResult, ProjectPort
from studio.project import Author
from studio.stages import Stage

SIZE_WORDS = [(r"extreme close[- ]?up|\becu\b", ShotSize.ECU), (r"medium close[- ]?up|\bmcu\b", ShotSize.MCU),
              (r"close[- ]?up|\bcu\b", ShotSize.CU), (r"extreme wide|\bews\b", ShotSize.EWS),
              (r"medium (long|wide)|\bmls\b", ShotSize.MLS), (r"wide|\bws\b|long shot", ShotSize.WS),
              (r"medium|\bms\b", ShotSize.MS)]
ANGLE_WORDS = [(r"low[- ]angle|from (?:below|lower)", Angle.LOW), (r"high[- ]angle|from (?:above|higher)", Angle.HIGH),
               (r"overhead|bird'?s[- ]eye|top[- ]down", Angle.OVERHEAD), (r"dutch|canted", Angle.DUTCH),
               (r"over[- ]the[- ]shoulder|\bots\b", Angle.OVER_THE_SHOULDER), (r"\bpov\b|point of view", Angle.POV),
               (r"eye[- ]level", Angle.EYE_LEVEL)]
MOVE_WORDS = [(r"dolly[- ]in", Movement.DOLLY_IN), (r"dolly[- ]out", Movement.DOLLY_OUT),
              (r"push[- ]in", Movement.PUSH_IN), (r"pull[- ]out|pull[- ]back", Movement.PULL_OUT),
              (r"zoom[- ]in", Movement.ZOOM_IN), (r"zoom[- ]out", Movement.ZOOM_OUT), (r"\bpan", Movement.PAN),
              (r"\btilt", Movement.TILT), (r"track|follow", Movement.TRACK), (r"handheld", Movement.HANDHELD),
              (r"crane|jib", Movement.CRANE), (r"static|locked[- ]off", Movement.STATIC)]


def shot_changes(words: str) -> dict[str, Any]:
    """'a low angle close-up on a 85mm, slow push-in' → size, angle, movement and lens."""
    changes: dict[str, Any] = {}
    for table, key in ((SIZE_WORDS, "size"), (ANGLE_WORDS, "angle"), (MOVE_WORDS, "movement")):
        for pattern, value in table:
            if re.search(pattern, words, re.IGNORECASE):
                changes[key] = value
                break
    lens = re.search(r"(\d{2,3})\s*mm", words)
    if lens:
        changes["lens_mm"] = max(8, min(600, int(lens.group(1))))
    return changes


def picture_words(words: str) -> str:
    """What is left of a request once the shot vocabulary is taken out: 'from lower, at dusk' → 'at dusk'."""
    extra = words
    for table in (SIZE_WORDS, ANGLE_WORDS, MOVE_WORDS):
        for pattern, _ in table:
            extra = re.sub(pattern + r"\w*", "", extra, flags=re.IGNORECASE)
    extra = re.sub(r"\b(from|as|with|a|an|the|angle|shot|in)\b", " ", extra, flags=re.IGNORECASE)
    return re.sub(r"[\s,;.]+", " ", extra).strip()


def revise_shot(store: ProjectPort, scene: int, number: int, words: str, *,
                strict: bool = False) -> tuple[ChangeResult, Shot, dict[str, Any]]:
    """Change one shot as the words say (size, angle, move, lens), refit the scene's durations, keep the craft
    rules (see the module's note; `strict` for a model's words) and save: (the change, the shot, what changed,
    with the final value of anything a rule then corrected)."""
    shots = store.read(Stage.SHOTS)
    if not isinstance(shots, ShotList) or not shots.shots:
        raise StageError("there is no shot list yet", "draft the shots first ('next' until the shots stage)")
    shot = next((s for s in shots.shots if s.scene == scene and s.number == number), None)
    if shot is None:
        raise StageError(f"there is no shot {shot_code(scene, number)}",
                         f"see /shots {scene} for the shots of scene {scene}")
    changes = shot_changes(words)
    if not changes:
        raise StageError(f"I could not tell what to change in {words!r}",
                         "name a size (close-up, wide…), an angle (low, high…), a move (push-in, pan…) or a lens (85mm)")
    asked = {k for k in changes if k in ("size", "angle", "lens_mm")}  # before the lens that follows the size
    if not strict:  # what the person asked of this shot before stays theirs too ('redone as …' in its notes)
        for earlier in re.findall(r"redone as ([^;]+)", shot.notes):
            asked |= {k for k in shot_changes(earlier) if k in ("size", "angle", "lens_mm")}
    if "size" in changes and "lens_mm" not in changes:
        changes["lens_mm"] = LENS_FOR_SIZE[changes["size"]]
    before = {key: getattr(shot, key) for key in ("size", "angle", "lens_mm")}
    for key, value in changes.items():
        setattr(shot, key, value)
    shot.notes = f"{shot.notes}; redone as {words.strip()}".strip("; ")[:1000]
    in_scene = [s for s in shots.shots if s.scene == scene]
    the_scene = next((s for s in store.breakdown().scenes if s.number == scene), None)
    fit_durations(in_scene, the_scene.seconds if the_scene else 0)
    corrections: list[Correction] = []
    if the_scene is not None:
        # The rules are kept for this shot only: another shot of the scene may hold a person's earlier choice.
        corrections = enforce([shot], the_scene, waive={} if strict else {shot.code: asked})
        fit_durations(in_scene, the_scene.seconds)  # dialogue floors kept; the others give way
    for key in ("size", "angle", "lens_mm"):  # what the shot is now, where a rule changed it too
        if key in changes or getattr(shot, key) != before[key]:
            changes[key] = getattr(shot, key)
    summary = f"redo {shot_code(scene, number)} as {words.strip()[:60]}"
    if corrections:
        summary += "; corrected " + "; ".join(str(c) for c in corrections)[:300]
    change = store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary=summary, action="revise")
    return change, shot, changes
