"""Where exports go, and the export stage's record of the latest of each kind (shared by every exporter)."""

from __future__ import annotations

from pathlib import Path

from memory.project_store import ProjectStore, now_iso
from studio.models import ExportRecord, Exports
from studio.project import Author
from studio.stages import Stage

EXPORTS = "06_Exports"  # memory.layout.FOLDERS: git-ignored, so never restored from history


def record_export(store: ProjectStore, kind: str, out: Path) -> None:
    """The export stage remembers the latest file (or folder) of each kind."""
    record = ExportRecord(kind=kind, path=out.relative_to(store.path).as_posix(), created=now_iso())
    exports = store.read(Stage.EXPORT) or Exports()
    exports.exports = [e for e in exports.exports if e.kind != kind] + [record]
    store.save(Stage.EXPORT, exports, author=Author.agent("Producer"), summary=f"{kind} to {record.path}",
               action="export")
