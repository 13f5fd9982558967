"""A story in prose, brought in and adapted end to end on the built-in model: `auteur import STORY` keeps it as the
project's source, `auteur run --until script` drafts treatment, beats and script from it with passages cited, and
/recall finds a moment of the story. The oracles are the story itself (its words, read here) and what a person
wrote down from reading it (tests/corpus/stories/*/expected.json), never our skeleton's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agents.lexicon import lexicon_for
from memory.recall import memory_for
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.fountain import parse
from studio.fountain.elements import ElementType
from studio.source import cited
from studio.stages import Stage
from tests.cli_helpers import invoke, js
from tests.fakes import FakeCrew
from tests.story_builders import scanned_pdf

STORIES = Path(__file__).resolve().parents[1] / "corpus" / "stories"
GIFT = STORIES / "gift_of_the_magi"


def story_words(path: Path) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8"))}


def test_a_story_becomes_treatment_beats_and_script_that_cite_it(workspace_dir, tmp_path):
    story = tmp_path / "gift.txt"
    story.write_bytes((GIFT / "story.txt").read_bytes())
    expected = json.loads((GIFT / "expected.json").read_text(encoding="utf-8"))
    brought = js("import", str(story))
    assert brought["kind"] == "prose" and brought["created"] and brought["title"] == expected["title"]
    assert set(expected["characters"]["must"]) <= set(brought["characters"])
    slug = brought["slug"]
    project = workspace_dir / slug
    text = (project / "02_Source_Creative/Source/source.txt").read_text(encoding="utf-8")
    assert text.count("Della") > 10
    source = json.loads((project / "02_Source_Creative/Source/source.json").read_text(encoding="utf-8"))
    passages = {p["id"]: text[p["start"]:p["end"]] for p in source["passages"]}  # kept once: by offsets
    assert "Will you buy my hair?" in " ".join(passages.values())

    invoke("run", "-p", slug, "--until", "script", "--yes", "--json")
    treatment = js("show", "treatment", "-p", slug)
    beats = js("show", "beats", "-p", slug)
    fountain = (project / "02_Source_Creative/Scripts/script.fountain").read_text(encoding="utf-8")
    # Every treatment variant and beat says which passages it tells, and they exist.
    for part in [*treatment["variants"], *beats["beats"]]:
        assert part["sources"] and set(part["sources"]) <= set(passages), part
    for variant in treatment["variants"]:
        assert set(cited(variant["text"])) <= set(passages) and cited(variant["text"])
    # The script: each scene cites its passages; its speakers are the story's people; the story's own quoted
    # lines (as a person read them) are dialogue; nothing in it is a word the story does not have, but
    # screenplay words.
    doc = parse(fountain)
    headings = doc.of_type(ElementType.SCENE_HEADING)
    assert len(headings) >= 3
    notes = re.findall(r"\[\[Source: ([^\]]+)\]\]", fountain)
    assert len(notes) == len(headings) and all(set(cited(f"[{n}]")) <= set(passages) for n in notes)
    speakers = {e.text for e in doc.of_type(ElementType.CHARACTER)}
    assert {"DELLA", "JIM"} <= speakers and speakers <= {c.upper() for c in brought["characters"]}
    lines = " ".join(e.plain for e in doc.of_type(ElementType.DIALOGUE))
    for quote in expected["quotes"][:3]:
        assert quote["contains"] in lines, quote
    words = story_words(GIFT / "story.txt") | {"int", "ext", "day", "night", "later", "continuous", "morning",
                                               "evening", "cut", "to", "fade", "in", "out", "source", "adapted",
                                               "from", "by", "auteur", "title", "credit", "author", "p"}
    english = lexicon_for(fountain)  # the story's verbs are told in the present: 'stops' for 'stopped'
    foreign = {w for w in re.findall(r"[A-Za-z]+", fountain) if w.lower() not in words and not english.is_word(w)}
    assert not foreign, f"words neither the story nor English has: {sorted(foreign)}"
    scenes = js("scenes", "-p", slug)
    assert [s["heading"] for s in scenes] == [h.plain for h in headings]


def test_recall_answers_with_the_passage_of_a_moment(workspace_dir, settings, workspace, monkeypatch):
    monkeypatch.setenv("AUTEUR_MEMORY", "on")
    expected = json.loads((GIFT / "expected.json").read_text(encoding="utf-8"))
    session = Session(workspace, FakeCrew(), memory=lambda store: memory_for(store, settings),
                      story_reader=_reader())
    events = list(session.handle(Turn(upload=("gift.txt", (GIFT / "story.txt").read_bytes()))))
    progress = [e for e in events if e.kind == "progress"]
    assert progress and progress[-1].data["done"] == progress[-1].data["total"], "reading and indexing shown"
    assert not [e for e in events if e.kind == "error"], [e.text for e in events]
    for moment in expected["moments"]:
        hits = list(session.handle(Turn(text=f"/recall where does {moment['moment'].lower()}?")))[0].data["hits"]
        assert hits[0]["kind"] == "passage" and moment["passage_contains"] in hits[0]["text"], hits[:2]
        assert hits[0]["source"] == "02_Source_Creative/Source/source.txt"


@pytest.mark.parametrize("name,data,problem", [
    ("conte.txt", ("Il était une fois une petite fille qui vivait avec sa mère dans une maison au bord de la "
                   "forêt. Elle aimait les fleurs et les oiseaux, et chaque matin elle allait chercher de l'eau à "
                   "la source. ") * 40, "French"),
    ("huge.txt", ("word " * 199 + "end.\n\n") * 3100, "words long"),
])
def test_a_story_that_cannot_be_adapted_leaves_no_project(workspace_dir, tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    result = invoke("import", str(path), ok=False)
    assert result.exit_code != 0 and problem in result.output
    assert not workspace_dir.exists() or not [p for p in workspace_dir.iterdir() if not p.name.startswith(".")]


def test_a_screenplay_in_a_text_file_is_still_a_screenplay_and_as_forces_it(workspace_dir, tmp_path):
    script = tmp_path / "diner.txt"
    script.write_text((Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain")
                      .read_text(encoding="utf-8"), encoding="utf-8")
    assert js("import", str(script))["scenes"] >= 3
    story = tmp_path / "gift.md"
    story.write_bytes((GIFT / "story.txt").read_bytes())
    refused = invoke("import", str(story), "--as", "screenplay", ok=False)
    assert refused.exit_code != 0 and "scene heading" in refused.output  # read as a screenplay, as asked


def test_a_new_story_in_an_adapted_project_makes_the_adaptation_stale(workspace_dir, tmp_path):
    story = tmp_path / "gift.txt"
    story.write_bytes((GIFT / "story.txt").read_bytes())
    slug = js("import", str(story))["slug"]
    invoke("run", "-p", slug, "--until", "beats", "--yes")
    other = tmp_path / "wallpaper.txt"
    other.write_bytes((STORIES / "yellow_wallpaper" / "story.txt").read_bytes())
    again = js("import", str(other), "-p", slug)
    assert not again["created"] and {"treatment", "beats"} <= set(again["stale"])
    assert again["stages"]["brief"] == "draft"  # changed after its approval: a draft again, to approve
    brief = js("show", "brief", "-p", slug)
    assert brief["title"] == again["title"] == "The Yellow Wallpaper" and "Gilman" in brief["source"]
    assert "Della" not in brief["logline"]
    invoke("run", "-p", slug, "--until", "script", "--yes")
    fountain = (workspace_dir / slug / "02_Source_Creative/Scripts/script.fountain").read_text(encoding="utf-8")
    assert fountain.startswith("Title: The Yellow Wallpaper") and "DELLA" not in fountain


def _reader():
    from config.container import _read_story

    return _read_story


def test_a_pasted_story_is_read_like_an_uploaded_one(workspace):
    text = (GIFT / "story.txt").read_text(encoding="utf-8")
    start = text.index("One dollar")
    session = Session(workspace, FakeCrew(), story_reader=_reader())
    events = list(session.handle(Turn(text=text[start:start + 6000])))
    assert not [e for e in events if e.kind == "error"], [e.text for e in events]
    source = session.require_project().read_source()
    assert source is not None and source.name == "pasted story.txt"
    assert "Della" in [c.name for c in source.skeleton.characters]
    assert session.require_project().manifest().status(Stage.BRIEF).value == "draft"


def _pdf_session(workspace):
    from tools.imports import to_fountain

    return Session(workspace, FakeCrew(), converter=to_fountain, story_reader=_reader())


def test_a_novel_length_pdf_is_read_as_a_story_not_refused_as_a_screenplay(workspace):
    """More pages than any screenplay PDF may have (400): the story reader's limits decide, in every face."""
    from fpdf import FPDF

    paragraphs = [" ".join(b.split()) for b in re.split(r"\n\s*\n", (GIFT / "story.txt").read_text(encoding="utf-8"))
                  if len(b) > 200][:12]
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_font("Times", size=12)
    for n in range(410):
        pdf.add_page()
        text = paragraphs[n % len(paragraphs)].replace("’", "'").replace("“", '"').replace("”", '"')
        pdf.multi_cell(0, 15, text.replace("—", "--"))
    session = _pdf_session(workspace)
    events = list(session.handle(Turn(upload=("novel.pdf", bytes(pdf.output())))))
    assert not [e for e in events if e.kind == "error"], [e.text for e in events if e.kind == "error"]
    source = session.require_project().read_source()
    assert source is not None and source.format == "pdf" and "Della" in [c.name for c in source.skeleton.characters]


