"""The story's own sentences made fit for a treatment, a beat or a scene's action: told in the present tense where
the rules can, quoted speech left as written.

Only verbs whose subject the rules can see are changed ('she walked' → 'she walks', 'Della went' → 'Della goes',
'the door closed' → 'the door closes'); a sentence the rules cannot read stays as the story wrote it, since a
wrong tense is worse than the story's own past tense.
"""

from __future__ import annotations

import re
from typing import Iterable

from studio.story_words import ADJECTIVE_ENDINGS, ADJECTIVES

# Past → base form, the common irregular verbs (third person adds -s by `third`).
_IRREGULAR = dict(pair.split(":") for pair in """went:go came:come saw:see took:take gave:give said:say told:tell
    made:make found:find thought:think knew:know got:get left:leave felt:feel kept:keep stood:stand sat:sit ran:run
    began:begin brought:bring bought:buy held:hold heard:hear met:meet lay:lie led:lead lost:lose spoke:speak
    wrote:write fell:fall grew:grow drew:draw threw:throw wore:wear woke:wake rose:rise drove:drive rode:ride
    broke:break chose:choose forgot:forget caught:catch taught:teach fought:fight sought:seek slept:sleep
    swept:sweep wept:weep built:build sent:send spent:spend bent:bend struck:strike hung:hang sang:sing rang:ring
    swam:swim drank:drink ate:eat flew:fly hid:hide shook:shake understood:understand became:become did:do
    had:have sank:sink shone:shine slid:slide stole:steal swung:swing tore:tear won:win laid:lay paid:pay
    fled:flee fed:feed dug:dig crept:creep knelt:kneel leapt:leap meant:mean dealt:deal sprang:spring
    lit:light stuck:stick blew:blow froze:freeze bore:bear forgave:forgive overtook:overtake withdrew:withdraw""".split())
_NEGATIVE = {"wasn't": ("isn't", "am not", "aren't"), "weren't": ("isn't", "am not", "aren't"),
             "didn't": ("doesn't", "don't", "don't"), "hadn't": ("hasn't", "haven't", "haven't")}
_SINGULAR = frozenset({"he", "she", "it", "one", "nobody", "somebody", "everybody", "someone", "everyone"})
_PLURAL = frozenset({"they", "we", "you"})
_PLURAL_NOUNS = frozenset({"men", "women", "children", "people", "feet", "mice", "geese", "teeth", "police"})
_DETERMINERS = frozenset({"the", "a", "an", "his", "her", "their", "its", "my", "your", "our", "this", "that"})
_ADVERBS = frozenset({"then", "also", "still", "just", "never", "always", "only", "soon", "once", "even", "at",
                      "indeed", "almost", "again", "too", "now"})
_LINKS = frozenset({"and", "then", "but", "or"})
# Pasts that are their own base: changed only after a third-person subject ('she put' → 'she puts').
_SAME = frozenset("put set cut hit let shut cast hurt spread burst cost quit".split())
# Words that are no noun a verb could follow ('her had hurried' is no subject 'her had').
_NOT_NOUNS = frozenset("""had has have was were is are be been being did does do would could should will shall might
    must can may not""".split())
_NO_E = ("en", "er", "on", "el", "it", "al", "om", "ow", "ew", "ck", "sh", "ch", "rm", "rn", "ur")
# Words in -ed that are no past verb after a subject ('she indeed', 'they, a hundred').
_NOT_VERBS = frozenset("""indeed hundred naked wicked sacred beloved kindred rugged ragged crooked wretched blessed
    learned aged""".split())
_DOUBLED = "bdgmnprt"
_VOWELS = "aeiou"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]{4,}’")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][”\"’]))\s+(?=[“\"‘A-Z])")


def third(base: str) -> str:
    """'go' → 'goes', 'carry' → 'carries', 'walk' → 'walks', 'have' → 'has'."""
    if base == "have":
        return "has"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if len(base) > 1 and base.endswith("y") and base[-2] not in _VOWELS:
        return base[:-1] + "ies"
    return base + "s"


