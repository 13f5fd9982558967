"""/export: a file a film team can open, into the project's 06_Exports/.

An export made from stale inputs (boards older than the shot list, a cut made before the boards were redone)
is refused with what is stale and how to redo it; `/export KIND anyway` makes it as it is, and says so.
"""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import stale_inputs
from studio.engine.events import Event
from studio.errors import StageError
from studio.stages import Stage

ANYWAY = ("anyway", "force", "--anyway", "--force")


def register(registry: Registry) -> None:
    registry.add("export", "/export KIND [anyway]", "fountain, fdx, pdf, shotlist-csv, shotlist-pdf, storyboard-pdf, "
                                                    "otio, edl, fcpxml, mp4, stems or archive, into 06_Exports/ ('anyway': "
                                                    "even from stale inputs)", export)


def export(conv: Conversation, args: str) -> Iterator[Event]:
    if conv.exporter is None:
        raise StageError("exports are not available in this studio", "use `auteur export KIND` in a terminal")
    words = args.strip().lower().split()
    anyway = bool(words) and words[-1] in ANYWAY
    if anyway:
        words = words[:-1]
    if not words:
        raise StageError("/export needs a kind", "e.g. /export fdx (see /help)")
    kind = " ".join(words)
    store = conv.require_project()
    stale = stale_inputs(store, kind)
    reasons = "; ".join(s.reason for s in stale)
    if stale and not anyway:
        redo = list(dict.fromkeys(s.redo for s in stale))
        said = " or ".join(f"`{r}`" for r in redo)
        yield Event("question", f"The {kind} would be made from stale inputs: {reasons}. Say {said} first, or "
                                f"`/export {kind} anyway` to export it as it is.", author="Producer", stage="export",
                    options=[*redo, f"/export {kind} anyway"],
                    data={"export": kind, "stale_inputs": [s.to_dict() for s in stale], "exported": False})
        return
    path = conv.exporter(store, kind)
    data = {"path": str(path), "kind": kind, "stale_inputs": [s.to_dict() for s in stale]}
    if stale:  # the person chose to export as it is: kept in the history beside the export
        store.record_decision(f"exported {kind} from stale inputs ({reasons})", stage=Stage.EXPORT)
        yield Event("artifact", f"Exported {kind} from stale inputs ({reasons}): {path.name}", stage="export",
                    data=data)
        return
    yield Event("artifact", f"Exported {kind}: {path.name}", stage="export", data=data)