def test_a_scanned_pdf_through_the_chat_is_refused_as_a_scan_and_nothing_is_made(workspace):

    events = list(_pdf_session(workspace).handle(Turn(upload=("scan.pdf", scanned_pdf(2)))))
    assert [e.kind for e in events] == ["error"] and "scanned PDF" in events[0].text and "OCR" in events[0].text
    assert workspace.slugs() == []


def test_a_long_paste_into_a_project_with_work_is_asked_about_first(workspace):
    text = (GIFT / "story.txt").read_text(encoding="utf-8")
    paste = text[text.index("One dollar"):][:5000]
    session = Session(workspace, FakeCrew(), story_reader=_reader())
    store = workspace.create("Night Shift")
    store.import_script("night_shift.fountain",
                        (Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain").read_bytes())
    session.store = store
    asked = list(session.handle(Turn(text=paste)))
    assert asked[-1].kind == "question" and "Adapt as the story" in asked[-1].options
    assert store.read_source() is None, "nothing adapted before the answer"
    list(session.handle(Turn(choice="Adapt as the story")))
    assert store.read_source() is not None and store.read_source().name == "pasted story.txt"


def test_a_screenplay_brought_into_an_adaptation_ends_it(workspace_dir, tmp_path):
    story = tmp_path / "gift.txt"
    story.write_bytes((GIFT / "story.txt").read_bytes())
    slug = js("import", str(story))["slug"]
    script = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"
    invoke("import", str(script), "-p", slug)
    assert not (workspace_dir / slug / "02_Source_Creative/Source/source.json").exists()
    invoke("run", "-p", slug, "--until", "breakdown", "--yes")
    fountain = (workspace_dir / slug / "02_Source_Creative/Scripts/script.fountain").read_bytes()
    assert fountain == script.read_bytes(), "the crew never redrafts an imported screenplay from the old story"


def test_notes_an_adapted_script_cannot_take_are_said_not_done(workspace):
    """Notes on an adapted script redraft nothing: the rules would tell the story again over the writer's edits."""
    session = Session(workspace, FakeCrew(), story_reader=_reader(), auto_approve=True)
    list(session.handle(Turn(upload=("gift.txt", (GIFT / "story.txt").read_bytes()))))
    list(session.run_until(Stage.SCRIPT))
    list(session.handle(Turn(text="/scene cut 2")))
    before = session.require_project().read_script().fountain
    said = " ".join(e.text for e in session.handle(Turn(text="/revise script: more rain in every scene")))
    assert "notes do not redraft it" in said and "/scene rewrite" in said
    assert session.require_project().read_script().fountain == before, "the writer's cut is kept"


def test_the_runtime_decides_how_much_of_the_story_is_told(workspace):
    """The span follows the brief's runtime: a one-minute film of the story tells fewer of its passages."""
    told = {}
    for minutes in (5.0, 1.0):
        session = Session(workspace, FakeCrew(), story_reader=_reader(), auto_approve=True)
        list(session.handle(Turn(upload=(f"gift{int(minutes)}.txt", (GIFT / "story.txt").read_bytes()))))
        store = session.require_project()
        store.save(Stage.BRIEF, store.read(Stage.BRIEF).model_copy(update={"runtime_minutes": minutes}),
                   author=store.user(), summary=f"{minutes:g} minutes", action="edit")
        list(session.run_until(Stage.TREATMENT))
        told[minutes] = set(store.read(Stage.TREATMENT).variants[0].sources)
        session.store = None
    assert told[1.0] and told[1.0] < told[5.0]


def test_restoring_the_brief_brings_back_the_story_it_was_drawn_from(workspace_dir, tmp_path):
    story = tmp_path / "gift.txt"
    story.write_bytes((GIFT / "story.txt").read_bytes())
    slug = js("import", str(story))["slug"]
    first = js("history", "-p", slug)[0]["commit"]
    other = tmp_path / "wallpaper.txt"
    other.write_bytes((STORIES / "yellow_wallpaper" / "story.txt").read_bytes())
    invoke("import", str(other), "-p", slug)
    invoke("restore", "brief", first, "-p", slug, "--yes")  # it drops the later import: said, and a yes given
    text = (workspace_dir / slug / "02_Source_Creative/Source/source.txt").read_text(encoding="utf-8")
    assert js("show", "brief", "-p", slug)["title"] == "The Gift of the Magi" and text.count("Della") > 10


def test_notes_that_start_with_the_story_are_not_taken_for_a_story(workspace):
    text = (GIFT / "story.txt").read_text(encoding="utf-8")
    notes = "The story drags in the middle, some notes:\n\n" + text[text.index("One dollar"):][:4000]
    told = "Adapt this story:\n\n" + text[text.index("One dollar"):][:4000]
    session = Session(workspace, FakeCrew(), story_reader=_reader())
    store = workspace.create("Night Shift")
    store.import_script("night_shift.fountain",
                        (Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain").read_bytes())
    session.store = store
    assert list(session.handle(Turn(text=notes)))[-1].kind == "question" and store.read_source() is None
    list(session.handle(Turn(text=told)))
    kept = (workspace.settings.workspace / store.slug / "02_Source_Creative/Source/source.txt").read_text()
    assert store.read_source() is not None and not kept.startswith("Adapt this story")
