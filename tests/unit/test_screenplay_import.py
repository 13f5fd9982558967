"""Reading a screenplay file: encodings, refusals with a fix, and the brief from the title page."""

from __future__ import annotations

import codecs

import pytest

from studio.errors import NotAScreenplay
from studio.screenplay import decode, read_fountain

SCRIPT = "Title: Café Noir\nAuthor: Zoë\n    Ana\nDraft date: 1 May\n\nINT. CAFÉ - NIGHT\n\nZOË (20s) sips.\n\nZOË\nSí.\n"


def test_utf8_with_accents():
    r = read_fountain("cafe.fountain", SCRIPT.encode("utf-8"))
    assert r.encoding == "utf-8"
    assert r.brief.title == "Café Noir" and r.brief.authors == ["Zoë", "Ana"] and r.brief.draft_date == "1 May"
    assert r.breakdown.scenes[0].characters == ["ZOË"]
    assert r.script.scene_count == 1


@pytest.mark.parametrize("encoding,label", [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")])
def test_other_encodings_are_recognised(encoding, label):
    r = read_fountain("cafe.fountain", SCRIPT.encode(encoding))
    assert r.encoding == label
    assert r.brief.title == "Café Noir"


def test_explicit_encoding():
    text, used = decode("x", SCRIPT.encode("latin-1"), "latin-1")
    assert used == "latin-1" and "Café" in text
    with pytest.raises(NotAScreenplay, match="not an encoding"):
        decode("x", b"abc", "klingon-8")
    with pytest.raises(NotAScreenplay, match="not valid utf-8"):
        decode("x", "é".encode("latin-1") * 3, "utf-8")


@pytest.mark.parametrize("data,words", [
    (b"", "is empty"),
    (b"   \n\n  ", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (bytes(range(0x80, 0x100)) * 40, "cannot tell the text encoding"),
    (b"Dear diary,\n\nToday I went to the shops.\n", "does not look like a screenplay"),
    (b"import os\nprint(os.getcwd())\n", "does not look like a screenplay"),
])
def test_refusals_name_the_problem_and_the_fix(data, words):
    with pytest.raises(NotAScreenplay) as exc:
        read_fountain("input.fountain", data)
    assert words in exc.value.problem
    assert "input.fountain" in exc.value.problem
    assert exc.value.fix


def test_dialogue_without_headings_is_named():
    with pytest.raises(NotAScreenplay, match="character cues but no scene heading") as exc:
        read_fountain("x.fountain", b"\nBOB\nHi.\n\nANNA\nHello.\n")
    assert "INT." in exc.value.fix


def test_bom_is_not_part_of_the_title():
    r = read_fountain("x", codecs.BOM_UTF8 + b"Title: Plain\n\nINT. A - DAY\n")
    assert r.brief.title == "Plain"


def test_damaged_bom_files_and_bomless_utf16():
    with pytest.raises(NotAScreenplay, match="damaged"):
        decode("x", codecs.BOM_UTF8 + b"INT. A \xff - DAY\n")
    with pytest.raises(NotAScreenplay, match="damaged"):
        decode("x", codecs.BOM_UTF16_LE + "INT. A - DAY\n".encode("utf-16-le") + b"\x00")
    text, used = decode("x", SCRIPT.encode("utf-16-le"))
    assert used == "utf-16-le" and text == SCRIPT


def test_a_very_long_script_gives_a_valid_brief():
    scene = "\nINT. ROOM - DAY\n\n" + "\n\n".join("Line of action number %d." % i for i in range(30)) + "\n"
    r = read_fountain("epic.fountain", ("Title: Epic\n" + scene * 600).encode())
    assert r.breakdown.total_seconds / 60 > 300
    assert r.brief.runtime_minutes == 300
    type(r.brief).model_validate(r.brief.model_dump())


def test_cp1252_fallback_is_said(caplog):
    with caplog.at_level("WARNING", logger="auteur"):
        text, used = decode("old.fountain", SCRIPT.encode("cp1252"))
    assert used == "cp1252" and "--encoding" in caplog.text