def _regular_base(word: str) -> str:
    """The base of a regular past ('walked' → 'walk', 'smiled' → 'smile', 'stopped' → 'stop'); "" when unsure."""
    if not word.endswith("ed") or len(word) < 5 or word in _NOT_VERBS:
        return ""
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] in _DOUBLED and stem[-3] in _VOWELS \
            and stem[-4] not in _VOWELS:
        return stem[:-1]  # stopped, planned, nodded
    if stem.endswith(("v", "c", "z", "u", "e")) or (stem[-1] in "gs" and stem[-2] in _VOWELS):
        return stem + "e"  # loved, danced, argued, agreed, raged, paused
    if stem[-1] == "l" and stem[-2] not in _VOWELS and stem[-2] != "l":
        return stem + "e"  # trembled, startled, giggled
    if stem.endswith(_NO_E) or stem[-1] in "wxy":
        return stem
    if stem[-1] not in _VOWELS and len(stem) >= 3 and stem[-2] in _VOWELS and stem[-3] not in _VOWELS:
        return stem + "e"  # smiled, hoped, closed
    return stem


def _case(like: str, word: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _person(subject: str, names: set[str]) -> int | None:
    """0: third person singular, 1: 'I', 2: plural or 'you'; None when the word is no subject the rules know."""
    low = subject.lower()
    if low == "i":
        return 1
    if low in _PLURAL:
        return 2
    if low in _SINGULAR or subject in names:
        return 0
    return None


def _present_of(word: str, person: int) -> str:
    """The present form of a past verb for the subject's person, or "" when ``word`` is no past verb."""
    low = word.lower().replace("’", "'")
    if low in ("was", "were"):
        return ("is", "am", "are")[person]
    if low in _NEGATIVE:
        return _NEGATIVE[low][person]
    if low in _SAME:
        return third(low) if person == 0 else ""
    base = _IRREGULAR.get(low) or _regular_base(low)
    if not base:
        return ""
    return third(base) if person == 0 else base


def _adjective(word: str) -> bool:
    """'beautiful', 'little', 'broad': a word after 'the' that is no noun a verb could follow."""
    low = word.lower()
    return low in ADJECTIVES or (len(low) > 5 and low.endswith(ADJECTIVE_ENDINGS))


def _subject_before(words: list[str], k: int, names: set[str]) -> int | None:
    """The person of the subject just before word ``k`` (an adverb between allowed), or None."""
    j = k - 1
    while j >= 0 and (words[j].lower() in _ADVERBS or (words[j].islower() and words[j].endswith("ly"))):
        j -= 1
    if j < 0:
        return None
    found = _person(words[j], names)
    if found is not None:
        return found
    if j >= 1 and _determiner(words[j - 1], names) and words[j].islower() and len(words[j]) > 2 \
            and not _adjective(words[j]) and words[j] not in _NOT_NOUNS:
        plural = words[j] in _PLURAL_NOUNS or (words[j].endswith("s") and not words[j].endswith("ss"))
        return 2 if plural else 0  # 'the door', 'the men', 'Della's hair'
    if j >= 2 and _determiner(words[j - 2], names) and _adjective(words[j - 1]) and words[j].islower() \
            and len(words[j]) > 2 and not _adjective(words[j]) and words[j] not in _NOT_NOUNS:
        plural = words[j] in _PLURAL_NOUNS or (words[j].endswith("s") and not words[j].endswith("ss"))
        return 2 if plural else 0  # 'the old man', 'Della's beautiful hair'
    return None


def _determiner(word: str, names: set[str]) -> bool:
    """'the', 'her', and a name's possessive ('Della's')."""
    return word.lower() in _DETERMINERS or (word[-2:] in ("'s", "’s") and word[:-2] in names)


def _present_plain(text: str, names: set[str]) -> str:
    """Narration (no quoted speech) with the past verbs the rules can see in the present tense."""
    out: list[str] = []
    last = 0
    words: list[str] = []
    carried: int | None = None  # the subject of the last verb changed, for 'she stood and walked'
    waiting: int | None = None  # a sentence's subject whose verb has not come yet
    changed = False  # the word before was a verb changed, for 'she paused, smiled and nodded'
    for m in _WORD.finditer(text):
        word = m.group(0)
        between = text[last:m.start()]
        if any(ch in between for ch in ".;:!?"):
            carried = waiting = None
        if _person(word, names) is not None and (not words or any(ch in between for ch in ".;:!?")):
            waiting = _person(word, names)  # a sentence's subject, until its verb comes
        person = _subject_before(words, len(words), names)
        noun_subject = person is not None and bool(words) and _person(words[-1], names) is None
        if person is None and carried is not None and words and (
                words[-1].lower() in _LINKS or (changed and between.strip() == ",")):
            person = carried
        if person is None and waiting is not None and between.strip() == ",":
            person = waiting  # 'Della, being slender, had mastered the art'
        now = _present_of(word, person) if person is not None else ""
        if words and words[-1].lower() == "there" and word.lower() in ("was", "were"):
            now = "is" if word.lower() == "was" else "are"  # 'there was an expression' → 'there is …'
        if now and noun_subject and text[m.end():m.end() + 4].startswith(" by "):
            now = ""  # 'the ravages made by generosity': a participle, not the noun's verb
        out.append(text[last:m.start()])
        if now:
            out.append(_case(word, now))
            carried, waiting = person, None
        else:
            out.append(word)
        changed = bool(now)
        words.append(word)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def present(text: str, names: Iterable[str] = ()) -> str:
    """``text`` in the present tense where the rules can; what is quoted stays as said."""
    known = {w for n in names for w in n.replace(".", " ").split() if w[:1].isupper()}
    out, last = [], 0
    for m in _QUOTED.finditer(text):
        out.append(_present_plain(text[last:m.start()], known))
        out.append(m.group(0))
        last = m.end()
    out.append(_present_plain(text[last:], known))
    return "".join(out)


def sentences(text: str) -> list[str]:
    """The sentences of a passage or an event, as written."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def has_quote(text: str) -> bool:
    return bool(re.search(r"[“”\"]", text))


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a sentence end (else a word) under ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end > limit // 2:
        return cut[:end + 1]
    return cut[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


# Fountain's marks that hide or change words: a boneyard, a note. Split apart, never removed, so that taking one
# away cannot join the characters around it into another ('//**' less '/*' would be '/*').
_MARKS = (("/*", "/ *"), ("*/", "* /"), ("[[", "[ ["), ("]]", "] ]"))


def unmarked(text: str) -> str:
    """A story's words made inert as Fountain, all of them kept: '/*', '*/', '[[' and ']]' split by a space until
    none is left (a boneyard or a note would hide what follows)."""
    text = " ".join(text.split())
    changed = True
    while changed:
        changed = False
        for mark, split in _MARKS:
            if mark in text:
                text, changed = text.replace(mark, split), True
    return text


def spoken(text: str) -> str:
    """A quoted line made safe as Fountain dialogue, its words kept: inert marks (unmarked); no leading '~' (a lyric)
    nor a lone '(' or ')' at its ends that would make it a parenthetical; a trailing comma ends it
    ('“Come in,” she said' → 'Come in.')."""
    text = unmarked(text)
    while True:
        before = text
        text = text.lstrip("~!@").strip()
        if text.startswith("(") and (text.endswith(")") or text.count("(") > text.count(")")):
            text = text[1:].strip()
        if text.endswith(")") and text.count("(") < text.count(")"):
            text = text[:-1].rstrip()
        if text == before:
            break
    return text[:-1] + "." if text.endswith(",") else text
