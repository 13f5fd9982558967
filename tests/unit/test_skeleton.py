"""The skeleton of a story in prose (studio.skeleton): on small texts whose answer a reader sees at a glance, and on
four public-domain stories whose expected.json a person wrote from reading them (tests/corpus/stories/*)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.source import PASSAGE_CHARS, Skeleton
from studio.skeleton import find_skeleton, passages_of, propose_span, title_and_author

STORIES = Path(__file__).resolve().parents[1] / "corpus" / "stories"
SLUGS = sorted(p.name for p in STORIES.iterdir() if (p / "expected.json").is_file())


def skeleton_of(text: str, **kw: object) -> Skeleton:
    return find_skeleton(text, passages_of(text), **kw)  # type: ignore[arg-type]


def names(sk: Skeleton) -> list[str]:
    return [c.name for c in sk.characters]


def every_form(sk: Skeleton) -> set[str]:
    return {form for c in sk.characters for form in [c.name, *c.aliases]}


def quote_of(sk: Skeleton, part: str) -> str | None:
    """The speaker of the first quote holding ``part``; None when no quote holds it."""
    for q in sk.quotes:
        if " ".join(part.split()) in q.text:
            return q.speaker
    return None


# ---------------------------------------------------------------- passages


def test_paragraphs_become_passages_in_order_with_offsets_into_the_text() -> None:
    text = "First para\nwraps here.\n\n  \nSecond one.\n\n\nThird."
    ps = passages_of(text)
    assert [p.id for p in ps] == ["p1", "p2", "p3"]
    assert [p.text for p in ps] == ["First para wraps here.", "Second one.", "Third."]
    assert [text[p.start:p.end] for p in ps] == ["First para\nwraps here.", "Second one.", "Third."]


def test_a_heading_starts_a_chapter_and_is_no_passage() -> None:
    text = "# The Beginning\n\nOne.\n\nTwo.\n\nCHAPTER II. The Storm\n\nThree.\n\n# Part Three\n\nFour."
    ps = passages_of(text)
    assert [(p.text, p.chapter) for p in ps] == [("One.", 1), ("Two.", 1), ("Three.", 2), ("Four.", 3)]


def test_a_long_paragraph_is_cut_at_sentence_ends_near_the_passage_size() -> None:
    sentence = "Nell walked along the harbour wall and counted the boats in the grey light. "
    text = (sentence * 60).strip()
    ps = passages_of(text)
    assert len(ps) > 1
    assert all(p.text.endswith("light.") for p in ps)
    assert all(len(p.text) <= PASSAGE_CHARS for p in ps)
    assert " ".join(p.text for p in ps) == " ".join(text.split())


def test_a_sentence_longer_than_any_passage_is_cut_at_spaces() -> None:
    text = "word " * 3000
    ps = passages_of(text)
    assert all(len(p.text) <= 4 * PASSAGE_CHARS for p in ps)
    assert sum(len(p.text.split()) for p in ps) == 3000


# ---------------------------------------------------------------- names


HALES = """Mr. Hale came home late. Mrs. Hale was waiting in the kitchen.

"Where were you?" said Mrs. Hale.

"At the mill," Hale said. He sat down. Mr. Hale's coat was wet.

The next morning Mrs. Hale walked to the harbour. Hale followed her.

When Hale came back, Mrs. Hale had gone. Then the kettle sang. Will you stay? He will not.
"""


def test_titles_join_forms_of_one_name_and_keep_two_people_apart() -> None:
    sk = skeleton_of(HALES)
    assert len(sk.characters) == 2
    mr = next(c for c in sk.characters if "Mr. Hale" in (c.name, *c.aliases))
    assert {mr.name, *mr.aliases} == {"Mr. Hale", "Hale"}      # 'Hale', used most, names him; the possessive too
    assert mr.mentions == 5
    assert "Mrs. Hale" in names(sk)
    assert "Mr. Hale's" not in every_form(sk)


def test_sentence_starts_and_function_words_are_not_names() -> None:
    sk = skeleton_of(HALES)
    assert not every_form(sk) & {"When", "Then", "The", "Will", "He", "Where", "At"}


def test_quoted_speech_gets_the_speaker_the_narration_names() -> None:
    sk = skeleton_of(HALES)
    assert quote_of(sk, "Where were you?") == "Mrs. Hale"
    assert quote_of(sk, "At the mill,") == "Hale"


TURNS = """Ahab stood on the deck. Stubb came up beside him.

