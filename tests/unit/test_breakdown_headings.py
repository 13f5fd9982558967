"""Scene headings as real scripts write them (studio.breakdown.parse_heading): the location and the time of day
apart whatever dash stands between them."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.breakdown import break_down, parse_heading
from studio.facts import script_facts
from studio.fountain import parse

CORPUS = Path(__file__).resolve().parents[2] / "tests/corpus"


@pytest.mark.parametrize("heading,expected", [
    ("EXT. LIBRARY--DAY", ("EXT", "LIBRARY", "DAY")),
    ("INT. HOUSE -- NIGHT", ("INT", "HOUSE", "NIGHT")),
    ("INT. HOUSE — NIGHT", ("INT", "HOUSE", "NIGHT")),
    ("INT. HOUSE—NIGHT", ("INT", "HOUSE", "NIGHT")),
    ("INT. HOUSE – NIGHT", ("INT", "HOUSE", "NIGHT")),
    ("INT. SUNRISE DINER--KITCHEN--NIGHT", ("INT", "SUNRISE DINER - KITCHEN", "NIGHT")),
    ("INT. TRAFFIC LIGHT HORIZONTAL BEAM--NIGHT", ("INT", "TRAFFIC LIGHT HORIZONTAL BEAM", "NIGHT")),
    ("EXT. ROAD--LATER", ("EXT", "ROAD", "LATER")),
    ("INT. HALL -- DAY (1985)", ("INT", "HALL", "DAY")),
    # a hyphen inside a word is not a dash between parts; a dash before a non-time keeps the place whole
    ("INT. X-RAY ROOM - DAY", ("INT", "X-RAY ROOM", "DAY")),
    ("INT. DAY-CARE CENTRE - DAY", ("INT", "DAY-CARE CENTRE", "DAY")),
    ("EXT. FREAK-OUT HALL", ("EXT", "FREAK-OUT HALL", None)),
    ("EXT. LONG--WINDING ROAD", ("EXT", "LONG--WINDING ROAD", None)),
    ("INT. DINER - KITCHEN - NIGHT", ("INT", "DINER - KITCHEN", "NIGHT")),
])
def test_a_heading_splits_at_any_dash(heading, expected):
    assert parse_heading(heading) == expected


def test_the_corpus_scripts_have_places_and_times():
    library = break_down(parse((CORPUS / "the_library_freak_out.fountain").read_text(encoding="utf-8")))
    assert [(s.int_ext, s.location, s.time_of_day) for s in library.scenes] == [
        ("EXT", "LIBRARY", "DAY"), ("INT", "LIBRARY", "DAY"), ("EXT", "LIBRARY", "DAY")]
    assert library.locations == ["LIBRARY"]
    doc = parse((CORPUS / "cyber_bob_ep00001.fountain").read_text(encoding="utf-8"))
    bob = break_down(doc)
    assert bob.locations == ["PARK", "SUBURBAN TRAFFIC INTERSECTION", "TRAFFIC LIGHT HORIZONTAL BEAM"]
    facts = script_facts(doc, bob)
    assert facts.locations["TRAFFIC LIGHT HORIZONTAL BEAM"].times == ["NIGHT"]
    assert facts.locations["PARK"].int_ext == "EXT"
