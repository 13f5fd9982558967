"""The look as cards: the style capsule, and a card per character, location and prop."""

from __future__ import annotations

from typing import Any

from studio.errors import StageError
from studio.models import Look
from studio.ports import ProjectPort
from studio.stages import Stage
from studio.views import View
from studio.views.common import clip, project_path


def _first(paths: list[str]) -> str | None:
    return next((p for p in (project_path(r) for r in paths) if p), None)


def look_view(store: ProjectPort) -> View:
    found = store.read(Stage.LOOK)
    if not isinstance(found, Look):
        raise StageError("there is no look yet", "draft it first: say 'next' until the look")
    props = {"style": found.style.model_dump(mode="json", exclude={"person"}),
             "characters": [{"name": c.name, "visual": c.visual, "wardrobe": c.wardrobe,
                             "image": _first(c.reference_takes)} for c in found.characters],
             "locations": [{"name": loc.name, "description": loc.description or loc.visual,
                            "image": _first(loc.reference_takes)} for loc in found.locations],
             "props": [{"name": p.name, "description": p.description or p.visual} for p in found.props]}
    return View(props, look_text(props), "Art Director", "look")


def look_text(props: dict[str, Any]) -> str:
    style = props["style"]
    said = [f"{k} {style[k]}" for k in ("medium", "palette", "lighting", "camera") if style.get(k)]
    lines = [f"Style ({style.get('name') or 'house style'}): {'; '.join(said) or 'open'}"]
    for title, key, words in (("Characters", "characters", "visual"), ("Locations", "locations", "description"),
                              ("Props", "props", "description")):
        cards = props[key]
        if not cards:
            continue
        lines.append(f"{title}:")
        for card in cards:
            extra = f"; wears {clip(card['wardrobe'], 60)}" if card.get("wardrobe") else ""
            lines.append(f"  {card['name']}: {clip(card[words], 90) or '(not described yet)'}{extra}")
    return "\n".join(lines)
