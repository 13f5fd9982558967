"""Review notes on a cut: what a person says at a time code ("too slow here" at 0:07.5) or about a shot
("S02_SH003: her coat should be red"), attached to the shot under that time, sorted into the stage that can fix
it and given to the agent who owns that stage (Aiuteur's "return to stage X").

The sorting is rules on the words, deterministic: a note is short and says its trouble in a few plain words
("smeared", "too slow", "closer", "red coat"), which a word list reads as well as a model and always the same
way; the packaged model is too small to do better. Everything here is data; studio.engine.review acts on it.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from pydantic import BaseModel, Field, field_validator

from studio.errors import AuteurError
from studio.media import Cut
from studio.media import shot_frames as shot_frames  # re-exported: where the review's callers found it
from studio.models import shot_code


MAX_AT = 86_400.0  # a note's time: no cut is longer than a day


def plain(char: str) -> bool:
    """Whether a character may stand in a note: not a control (Cc: NUL, ESC, BEL, backspace, newline) nor a
    format character (Cf: the right-to-left override that shows words backwards, zero-width joiners)."""
    return unicodedata.category(char) not in ("Cc", "Cf")


class Category(str, Enum):
    """The stage a note goes back to (``unclear``: the words say no trouble a stage can fix; its owner asks)."""

    SCRIPT = "script"
    LOOK = "look"
    SHOT_DESIGN = "shot design"
    PROMPT = "prompt"
    RENDER = "render"
    TIMING = "timing"
    SOUND = "sound"
    UNCLEAR = "unclear"


OWNER = {Category.SCRIPT: "Screenwriter", Category.LOOK: "Art Director", Category.SHOT_DESIGN: "Cinematographer",
         Category.PROMPT: "Cinematographer", Category.RENDER: "Cinematographer", Category.TIMING: "Cinematographer",
         Category.SOUND: "Producer", Category.UNCLEAR: "Producer"}


class ReviewNote(BaseModel):
    """One note on one shot of one version of the cut, and what became of it."""

    id: str = Field(description="n1, n2 … in the order notes were made, across every version of the cut")
    cut: int = Field(ge=0, description="the version of the cut it was made on (Cut.version)")
    at: float | None = Field(default=None, ge=0, le=MAX_AT, allow_inf_nan=False,
                             description="seconds into that cut (a day at most); None: said of a shot")
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

    @field_validator("text")
    @classmethod
    def _one_plain_line(cls, v: str) -> str:
        """A stored note is what clean_text made: one line, no control or format characters. notes.json can be
        edited by hand, and a newline or an escape there would forge lines of an EDL or break a commit message."""
        bad = sorted({f"U+{ord(c):04X}" for c in v if not plain(c)})
        if bad:
            raise ValueError(f"the note's text holds control characters ({', '.join(bad[:5])})")
        return v


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
    """Whether a word is written as a time code (not a shot code, not a word of the note). A bare number is not a
    time: '1.2' is shot 1.2, as everywhere else in the studio, and '2' in '2 shots here feel long' is a word;
    seconds say so ('7.5s') or take a colon ('0:07.5')."""
    word = word.strip()
    return bool(TIMECODE.match(word) or CLOCK.match(word)
                or (SECONDS.match(word) and not re.fullmatch(r"[\d.]+", word)))


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


def time_text(seconds: float, places: int = 1) -> str:
    """0:07.5 — how a note's time is shown (rounded first, so 59.96 s is 1:00.0, never 0:60.0)."""
    scale = 10 ** places
    rounded = round(seconds * scale) / scale
    minutes, rest = divmod(rounded, 60)
    return f"{int(minutes)}:{rest:0{places + 3}.{places}f}"


# ---------------------------------------------------------------- the cut's shots

def frame_spans(cut: Cut) -> list[tuple[str, int, int, str]]:
    """(code, first frame, frame count, take path) of each shot of the cut, in order, in whole frames."""
    out = []
    first = 0
    for e in cut.entries:
        frames = shot_frames(e.duration_s, cut.fps)
        out.append((shot_code(e.scene, e.shot), first, frames, e.take or ""))
        first += frames
    return out


def cut_frames(cut: Cut) -> int:
    """The cut's length in frames: the video's own frame count."""
    return sum(frames for _, _, frames, _ in frame_spans(cut))


def spans(cut: Cut) -> list[tuple[str, float, float, str]]:
    """(code, start, end, take path) of each shot of the cut in seconds, at its frame boundaries."""
    return [(code, round(first / cut.fps, 3), round((first + frames) / cut.fps, 3), take)
            for code, first, frames, take in frame_spans(cut)]


def shot_at(cut: Cut, seconds: float) -> str:
    """The code of the shot on screen at ``seconds``: the frame shown then (a cut point belongs to the shot that
    starts there; the very end of the video, and up to one frame past it, to the last shot)."""
    laid = frame_spans(cut)
    if not laid:
        raise AuteurError("the cut has no shots", "render the cut again: /render cut")
    total = cut_frames(cut)
    end = total / cut.fps
    if seconds < 0 or seconds > end + 1 / cut.fps + 1e-9:
        raise AuteurError(f"{time_text(seconds, 2)} is outside the cut, which runs {time_text(end, 2)}",
                          f"give a time between 0:00.00 and {time_text(end, 2)}")
    frame = min(total - 1, int(seconds * cut.fps + 1e-6))
    for code, first, frames, _ in laid:
        if first <= frame < first + frames:
            return code
    return laid[-1][0]


