"""What the parser may know of the bundled screenplay (studio/samples/night_shift.fountain), read by the real
importer: the names the intent tests speak of."""

from __future__ import annotations

from pathlib import Path

from studio.intents import Known
from studio.screenplay import read_fountain

SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "samples" / "night_shift.fountain"


def sample_known() -> Known:
    breakdown = read_fountain(SAMPLE.name, SAMPLE.read_bytes()).breakdown
    props = tuple(dict.fromkeys(p for scene in breakdown.scenes for p in scene.props))
    return Known(characters=tuple(breakdown.characters), locations=tuple(breakdown.locations), props=props,
                 scenes=len(breakdown.scenes), scene_focus=2)
