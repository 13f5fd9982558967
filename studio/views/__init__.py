"""The views of a project: what a person looks at beside the chat (the storyboard, a shot's inspector, the shot
list, a character's sheet, the history tree, the script in screenplay layout, the look as cards).

Each is built here from the open project as plain JSON-able data (``props``) with a readable text form, so that
every face shows the same thing: the web draws the props, Slack and the terminal print the text.
studio.engine.views turns a View into the artifact event the faces receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class View:
    """One view as built: the props a page draws, the text a terminal prints, and whose work it shows."""

    props: dict[str, Any]
    text: str
    author: str
    stage: str | None
    extra: dict[str, Any] = field(default_factory=dict)  # more data for the event (not drawn)


__all__ = ["View"]
