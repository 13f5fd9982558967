"""A text is a screenplay or a story, and a story is one Auteur can adapt (studio.story_text); the upload policy
takes stories (studio.uploads).

The truth for screenplay-or-prose is outside our code: real screenplays by other people (tests/corpus/screenplays,
Fountain as their authors published it) and real public-domain stories (tests/corpus/stories, Project Gutenberg
texts) — a person knows which is which. The refusals are read as a person reads them: the problem names the file
and what is wrong with it (the count, the language), the fix says what to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.source import MAX_STORY_WORDS
from studio.story_text import NotAStory, check_story, classify, language_of, reads_as_prose
from studio.uploads import (
    MAX_FOUNTAIN,
    MAX_STORY_FILE,
    MAX_STORY_TEXT,
    UploadRefused,
    check_name,
    check_upload,
    kind_of,
    size_limit,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SCREENPLAYS = sorted(CORPUS.glob("screenplays/fountain_*/script.fountain")) + sorted(CORPUS.glob("*.fountain"))
STORIES = sorted(CORPUS.glob("stories/*/story.txt"))
SAMPLE = Path(__file__).resolve().parents[2] / "studio/samples/night_shift.fountain"

# Hand-written prose a reader sees is a story: paragraphs of sentences, a chapter title in capitals, quoted
# speech, and even a sentence that starts like a scene heading.
STORY = """CHAPTER I

The lighthouse keeper's daughter had never seen the mainland. Every morning she climbed the iron stairs and
watched the ferry cross the grey water, counting the passengers on its deck.

"They'll come for the lamp one day," her father said, and went back to his nets.

INT. was the word painted on the inner door of the lamp room, half worn away, and she never knew why.

