"""Craft rules no refinement may break, and the corrections that restore them.

Coverage (studio.coverage) plans shots that keep these rules; a model's refinement, or an old shot list, may not.
`enforce` puts a scene's shots right in place and says what it changed; `violations` says what it would change.

The rules, as a first AD would say them:
- establishing shots are WS or wider (WS, EWS);
- a scene's master holds every speaker of the scene and is MLS or wider (MLS, WS, EWS);
- the lens follows the size, within LENS_RANGE (focal lengths on a full-frame camera; a WS on a 135 mm or an ECU
  on a 20 mm is not a framing anyone means). A shot whose size a rule changes takes the new size's standard lens
  (coverage.LENS_FOR_SIZE): the old lens was chosen for the old size;
- an over-the-shoulder needs two characters (the one we look past, the one we see), else it is eye-level;
- an insert is a CU or ECU of its prop, and its action names the prop;
- a dialogue shot lasts at least as long as its lines take to say (speech_seconds).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from studio.coverage import LENS_FOR_SIZE, fit_durations, speech_seconds
from studio.models import Angle, Breakdown, Scene, Shot, ShotList, ShotRole, ShotSize, role_from_notes

__all__ = ["LENS_RANGE", "Correction", "enforce", "lens_range", "role_of", "speech_seconds", "violations"]

# (shortest, longest) focal length in mm that each size is shot on; LENS_FOR_SIZE's lens lies inside each.
LENS_RANGE: dict[ShotSize, tuple[int, int]] = {
    ShotSize.EWS: (12, 28), ShotSize.WS: (16, 40), ShotSize.MLS: (24, 50), ShotSize.MS: (28, 65),
    ShotSize.MCU: (35, 85), ShotSize.CU: (50, 135), ShotSize.ECU: (65, 200),
}
WIDE = (ShotSize.WS, ShotSize.EWS)
MASTER_SIZES = (ShotSize.MLS, ShotSize.WS, ShotSize.EWS)
CLOSE = (ShotSize.CU, ShotSize.ECU)

ESTABLISHING = "establishing shots are WS or wider"
MASTER_SPEAKERS = "a scene's master holds every speaker"
MASTER_SIZE = "a scene's master is MLS or wider"
OVER_SHOULDER = "an over-the-shoulder needs two characters"
INSERT = "an insert is a CU or ECU of its prop"
DIALOGUE = "a dialogue shot lasts as long as its lines take to say"


@dataclass(frozen=True)
class Correction:
    code: str  # S01_SH002
    rule: str  # "establishing shots are WS or wider"
    change: str  # "ECU → WS, 20 mm → 24 mm"

    def __str__(self) -> str:
        return f"{self.code}: {self.rule} ({self.change})"


def lens_range(size: ShotSize) -> tuple[int, int]:
    return LENS_RANGE[size]


def role_of(shot: Shot) -> ShotRole:
    """The shot's role; for a shot list older than roles, the one its notes name."""
    return shot.role or role_from_notes(shot.notes, shot.dialogue)


def _resize(shot: Shot, size: ShotSize) -> str:
    """Change the size and give it the new size's standard lens; the change in words."""
    before = f"{shot.size.value} → {size.value}"
    lens = LENS_FOR_SIZE[size]
    shot.size = size
    if shot.lens_mm != lens:
        before += f", {shot.lens_mm} mm → {lens} mm"
        shot.lens_mm = lens
    return before


def _insert_prop(shot: Shot) -> str:
    """The prop an insert's notes name ('insert: PHOTOGRAPH'), or ''."""
    m = re.match(r"\s*insert:\s*([^;]+)", shot.notes, re.IGNORECASE)
    return m.group(1).strip() if m else ""


def _seconds(value: float) -> str:
    return f"{value:g} s"


def enforce(shots: list[Shot], scene: Scene, *, waive: Mapping[str, Collection[str]] | None = None) -> list[Correction]:
    """Put one scene's shots right, in place, and say what changed.

    `waive` maps a shot code to the fields a person explicitly set ("size", "angle", "lens_mm"): the rules that
    would undo them are not applied to that shot. The rule on dialogue length always holds. When a dialogue shot
    is lengthened, the scene's durations are fitted again (the other shots give way; see coverage.fit_durations).
    """
    waive = waive or {}
    corrections: list[Correction] = []
    lengthened = False
    for shot in shots:
        kept = set(waive.get(shot.code, ()))
        role = role_of(shot)

        def note(rule: str, change: str, shot: Shot = shot) -> None:
            corrections.append(Correction(shot.code, rule, change))

        if "size" not in kept:
            if role == "establishing" and shot.size not in WIDE:
                note(ESTABLISHING, _resize(shot, ShotSize.WS))
            elif role == "master" and shot.size not in MASTER_SIZES:
                note(MASTER_SIZE, _resize(shot, ShotSize.MLS))
            elif role == "insert" and shot.size not in CLOSE:
                note(INSERT, _resize(shot, ShotSize.CU))
        if role == "master":
            held = {c.upper() for c in shot.characters}
            missing = [s for s in scene.characters if s.upper() not in held]
            if missing:
                shot.characters = [*shot.characters, *missing]
                note(MASTER_SPEAKERS, f"adds {', '.join(missing)}")
        if role == "insert":
            prop = _insert_prop(shot)
            if prop and prop.lower() not in shot.action.lower():
                shot.action = f"Insert: the {prop.lower()}. {shot.action}".strip()[:1000]
                note(INSERT, f"the action names the {prop.lower()}")
        if "angle" not in kept and shot.angle is Angle.OVER_THE_SHOULDER and len(
                {c.upper() for c in shot.characters}) < 2:
            shot.angle = Angle.EYE_LEVEL
            note(OVER_SHOULDER, f"{Angle.OVER_THE_SHOULDER.value} → {Angle.EYE_LEVEL.value}")
        low, high = LENS_RANGE[shot.size]
        if "lens_mm" not in kept and not low <= shot.lens_mm <= high:
            lens = LENS_FOR_SIZE[shot.size]
            note(f"the lens follows the size (a {shot.size.value} takes {low}-{high} mm)",
                 f"{shot.lens_mm} mm → {lens} mm")
            shot.lens_mm = lens
        need = math.ceil(speech_seconds(shot.dialogue) * 10 - 1e-6) / 10
        if need and shot.duration_s < need:
            note(DIALOGUE, f"{_seconds(shot.duration_s)} → {_seconds(need)}")
            shot.duration_s = need
            lengthened = True
    if lengthened and scene.seconds > 0:
        fit_durations(shots, scene.seconds)
    return corrections


def violations(shots: ShotList, breakdown: Breakdown) -> list[Correction]:
    """What `enforce` would correct in a shot list, scene by scene; the shot list itself is not changed."""
    scenes = {s.number: s for s in breakdown.scenes}
    found: list[Correction] = []
    for number in dict.fromkeys(s.scene for s in shots.shots):
        copies = [s.model_copy(deep=True) for s in shots.shots if s.scene == number]
        scene = scenes.get(number) or Scene(number=number, scene_number=str(number), heading="")
        found.extend(enforce(copies, scene.model_copy(update={"seconds": 0.0})))
    return found
