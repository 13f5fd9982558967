"""The project's characters, locations and props as a director's message names them, for studio.intents: whole
("walt's pickup"), by a possessive or plural ("nell's", "mugs"), by one word of a longer name, or by another word
for a place ("the car park" for a PARKING LOT, "the cafe" for a DINER, "the galley" for a KITCHEN)."""

from __future__ import annotations

from studio.intent_words import STOPS, TIMES, base, tokens

_GENERIC = frozenset({"the", "of", "a", "an", "and", "int", "ext", "s", "i/e", "int/ext", "at", "in", "on"})

# Words for the same kind of place: a location is also named by the others of its word's group.
_PLACES = (frozenset({"lot", "parking", "carpark", "car-park"}),
           frozenset({"diner", "restaurant", "cafe", "café", "caff", "eatery", "cafeteria", "canteen"}),
           frozenset({"kitchen", "galley", "kitchenette"}),
           frozenset({"bar", "pub", "tavern", "saloon"}), frozenset({"apartment", "flat"}),
           frozenset({"street", "road"}), frozenset({"house", "home"}), frozenset({"shop", "store"}),
           frozenset({"motel", "hotel", "inn"}), frozenset({"hospital", "clinic"}))
_OTHER_WORDS = {w: group - {w} for group in _PLACES for w in group}
_TWO_WORDS: dict[tuple[str, ...], str] = {("car", "park"): "carpark", ("car", "parks"): "carpark"}


class Names:
    """The project's characters, locations and props as a message names them: whole ("walt's pickup"), by a
    possessive or plural ("nell's", "nells", "mugs"), or by one word of a longer name when only one name has
    it, or when the shortest name that has it is one ("the diner" → SUNRISE DINER)."""

    def __init__(self, characters: tuple[str, ...], locations: tuple[str, ...], props: tuple[str, ...]) -> None:
        self.full: dict[tuple[str, ...], tuple[str, str]] = {}
        part: dict[str, list[tuple[str, str, int]]] = {}
        self.holding: dict[str, list[tuple[int, str, str, frozenset[str]]]] = {}  # word → names with it
        for kind, names in (("character", characters), ("location", locations), ("prop", props)):
            for name in names:
                seq = tuple(base(t.word) for t in tokens(name) if t.word not in STOPS and t.word != ",")
                if not seq:
                    continue
                self.full.setdefault(seq, (kind, name))
                other = {o for w in seq for o in _OTHER_WORDS.get(w, ())} if kind == "location" else set()
                said = frozenset(seq) | other
                for w in (*seq, *sorted(other - set(seq))):
                    if len(w) >= 3 and w not in _GENERIC and w not in TIMES:
                        part.setdefault(w, []).append((kind, name, len(seq)))
                        self.holding.setdefault(w, []).append((len(seq), kind, name, said))
        self.part: dict[str, tuple[str, str]] = {}
        for w, cands in part.items():
            people = {c for c in cands if c[0] == "character"}
            if len(people) == 1:
                kind, name, _ = people.pop()
                self.part[w] = (kind, name)
                continue
            shortest = min(c[2] for c in cands)
            at = {(c[0], c[1]) for c in cands if c[2] == shortest}
            if len(at) == 1:
                self.part[w] = at.pop()
        self.longest = max((len(k) for k in self.full), default=0)

    def words(self) -> tuple[str, ...]:
        return tuple({w for seq in self.full for w in seq} | set(self.part))

    def _key(self, word: str) -> list[str]:
        b = base(word)
        return [b, b[:-1]] if b.endswith("s") and len(b) > 3 else [b]

    def at(self, words: list[str], i: int) -> tuple[int, str, str] | None:
        """The name that starts at words[i]: (how many words, its kind, the NAME)."""
        if words[i] in ("lot", "lots") and (i and words[i - 1] in ("a", "whole") or words[i] == "lots"):
            return None  # "a lot darker": no parking lot
        for n in range(min(self.longest, len(words) - i), 0, -1):
            seq = [base(w) for w in words[i:i + n]]
            for last in self._key(words[i + n - 1]):
                found = self.full.get(tuple(seq[:-1] + [last]))
                if found:
                    return n, found[0], found[1]
        two = _TWO_WORDS.get(tuple(base(w) for w in words[i:i + 2]), "")
        if two in self.part:  # "the car park"
            return 2, *self.part[two]
        for key in self._key(words[i]):
            if key in self.part:
                kind, name = self.part[key]
                return self._longer(words, i, key) or (1, kind, name)
        return None

    def _longer(self, words: list[str], i: int, first: str) -> tuple[int, str, str] | None:
        """Words of one name said in a row ("the diner kitchen"): the shortest name that holds them all wins
        over the name of the first word alone (SUNRISE DINER - KITCHEN, not SUNRISE DINER)."""
        said = {first}
        best: tuple[int, str, str] | None = None
        j = i + 1
        while j < len(words) and j - i < self.longest:
            key = next((k for k in self._key(words[j]) if k in self.holding), None)
            if key is None:
                break
            said.add(key)
            fits = sorted(c for c in self.holding[first] if said <= c[3])
            if not fits:
                break
            best = (j - i + 1, fits[0][1], fits[0][2])
            j += 1
        return best
