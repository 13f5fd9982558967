"""Text written by rule when a model's answer is not usable: derived from the person's idea, the brief or the
script, never invented, never empty where a person reads it.

Each function is deterministic and small; the pipeline calls one when a field failed its vetting twice (the
answer, then one repair). Words are the person's own where there are any: the idea's key words make a title,
the logline carries a beat, a scene heading describes its location.
"""

from __future__ import annotations

import re
from typing import Iterable

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_STOP = frozenset("""a an the and or but of in on at to for from with by as into onto over under about after before
    who whom whose which that this these those is are was were be been being has have had do does did it its his
    her their our my your he she they we you i me him them us not no so than then there here when where while what
    why how all any some one two three very just only also up out off down again once""".split())
_SMALL = frozenset({"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with"})

# Places a scene can fall back to when nothing better is known (the script is still being written).
PLACES = ("KITCHEN", "STREET", "LIVING ROOM", "OFFICE", "CAR", "PARK", "BEDROOM", "HALLWAY", "ROOFTOP", "DINER",
          "STATION", "BEACH", "GARDEN", "BAR", "CLASSROOM", "HOSPITAL", "FOREST", "HARBOUR", "SHOP", "CHURCH")
# Names a speaker can fall back to when the scene has nobody yet.
NAMES = ("MARA", "JONAH", "ELENA", "SAM", "RUTH", "LEO")
# A plain line for a scene that kept none, by act: said by someone, fit for any story.
LINES = {1: "I didn't expect to find you here.", 2: "We can't go back to how it was.",
         3: "Then this is where it ends."}
_GARMENTS = ("uniform", "coat", "jacket", "dress", "shirt", "suit", "cap", "hat", "apron", "jeans", "sweater",
             "boots", "scarf", "overalls", "robe", "gown", "hoodie", "vest", "skirt", "gloves")
_TIMES = {"DAY": "by day, daylight", "NIGHT": "at night, practical lights", "MORNING": "in the morning, low sun",
          "EVENING": "in the evening, warm low light", "DAWN": "at dawn, grey-pink light",
          "DUSK": "at dusk, fading light", "SUNSET": "at sunset, golden light", "SUNRISE": "at sunrise, soft light"}
_INT_EXT = {"INT": "interior", "EXT": "exterior", "INT/EXT": "interior and exterior", "EST": "exterior"}


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence(text: str, limit: int = 600) -> str:
    """``text`` on one line, capitalised, ending with a full stop, cut at a word under ``limit``."""
    text = " ".join(text.split()).strip(" ,;:-")
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _title_case(found: list[str]) -> str:
    return " ".join(w if k and w.lower() in _SMALL else w[:1].upper() + w[1:] for k, w in enumerate(found))


# ---------------------------------------------------------------- brief, treatment, beats


def title_from(idea: str, fallback: str = "Untitled") -> str:
    """A title from the idea's key words: 'A night-shift waitress recognises the stranger' → 'Night-Shift
    Waitress Recognises Stranger'."""
    key = [w for w in words(idea) if w.lower() not in _STOP]
    return _title_case(key[:4]) if key else fallback


def logline_from(idea: str) -> str:
    return sentence(idea, 600)


def genre_from(idea: str) -> str:
    return "drama"


def tone_from(idea: str) -> str:
    return "grounded"


def treatment_text(logline: str, beat_names: Iterable[str]) -> str:
    """The story told along the beats: the logline, then where it goes (at most four steps between)."""
    names = [re.sub(r"^the ", "", n.lower()) for n in beat_names]
    if not names:
        return sentence(logline)
    middle = names[1:-1]
    if len(middle) > 4:
        middle = [middle[round(k * (len(middle) - 1) / 3)] for k in range(4)]
    walk = f"It opens with the {names[0]}" + (f", moves through the {', the '.join(middle)}" if middle else "") + \
        (f", and ends with the {names[-1]}" if len(names) > 1 else "")
    return " ".join(x for x in (sentence(logline), sentence(walk)) if x)


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first.isupper() else text[:1].lower() + text[1:]


def beat_description(name: str, logline: str) -> str:
    """'Setup' and the logline → 'Setup: a night-shift waitress recognises the stranger at the counter.'"""
    story = sentence(logline, 280)
    return f"{name}: {_lower_first(story)}" if story else sentence(name)


# ---------------------------------------------------------------- script


def scene_location(previous: str, story: str, number: int) -> str:
    """Where a scene is when the model named no usable place: a curated place the story names, the previous
    scene's place, or a curated place by the scene's number."""
    lowered = f" {' '.join(words(story)).lower()} "
    named = next((p for p in PLACES if f" {p.lower()} " in lowered), "")
    return named or previous or PLACES[(number - 1) % len(PLACES)]


def scene_action(beat_name: str, beat_text: str, logline: str) -> str:
    """What we see, from the beat the scene carries."""
    if beat_text:
        text = beat_text.split(": ", 1)[1] if beat_text.startswith(f"{beat_name}: ") else beat_text
        return sentence(text, 300)
    return sentence(logline, 300) or sentence(f"The {beat_name.lower() or 'story'} unfolds")


def speaker(cast: list[str], number: int) -> str:
    return cast[0] if cast else NAMES[(number - 1) % len(NAMES)]


def dialogue_line(act: int) -> str:
    return LINES.get(act, LINES[2])


# ---------------------------------------------------------------- look


