"""Held-out measure of the story skeleton: what a reader says is in a story vs. what Auteur finds.

The stories in bench/stories/ were chosen and their expected.json written by hand by someone who had not read
the skeleton's code (see each file's "expected_by"), so this measures the rules on text they were not tuned on.
Only the public API is used: studio.skeleton.passages_of and find_skeleton(text, passages, minutes=5.0).
With --corpus the development stories of tests/corpus/stories are measured too (marked "dev").

How each column is scored (the expected file's words against the skeleton's):
- chars: each "must" entry (a name, or a list of names for one person) is found when a character among the
  skeleton's first `top` has that name or alias, one character per person (a character holding "Mr. Bennet"
  and "Mrs. Bennet" as aliases is one person found, the other folded away). Names compare case-insensitively, without a leading "the",
  periods or possessive 's; "Mrs. Joe" never matches "Joe" (titles carry identity).
- not-char FP: "not_characters" that appear as a character's name or alias anywhere in the list.
- places: an expected place is found when a skeleton place's name equals it or one holds the other as whole
  words ("the Golden Krone Hotel" ~ "Golden Krone Hotel", "the long hall" ~ "the hall").
- interior: of the found places whose expected interior is true/false (null: not scored), how many agree.
- quotes: a skeleton quote matches when one text holds the other (case, quote marks and spacing aside; at least
  8 characters). speaker: of the expected quotes that name a speaker, how many were found AND given that
  speaker (its name, or a name of the skeleton character it belongs to, unless that character holds two must-have people). Quotes with speaker "" only count for
  finding.
- time: the skeleton's time frame holds one of the expected words (n/a when a reader expects none).
- moments cited: some event cites a passage that overlaps the expected words; top3: such an event is among the
  three events sharing most content words with the question (what a search over events would answer).
Run: .venv/bin/python bench/adaptation.py [--corpus] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from studio.skeleton import find_skeleton, passages_of  # noqa: E402

HELD_OUT = REPO / "bench" / "stories"
DEV = REPO / "tests" / "corpus" / "stories"
STOP = set("a an the of to in on at and or but is was were be been he she it they his her their its i you we my "
           "your our with for from by as that this what who where when does do did how why into up down out".split())


@dataclass
class Score:
    """Hits over totals for one story (or the sum of many)."""

    story: str
    set: str
    chars: list[int] = field(default_factory=lambda: [0, 0])
    not_char_fp: list[int] = field(default_factory=lambda: [0, 0])
    places: list[int] = field(default_factory=lambda: [0, 0])
    interior: list[int] = field(default_factory=lambda: [0, 0])
    quotes: list[int] = field(default_factory=lambda: [0, 0])
    speaker: list[int] = field(default_factory=lambda: [0, 0])
    time: list[int] = field(default_factory=lambda: [0, 0])
    cited: list[int] = field(default_factory=lambda: [0, 0])
    top3: list[int] = field(default_factory=lambda: [0, 0])
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("chars", "not_char_fp", "places", "interior", "quotes", "speaker", "time", "cited", "top3"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine[0] += theirs[0]
            mine[1] += theirs[1]
        self.seconds += other.seconds


def alternatives(entry: str | list[str]) -> list[str]:
    """An expected name is one string or a list of names the story uses for one person."""
    return [entry] if isinstance(entry, str) else list(entry)


def norm(name: str) -> str:
    """Compare names as a reader would: case, a leading 'the', periods and possessives aside."""
    text = name.replace("’", "'").lower().strip()
    text = re.sub(r"'s$", "", text).replace(".", "")
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def flat(text: str) -> str:
    """Text for quote comparison: one spacing, straight quotes, lower case, no outer punctuation."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()
    return re.sub(r"\s+", " ", text).strip(" '\",.!?-—")


def words_within(small: str, big: str) -> bool:
    """Whether the words of `small` appear in `big` as a whole-word run."""
    return bool(small) and re.search(rf"(^| ){re.escape(small)}( |$)", big) is not None


