"""Final Draft files import as Final Draft prints them (issue 15): each case from a small hand-written FDX whose
printed page a reader can see at a glance. The upload path is the real one: tools.imports.to_fountain (defusedxml,
studio.fdx.from_fdx, the Fountain writer) then studio.screenplay.read_fountain's breakdown."""

from __future__ import annotations

import pytest

from studio.fdx import to_fdx
from studio.fountain import parse
from studio.fountain.elements import ElementType
from studio.screenplay import read_fountain
from tools.imports import to_fountain
from tools.imports.fdx_reader import read_fdx


CAPS = ('<ElementSettings Type="Scene Heading"><FontSpec Font="Courier Final Draft" Size="12" Style="AllCaps"/>'
        '</ElementSettings><ElementSettings Type="Character"><FontSpec Style="AllCaps"/></ElementSettings>'
        '<ElementSettings Type="Action"><FontSpec Style=""/></ElementSettings>')


def fdx(body: str, version: str = "5", title_page: str = "", settings: str = CAPS) -> bytes:
    """A Final Draft document as Final Draft saves it: the script, then the element settings (Scene Heading and
    Character in capitals, as in every Final Draft template)."""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n<FinalDraft DocumentType="Script" '
            f'Template="No" Version="{version}">{title_page}<Content>{body}</Content>{settings}</FinalDraft>').encode()


def para(kind: str, *runs: str, attrs: str = "", inner: str = "") -> str:
    return f'<Paragraph Type="{kind}"{attrs}>{inner}' + "".join(f"<Text>{r}</Text>" for r in runs) + "</Paragraph>"


def scenes(data: bytes) -> list[tuple[str, list[str], int]]:
    text = to_fountain("script.fdx", data)
    breakdown = read_fountain("script.fdx", text).breakdown
    return [(s.heading, sorted(s.characters), s.dialogue_count) for s in breakdown.scenes]


SUMMARY = ('<SceneProperties Length="2/8" Page="1" Title="Opening image"><Summary>'
           '<Paragraph><Text>Calm fields of wheat. Farmland.</Text></Paragraph>'
           '<Paragraph><Text>In darkness.</Text></Paragraph></Summary><SceneArcBeats/></SceneProperties>')
NOTE = ('<ScriptNote Name="geography" Type="Info"><Paragraph><Text>Near Plattsmouth Nebraska.</Text></Paragraph>'
        '<Paragraph><Text></Text></Paragraph><Paragraph><Text>Platte joins Missouri</Text></Paragraph></ScriptNote>')


def test_summaries_and_notes_nested_in_a_heading_do_not_glue_to_it():
    data = fdx(para("Scene Heading", "EXT. Mast farm - nIGHT", inner=SUMMARY + NOTE)
               + para("Action", "Wheat fields.") + para("Character", "HENRY") + para("Dialogue", "Ma?"))
    assert scenes(data) == [("EXT. MAST FARM - NIGHT", ["HENRY"], 1)]
    doc = read_fdx(data)
    heading, synopsis = doc.elements[0], doc.elements[1]
    assert heading.text == "EXT. MAST FARM - NIGHT"
    assert heading.notes == ["Near Plattsmouth Nebraska. Platte joins Missouri"]
    assert (synopsis.type, synopsis.text) == (ElementType.SYNOPSIS, "Calm fields of wheat. Farmland. In darkness.")


def test_a_note_on_a_cue_stays_out_of_the_speaker_name():
    data = fdx(para("Scene Heading", "INT. BARN - DAY") + para("Character", "WALTER", inner=NOTE)
               + para("Dialogue", "Go on, then."))
    assert scenes(data) == [("INT. BARN - DAY", ["WALTER"], 1)]


@pytest.mark.parametrize("stored", ["int. kitchen - night", "Int. Kitchen - Night", "INT.  KITCHEN -   NIGHT"])
def test_headings_are_shown_in_capitals_whatever_case_is_stored(stored):
    assert scenes(fdx(para("Scene Heading", stored)))[0][0] == "INT. KITCHEN - NIGHT"


def test_any_scene_heading_paragraph_is_a_scene():
    data = fdx(para("Scene Heading", "MONTAGE") + para("Action", "Seasons pass.")
               + para("Scene Heading", "later") + para("Character", "ANNA") + para("Dialogue", "Still here.")
               + para("Scene Heading", "BLACK."))
    assert scenes(data) == [("MONTAGE", [], 0), ("LATER", ["ANNA"], 1), ("BLACK.", [], 0)]


def test_revision_marks_change_nothing_that_is_printed():
    revised = ('<Paragraph Type="Dialogue" Revision="2"><Text RevisionID="1">I said </Text>'
               '<Text RevisionID="2" Style="AllCaps">NO</Text><Text RevisionID="1">.</Text></Paragraph>')
    data = fdx(para("Scene Heading", "INT. HALL - DAY", attrs=' Revision="2"') + para("Character", "MAY")
               + revised) .replace(b"</Content>", b'</Content><Revisions ActiveSet="2"><Revision ID="1" '
                                   b'Mark="*" Name="First Revision"/></Revisions>')
    assert scenes(data) == [("INT. HALL - DAY", ["MAY"], 1)]
    assert [e.text for e in read_fdx(data).elements if e.type is ElementType.DIALOGUE] == ["I said NO."]


