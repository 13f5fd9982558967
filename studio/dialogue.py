"""The lines a dialogue shot says, as they will be spoken: whose voice, which words, how (on screen, voice-over,
off screen), what the parenthetical asks, and whether it overlaps the speech before it (dual dialogue).

The shot list carries the words (``Shot.dialogue`` is "NAME: words", as studio.coverage writes it); the script
carries what the shot list drops: the cue's extension ``(V.O.)`` / ``(O.S.)``, the parentheticals, and Fountain's
``^`` that makes two speeches one dual dialogue. Each shot's speech is found again in its scene of the script by
its speaker and its words, so a long speech covered by several shots keeps its parentheticals where they stood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studio.breakdown import scene_chunks
from studio.fountain import ElementType, parse, plain_text
from studio.models import Shot, ShotList
from studio.sound import Delivery, SpokenLine

# "NELL: ", "McALLISTER: ", "JOSÉ: ", "MAN #2: ", "YOUNG IDA (V.O.): " — the speaker before a shot's lines: any
# name a Fountain cue may be (in any alphabet, with '#', '/', digits), told from words by ``_is_cue``.
_SPEAKER_RE = re.compile(r"^\s*([^\s:()][^:()\n]{0,60}?)\s*(?:\(([^()\n]{0,40})\))?:\s+")
_MC_RE = re.compile(r"\b(?:Mc|Mac)(?=[^\W\d_])")
# Coverage's note for a speaker heard and not seen: "IDA is heard (V.O.)".
_HEARD_RE = re.compile(r"is heard \(([^()]{1,40})\)")
# A parenthetical a person typed into the shot's words: "(quietly) I know."
_INLINE_PAREN_RE = re.compile(r"\(([^()\n]{1,120})\)")
_VO = {"VO", "V/O", "VOICEOVER", "VOICE OVER", "NARRATOR", "NARRATING"}
_OS = {"OS", "OC", "OFF", "OFFSCREEN", "OFF SCREEN", "OFFCAMERA", "OFF CAMERA", "O/S"}


def delivery_of(extensions: list[str]) -> Delivery:
    """A cue's extensions as a delivery: (V.O.) is a voice-over; (O.S.), (O.C.), (OFF) are off screen; (CONT'D) and
    anything else leave the speaker on screen."""
    for ext in extensions:
        word = " ".join(ext.upper().replace(".", "").replace("-", " ").split())
        if word in _VO:
            return Delivery.VO
        if word in _OS:
            return Delivery.OS
    return Delivery.ON


def has_letters(text: str) -> bool:
    """Whether there is anything to say: a line of '...' or '—' or '!!!' has no word a voice can speak."""
    return any(ch.isalpha() for ch in text)


@dataclass
class _Speech:
    """One speech of the script: its cue and its words, with each parenthetical at the place it stands."""

    speaker: str
    extensions: list[str]
    dual: bool
    text: str = ""
    parentheticals: list[tuple[int, str]] = field(default_factory=list)  # (offset in text, "(quietly)")
    used: bool = False
    cursor: int = 0  # where the part a shot carried ended: the next shot's part is looked for from here
    partner: _Speech | None = None  # dual dialogue: the speech it is said over (just before it, another speaker)

    def add_words(self, words: str) -> None:
        self.text = f"{self.text} {words}".strip() if words else self.text

    def parentheticals_in(self, start: int, end: int, first: bool) -> list[str]:
        """The parentheticals standing in text[start:end]; the first part of a speech also takes those before it."""
        return [p for at, p in self.parentheticals if start <= at < end or (first and at <= start)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _speeches(fountain: str) -> dict[int, list[_Speech]]:
    """Scene number (1-based, as the breakdown counts) → its speeches in order."""
    _, chunks = scene_chunks(parse(fountain))
    found: dict[int, list[_Speech]] = {}
    for number, chunk in enumerate(chunks, start=1):
        speeches: list[_Speech] = []
        current: _Speech | None = None
        for el in chunk:
            if el.type is ElementType.CHARACTER:
                before = current  # a speech still open: nothing (no action) stands between the two
                current = _Speech(speaker=el.text.upper(), extensions=list(el.extensions), dual=el.dual)
                if el.dual and before is not None and before.speaker != current.speaker:
                    current.partner = before
                speeches.append(current)
            elif current is not None and el.type is ElementType.PARENTHETICAL:
                current.parentheticals.append((len(current.text) + (1 if current.text else 0), _flat(el.plain)))
            elif current is not None and el.type in (ElementType.DIALOGUE, ElementType.LYRICS):
                current.add_words(_flat(el.plain))
            else:
                current = None
        found[number] = speeches
    return found


def _split_speakers(shot: Shot) -> list[tuple[str, str, str]]:
    """A shot's dialogue as (speaker, extension, words): one per 'NAME: ' line (coverage writes one; a person may
    write several). Words with no name before them belong to the shot's first character."""
    parts: list[tuple[str, str, str]] = []
    for raw in shot.dialogue.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = _SPEAKER_RE.match(line)
        if m and _is_cue(m.group(1), shot):
            parts.append((" ".join(m.group(1).split()).upper(), m.group(2) or "", line[m.end():].strip()))
        elif parts:
            speaker, ext, words = parts[-1]
            parts[-1] = (speaker, ext, f"{words} {line}")
        else:
            parts.append(((shot.characters[0] if shot.characters else "UNKNOWN").upper(), "", line))
    return parts