# ---------------------------------------------------------------- sorting a note

# Each rule: a pattern of words and what it weighs. A note goes to the category with the most weight; on a tie,
# the earlier category in ORDER (the more particular trouble: a smeared face is a render, whatever else it says).
# Words inside quotes are not read: they are what someone should say or a sign should read, not the trouble.
# "cut this shot", "lose that shot": an editor's note about the cut, not the script's
CUT_SHOT = re.compile(r"\b(?:cut|lose|drop|remove|delete|kill|skip)\s+(?:this|that|the)\s+shot\b", re.IGNORECASE)
# "Nell should say: Do I look like a crossword?": the words after the colon are the line wanted, like a quote
SAID_COLON = re.compile(r"\b(say|says|said|saying|line|ask|asks|tell|tells)\s*:\s*(\S[^\n]{0,300})$", re.IGNORECASE)

RULES: dict[Category, list[tuple[str, int]]] = {
    Category.SOUND: [  # how a line is said, not what it says: the voice's (a rewrite would not fix it)
        (r"(?:say|says|said|saying|speak\w*|talk\w*|read|reads|deliver\w*)\b(?:\s+\w+){0,4}?\s+(?:a (?:bit|little|lot) )?"
         r"(?:too |so |way )?(?:quickly|fast|faster|slowly|slow|slower|quiet(?:ly)?|loud(?:ly)?|softly|flat(?:ly)?)", 8),
        (r"louder|quieter|softer|mumbl\w*|can'?t hear|inaudible|too (?:quiet|loud)|whisper\w*|shout\w*|accent"
         r"|(?:her|his|the|their) voice|delivery|monotone|robotic", 5),
    ],
    Category.RENDER: [
        (r"(?:draw|render|do|make)\s+(?:it|this|that|this shot|the board|the frame)\s+again|redraw\w*", 4),
        (r"smear\w*|blurr?\w*|glitch\w*|artifact\w*|artefact\w*|distort\w*|deform\w*|warp\w*|melt\w*|garbled"
         r"|pixel\w*|noisy|noise|flicker\w*|jagged|mangled|broken|mushy|muddy|out of focus|soft focus", 4),
        (r"extra (?:fingers?|arms?|legs?|hands?)|six fingers|(?:another|new|fresh|different) take|re-?render"
         r"|render (?:it )?again|(?:look|looks|looking|is|are) (?:wrong|weird|bad|ugly|strange|fake|plastic|creepy)"
         r"|low quality|poor quality", 4),
    ],
    Category.TIMING: [
        (r"(?:cut|lose|drop|remove|delete|kill|skip)\s+(?:this|that|the)\s+shot", 6),
        (r"too (?:slow|fast|long|short|quick)|slow(?:er|ly)?|fast(?:er)?|quick(?:er|ly)?|drags?|dragging|rushed"
         r"|pac(?:e|ing)|lingers?|hold (?:it |this |the shot |on \w+ )?(?:a (?:beat|bit|second|moment) )?(?:longer|shorter)"
         r"|trim\w*|shorten|lengthen|longer|shorter|seconds?|frames|breathe|hold on|a beat|snappier|tighten the cut"
         r"|overstays?|cut (?:it |this )?(?:sooner|earlier|later)", 3),
        (r"\d+(?:\.\d+)?\s*(?:s|sec|seconds?)|cut (?:to|away)(?:\s+\w+){0,4}?\s+(?:sooner|earlier|later|faster)", 4),
    ],
    Category.SHOT_DESIGN: [
        (r"close-?up|closer|tighter|wider|wide shot|medium shot|cu|mcu|ws|ms|ecu|ews"
         r"|angle|framing|framed|frame it|composition|lens|\d+\s*mm|from (?:above|below|lower|higher|behind)"
         r"|low(?:er)? angle|high(?:er)? angle|over the shoulder|pan|tilt|dolly|push in|pull back|track(?:ing)?"
         r"|handheld|static|crane|camera|pov|point of view", 3),
    ],
    Category.LOOK: [
        (r"red|blue|green|yellow|black|white|grey|gray|pink|purple|orange|brown|gold|silver|colou?rs?"
         r"|palette|coat|jacket|dress|shirt|uniform|hat|cap|scarf|apron|glasses|boots?|shoes?|wardrobe|costume"
         r"|wear(?:s|ing)?|hair|beard|make-?up|older|younger|lighting|lit|darker|brighter|moody|warmer|cooler|style"
         r"|look(?:s)? like", 2),
        (r"too (?:old|young)|white balance|colou?r (?:cast|grade|grading)|tint(?:ed)?|graded|sepia|black and white"
         r"|(?:everything|it all|the whole thing) (?:looks|is) (?:too )?(?:blue|green|orange|yellow|red|grey|gray)", 4),
        (r"(?:sign|poster|menu|label|banner|placard|neon|headline|newspaper|billboard|note|letter|screen|door)\b"
         r"(?:\s+\S+){0,5}?\s+(?:should |must |needs to |has to )?(?:say|says|read|reads|spell|spells)", 8),
    ],
    Category.PROMPT: [
        (r"prompt|should show|shows? (?:no|the wrong)|missing|can'?t see|cannot see|isn'?t (?:there|in)"
         r"|not in (?:the )?(?:shot|frame|picture)|there(?:'s| is) no|where(?:'s| is)|in the background"
         r"|background|foreground|should be (?:holding|in|on|at|there)|holding|add (?:a|an|the|some)|remove|without"
         r"|instead of|wrong (?:place|room|object|prop)|rain|snow|sunset|dusk|dawn|empty|night|day(?:time|light)?"
         r"|morning|evening", 2),
    ],
    Category.SCRIPT: [
        (r"line|lines|dialogue|says?|said|saying|speech|words?|wouldn'?t say|rewrite|script|joke|exposition"
         r"|talk(?:s|ing)?|story|plot|motivation|scene (?:should|needs)|cut the|on the nose", 2),
        (r"(?:line|lines|say|says|said|dialogue|words?|tell|tells|ask|asks)\b[^\n]{0,40}" + "\u201cquote\u201d"
         + r"|" + "\u201cquote\u201d" + r"[^\n]{0,40}\b(?:line|lines|say|says|said|dialogue|words?|instead)", 8),
    ],
}
ORDER = [Category.SOUND, Category.RENDER, Category.TIMING, Category.SHOT_DESIGN, Category.LOOK, Category.PROMPT,
         Category.SCRIPT]