def names_of(character: Any) -> set[str]:
    return {norm(character.name), *(norm(a) for a in character.aliases)}


def score_characters(sk: Any, expected: dict[str, Any], score: Score) -> None:
    """Each must-have person needs a character of their own: one character holding two people counts once."""
    chars = expected["characters"]
    top = list(sk.characters[: chars["top"]])
    wanted = [{norm(n) for n in alternatives(entry)} for entry in chars["must"]]
    taken: dict[int, int] = {}
    for by_name in (True, False):
        for i, names in enumerate(wanted):
            if i in taken.values():
                continue
            for j, c in enumerate(top):
                if j not in taken and ((norm(c.name) in names) if by_name else bool(names_of(c) & names)):
                    taken[j] = i
                    break
    for i, entry in enumerate(chars["must"]):
        found = i in taken.values()
        score.chars[0] += found
        score.chars[1] += 1
        shared = next((c.name for c in top if names_of(c) & wanted[i]), None)
        if not found and shared:
            score.misses.append(f"character {alternatives(entry)[0]!r} folded into {shared!r} with another person")
        elif not found:
            score.misses.append(f"character {alternatives(entry)[0]!r} not in top {chars['top']}")
    every = set().union(*(names_of(c) for c in sk.characters)) if sk.characters else set()
    for word in expected.get("not_characters", []):
        wrong = norm(word) in every
        score.not_char_fp[0] += wrong
        score.not_char_fp[1] += 1
        if wrong:
            score.misses.append(f"{word!r} taken for a character")


def score_places(sk: Any, expected: dict[str, Any], score: Score) -> None:
    for place in expected.get("places", []):
        want = norm(place["name"])
        match = next((p for p in sk.places if norm(p.name) == want), None) or next(
            (p for p in sk.places if words_within(want, norm(p.name)) or words_within(norm(p.name), want)), None)
        score.places[0] += match is not None
        score.places[1] += 1
        if match is None:
            score.misses.append(f"place {place['name']!r} not found")
        elif place.get("interior") is not None:
            right = match.interior == place["interior"]
            score.interior[0] += right
            score.interior[1] += 1
            if not right:
                score.misses.append(f"place {place['name']!r}: interior {match.interior}, a reader says {place['interior']}")


def speaker_is(sk: Any, said_by: str, wanted: set[str], people: list[set[str]]) -> bool:
    """The skeleton's speaker is the expected person: by name, or through that character's aliases, unless the
    character holds two must-have people (then its aliases say nothing about who speaks)."""
    if norm(said_by) in wanted:
        return True
    for c in sk.characters:
        names = names_of(c)
        if norm(said_by) == norm(c.name) and names & wanted and sum(bool(names & p) for p in people) < 2:
            return True
    return False


def score_quotes(sk: Any, expected: dict[str, Any], score: Score) -> None:
    people = [{norm(n) for n in alternatives(entry)} for entry in expected["characters"]["must"]]
    for quote in expected.get("quotes", []):
        want = flat(quote["contains"])
        match = next((q for q in sk.quotes if len(min(want, flat(q.text), key=len)) >= 8
                      and (want in flat(q.text) or flat(q.text) in want)), None)
        score.quotes[0] += match is not None
        score.quotes[1] += 1
        speakers = {norm(n) for n in alternatives(quote["speaker"]) if n}
        if match is None:
            score.misses.append(f"quote {quote['contains'][:40]!r} not found")
        if speakers:
            right = match is not None and speaker_is(sk, match.speaker, speakers, people)
            score.speaker[0] += right
            score.speaker[1] += 1
            if match is not None and not right:
                score.misses.append(f"quote {quote['contains'][:30]!r}: speaker {match.speaker!r}, "
                                    f"a reader says {alternatives(quote['speaker'])[0]!r}")