"What do you see?" asked Ahab.

"Nothing, sir," said Stubb.

"Look again."

"Still nothing."

"Then we wait," he said. "We wait for the whale."
"""


def test_turn_taking_gives_unattributed_lines_to_the_speakers_in_turn() -> None:
    sk = skeleton_of(TURNS)
    assert [q.speaker for q in sk.quotes] == ["Ahab", "Stubb", "Ahab", "Stubb", "Ahab"]
    assert quote_of(sk, "We wait for the whale.") == "Ahab"       # same paragraph, same speaker
    assert next(c for c in sk.characters if c.name == "Ahab").speaks == 3


def test_places_by_their_nouns_inside_and_outside() -> None:
    sk = skeleton_of("Nell ran into the kitchen. Nell looked out of the window.\n\n"
                     "Later Nell walked along the harbour. Tom waited on the deck of the ship.\n\n"
                     "Tom went back into the kitchen and Nell sat in Briony Lodge near Baker Street.")
    where = {p.name: p.interior for p in sk.places}
    assert where["the kitchen"] is True
    assert where["the harbour"] is False
    assert where["the deck"] is False
    assert where["Briony Lodge"] is True
    assert where["Baker Street"] is False
    assert "Baker Street" not in every_form(sk) and "Briony Lodge" not in every_form(sk)


@pytest.mark.parametrize(("text", "frame"), [
    ("It was the winter of 1851. Ishmael went to sea. In 1851 ships sailed.", "1851, winter"),
    ("That summer the rain never stopped.", "summer"),
    ("The 1920s were loud. Nell danced through the 1920s.", "1920s"),
    ("Nell sat by the window.", ""),
])
def test_time_frame_from_years_decades_and_seasons(text: str, frame: str) -> None:
    assert skeleton_of(text).time_frame == frame


def test_events_are_narration_with_who_where_and_when() -> None:
    sk = skeleton_of(TURNS + "\n\nThat night Stubb climbed into the boat and rowed toward the white hump.")
    last = sk.events[-1]
    assert last.text.startswith("That night Stubb climbed into the boat")
    assert last.characters == ["Stubb"] and last.place == "the boat" and last.time == "NIGHT"
    assert all("?" not in e.text for e in sk.events)          # speech is a Quote, not an event


def test_progress_is_told_per_chunk_of_passages() -> None:
    text = "\n\n".join(f"Nell counted boat number {k} in the harbour." for k in range(450))
    calls: list[tuple[int, int]] = []
    find_skeleton(text, passages_of(text), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(200, 450), (400, 450), (450, 450)]


def test_the_same_text_gives_the_same_skeleton() -> None:
    text = (STORIES / "gift_of_the_magi" / "story.txt").read_text(encoding="utf-8")
    assert skeleton_of(text).model_dump_json() == skeleton_of(text).model_dump_json()


# ---------------------------------------------------------------- title, span


@pytest.mark.parametrize(("head", "expected"), [
    ("THE GIFT OF THE MAGI\n\nby O. Henry\n\nOne dollar.", ("The Gift of the Magi", "O. Henry")),
    ("Title: Moby-Dick\n\nAuthor: Herman Melville\n\nCall me Ishmael.", ("Moby-Dick", "Herman Melville")),
    ("# A Quiet Harbour\n\nNell walked.", ("A Quiet Harbour", "")),
    ("Nell walked along the harbour wall.\n\nShe stopped.", ("", "")),
])
def test_title_and_author_from_the_first_lines(head: str, expected: tuple[str, str]) -> None:
    assert title_and_author(head) == expected


def test_a_short_story_longer_than_the_film_keeps_its_beginning_and_end() -> None:
    sk = skeleton_of((STORIES / "scandal_in_bohemia" / "story.txt").read_text(encoding="utf-8"))
    span = propose_span(sk, 5.0)
    numbers = [e.number for e in sk.events]
    assert span.events[0] == numbers[0] and span.events[-1] == numbers[-1]
    assert 3 <= len(span.events) < len(numbers)
    assert span.minutes_whole > 15 and "5-minute film" in span.note and "21 minutes" in span.note
    assert len(propose_span(sk, 10.0).events) > len(span.events)


def test_a_story_that_fits_is_told_whole() -> None:
    sk = skeleton_of((STORIES / "gift_of_the_magi" / "story.txt").read_text(encoding="utf-8"))
    assert propose_span(sk, 5.0).events == [e.number for e in sk.events]
    assert "all of it" in propose_span(sk, 5.0).note


def test_a_novel_gets_a_contiguous_opening_and_the_whole_runtime_in_words() -> None:
    chapter = (STORIES / "moby_dick_chase_first_day" / "story.txt").read_text(encoding="utf-8")
    novel = "\n\n".join(chapter.replace("CHAPTER 133.", f"CHAPTER {k}.") for k in range(1, 21))
    sk = skeleton_of(novel, minutes=10.0)
    assert sk.chapters == 20
    span = sk.span
    assert span.events == list(range(1, len(span.events) + 1)) and 0 < len(span.events) < len(sk.events) // 5
    assert span.first == sk.events[0].passage
    assert "opening" in span.note and "hours" in span.note


# ---------------------------------------------------------------- the corpus, read by a person


@pytest.fixture(scope="module", params=SLUGS)
def story(request: pytest.FixtureRequest) -> tuple[dict[str, object], str, Skeleton]:
    folder = STORIES / request.param
    text = (folder / "story.txt").read_text(encoding="utf-8")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return expected, text, skeleton_of(text)


def test_corpus_has_four_stories_with_their_licences() -> None:
    assert len(SLUGS) >= 4
    for slug in SLUGS:
        licence = (STORIES / slug / "LICENSE.txt").read_text(encoding="utf-8")
        assert "public domain" in licence.lower() and "https://github.com/" in licence


def test_main_characters_are_found_near_the_top(story: tuple[dict, str, Skeleton]) -> None:
    expected, _, sk = story
    top = sk.characters[:expected["characters"]["top"]]
    for name in expected["characters"]["must"]:
        assert any(name == c.name or name in c.aliases for c in top), (name, names(sk)[:10])
    for name, forms in expected["characters"].get("aliases", {}).items():
        person = next(c for c in sk.characters if name in (c.name, *c.aliases))
        assert set(forms) <= {person.name, *person.aliases}


def test_words_that_are_not_characters(story: tuple[dict, str, Skeleton]) -> None:
    expected, _, sk = story
    assert not every_form(sk) & set(expected["not_characters"])


def test_places_are_found_inside_or_outside(story: tuple[dict, str, Skeleton]) -> None:
    expected, _, sk = story
    where = {p.name: p.interior for p in sk.places}
    for place in expected["places"]:
        assert place["name"] in where, (place, list(where)[:20])
        assert where[place["name"]] == place["interior"], place


def test_quotes_have_their_speakers(story: tuple[dict, str, Skeleton]) -> None:
    expected, _, sk = story
    for quote in expected["quotes"]:
        assert quote_of(sk, quote["contains"]) == quote["speaker"], quote


def test_time_frame_title_and_author(story: tuple[dict, str, Skeleton]) -> None:
    expected, text, sk = story
    assert expected["time_frame_contains"] in sk.time_frame
    if not expected["time_frame_contains"]:
        assert sk.time_frame == ""
    assert (sk.title, sk.author) == (expected["title"], expected["author"])
    if "chapters" in expected:
        assert sk.chapters == expected["chapters"]


def test_a_named_moment_is_in_the_skeleton_at_its_passage(story: tuple[dict, str, Skeleton]) -> None:
    """The passage where the moment first happens is pointed at by an event or a quote: /recall and the
    treatment can cite it."""
    expected, text, sk = story
    passages = passages_of(text)
    for moment in expected["moments"]:
        first = next(p.id for p in passages if moment["passage_contains"] in p.text)
        assert first in {e.passage for e in sk.events} | {q.passage for q in sk.quotes}, moment


def test_passages_events_and_quotes_point_at_the_story(story: tuple[dict, str, Skeleton]) -> None:
    expected, text, sk = story
    passages = passages_of(text)
    ids = [p.id for p in passages]
    assert ids == [f"p{k}" for k in range(1, len(ids) + 1)]
    assert all(" ".join(text[p.start:p.end].split()) == p.text for p in passages)
    if "first_passage_starts" in expected:
        assert passages[0].text.startswith(expected["first_passage_starts"])
        assert sk.events[0].time == expected["first_event_time"]
    order = {pid: k for k, pid in enumerate(ids)}
    assert [order[e.passage] for e in sk.events] == sorted(order[e.passage] for e in sk.events)
    people = set(names(sk))
    for e in sk.events:
        assert set(e.characters) <= people
        assert e.text and " ".join(e.text.rstrip("…").split()[:4]) in passages[order[e.passage]].text
    assert all(q.speaker in people | {""} for q in sk.quotes)
    assert Skeleton.model_validate_json(sk.model_dump_json()) == sk


# ---------------------------------------------------------------- one person by every name, who says what, where

COUPLE = """Della counted the money. Della sat down and cried. The card on the door said "Mr. James Young."

