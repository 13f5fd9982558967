"""The script's facts (studio.facts): ages, introductions, places and props as the screenplay states them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studio.breakdown import break_down
from studio.facts import LocationFacts, script_facts, without_ages
from studio.fountain import parse

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests/golden/fountain"
SAMPLE = REPO / "studio/samples/night_shift.fountain"

# The ages the screenplays print, read by eye from the files (not from the parser).
GOLDEN_AGES = {
    "01_last_call": {"VERA": "50s", "DEKKER": "40s", "SAL": "60s", "TOMMY": "9"},
    "02_deep_relay": {"IDA": "30s", "TOBIAS": "60s", "YOUNG IDA": "8", "MacLEOD": ""},
    "03_dust_and_iron": {"JUNE": "40s", "BOONE": "60s", "CORMAC": "30s", "RUSTY": "20s"},
    "04_the_birthday_heist": {"NOOR": "10", "SAMI": "10", "DAD": "40s", "GRANDMA BEA": "80s", "McALLISTER": ""},
    "05_the_lower_floor": {"PRIYA": "20s", "GIRL": "7", "HOLLIS": "50s", "OSEI": ""},
    "06_the_last_tram": {"LOTTE": "20s", "JONAS": "30s", "OMA GRIET": "80s"},
}


def facts_of(text: str):
    doc = parse(text)
    return script_facts(doc, break_down(doc))


def test_the_sample_states_nell_is_in_her_forties():
    facts = facts_of(SAMPLE.read_text())
    assert {k: c.age for k, c in facts.characters.items()} == {"DEE": "30s", "NELL": "40s", "WALT": "60s",
                                                                 "ROY": "50s"}
    nell = facts.characters["NELL"]
    assert nell.description == ("Nell, in a faded pink uniform, refills ketchup bottles with the grim focus of "
                                "someone nine hours into a ten-hour shift.")
    assert facts.character("nell") is nell
    assert facts.locations["SUNRISE DINER"] == LocationFacts(
        name="SUNRISE DINER", int_ext="INT/EXT", times=["NIGHT", "DAWN"],
        first_action="A chrome-and-glass diner squats beside an empty two-lane highway.")
    assert facts.locations["SUNRISE DINER - KITCHEN"].times == []  # CONTINUOUS is not a time of day
    assert facts.props["PHOTOGRAPH"] == ("Tucked behind her driver's license is a photograph, soft at the corners "
                                         "from years of handling.")
    assert facts.props["CAP"] == "Walt steps in, shaking the rain from his cap."


@pytest.mark.parametrize("name", sorted(GOLDEN_AGES))
def test_golden_screenplays_ages_and_introductions(name):
    facts = facts_of((GOLDEN / f"{name}.fountain").read_text())
    ages = {k: c.age for k, c in facts.characters.items() if k in GOLDEN_AGES[name]}
    assert ages == GOLDEN_AGES[name]
    for c in facts.characters.values():
        # An introduction in plain words: no age bracket, no name shouted in capitals, one sentence.
        assert not re.search(r"\(\s*\d", c.description)
        assert c.name.upper() not in c.description
        assert len(c.description) <= 300
    for place in facts.locations.values():
        assert place.first_action and place.first_action[-1] in ".!?…"


def test_every_way_a_screenplay_gives_an_age():
    text = ("\nEXT. LIGHTHOUSE - DUSK\n\n"
            "MARA, a lighthouse keeper in her late thirties, climbs the stairs. NELL (40s, tired) follows.\n\n"
            "Behind them WALT, 60s, hauls a crate. ROY (10) runs ahead. BEN (mid-twenties) waits below.\n\n"
            "Down at the dock, ANNA, a 42-year-old fisher, mends a net.\n\n"
            "MARA\nUp.\n\nNELL\nWhy?\n\nWALT\nBecause.\n\nROY\nRace you.\n\nBEN\nWait.\n\nANNA\nGo on.\n")
    facts = facts_of(text)
    assert {k: c.age for k, c in facts.characters.items()} == {
        "MARA": "late thirties", "NELL": "40s", "WALT": "60s", "ROY": "10", "BEN": "mid-twenties", "ANNA": "42"}
    assert facts.characters["NELL"].description == "Nell, tired, follows."
    assert facts.characters["MARA"].description == ("Mara, a lighthouse keeper in her late thirties, climbs the "
                                                    "stairs.")


def test_a_character_the_script_never_introduces_has_no_invented_facts():
    facts = facts_of("\nINT. ROOM - DAY\n\nA phone rings.\n\nVOICE (V.O.)\nHello?\n")
    assert facts.characters["VOICE"].age == "" and facts.characters["VOICE"].description == ""


@pytest.mark.parametrize("text,expected", [
    ("a waitress in her late fifties, tired but kind", "a waitress, tired but kind"),
    ("<18", ""),
    ("a 45-year-old cook with flour on his sleeves", "a cook with flour on his sleeves"),
    ("a 45-year-old actor", "an actor"),
    ("woman (40s), tired eyes", "woman, tired eyes"),
    ("aged 40, grey hair, mid-40s", "grey hair"),
    ("tall, 18+, wiry", "tall, wiry"),
    ("a university lecturer in his thirties", "a university lecturer"),
    ("an hour late, a fifties diner", "an hour late, a fifties diner"),
])
def test_without_ages_takes_out_only_the_age(text, expected):
    assert without_ages(text) == expected


CORPUS = REPO / "tests/corpus"
# Read by eye from the files: 'CHALF, NAR, and YOR, each male and 15,'  'THRAIN, a brown Unicorn mare … 6 (26 in
# human years)'  'CHARYA, a stereotype nice Librarian lady, 30,'  'CYBER BOB, 40, a white man'  'MARGARET, 37, a
# white woman'  'CYBER BOSS, 40 (or any age)'. No other speaking character is given an age in capitals (the SEVEN
# CHIHUAHUAS, 'all age 5', never speak; BOB and DOG are never written alone in capitals in the action).
CORPUS_AGES = {
    "the_library_freak_out": {"CHALF": "15", "NAR": "15", "YOR": "15", "THRAIN": "6", "CHARYA": "30",
                              "PATRON ONE": "", "PATRON TWO": "", "PATRONS THREE AND FOUR": "", "PATRON FIVE": ""},
    "cyber_bob_ep00001": {"CYBER BOB": "40", "MARGARET": "37", "CYBER BOSS": "40", "BOB": "", "DOG": "",
                          "BOSS": ""},
}


@pytest.mark.parametrize("name", sorted(CORPUS_AGES))
def test_real_screenplays_by_other_people_keep_their_stated_ages(name):
    facts = facts_of((CORPUS / f"{name}.fountain").read_text(encoding="utf-8"))
    assert {k: c.age for k, c in facts.characters.items()} == CORPUS_AGES[name]


def test_a_capital_word_inside_a_longer_run_is_not_the_character():
    facts = facts_of((CORPUS / "cyber_bob_ep00001.fountain").read_text(encoding="utf-8"))
    # 'He admires a CUTE DOG and MARGARET, 37, …': the cute dog is not DOG, and the sentence is Margaret's.
    assert facts.characters["DOG"].description == ""
    assert facts.characters["MARGARET"].description.startswith("He admires a cute dog and Margaret, 37,")
    assert facts.characters["BOB"].description == ""  # 'CYBER BOB, 40, …' introduces CYBER BOB
    assert facts.characters["CYBER BOB"].description.startswith("Cyber Bob, 40, a white man")


@pytest.mark.parametrize("action,ages", [
    ("CHARYA, a stereotype nice Librarian lady, 30, sits at a desk.", {"CHARYA": "30"}),
    ("THRAIN, a brown Unicorn mare, 6 (26 in human years), spunky and cheery, sits.", {"THRAIN": "6"}),
    ("CYBER BOSS, 40 (or any age), an ageless cloud, descends.", {"CYBER BOSS": "40"}),
    ("Three weirdos, CHALF, NAR, and YOR, each male and 15, sit at a table.",
     {"CHALF": "15", "NAR": "15", "YOR": "15"}),
    ("NOOR and SAMI, both aged 10, run in.", {"NOOR": "10", "SAMI": "10"}),
    ("NOOR and SAMI, 10, run in.", {"NOOR": "", "SAMI": "10"}),
    ("NOOR, SAMI, both aged 10, run in.", {"NOOR": "10", "SAMI": "10"}),
    ("NELL, WALT, 60s, come in.", {"NELL": "", "WALT": "60s"}),  # whose? WALT's alone is the safe reading
    ("NELL, a waitress, sits with WALT, 60s.", {"NELL": "", "WALT": "60s"}),
    ("NELL, a waitress, sits with WALT (60s), 30.", {"NELL": "", "WALT": "60s"}),
    ("DEE, a TV host, 30, smiles.", {"DEE": "30"}),
    ("ANNA, a fisher, mid-twenties, mends a net.", {"ANNA": "mid-twenties"}),
    ("ANNA, a fisher, aged 42, mends a net.", {"ANNA": "42"}),
    # Numbers that are not ages
    ("NELL, at 3:15, leaves.", {"NELL": ""}),
    ("NELL, carrying 2 bottles, leaves.", {"NELL": ""}),
    ("NELL, born 1983, leaves.", {"NELL": ""}),
    ("NELL, 1983, leaves.", {"NELL": ""}),
    ("NELL, a clerk, reads page 40, then leaves.", {"NELL": ""}),
    ("NELL, of 12 Elm Street, leaves.", {"NELL": ""}),
    ("NELL, $40 in her pocket, leaves.", {"NELL": ""}),
    ("NELL, 500, leaves.", {"NELL": ""}),
    ("NELL walks in, puts down the tray, 2, and leaves.", {"NELL": ""}),
])
def test_ages_said_later_in_the_clause_or_of_a_group(action, ages):
    cues = "".join(f"{n}\nHi.\n\n" for n in ages)
    facts = facts_of(f"\nINT. ROOM - DAY\n\n{action}\n\n{cues}")
    assert {k: c.age for k, c in facts.characters.items()} == ages
