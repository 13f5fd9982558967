"""Real screenplays by other people import exactly (tests/corpus/screenplays, see its README).

Each folder holds one screenplay (``script.fountain``, ``script.fdx`` or ``script.pdf``), its licence
(``LICENSE.txt``) and ``expected.json``: the breakdown as another parser, the FDX file's own XML or a person's
reading gives it, never our parser. The screenplay goes the way an upload goes (tools.imports.to_fountain, then
studio.screenplay.read_fountain) and every scene must match: its heading as a reader sees it, the characters who
speak in it and how many speeches it has.

expected.json::

    {"title": "...", "author": "...", "licence": "...", "source": "URL at a commit",
     "expected_by": "how the expectation was made (tool and version, or by hand)",
     "file": "script.fdx",                      # or "package": ["pypi-name", "path inside the package"]
     "scenes": [{"heading": "EXT. MAST FARM - NIGHT", "speakers": ["ALICE", "BOB"], "dialogue": 4}, ...]}

``speakers`` are the cue names as printed, without extensions such as (V.O.) or (CONT'D), sorted; ``dialogue``
counts the speeches (one per character cue, each side of a dual dialogue counting one).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from studio.screenplay import read_fountain
from tools.imports import to_fountain

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "screenplays"
FOLDERS = sorted(p for p in CORPUS.iterdir() if (p / "expected.json").exists()) if CORPUS.is_dir() else []


def screenplay_file(folder: Path, expected: dict) -> Path:
    if "package" in expected:  # a file whose licence allows no copy, read where a package publishes it
        name, rel = expected["package"]
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.submodule_search_locations, f"install {name} (it publishes {rel})"
        return Path(list(spec.submodule_search_locations)[0]) / rel
    return folder / expected["file"]


def normal(heading: str) -> str:
    return " ".join(heading.split())


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_screenplay_imports_exactly(folder: Path) -> None:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    assert (folder / "LICENSE.txt").is_file(), "every screenplay keeps its licence beside it"
    path = screenplay_file(folder, expected)
    data = to_fountain(path.name, path.read_bytes())
    breakdown = read_fountain(path.name, data).breakdown
    got = [{"heading": normal(s.heading), "speakers": sorted(set(s.characters)), "dialogue": s.dialogue_count}
           for s in breakdown.scenes]
    want = [{"heading": normal(s["heading"]), "speakers": sorted(set(s["speakers"])), "dialogue": s["dialogue"]}
            for s in expected["scenes"]]
    assert len(got) == len(want), f"{len(got)} scenes found, {len(want)} expected"
    for k, (g, w) in enumerate(zip(got, want), start=1):
        assert g == w, f"scene {k}"


def test_the_corpus_is_real_and_varied() -> None:
    """At least twelve screenplays, in the three formats, each with its licence and its source."""
    assert len(FOLDERS) >= 12
    kinds = set()
    for folder in FOLDERS:
        expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        assert expected.get("source") and expected.get("licence") and expected.get("expected_by"), folder.name
        kinds.add(Path(expected.get("file") or expected["package"][1]).suffix)
    assert {".fountain", ".fdx", ".pdf"} <= kinds