Mr. James Young came home and Della kissed him. Jim looked tired. Jim smiled at her.

"Jim, darling," she cried, "don't be angry."

Jim looked about the room. "Where is your hair?" he said.

"Don't worry, Dell, about me," he said. "I like you anyhow."

Della leaped up like a little singed cat and cried, "Oh, Jim!"

"You needn't look for it," said Della. "It's sold."

"Maybe," Della went on with sudden sweetness, "you will forgive me."

"Isn't it a dandy, Jim? Give me your watch."
"""


def test_a_familiar_name_and_a_formal_one_are_one_person() -> None:
    sk = skeleton_of(COUPLE)
    # Jim is James by the nickname table; Dell only starts Della: two people, not four.
    assert sorted(names(sk)) == ["Della", "Jim"]
    assert "Mr. James Young" in next(c for c in sk.characters if c.name == "Jim").aliases
    assert "Dell" in next(c for c in sk.characters if c.name == "Della").aliases


def test_he_and_she_say_a_line_by_the_pronouns_the_story_gives_them() -> None:
    sk = skeleton_of(COUPLE)
    assert quote_of(sk, "Where is your hair?") == "Jim"          # 'he said' after 'Jim looked about the room'
    assert quote_of(sk, "Don't worry, Dell, about me.") == "Jim"  # Della spoke last, but 'he' is no woman
    assert quote_of(sk, "Jim, darling") == "Della"                # 'she'


def test_a_line_spoken_to_someone_by_name_is_not_theirs() -> None:
    sk = skeleton_of(COUPLE)
    assert quote_of(sk, "Isn't it a dandy, Jim?") == "Della"      # unattributed: the other one in the talk


def test_the_subject_of_the_sentence_that_leads_into_a_line_says_it() -> None:
    sk = skeleton_of(COUPLE)
    assert quote_of(sk, "Oh, Jim!") == "Della"


def test_a_line_the_narration_interrupts_reads_as_the_story_punctuates_it() -> None:
    sk = skeleton_of(COUPLE)
    assert any(q.text == "You needn't look for it. It's sold." for q in sk.quotes)    # two sentences
    assert any(q.text == "Maybe, you will forgive me." for q in sk.quotes)             # 'went on' is speech
    assert all("went on" not in e.text for e in sk.events)


def test_a_place_only_compared_with_or_named_once_after_the_is_no_place() -> None:
    sk = skeleton_of("Nell walked to the harbour. She looked like a Coney Island chorus girl. Nell prayed to the "
                     "Babe in the manger.\n\nNell waited at the harbour.")
    where = [p.name for p in sk.places]
    assert "the harbour" in where
    assert "Coney Island" not in where and "the Babe" not in where and "Babe" not in every_form(sk)


SETTINGS = """Nell lived in a small flat. Nell counted her coins in the flat.

