"""Timing from the voice: a dialogue shot lasts at least as long as its spoken lines and a breath.

After the dialogue of a shot is spoken (a sound take), its seconds are known; the shot list's durations are then
refitted so that no line is cut off by the next shot. A shot keeps the length the crew or the person gave it and
grows when its speech needs more; it remembers that length (``fitted_from``) and goes back toward it when its lines
get shorter (a faster voice, a cut line), never below it. A shot the person timed is only ever lengthened, and said.
The cut, the EDL, OTIO and FCP XML (all made from the shot list) keep agreeing with one another.

A duration-only change is not a change of the picture: a board or a clip records the digest of its shot without
its duration (``picture_digest``), so refitting makes no board or clip stale; the cut, which lasts what the shots
last, is.
"""

from __future__ import annotations

import math

from studio.models import Shot, ShotList
from studio.render import json_digest
from studio.sound import BREATH_S

MAX_SHOT_S = 600.0  # studio.models.Shot.duration_s's own limit


def needed_seconds(spoken_s: float) -> float:
    """The shortest a shot may last to hold ``spoken_s`` of speech and a breath, up to the tenth of a second."""
    return math.ceil((spoken_s + BREATH_S) * 10 - 1e-6) / 10


def refit(shots: ShotList, spoken: dict[str, float]) -> tuple[ShotList, list[str]]:
    """A copy of ``shots`` in which each shot named in ``spoken`` (shot code → seconds of its dialogue take) lasts
    at least its speech plus BREATH_S, and the changes in words ("S01_SH002 2.0 → 3.4 s"). A shot is shortened
    only back toward the length it had before a refit; one the person timed (``"duration_s" in shot.person``) is lengthened only as the speech needs, and
    the change says so. A speech longer than a shot can be (600 s) fills the shot, and the change says to split
    it."""
    out = shots.model_copy(deep=True)
    changes: list[str] = []
    for shot in out.shots:
        seconds = spoken.get(shot.code)
        if seconds is None or seconds <= 0:
            continue
        need = needed_seconds(seconds)
        if need <= shot.duration_s + 1e-9:
            shrunk = _shrunk(shot, need)
            if shrunk is not None:  # its lines got shorter: back toward the length it had before it was fitted
                changes.append(f"{shot.code} {shot.duration_s:g} → {shrunk:g} s")
                shot.duration_s = shrunk
                if shrunk <= (shot.fitted_from or 0) + 1e-9:
                    shot.fitted_from = None
            continue
        before = shot.duration_s
        if shot.fitted_from is None and "duration_s" not in shot.person:
            shot.fitted_from = before
        shot.duration_s = min(MAX_SHOT_S, need)
        said = f"{shot.code} {before:g} → {shot.duration_s:g} s"
        if "duration_s" in shot.person:
            said += f" (you timed it at {before:g} s; its lines take {seconds:.1f} s)"
        if need > MAX_SHOT_S:
            said += (f" (its lines take {seconds:.0f} s, longer than a shot can last: split the speech over "
                     f"more shots)")
        changes.append(said)
    return out, changes


def _shrunk(shot: Shot, need: float) -> float | None:
    """The shorter length a fitted shot goes back to when its lines need less (never under what the crew gave it,
    never a shot the person timed); None when it stays as it is."""
    if shot.fitted_from is None or "duration_s" in shot.person:
        return None
    back = max(shot.fitted_from, need)
    return back if back < shot.duration_s - 1e-9 else None


def picture_json(shot: Shot) -> str:
    """The shot as a picture sees it: studio.render.picture_json without its duration (a longer shot is the same
    picture held longer)."""
    empty = {key for key in ("time_of_day", "mood") if not getattr(shot, key)}
    return shot.model_dump_json(exclude={"person", "duration_s", "fitted_from", *empty})


def picture_digest(shot: Shot) -> str:
    """What a board or clip records as ``made_from["picture"]``, and what the staleness checks compare it with."""
    return json_digest(picture_json(shot))