def score_time(sk: Any, expected: dict[str, Any], score: Score) -> None:
    wanted = [w for w in alternatives(expected.get("time_frame_contains") or []) if w]
    if not wanted:
        return
    hit = any(w.lower() in sk.time_frame.lower() for w in wanted)
    score.time[0] += hit
    score.time[1] += 1
    if not hit:
        score.misses.append(f"time frame {sk.time_frame!r}, a reader says {wanted[0]!r}")


def passages_at(text: str, passages: list[Any], words: str) -> set[str]:
    """Ids of the passages overlapping the first place the words occur (any spacing between them)."""
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    found = re.search(pattern, text)
    if found is None:
        return set()
    return {p.id for p in passages if p.start < found.end() and p.end > found.start()}


def content_words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", text.lower().replace("’", "'")) if w not in STOP and len(w) > 2}


def score_moments(sk: Any, text: str, passages: list[Any], expected: dict[str, Any], score: Score) -> None:
    for moment in expected.get("moments", []):
        where = passages_at(text, passages, moment["passage_contains"])
        cited = any(e.passage in where for e in sk.events)
        question = content_words(moment["moment"])
        ranked = sorted(sk.events, key=lambda e: -len(question & content_words(
            " ".join([e.text, *e.characters, e.place]))))
        best = any(e.passage in where for e in ranked[:3])
        score.cited[0] += cited
        score.cited[1] += 1
        score.top3[0] += best
        score.top3[1] += 1
        if not cited:
            score.misses.append(f"moment {moment['moment']!r}: no event cites its passage {sorted(where)}")
        elif not best:
            score.misses.append(f"moment {moment['moment']!r}: cited, but not in the top 3 events for the question")


def measure(folder: Path, label: str) -> Score:
    text = (folder / "story.txt").read_text(encoding="utf-8")
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    began = time.perf_counter()
    passages = passages_of(text)
    sk = find_skeleton(text, passages, minutes=5.0)
    score = Score(folder.name, label, seconds=time.perf_counter() - began)
    score_characters(sk, expected, score)
    score_places(sk, expected, score)
    score_quotes(sk, expected, score)
    score_time(sk, expected, score)
    score_moments(sk, text, passages, expected, score)
    return score


def cell(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "n/a"


COLUMNS = [("chars", "chars"), ("not_char_fp", "notchar FP"), ("places", "places"), ("interior", "interior"),
           ("quotes", "quotes"), ("speaker", "speaker"), ("time", "time"), ("cited", "moment cited"),
           ("top3", "moment top3")]


def table(scores: list[Score], totals: list[Score]) -> str:
    head = f"{'story':28} {'set':8}" + "".join(f" {title:>12}" for _, title in COLUMNS) + f" {'secs':>6}"
    lines = [head, "-" * len(head)]
    for s in [*scores, *totals]:
        if s in totals and s is totals[0]:
            lines.append("-" * len(head))
        lines.append(f"{s.story:28} {s.set:8}" + "".join(f" {cell(getattr(s, key)):>12}" for key, _ in COLUMNS)
                     + f" {s.seconds:6.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="store_true", help="also measure tests/corpus/stories (development set)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON instead of a table")
    parser.add_argument("--misses", action="store_true",
                        help="also list every miss (only for whoever may read the held-out set: not its developers)")
    args = parser.parse_args()
    sets = [(HELD_OUT, "held-out")] + ([(DEV, "dev")] if args.corpus else [])
    scores = [measure(f, label) for base, label in sets for f in sorted(base.iterdir()) if (f / "expected.json").exists()]
    totals = []
    for _, label in sets:
        total = Score("TOTAL", label)
        for s in scores:
            if s.set == label:
                total.add(s)
        totals.append(total)
    if not args.misses:
        for s in scores:
            s.misses = []
    if args.json:
        print(json.dumps({"stories": [asdict(s) for s in scores], "totals": [asdict(t) for t in totals]}, indent=2))
        return
    print(table(scores, totals))
    if args.misses:
        print()
        for s in scores:
            for miss in s.misses:
                print(f"  {s.story}: {miss}")


if __name__ == "__main__":
    main()