Had the queen lived in the basement, Nell would have laughed. Nell combed her hair.

Nell ran down the stairs to the street. Nell walked past the shops.

"I was once in the garden," said Nell to the grocer. Nell bought a loaf of bread from him.

When Nell reached home she put the bread away. Nell looked about the room.
"""


def test_a_scene_happens_where_the_narration_last_put_someone() -> None:
    sk = skeleton_of(SETTINGS)
    assert [e.place for e in sk.events] == ["the flat", "the flat", "the street", "the street", "the flat"]
    # not the basement (it did not happen), not the garden (only said), home is the flat, the room is in it


def test_a_sentence_a_quote_completes_is_no_event_and_a_lead_in_is_mended() -> None:
    sk = skeleton_of('Nell stood at the door of the house. Beside it was a card bearing the name "Mr. Tom Hale."\n\n'
                     'Then Nell leaped up like a little singed cat and cried, "Oh, Tom!" Tom was called "Tommy" '
                     'by his sister Nell.')
    told = " ".join(e.text for e in sk.events)
    assert "bearing the name" not in told
    assert "Then Nell leaped up like a little singed cat." in told
    assert "Tom was called \"Tommy\" by his sister Nell." in told     # a word in quotation marks is no line


def test_a_proper_place_reached_is_a_setting_and_no_stop_is_left_where_a_line_was() -> None:
    sk = skeleton_of('Holmes sat in the study of the lodgings. His coat, which would in France look odd, was wet.\n\n'
                     'Holmes threw a sheet of paper upon the table. "It came by the last post," said he. "Read it."'
                     '\n\nAt three we reached Baker Street and Holmes knocked twice at the door.')
    assert [e.place for e in sk.events] == ["the study", "the study", "Baker Street"]   # not France: 'would'
    assert all(". ." not in e.text for e in sk.events)
    assert sk.events[1].text == "Holmes threw a sheet of paper upon the table."


# ------------------------------------------------------------ round 2: the families a held-out reading found

TEA = """Alice sat down at the table in the garden. The Hatter was pouring tea, and the March Hare watched her.