def _is_cue(name: str, shot: Shot) -> bool:
    """Whether the words before a ':' are a character's cue and not the start of a line ("Look: I know."): a name
    of the shot's, or one with no lowercase letter but a Mc/Mac (as a Fountain cue is written). Non-ASCII names
    (JOSÉ, ZOË) are names too: an ASCII-only rule spoke "José" aloud as the first word of his line."""
    if name.upper() in {c.upper() for c in shot.characters}:
        return True
    if not any(ch.isalnum() for ch in name):
        return False
    return not any(ch.islower() for ch in _MC_RE.sub("", name))


def _find(speeches: list[_Speech], speaker: str, words: str) -> tuple[_Speech, int] | None:
    """The script's speech of ``speaker`` that holds ``words``, and where: first the rest of a speech whose first
    part an earlier shot carried, then a speech not said yet, then any; else the next speech of that speaker not
    said yet (a person reworded the line)."""
    candidates = [s for s in speeches if s.speaker == speaker]
    for speech in candidates:
        rest = len(speech.text[speech.cursor:]) - len(speech.text[speech.cursor:].lstrip())
        if speech.used and words and speech.text.startswith(words, speech.cursor + rest):
            return speech, speech.cursor + rest
    for pool in ([s for s in candidates if not s.used], candidates):
        for speech in pool:
            at = speech.text.find(words) if words else -1
            if at >= 0:
                return speech, at
    unused = [s for s in candidates if not s.used]
    return (unused[0], 0) if unused else None


def _own_parentheticals(words: str) -> tuple[str, list[str]]:
    """Parentheticals a person typed into the shot's words are directions, never said."""
    found = [f"({m.group(1).strip()})" for m in _INLINE_PAREN_RE.finditer(words)]
    return _flat(_INLINE_PAREN_RE.sub(" ", words)), found


def _line(shot: Shot, speaker: str, ext: str, words: str, speeches: list[_Speech]) \
        -> tuple[SpokenLine, _Speech | None]:
    """The line a shot says, and the script's speech whose first part it is (None when it is not a first part)."""
    words, typed = _own_parentheticals(plain_text(words))  # a person's '*really*' is said 'really'
    match = _find(speeches, speaker, words)
    extensions = [ext] if ext else []
    parentheticals = list(typed)
    dual = False
    opened: _Speech | None = None
    if match is not None:
        speech, at = match
        first = not speech.used
        speech.used = True
        speech.cursor = at + len(words)
        extensions += speech.extensions
        parentheticals = speech.parentheticals_in(at, at + max(1, len(words)), first) + parentheticals
        dual = first and speech.partner is not None  # a '^' with no speech of another just before: said alone
        opened = speech if first else None
    delivery = delivery_of(extensions)
    heard = _HEARD_RE.search(shot.notes)
    if delivery is Delivery.ON and heard and shot.notes.upper().startswith(speaker):
        delivery = delivery_of([heard.group(1)])
    return SpokenLine(shot=shot.code, scene=shot.scene, number=shot.number, speaker=speaker[:100], text=words,
                      delivery=delivery, parenthetical=" ".join(parentheticals)[:300], dual=dual), opened


def spoken_lines(shots: ShotList, fountain: str) -> dict[str, list[SpokenLine]]:
    """Each dialogue shot's lines (shot code → lines in order), as they will be spoken. A line with no letters is
    left out (see ``unspeakable``); a shot with nothing left to say is not a key."""
    return _spoken(shots, fountain)[0]


def _spoken(shots: ShotList, fountain: str) -> tuple[dict[str, list[SpokenLine]], list[tuple[str, _Speech]]]:
    """The lines of each shot, and (shot code, speech) for each speech of the script whose first part a shot says."""
    speeches = _speeches(fountain) if fountain.strip() else {}
    lines: dict[str, list[SpokenLine]] = {}
    opened: list[tuple[str, _Speech]] = []
    ordered = sorted(shots.shots, key=lambda s: (s.scene, s.number))
    for shot in ordered:
        for speaker, ext, words in _split_speakers(shot):
            line, speech = _line(shot, speaker, ext, words, speeches.get(shot.scene, []))
            if has_letters(line.text):
                lines.setdefault(shot.code, []).append(line)
                if speech is not None:
                    opened.append((shot.code, speech))
    return lines, opened


def unspeakable(shots: ShotList) -> list[str]:
    """The shots with a line that no voice can say (no letters: '...', '—', '?!'), to be named to the person."""
    found: list[str] = []
    for shot in shots.shots:
        for _, _, words in _split_speakers(shot):
            if not has_letters(_own_parentheticals(words)[0]):
                found.append(shot.code)
                break
    return found


def dual_with(shots: ShotList, fountain: str) -> dict[str, str]:
    """For each shot that opens with the second speech of a dual dialogue, the shot its take is placed at, so that
    both are heard at once: the shot that says the speech just before it in the script (no action between, another
    speaker; studio.fountain's '^'), or where that shot itself is placed when it is the second half of a pair too.
    A '^' with no such speech before it pairs with nothing (said in its own shot), and a speaker is never placed
    over himself. The one rule the sound plan and the mix use."""
    lines, opened = _spoken(shots, fountain)
    said_in = {id(speech): code for code, speech in opened}
    partners: dict[str, str] = {}
    for code, speech in opened:
        if speech.partner is None or not lines[code][0].dual or lines[code][0].speaker != speech.speaker:
            continue
        anchor = said_in.get(id(speech.partner))
        if anchor is None or anchor == code:  # the partner is not said, or said in this same take (overlapped there)
            continue
        partners[code] = partners.get(anchor, anchor)
    return partners
