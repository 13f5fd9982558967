"""Review notes on a cut: what a person says at a time code ("too slow here" at 0:07.5) or about a shot
("S02_SH003: her coat should be red"), attached to the shot under that time, sorted into the stage that can fix
it and given to the agent who owns that stage (Aiuteur's "return to stage X").

The sorting is rules on the words, deterministic: a note is short and says its trouble in a few plain words
("smeared", "too slow", "closer", "red coat"), which a word list reads as well as a model and always the same
way; the packaged model is too small to do better. Everything here is data; studio.engine.review acts on it.
"""

from __future__ import annotations

import re
from enum import Enum

from pydantic import BaseModel, Field

from studio.errors import AuteurError
from studio.media import Cut
from studio.models import shot_code


class Category(str, Enum):
    """The stage a note goes back to."""

    SCRIPT = "script"
    LOOK = "look"
    SHOT_DESIGN = "shot design"
    PROMPT = "prompt"
    RENDER = "render"
    TIMING = "timing"


OWNER = {Category.SCRIPT: "Screenwriter", Category.LOOK: "Art Director", Category.SHOT_DESIGN: "Cinematographer",
         Category.PROMPT: "Cinematographer", Category.RENDER: "Cinematographer", Category.TIMING: "Cinematographer"}


class ReviewNote(BaseModel):
    """One note on one shot of one version of the cut, and what became of it."""

    id: str = Field(description="n1, n2 … in the order notes were made, across every version of the cut")
    cut: int = Field(ge=0, description="the version of the cut it was made on (Cut.version)")
    at: float | None = Field(default=None, ge=0, description="seconds into that cut; None: said of a shot")
    code: str = Field(description="the shot it is attached to, S02_SH003")
    text: str = Field(min_length=1, max_length=1000)
    category: Category
    agent: str
    proposal: str = Field(default="", description="the owner's fix, in words")
    commands: list[str] = Field(default_factory=list, description="the command lines that carry the fix out")
    status: str = Field(default="open", pattern="^(open|done|declined)$")
    result: str = Field(default="", description="what the fix made: 'S02_SH003 board take 3'")
    author: str = ""
    created: str = ""


class ReviewNotes(BaseModel):
    """Every note of a project, of every version of its cut (02_Source_Creative/Review/notes.json)."""

    notes: list[ReviewNote] = Field(default_factory=list)

    def next_id(self) -> str:
        numbers = [int(n.id[1:]) for n in self.notes if n.id[1:].isdigit()]
        return f"n{max(numbers, default=0) + 1}"

    def of_cut(self, version: int) -> list[ReviewNote]:
        return [n for n in self.notes if n.cut == version]

    def get(self, note_id: str) -> ReviewNote:
        for note in self.notes:
            if note.id == note_id.strip().lower():
                return note
        known = ", ".join(n.id for n in self.notes[-5:]) or "none yet"
        raise AuteurError(f"there is no review note {note_id.strip()[:20]!r}", f"see /notes for their ids ({known})")


# ---------------------------------------------------------------- time codes

CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{1,2}(?:\.\d+)?)$")  # 0:07.5, 1:02:03.25
TIMECODE = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})[:;](\d{2})$")  # 00:00:07:12 (HH:MM:SS:FF)
SECONDS = re.compile(r"^(\d{1,5}(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)?$", re.IGNORECASE)  # 7.5s, 7.5


def looks_like_time(word: str) -> bool:
    """Whether a word is written as a time code (not a shot code, not a word of the note)."""
    word = word.strip()
    return bool(TIMECODE.match(word) or CLOCK.match(word) or (SECONDS.match(word) and not word.isdigit())
                or (word.isdigit() and len(word) <= 4))


def parse_time(word: str, fps: float) -> float:
    """Seconds from a time code as an editor or a person writes it: '0:07.5', '00:00:07:12' (frames at the
    cut's rate), '7.5s', '7.5'."""
    text = word.strip()
    m = TIMECODE.match(text)
    if m:
        hours, minutes, seconds, frames = (int(g) for g in m.groups())
        if frames >= fps or minutes > 59 or seconds > 59:
            raise AuteurError(f"{text!r} is not a time code at {fps:g} frames a second",
                              f"write HH:MM:SS:FF with frames under {round(fps)}, e.g. 00:00:07:12")
        return hours * 3600 + minutes * 60 + seconds + frames / fps
    m = CLOCK.match(text)
    if m:
        whole_hours, whole_minutes, clock_seconds = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
        if clock_seconds >= 60 or (m.group(1) and whole_minutes > 59):
            raise AuteurError(f"{text!r} is not a time", "write minutes:seconds, e.g. 0:07.5")
        return whole_hours * 3600 + whole_minutes * 60 + clock_seconds
    m = SECONDS.match(text)
    if m:
        return float(m.group(1))
    raise AuteurError(f"{text[:30]!r} is not a time code", "write it as 0:07.5, 7.5s or 00:00:07:12")