COMPILED = {cat: [(re.compile(rf"\b(?:{pattern})(?!\w)", re.IGNORECASE), weight) for pattern, weight in rules]
            for cat, rules in RULES.items()}
QUOTES = re.compile("[\"\u201c\u201e][^\"\u201c\u201d\u201e]{1,300}[\"\u201d]|(?<![\\w'])'[^'\n]{2,300}'(?![\\w'])")
CLAUSES = re.compile(r";|\.\s+|,\s*(?:and|but|also|plus)\b|\band also\b|\bplus\b")


def unquoted(text: str) -> str:
    """The note with what it quotes replaced by one placeholder: "you look like you know things" is the line
    wanted, not a look; that something is quoted still counts (a quote beside 'line' or 'say' is a script note)."""
    text = SAID_COLON.sub(lambda m: f"{m.group(1)} \u201cquote\u201d", text)
    return QUOTES.sub(" \u201cquote\u201d ", text)


def scores(text: str) -> dict[Category, int]:
    """Each category's weight for the words of a note outside quotes (every match counts)."""
    words = unquoted(text)
    return {cat: sum(weight * len(p.findall(words)) for p, weight in COMPILED[cat]) for cat in ORDER}


def _by_weight(text: str) -> Category:
    weights = scores(text)
    best = max(weights.values())
    if best == 0:
        return Category.UNCLEAR
    return next(cat for cat in ORDER if weights[cat] == best)


def _requests(text: str) -> list[Category]:
    """The stage of each request of a note, in the order said ('a bit slow, and her coat should be red')."""
    found: list[Category] = []
    for clause in CLAUSES.split(unquoted(text)):
        category = _by_weight(clause) if clause.strip() else Category.UNCLEAR
        if category is not Category.UNCLEAR and category not in found:
            found.append(category)
    return found


def classify(text: str) -> Category:
    """The stage a note goes back to: of a note with several requests, the first said; ``unclear`` when no words
    of any stage are there (its owner asks rather than guess: pasting the words into a prompt would change a
    picture nobody asked to change)."""
    requests = _requests(text)
    return requests[0] if len(requests) > 1 else _by_weight(text)


def other_requests(text: str) -> list[Category]:
    """The other stages a note with more than one request asks of ('a bit slow, and the photo should be in
    colour': timing, and a look) — one note goes to one owner, so the rest are named to the person, not dropped."""
    main = classify(text)
    return [c for c in _requests(text) if c is not main]


CODE_FIRST = re.compile(r"^\s*(S\d{1,3}_SH\d{1,4})\s*[:,\-\u2014]?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def split_code(text: str) -> tuple[str | None, str]:
    """'S02_SH003: her coat should be red' → ('S02_SH003', 'her coat should be red')."""
    m = CODE_FIRST.match(text)
    if not m:
        return None, text.strip()
    return m.group(1).upper(), m.group(2).strip()


def clean_text(text: str) -> str:
    """A note's words on one line, without markup characters a face might draw and without control or format
    characters (a NUL stops the commit, an ESC or a BEL makes the FCP XML unreadable, an RTL override shows the
    words backwards): white space of any kind becomes one space, the rest is dropped."""
    spaced = "".join(" " if c.isspace() else c for c in text.replace("<", " ").replace(">", " "))
    words = " ".join("".join(c for c in spaced if plain(c)).split())
    if not words:
        raise AuteurError("the note has no words", "say what should change, e.g. /note 0:07.5 too slow here")
    return words[:1000]
