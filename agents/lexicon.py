"""The words of a project's languages, from wordfreq's lists (the Lexicon port of studio.vetting).

A word is real in a language when wordfreq's large list for it has the word at Zipf frequency ``MIN_ZIPF`` = 1.0
or more: that is the floor of those lists (a word seen about once in 100 million words of text), so every word
they hold counts. It takes rare words ("palimpsest" 2.1, "circumambulate" 1.3), first names and surnames
("Marcie" 2.3, "Amaya" 2.6, "Nkechi" 1.2, "Lindqvist" 1.7) and refuses what a small model glues together
("MORNINGAMONY", "NEMONYDENDABESSA…", "winned" are all 0). A higher floor would lose rare words and names (Nkechi
1.2, circumambulate 1.3) and gain little: glued or invented tokens are absent from the lists, not rare in them.

``lexicon_for(sample)`` finds the languages a sample is written in: for each candidate language of the sample's
script, the mean Zipf frequency of its distinct words in wordfreq's small list of that language (the small lists
of the 15 Latin-script candidates take about 65 MB of memory, their large lists 600 MB); a text scores about 4.7-5.5 in its own language and under 3.4 in
the others, and English text scores ``ENGLISH_AT`` = 4.0 or more in English (French or Spanish prose scores 1.8
there), so an English sample is known without loading the other lists. The best language is taken with English,
always included (names, loan words, the crew's own English). Only the chosen languages' large lists are loaded to
tell words. wordfreq is imported late: each list takes a fraction of a second to load.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from studio.errors import AuteurError
from studio.ports import Lexicon

MIN_ZIPF = 1.0
ENGLISH_AT = 4.0  # English text scores 4.7-5.5 in English (small list); French or Spanish prose about 1.8
SAMPLE_WORDS = 600  # the distinct words of a sample that are enough to tell its language
# The languages whose words wordfreq splits without extra packages, by script (CJK and Thai need MeCab/jieba).
CANDIDATES = {
    "latin": ("en", "fr", "es", "de", "it", "pt", "nl", "sv", "da", "nb", "pl", "ca", "ro", "cs", "fi"),
    "cyrillic": ("ru", "uk", "bg"),
    "greek": ("el",),
    "hebrew": ("he",),
    "arabic": ("ar", "fa"),
}
_PART = re.compile(r"['\-]")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def _wordfreq() -> Any:
    try:
        import wordfreq
    except ImportError as exc:  # a dependency of auteur; missing only in a hand-made environment
        raise AuteurError("the word lists that vet what a model writes are missing (the wordfreq package)",
                          "install it: pip install wordfreq") from exc
    return wordfreq


class WordfreqLexicon:
    """The words of ``languages`` (wordfreq codes such as "en", "fr"), any case, lookups cached."""

    def __init__(self, languages: tuple[str, ...] | list[str]) -> None:
        self.languages = tuple(dict.fromkeys(languages)) or ("en",)
        self._zipf = _wordfreq().zipf_frequency
        self._cache: dict[str, bool] = {}

    def __repr__(self) -> str:
        return f"WordfreqLexicon({self.languages!r})"

    def is_word(self, word: str) -> bool:
        low = word.lower().replace("’", "'").strip()
        hit = self._cache.get(low)
        if hit is None:
            hit = self._known(low)
            if not hit and _PART.search(low):  # Jean-Luc, l'homme, Walt's: each part a word (or a clitic)
                parts = [p for p in _PART.split(low) if p]
                hit = bool(parts) and all(len(p) <= 2 or self._known(p) for p in parts) and any(
                    self._known(p) for p in parts if len(p) > 2)
            if len(self._cache) < 200_000:
                self._cache[low] = hit
        return hit

    def _known(self, word: str) -> bool:
        if not word or not any(c.isalpha() for c in word):
            return False
        return any(self._zipf(word, lang) >= MIN_ZIPF for lang in self.languages)


def _script(text: str) -> str:
    counts: Counter[str] = Counter()
    for c in text:
        if c.isalpha():
            if c < "\u0250":
                counts["latin"] += 1
            elif "\u0370" <= c < "\u0400":
                counts["greek"] += 1
            elif "\u0400" <= c < "\u0530":
                counts["cyrillic"] += 1
            elif "\u0590" <= c < "\u0600":
                counts["hebrew"] += 1
            elif "\u0600" <= c < "\u0780":
                counts["arabic"] += 1
            else:
                counts["other"] += 1
    return counts.most_common(1)[0][0] if counts else "latin"


def detect_languages(sample: str) -> tuple[str, ...]:
    """The languages ``sample`` is written in, best first, English always included: ("en",) or ("fr", "en")."""
    words = list(dict.fromkeys(w.lower() for w in _WORD.findall(sample)))[:SAMPLE_WORDS]
    candidates = CANDIDATES.get(_script(sample), ())
    if not words or not candidates:
        return ("en",)
    zipf = _wordfreq().zipf_frequency

    def score(lang: str) -> float:
        return sum(zipf(w, lang, wordlist="small") for w in words) / len(words)

    if "en" in candidates and score("en") >= ENGLISH_AT:  # English: no need to load the other lists
        return ("en",)
    scores = {lang: score(lang) for lang in candidates}
    best = max(scores, key=lambda lang: scores[lang])
    return (best, "en") if best != "en" else ("en",)


@lru_cache(maxsize=16)
def _lexicon(languages: tuple[str, ...]) -> WordfreqLexicon:
    return WordfreqLexicon(languages)


def lexicon_for(sample: str) -> Lexicon:
    """The lexicon of the languages ``sample`` is written in (one shared lexicon per set of languages)."""
    return _lexicon(detect_languages(sample))