'Have some wine,' the March Hare said in an encouraging tone.

Alice looked all round the table. 'I don't see any wine,' she remarked.

'Your hair wants cutting,' said the Hatter. He had been looking at Alice for some time.

The boys' hats lay on the grass."""


def test_speech_in_single_quotation_marks_is_read_and_the_x_speaks_with_its_whole_name() -> None:
    sk = skeleton_of(TEA)
    assert quote_of(sk, "Have some wine") == "March Hare"      # not 'Hare': a month starts this name
    assert quote_of(sk, "see any wine") == "Alice"
    assert quote_of(sk, "hair wants cutting") == "Hatter"      # the sentence after the tag is no part of it
    assert {"Alice", "Hatter", "March Hare"} <= set(names(sk))
    assert "Hare" not in every_form(sk)


INN = """The captain sat in the parlour of the inn with his rum. Dr. Livesey came in from the road at dusk on 3 May.

"Silence there!" cried the captain.

"Were you addressing me, sir?" says the doctor.

"I was," said he.

"Then I have only one thing to say to you," replied the doctor.

"Say it, then."

My sister came out of the pantry. "Where have you been?" said my sister."""


def test_a_role_speaks_inverted_tags_and_untagged_turns_go_to_the_two_who_talk() -> None:
    sk = skeleton_of(INN)
    assert quote_of(sk, "Silence there") == "the captain"     # a role with no name is a character of its own
    assert quote_of(sk, "addressing me") == "Dr. Livesey"     # 'the doctor' is the story's one doctor
    assert quote_of(sk, "I was") == "the captain"             # 'said he': the other one of the two
    assert quote_of(sk, "Say it") == "the captain"            # untagged: turn-taking
    assert quote_of(sk, "Where have you been") == "my sister"
    assert {"the captain", "Dr. Livesey", "my sister"} <= set(names(sk))


def test_settings_a_reader_knows_and_a_date_that_beats_a_season() -> None:
    sk = skeleton_of(INN + "\n\nThat winter we walked out to the marshes and down to the cove.")
    where = {p.name: p.interior for p in sk.places}
    assert where["the inn"] is True and where["the pantry"] is True and where["the parlour"] is True
    assert where["the marshes"] is False and where["the cove"] is False
    assert sk.time_frame == "May, spring"


def test_a_family_of_one_name_stays_apart_by_its_titles() -> None:
    text = ("Mr. Bennet read his book. Mrs. Bennet talked to Elizabeth Bennet. Miss Bennet smiled and Elizabeth nodded. "
            "Mr. Bennet said nothing. Mrs. Bennet sighed. Miss Bennet went out. Elizabeth laughed.\n\n"
            "Mrs. Joe came in. Joe looked up and Mrs. Joe scolded him. Joe said nothing. Joe went out.")
    sk = skeleton_of(text)
    people = {c.name: set(c.aliases) for c in sk.characters}
    assert {"Mr. Bennet", "Mrs. Bennet", "Miss Bennet", "Elizabeth", "Mrs. Joe", "Joe"} <= set(people)
    assert all("Mrs. Bennet" not in a and "Miss Bennet" not in a and "Mrs. Joe" not in a for a in people.values())


def test_contractions_interjections_and_a_town_sailed_to_are_no_characters() -> None:
    text = ("I’ll tell you, said Tom. I’ve seen it. Yo-ho-ho, sang Tom, and Yo-ho-ho again. I’d go. Tom sailed to "
            "Bristol. We went to Bristol in the end. Tom came back to Bristol. Tom laughed.")
    assert not {"I’ll", "I’ve", "I’d", "Yo-ho-ho", "Bristol"} & every_form(skeleton_of(text))
