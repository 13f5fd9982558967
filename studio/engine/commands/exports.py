"""/export: a file a film team can open, into the project's 06_Exports/."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.errors import StageError


def register(registry: Registry) -> None:
    registry.add("export", "/export KIND", "fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, otio, "
                                           "edl, fcpxml, mp4 or archive, into 06_Exports/", export)


def export(conv: Conversation, args: str) -> Iterator[Event]:
    if conv.exporter is None:
        raise StageError("exports are not available in this studio", "use `auteur export KIND` in a terminal")
    kind = args.strip().lower()
    if not kind:
        raise StageError("/export needs a kind", "e.g. /export fdx (see /help)")
    path = conv.exporter(conv.require_project(), kind)
    yield Event("artifact", f"Exported {kind}: {path.name}", stage="export", data={"path": str(path), "kind": kind})