def scenes_phrase(numbers: Iterable[int]) -> str:
    found = sorted(set(numbers))
    if not found:
        return ""
    listed = ", ".join(str(n) for n in found[:8]) + (" and more" if len(found) > 8 else "")
    return f"scene{'s' if len(found) > 1 else ''} {listed}"


def character_description(name: str, facts: str, scenes: Iterable[int]) -> str:
    """The script's introduction of them, else 'NELL, who appears in scenes 1, 3.'"""
    if facts.strip():
        return sentence(f"{name}, {facts}" if not facts.upper().startswith(name.upper()) else facts, 2000)
    where = scenes_phrase(scenes)
    return sentence(f"{name}, who appears in {where}" if where else f"{name}, a character of the story")


def age_phrase(age: str) -> str:
    """'40s' → 'in their 40s', '42' → 'aged 42'; other words as they are."""
    if re.fullmatch(r"\d{1,3}", age):
        return f"aged {age}"
    if re.fullmatch(r"(?:(?:early|mid|late)[- ])?\d{1,2}0s", age, re.IGNORECASE):
        return f"in their {age}"
    return age


def character_visual(name: str, facts: str, age: str) -> str:
    """An image prompt's words from what the script says: the age, and the short clauses of the introduction
    that describe rather than set the scene ('Nell, in a faded pink uniform, refills …' → 'in their 40s, in a
    faded pink uniform')."""
    clauses = [c.strip(" .") for c in re.split(r"[,;:]", " ".join(facts.split()))]
    looks = [c for c in clauses if c and not c[0].isupper() and len(c.split()) <= 10
             and name.lower() not in c.lower()]
    parts = ([age_phrase(age)] if age else []) + looks
    return ", ".join(parts) if parts else name.title()


def wardrobe_from(facts: str) -> str:
    """The garment the script names ('in a faded pink uniform' → 'a faded pink uniform'), else ''."""
    for clause in re.split(r"[,;.]", facts):
        lowered = clause.lower()
        if any(re.search(rf"\b{g}s?\b", lowered) for g in _GARMENTS):
            return re.sub(r"^\s*(?:in|wearing|wears|dressed in)\s+", "", clause.strip(), flags=re.I)
    return ""


def location_visual(name: str, int_ext: str | None, times: Iterable[str]) -> str:
    """From the heading: 'INT. SUNRISE DINER - NIGHT' → 'interior sunrise diner at night, practical lights'."""
    place = f"{_INT_EXT.get((int_ext or '').upper(), '')} {name.lower().replace(' - ', ', ')}".strip()
    first = next((t.upper() for t in times if t and t.upper() in _TIMES), "")
    return f"{place} {_TIMES[first]}" if first else place


def location_description(name: str, first_action: str, int_ext: str | None, times: Iterable[str]) -> str:
    if first_action.strip():
        return sentence(first_action, 2000)
    return sentence(f"The {location_visual(name, int_ext, times)}")


_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "my", "your", "our"})


def prop_visual(name: str, line: str) -> str:
    """What the script's sentence says of the prop, from its nearest article on ('her wallet, cracked and thin'),
    else 'a photograph'."""
    flat = " ".join(line.split())
    at = re.search(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", flat, re.IGNORECASE)
    if at is None:
        return f"a {name.lower()}"
    before = flat[: at.start()].split()[-4:]
    lead = next((before[k:] for k in range(len(before) - 1, -1, -1) if before[k].lower() in _DETERMINERS), [])
    rest = re.split(r"(?<=[.!?;])\s", flat[at.start():], maxsplit=1)[0].rstrip(" .;")
    text = " ".join([*lead, *rest.split()][:12]).rstrip(" ,")
    return text if lead else f"a {text[:1].lower()}{text[1:]}"


def prop_description(name: str, line: str) -> str:
    return sentence(line, 1000) if line.strip() else sentence(f"The {name.lower()}, as the script has it")


_STYLES = {
    "thriller": ("35mm film, high contrast", "cold steel blues and sodium orange", "hard low-key light",
                 "handheld close coverage"),
    "horror": ("35mm film, heavy grain", "desaturated greens and deep blacks", "low-key light, deep shadows",
               "slow creeping moves"),
    "comedy": ("digital cinema, clean", "bright warm primaries", "even soft key light", "static wide frames"),
    "romance": ("35mm film, soft grain", "warm pastels and golden skin tones", "soft window light",
                "gentle dolly moves"),
    "science fiction": ("anamorphic digital cinema", "teal and amber", "practical neon and cool fill",
                        "smooth tracking shots"),
    "western": ("35mm film, warm grain", "dusty ochre and faded blue", "hard sun and long shadows",
                "wide static frames"),
}
_DEFAULT_STYLE = ("35mm film, naturalistic", "muted natural colours", "soft natural light",
                  "steady eye-level camera")


def style_from(genre: str, tone: str) -> dict[str, str]:
    """A style capsule from the genre and the tone: medium, palette, lighting, camera."""
    key = next((g for g in _STYLES if g in genre.lower()), "")
    medium, palette, lighting, camera = _STYLES.get(key, _DEFAULT_STYLE)
    mood = " ".join(words(tone)[:3]).lower()
    if mood and mood not in palette:
        palette = f"{palette}, {mood} mood"
    return {"medium": medium, "palette": palette, "lighting": lighting, "camera": camera}