def test_text_split_over_runs_joins_without_inventing_line_breaks():
    data = fdx(para("Scene Heading", "INT. COURT - ", "DAY")
               + para("Character", "UNCLE BOB (", "CONT’D", ")")
               + para("Dialogue", "All the clouds that ", "lour’d", " upon our house")
               + '<Paragraph Type="Dialogue"><Text Style="">one</Text><Text Style=""></Text>'
                 '<Text Style="">line</Text></Paragraph>')
    doc = read_fdx(data)
    cue = next(e for e in doc.elements if e.type is ElementType.CHARACTER)
    assert (cue.text, cue.extensions) == ("UNCLE BOB", ["CONT’D"])
    lines = [e.text for e in doc.elements if e.type is ElementType.DIALOGUE]
    assert lines == ["All the clouds that lour’d upon our house", "oneline"]
    assert scenes(data) == [("INT. COURT - DAY", ["UNCLE BOB"], 1)]


def test_a_line_break_inside_a_run_is_kept_in_dialogue():
    data = fdx(para("Scene Heading", "INT. STAGE - NIGHT") + para("Character", "RICHARD")
               + para("Dialogue", "Now is the winter of our discontent\nMade glorious summer"))
    speech = [e.text for e in read_fdx(data).elements if e.type is ElementType.DIALOGUE]
    assert speech == ["Now is the winter of our discontent\nMade glorious summer"]


def test_dual_dialogue_gives_two_speeches_the_second_marked_dual():
    dual = ('<Paragraph><DualDialogue>' + para("Character", "JOHN") + para("Dialogue", "It's sunny.")
            + para("Character", "MARY") + para("Parenthetical", "(flat)") + para("Dialogue", "It's raining.")
            + "</DualDialogue></Paragraph>")
    data = fdx(para("Scene Heading", "EXT. PORCH - DAY") + dual + para("Action", "They look at each other."))
    assert scenes(data) == [("EXT. PORCH - DAY", ["JOHN", "MARY"], 2)]
    cues = [e for e in parse(to_fountain("s.fdx", data).decode()).elements if e.type is ElementType.CHARACTER]
    assert [(c.text, c.dual) for c in cues] == [("JOHN", False), ("MARY", True)]


def test_a_parenthetical_typed_as_a_cue_is_not_a_speaker():
    data = fdx(para("Scene Heading", "INT. OFFICE - DAY") + para("Character", "HARTMAN")
               + para("Dialogue", "I've got him surrounded.") + para("Character", "(INTO PHONE)")
               + para("Dialogue", "Hold the wire.") + para("Character", "WALTER") + para("Action", "He leaves."))
    assert scenes(data) == [("INT. OFFICE - DAY", ["HARTMAN"], 1)]


def test_a_file_not_saved_by_final_draft_keeps_its_case():
    """No ElementSettings: another tool (or our own export) wrote it, and nothing says to print in capitals."""
    data = fdx(para("Scene Heading", "int. kitchen - morning") + para("Character", "McCLANE")
               + para("Dialogue", "Yippee."), settings="")
    doc = read_fdx(data)
    assert [e.text for e in doc.elements[:2]] == ["int. kitchen - morning", "McCLANE"]


def test_lower_case_cues_are_printed_in_capitals():
    data = fdx(para("Scene Heading", "Scene 1 - an office") + para("Character", "Shag")
               + para("Dialogue", "Why me?"))
    assert scenes(data) == [("SCENE 1 - AN OFFICE", ["SHAG"], 1)]


SETTINGS = ('<ElementSettings Type="Scene Heading"><FontSpec Style="Bold+AllCaps"/><ParagraphSpec Alignment="Left"/>'
            '</ElementSettings>')
OLD_TITLE = ('<TitlePage><Content><Paragraph Alignment="Center"><Text> </Text></Paragraph>'
             '<Paragraph Alignment="Center"><Text Style="AllCaps">Farmland</Text></Paragraph>'
             '<Paragraph Alignment="Center"><Text>by</Text></Paragraph>'
             '<Paragraph Alignment="Center"><Text>Jeffrey Stoltzfus</Text></Paragraph>'
             '<Paragraph Alignment="Center"><Text>Phone Number</Text></Paragraph></Content></TitlePage>')


@pytest.mark.parametrize("version", ["1", "2", "3", "4", "5"])
def test_final_draft_5_to_13_documents_read_alike(version):
    """Final Draft 5-7 write Version="1", 8 "2", 9-10 "3", 11-12 "4", 13 "5"; the title page may come before
    the content and the element settings after it."""
    body = para("Scene Heading", "INT. LAB - NIGHT") + para("Character", "IDA") + para("Dialogue", "Again.")
    data = fdx(body, version, OLD_TITLE, settings=SETTINGS)
    assert scenes(data) == [("INT. LAB - NIGHT", ["IDA"], 1)]
    doc = read_fdx(data)
    assert [(f.key, f.value) for f in doc.title_page] == [
        ("Title", "FARMLAND"), ("Credit", "by"), ("Author", "Jeffrey Stoltzfus")]


def test_our_own_export_reads_back_with_its_line_breaks_and_dual_dialogue():
    source = ("Title: Night Shift\n\nINT. DINER - NIGHT\n\nVERA polishes a glass.\nIt is clean.\n\nDEKKER\n"
              "Coffee.\nBlack.\n\nVERA ^\nNo.\n\nEXT. LOT - LATER\n\nRain.\n")
    doc = parse(source)
    again = read_fdx(to_fdx(doc).encode())
    keep = (ElementType.SCENE_HEADING, ElementType.ACTION, ElementType.CHARACTER, ElementType.DIALOGUE)
    assert [(e.type, e.text, e.dual) for e in again.elements if e.type in keep] == [
        (e.type, e.text, e.dual) for e in doc.elements if e.type in keep]
    assert again.title == "Night Shift"