In the winter of 1911 the ferry stopped coming. She rowed out alone on the first calm day of March, and the
sea let her pass.
"""


def words(n: int) -> str:
    """An English text of ``n`` words, in paragraphs of sentences (60 words each)."""
    sentence = "She walked down to the old harbour and looked at the boats in the rain. "
    paragraph = sentence * 4  # 15 words a sentence → 60 words
    return "\n\n".join([paragraph.strip()] * (n // 60)) + "\n"


# ------------------------------------------------------------ screenplay or prose


@pytest.mark.parametrize("path", SCREENPLAYS + [SAMPLE], ids=lambda p: p.parent.name + "/" + p.name)
def test_real_screenplays_are_screenplays(path):
    assert classify(path.read_text(encoding="utf-8")) == "screenplay"


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.parent.name)
def test_real_stories_are_prose_and_can_be_adapted(path):
    text = path.read_text(encoding="utf-8")
    assert classify(text) == "prose"
    assert language_of(text) == "en"
    check_story(path.name, text)  # no refusal


def test_the_corpus_is_there():
    assert len(SCREENPLAYS) >= 4 and len(STORIES) >= 2, (SCREENPLAYS, STORIES)


def test_a_story_with_a_chapter_title_and_a_heading_like_sentence_is_prose():
    assert classify(STORY) == "prose"
    assert reads_as_prose(STORY)


def test_a_scene_without_headings_is_still_a_screenplay():
    fragment = "MARA\nYou came back.\n\nTOM\n(quietly)\nI never left.\n\nMARA\nLiar.\n"
    assert classify(fragment) == "screenplay"


def test_a_crlf_screenplay_is_a_screenplay():
    assert classify(SAMPLE.read_text().replace("\n", "\r\n")) == "screenplay"


# ------------------------------------------------------------ refusals


def test_a_2000_page_text_is_refused_with_its_word_count():
    text = words(600_000)  # 2,000 pages of 300 words
    with pytest.raises(NotAStory) as refused:
        check_story("saga.txt", text)
    problem = refused.value.problem
    assert problem.startswith("saga.txt is 600,000 words long (about 2,000 pages)"), problem
    assert f"more than the {MAX_STORY_WORDS:,} words" in problem
    assert "bring the part you want to film" in refused.value.fix


def test_a_long_novel_is_taken():
    check_story("novel.txt", words(200_040))  # a long novel: no refusal


@pytest.mark.parametrize("text,said", [
    ("Le vieil homme était maigre et sec, avec des rides profondes sur la nuque. Elle ne pouvait pas dormir "
     "dans la maison, et il le savait. ", "is in French"),
    ("El viejo era flaco y desgarbado, con arrugas profundas en la nuca. No podía dormir en la casa, y él lo "
     "sabía. ", "is in Spanish"),
    ("Der alte Mann war dünn und hager, und er hatte tiefe Falten im Nacken. Sie konnte nicht schlafen in dem "
     "Haus, und er wusste es. ", "is in German"),
    ("Старик был худ и изможден, затылок его прорезали глубокие морщины. Она не могла спать в доме. ",
     "is written in Cyrillic script"),
    ("老人は痩せて骨ばっていた。首の後ろには深いしわが刻まれていた。彼女は家で眠れなかった。 ", "is written in"),
    ("Vanhus oli laiha ja kuihtunut, niskassa syvät rypyt. Hän ei saanut unta talossa, koska tuuli ulvoi. ",
     "reads as none of the languages Auteur knows"),
])
def test_a_language_the_story_reader_lacks_is_refused_by_name(text, said):
    story = "\n\n".join([text * 3] * 10)
    with pytest.raises(NotAStory) as refused:
        check_story("tale.txt", story)
    problem = refused.value.problem
    assert problem.startswith(f"tale.txt {said}"), problem
    assert "a language Auteur's story reader does not know (it reads English)" in problem
    assert "bring the story in English" in refused.value.fix


def test_a_screenplay_is_not_adapted_as_a_story():
    with pytest.raises(NotAStory) as refused:
        check_story("night_shift.txt", SAMPLE.read_text())
    assert "is a screenplay (scene headings and character cues), not a story in prose" in refused.value.problem
    assert "--as screenplay" in refused.value.fix


@pytest.mark.parametrize("text,words_said", [
    ("\n".join(f"{n},harbour,boat,{n * 3},rain,grey,north" for n in range(60)), "does not read as prose"),
    ("\n".join(f"- the harbour at dawn {n}" for n in range(40)), "does not read as prose"),
    ("A lighthouse keeper's daughter rows to the mainland.", "has 8 words: too short to adapt as a story"),
])
def test_what_is_not_prose_is_refused(text, words_said):
    with pytest.raises(NotAStory) as refused:
        check_story("notes.txt", text)
    assert words_said in refused.value.problem and refused.value.fix


def test_hostile_whitespace_is_read_in_one_pass():
    """A text of 4 MB of blank-ish lines ends at once (each pass is linear)."""
    text = ("\n" + " " * 1000) * 4000 + "x"
    assert classify(text) == "prose"
    assert not reads_as_prose(text)


# ------------------------------------------------------------ the upload policy


def test_stories_have_their_kind_and_sizes():
    assert kind_of("Chapter One.docx") == "story" and kind_of("moby.EPUB") == "story"
    assert kind_of("story.txt") == kind_of("story.md") == kind_of("story.pdf") == "screenplay"  # content decides
    assert size_limit("novel.txt") == size_limit("novel.md") == MAX_STORY_TEXT
    assert size_limit("script.fountain") == MAX_FOUNTAIN < MAX_STORY_TEXT
    assert size_limit("novel.docx") == size_limit("novel.epub") == MAX_STORY_FILE
    assert check_name("novel.txt", 3 * 1024 * 1024) == "screenplay"  # a novel's text passes the name check
    assert check_name("novel.epub", 10 * 1024 * 1024) == "story"


@pytest.mark.parametrize("name,size,said", [
    ("novel.txt", MAX_STORY_TEXT + 1, "more than the 4 MB a text file (a story or a Fountain screenplay) may have"),
    ("novel.docx", MAX_STORY_FILE + 1, "more than the 20 MB a story's DOCX file may have"),
    ("script.fountain", MAX_FOUNTAIN + 1, "more than the 1 MB a Fountain screenplay may have"),
])
def test_oversize_files_are_refused_by_their_size(name, size, said):
    with pytest.raises(UploadRefused) as refused:
        check_name(name, size)
    assert said in refused.value.problem and refused.value.fix


def test_a_face_that_takes_screenplays_only_refuses_a_story_file():
    with pytest.raises(UploadRefused, match=r"notes.docx is not a screenplay file Auteur can read \(.docx\)"):
        check_name("notes.docx", 100, accept=("screenplay",))
    assert check_name("notes.docx", 100, accept=("screenplay", "story")) == "story"


def test_an_unknown_file_is_told_every_kind_taken():
    with pytest.raises(UploadRefused) as refused:
        check_name("sheet.xlsx", 100)
    assert refused.value.problem == "sheet.xlsx is not a screenplay, a story or a reference image (.xlsx)"
    for how in ("Fountain (.fountain)", "Word (.docx), EPUB or a text PDF", "PNG, JPEG or WebP"):
        assert how in refused.value.fix


def test_a_docx_or_epub_must_start_like_a_zip():
    assert check_upload("tale.docx", 100, b"PK\x03\x04rest") == "story"
    with pytest.raises(UploadRefused, match="tale.epub is not a real EPUB file"):
        check_upload("tale.epub", 100, b"%PDF-1.7")
