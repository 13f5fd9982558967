from __future__ import annotations

import pytest
from pydantic import ValidationError

from studio.models import (
    STRUCTURE_BEATS, Beat, BeatSheet, Brief, Shot, ShotSize, Structure, Take, TakeKind, Treatment,
    TreatmentVariant, format_eighths, shot_code, take_name,
)
from studio.project import Project, check_slug, check_title, slugify
from studio.errors import InvalidName


def test_shot_and_take_names_are_deterministic():
    assert shot_code(1, 3) == "S01_SH003"
    assert take_name(1, 3, 2) == "S01_SH003_take02"
    assert Shot(scene=12, number=7).code == "S12_SH007"


def test_shot_vocabulary_is_the_trade_one():
    assert [s.value for s in ShotSize] == ["ECU", "CU", "MCU", "MS", "MLS", "WS", "EWS"]
    with pytest.raises(ValidationError):
        Shot(scene=1, number=1, size="XXL")
    with pytest.raises(ValidationError):
        Shot(scene=1, number=1, duration_s=0)


def test_take_paths_stay_inside_the_project():
    with pytest.raises(ValidationError):
        Take(scene=1, shot=1, kind=TakeKind.IMAGE, number=1, path="../outside.png")
    with pytest.raises(ValidationError):
        Take(scene=1, shot=1, kind=TakeKind.IMAGE, number=1, path="/etc/passwd")


def test_eighths_are_written_as_pages_and_eighths():
    assert format_eighths(1) == "1/8"
    assert format_eighths(8) == "1"
    assert format_eighths(13) == "1 5/8"


def test_treatment_variant_choice_must_exist():
    variants = [TreatmentVariant(title=f"v{i}") for i in range(3)]
    assert Treatment(variants=variants, chosen=2).active.title == "v2"
    with pytest.raises(ValidationError, match="does not exist"):
        Treatment(variants=variants, chosen=3)


def test_beat_sheet_structures_and_missing_beats():
    assert set(STRUCTURE_BEATS) == set(Structure)
    assert len(STRUCTURE_BEATS[Structure.SAVE_THE_CAT]) == 15
    sheet = BeatSheet(structure=Structure.STORY_CIRCLE, beats=[Beat(name="You"), Beat(name="Need")])
    assert sheet.missing_beats()[0] == "Go"


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        Brief(logline="x", colour="blue")


def test_project_manifest_always_has_twelve_stages():
    p = Project.model_validate({"slug": "x", "title": "X", "stages": {"script": {"status": "approved"}}})
    assert len(p.stages) == 12
    assert p.statuses()["script"] == "approved" and p.statuses()["brief"] == "empty"


@pytest.mark.parametrize("title,slug", [("The Last Train", "the-last-train"), ("Amélie à Paris!", "amelie-a-paris"),
                                        ("Wait... What", "wait-what"), ("  2001  ", "2001")])
def test_slugify(title, slug):
    assert slugify(check_title(title)) == slug


@pytest.mark.parametrize("title", ["../evil", "a/b", "a\\b", "..", "x..y", "", "   ", "tab\x07bell"])
def test_titles_that_would_make_a_path_are_refused(title):
    with pytest.raises(InvalidName) as exc:
        check_title(title)
    assert exc.value.fix


@pytest.mark.parametrize("slug", ["Night", "a_b", "-x", "x-", "", "a" * 65, "../x"])
def test_bad_slugs(slug):
    with pytest.raises(InvalidName):
        check_slug(slug)
