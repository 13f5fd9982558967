"""Write tests/corpus/screenplays/README.md from the expected.json of every screenplay (run by hand after adding
one: `python tests/corpus/screenplays/tools/readme.py`)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
HEAD = """# Real screenplays by other people, for the import tests

Each folder holds one screenplay as its author published it (byte for byte), its licence (`LICENSE.txt`) and
`expected.json`: the breakdown made without our parser (another parser, the FDX file's own XML, or a person's
reading, as `expected_by` says). `tests/integration/test_screenplay_corpus.py` imports every one the way an upload
goes and checks every scene: its heading as a reader sees it, who speaks in it, how many speeches it has.
The scripts that made the expectations are in `tools/` (not run by the tests).

| Folder | Title | Author | Format | Scenes | Licence | Source | Expected by |
|---|---|---|---|---|---|---|---|
"""


def main() -> None:
    rows = []
    for folder in sorted(p for p in HERE.iterdir() if (p / "expected.json").exists()):
        e = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        fmt = Path(e.get("file") or e["package"][1]).suffix.lstrip(".").upper()
        cells = [f"`{folder.name}`", e.get("title", ""), e.get("author", ""), fmt, str(len(e["scenes"])),
                 e.get("licence", ""), e.get("source", ""), e.get("expected_by", "")]
        rows.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
    (HERE / "README.md").write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
