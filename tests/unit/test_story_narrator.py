"""Who says a line in a story told in the first person, and in two people's exchange of untagged lines
(studio.story_narrator, studio.story_quotes): on small hand-written texts whose answer a reader sees at a glance."""

from __future__ import annotations

from tests.unit.test_skeleton import every_form, names, quote_of, skeleton_of  # the same readings of a skeleton


LIGHTHOUSE = """My name is Tom Weller, and I kept the lamp on Gull Rock for eleven years.

I climbed the stairs every evening at dusk. I trimmed the wick and I wound the clock, and I watched the sea.

One night a boat came in out of the fog. A tall man stepped onto the rocks. His name was Silas Crane.

"Is this the Gull Rock light?" asked Crane.

"It is," said I. "You had better come up out of the wind."

He followed me up the stairs. I gave him bread and tea, and I sat by the stove.

"You keep it alone?" he said.

"Alone these eleven years."

"Then you will not mind a little company."

"That depends on the company."

In the morning I found his boat gone from the rocks."""


def test_a_first_person_narrator_named_once_is_a_character_and_says_their_lines() -> None:
    sk = skeleton_of(LIGHTHOUSE)
    assert names(sk)[:2] == ["Tom Weller", "Silas Crane"]      # the 'I' acts in most paragraphs
    assert quote_of(sk, "It is") == "Tom Weller"                # "…," said I
    assert quote_of(sk, "Alone these eleven years") == "Tom Weller"
    assert quote_of(sk, "Then you will not mind") == "Silas Crane"
    assert quote_of(sk, "That depends on the company") == "Tom Weller"


def test_a_narrator_is_named_by_call_me_or_by_the_one_who_speaks_to_them() -> None:
    called = LIGHTHOUSE.replace("My name is Tom Weller, and I", "Call me Tom. I")
    assert quote_of(skeleton_of(called), "It is") == "Tom"
    addressed = LIGHTHOUSE.replace("My name is Tom Weller, and I", "I").replace(
        "Is this the Gull Rock light?", "Is this the Gull Rock light, Mr. Weller?")
    sk = skeleton_of(addressed)
    assert quote_of(sk, "It is") == "Mr. Weller" and "Mr. Weller" in names(sk)[:2]


def test_a_nameless_narrator_is_no_character_and_their_lines_keep_no_speaker() -> None:
    sk = skeleton_of(LIGHTHOUSE.replace("My name is Tom Weller, and I", "I"))
    assert "I" not in every_form(sk) and names(sk) == ["Silas Crane"]
    assert quote_of(sk, "It is") == ""


KITCHEN = """Anna came into the kitchen. Her brother Paul was at the table.

"You're late," said Paul.

"The bus broke down," said Anna.

"Again?"

"Again. The driver walked to the garage."

"And you walked home?"

"All four miles."

Then Mrs. Dale came down the stairs with the washing, and she looked hard at the table.

"Who left the door open?"

"Not me," said Paul."""


def test_untagged_lines_alternate_between_two_speakers_until_narration_names_another() -> None:
    sk = skeleton_of(KITCHEN)
    assert [quote_of(sk, part) for part in ("Again?", "The driver walked", "And you walked home", "All four miles")] \
        == ["Paul", "Anna", "Paul", "Anna"]
    assert quote_of(sk, "Who left the door open") not in ("Paul", "Anna")   # Mrs. Dale came in: the run is over
