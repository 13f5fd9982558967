"""Golden files: our own screenplays beside their expected breakdowns (written by hand;
lines, eighths and seconds checked by hand on samples and then recorded)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.breakdown import break_down
from studio.fountain import parse, write

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "tests/golden/fountain").glob("*.fountain")) + [REPO / "studio/samples/night_shift.fountain"]
ALL_ELEMENTS = {
    "title_page", "title_page_multiline", "scene_heading", "forced_scene_heading", "scene_number", "action",
    "forced_action", "character", "character_extension", "forced_character", "dual_dialogue", "parenthetical",
    "dialogue", "transition", "forced_transition", "centered", "section", "synopsis", "note", "boneyard",
    "page_break", "emphasis", "lyrics",
}


def expected(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def content(doc) -> list[dict]:
    return [e.model_dump(exclude={"forced"}) for e in doc.elements]


def test_there_are_six_golden_screenplays_that_use_every_element():
    golden = [p for p in SCRIPTS if "golden" in p.parts]
    assert len(golden) >= 6
    used = set().union(*(expected(p)["elements_used"] for p in golden))
    assert used == ALL_ELEMENTS, f"missing: {ALL_ELEMENTS - used}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_breakdown_matches_golden(path):
    doc = parse(path.read_text(encoding="utf-8"))
    want = expected(path)
    assert (doc.title or None) == want["title"]
    got = [s.model_dump(mode="json") for s in break_down(doc).scenes]
    assert len(got) == len(want["scenes"]), [s["heading"] for s in got]
    for g, w in zip(got, want["scenes"]):
        assert {k: g[k] for k in w} == w, f"scene {w['number']}"


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_round_trip_keeps_every_element(path):
    doc = parse(path.read_text(encoding="utf-8"))
    text = write(doc)
    again = parse(text)
    assert again.title_page == doc.title_page
    assert content(again) == content(doc)
    assert write(again) == text, "writing is stable"
    assert break_down(again) == break_down(doc)


WITH_BONEYARD = [p for p in SCRIPTS if "/*" in p.read_text(encoding="utf-8")]


def test_some_golden_screenplays_have_a_boneyard():
    assert len(WITH_BONEYARD) >= 1


@pytest.mark.parametrize("path", WITH_BONEYARD, ids=lambda p: p.stem)
def test_boneyard_content_never_appears(path):
    raw = path.read_text(encoding="utf-8")
    hidden = raw[raw.index("/*") + 2: raw.index("*/")]
    doc = parse(raw)
    visible = "\n".join(e.text for e in doc.elements)
    for line in (ln.strip() for ln in hidden.splitlines()):
        if len(line) > 12:
            assert line not in visible, line