def time_text(seconds: float) -> str:
    """0:07.5 — how a note's time is shown."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


# ---------------------------------------------------------------- the cut's shots

def spans(cut: Cut) -> list[tuple[str, float, float, str]]:
    """(code, start, end, take path) of each shot of the cut, in order: the entries laid end to end."""
    out = []
    start = 0.0
    for e in cut.entries:
        end = start + e.duration_s
        out.append((shot_code(e.scene, e.shot), round(start, 3), round(end, 3), e.take or ""))
        start = end
    return out


def shot_at(cut: Cut, seconds: float) -> str:
    """The code of the shot on screen at ``seconds`` (a cut point belongs to the shot that starts there)."""
    laid = spans(cut)
    if not laid:
        raise AuteurError("the cut has no shots", "render the cut again: /render cut")
    if seconds < 0 or seconds > laid[-1][2]:
        raise AuteurError(f"{time_text(seconds)} is outside the cut, which runs {time_text(laid[-1][2])}",
                          f"give a time between 0:00.0 and {time_text(laid[-1][2])}")
    for code, start, end, _ in laid:
        if start <= seconds < end:
            return code
    return laid[-1][0]  # the very end: the last shot's last frame


# ---------------------------------------------------------------- sorting a note

# Each rule: a pattern of words and what it weighs. A note goes to the category with the most weight; on a tie,
# the earlier category in ORDER (the more particular trouble: a smeared face is a render, whatever else it says).
RULES: dict[Category, list[tuple[str, int]]] = {
    Category.RENDER: [
        (r"smear\w*|blurr?\w*|glitch\w*|artifact\w*|artefact\w*|distort\w*|deform\w*|warp\w*|melt\w*|garbled"
         r"|pixel\w*|noisy|noise|flicker\w*|jagged|mangled|broken|mushy|muddy|out of focus|soft focus", 4),
        (r"extra (?:fingers?|arms?|legs?|hands?)|six fingers|(?:another|new|fresh|different) take|re-?render"
         r"|render (?:it )?again|(?:looks|is) (?:wrong|off|bad|weird|ugly)|low quality|poor quality", 4),
    ],
    Category.TIMING: [
        (r"too (?:slow|fast|long|short|quick)|slow(?:er)?|fast(?:er)?|quick(?:er)?|drags?|dragging|rushed|pac(?:e|ing)"
         r"|lingers?|hold (?:it )?(?:longer|shorter)|trim|shorten|lengthen|longer|shorter|seconds?|frames", 3),
        (r"\d+(?:\.\d+)?\s*(?:s|sec|seconds?)\b|beat too|cut (?:it )?(?:sooner|earlier|later)|overstays", 2),
    ],
    Category.SHOT_DESIGN: [
        (r"close-?up|closer|tighter|wider|wide shot|medium shot|\bcu\b|\bmcu\b|\bws\b|\bms\b|\becu\b|\bews\b"
         r"|angle|framing|framed|frame it|composition|lens|\d+\s*mm|from (?:above|below|lower|higher|behind)"
         r"|low(?:er)? angle|high(?:er)? angle|over the shoulder|pan|tilt|dolly|push in|pull back|track(?:ing)?"
         r"|handheld|static|crane|camera|pov|point of view", 3),
    ],
    Category.LOOK: [
        (r"red|blue|green|yellow|black|white|grey|gray|pink|purple|orange|brown|gold|silver|colou?rs?"
         r"|palette|coat|jacket|dress|shirt|uniform|hat|cap|scarf|boots?|shoes?|wardrobe|costume|wear(?:s|ing)?"
         r"|hair|beard|make-?up|older|younger|lighting|lit|darker|brighter|moody|warmer|cooler|style|look(?:s)? like",
         2),
    ],
    Category.PROMPT: [
        (r"prompt|should show|shows? (?:no|the wrong)|missing|can'?t see|cannot see|isn'?t (?:there|in)"
         r"|not in (?:the )?(?:shot|frame|picture)|there(?:'s| is) no|where(?:'s| is)|in the background"
         r"|background|foreground|should be (?:holding|in|on|at|there)|add (?:a|an|the|some)|remove|without"
         r"|instead of|wrong (?:place|room|object|prop)|rain|snow|sunset|dusk|dawn", 2),
    ],
    Category.SCRIPT: [
        (r"line|lines|dialogue|says?|said|saying|speech|words?|wouldn'?t say|rewrite|script|joke|exposition"
         r"|talk(?:s|ing)?|story|plot|motivation|scene (?:should|needs)|cut the|on the nose|mumbl\w*", 2),
    ],
}
ORDER = [Category.RENDER, Category.TIMING, Category.SHOT_DESIGN, Category.LOOK, Category.PROMPT, Category.SCRIPT]
COMPILED = {cat: [(re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), weight) for pattern, weight in rules]
            for cat, rules in RULES.items()}


def scores(text: str) -> dict[Category, int]:
    """Each category's weight for the words of a note (every match counts)."""
    return {cat: sum(weight * len(p.findall(text)) for p, weight in COMPILED[cat]) for cat in ORDER}


def classify(text: str) -> Category:
    """The stage a note goes back to. Words that match nothing are a prompt note: the picture is not what the
    person wants, and the shot's prompt is the one place any words can go."""
    weights = scores(text)
    best = max(weights.values())
    if best == 0:
        return Category.PROMPT
    return next(cat for cat in ORDER if weights[cat] == best)


CODE_FIRST = re.compile(r"^\s*(S\d{1,3}_SH\d{1,4})\s*[:,\-\u2014]?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def split_code(text: str) -> tuple[str | None, str]:
    """'S02_SH003: her coat should be red' → ('S02_SH003', 'her coat should be red')."""
    m = CODE_FIRST.match(text)
    if not m:
        return None, text.strip()
    return m.group(1).upper(), m.group(2).strip()


def clean_text(text: str) -> str:
    """A note's words on one line, without markup characters a face might draw."""
    words = " ".join(text.replace("<", " ").replace(">", " ").split())
    if not words:
        raise AuteurError("the note has no words", "say what should change, e.g. /note 0:07.5 too slow here")
    return words[:1000]
