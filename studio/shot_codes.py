"""Shot codes as people say them: 'S01_SH003', '1.3', '1/3', 'scene 1 shot 3', or '3' in the scene at hand.

The one parser of shot codes; the conversation, the takes and the agents' tools all use it.
"""

from __future__ import annotations

import re

from studio.errors import StageError
from studio.models import shot_code

__all__ = ["SHOT_RE", "parse_shot", "shot_code"]

SHOT_RE = re.compile(r"^\s*(?:S|SC|scene\s*)?(\d{1,3})\s*(?:[_.:/\- ]\s*(?:SH|shot\s*)?)(\d{1,4})\s*$", re.IGNORECASE)


def parse_shot(text: str, scene: int | None = None) -> tuple[int, int]:
    """(scene, shot) of a shot code; a bare number is a shot of ``scene`` when one is given."""
    which = text.strip(" .,")
    if scene is not None and which.isdigit() and int(which) >= 1:
        return scene, int(which)
    m = SHOT_RE.match(which)
    if not m or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        hint = "3 (in the current scene), " if scene is not None else ""
        raise StageError(f"{text.strip()!r} is not a shot",
                          f"name a shot as {hint}S01_SH003 or 1.3 (scene 1, shot 3)")
    return int(m.group(1)), int(m.group(2))
