"""A writer's operations on the script and the beat sheet: cut, move or replace one scene, set one speech's
line; split, merge or move a beat. Pure functions: text in, text out (the engine commits the result).

The script's text is cut where its scenes start, never re-written: what lies outside the scene touched stays
byte for byte as the writer typed it (the title page, "FADE IN:", notes, boneyard, odd spacing, CRLF). Where a
scene starts is found on the text's own lines (notes and boneyard masked, since a heading inside them is none);
the Fountain parser then checks the cut: the whole text must parse into exactly what its pieces parse into, before
and after the operation. Where it does not (a text our line reading cannot cut cleanly) the operation is refused
with the fix, and nothing is changed. The script's ending ("FADE OUT.", "THE END") stays last whatever moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.beat_ops import merge_beats, move_beat, position_after_move, split_beat  # the beats' side, re-exported
from studio.errors import StageError
from studio.fountain import parse
from studio.fountain.elements import Element, ElementType
from studio.fountain.parser import is_heading, split_cue

_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")
_EXTENSION = re.compile(r"\s*\(([^()]*)\)\s*$")
_ENDINGS = frozenset({"FADE OUT", "FADE TO BLACK", "CUT TO BLACK", "SMASH TO BLACK", "THE END", "END",
                      "FADE OUT THE END", "END CREDITS", "ROLL CREDITS"})
_MASK = "\x00"
MAX_LINE_CHARS = 500
__all__ = ["Layout", "Speech", "clean_line", "cut_scene", "heading_of", "layout", "merge_beats", "move_beat",
           "move_scene", "position_after_move", "replace_scene", "scene_count", "scene_text", "set_line", "speech_of",
           "speeches", "split_beat"]
_EDIT_FIX = "edit the script's Fountain file directly (/history script keeps every version)"


# ---------------------------------------------------------------- the script's lines


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the line in the text
    end: int  # offset just past its line break (or the text's end)
    content: str  # the line without notes, boneyard and its line break
    raw: str  # the line as written, without its line break


def _masked(text: str) -> str:
    """The text with its boneyard ('/* … */', nested) and notes ('[[ … ]]', not over a blank line) masked, the same
    length as the text, so that offsets stay the text's and a note over two lines stays one line."""
    out = list(text)
    pos = 0
    while (start := text.find("/*", pos)) >= 0:
        depth, k = 1, start + 2
        while depth and k < len(text):
            if text.startswith("/*", k):
                depth, k = depth + 1, k + 2
            elif text.startswith("*/", k):
                depth, k = depth - 1, k + 2
            else:
                k += 1
        if depth:  # unclosed: what follows is text, as the parser reads it
            break
        out[start:k] = _MASK * (k - start)
        pos = k
    masked = "".join(out)
    pos = 0
    while (start := masked.find("[[", pos)) >= 0:
        blank = _BLANK_LINE.search(masked, start + 2)
        limit = blank.start() if blank else len(masked)
        close = masked.find("]]", start + 2, limit)
        if close < 0:
            pos = limit
            continue
        masked = masked[:start] + _MASK * (close + 2 - start) + masked[close + 2:]
        pos = close + 2
    return masked


def _lines(text: str) -> list[_Line]:
    masked = _masked(text)
    lines: list[_Line] = []
    pos = 0
    for m in _BREAK.finditer(masked):
        lines.append(_Line(pos, m.end(), masked[pos:m.start()].replace(_MASK, ""), text[pos:m.start()]))
        pos = m.end()
    if pos < len(text):
        lines.append(_Line(pos, len(text), masked[pos:].replace(_MASK, ""), text[pos:]))
    return lines


def _blank(line: _Line) -> bool:
    return not line.content.strip()


def _transition(s: str) -> bool:
    return s == s.upper() and s.endswith("TO:") and any(ch.isalpha() for ch in s)


def _heading(s: str) -> bool:
    return (s.startswith(".") and not s.startswith("..")) or is_heading(s)


def _heading_starts(lines: list[_Line]) -> list[int]:
    """The lines where scenes start: a heading with a blank line (or a heading or transition) before it."""
    starts: list[int] = []
    alone = False  # the line before stood alone (a heading or a transition): it counts as blank
    for i, line in enumerate(lines):
        s = line.content.strip()
        prev_blank = i == 0 or _blank(lines[i - 1]) or alone
        alone = False
        if not s:
            continue
        if prev_blank and _heading(s):
            starts.append(i)
            alone = True
        elif prev_blank and _transition(s):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            alone = nxt is None or _blank(nxt) or is_heading(nxt.content.strip())
    return starts


# ---------------------------------------------------------------- the script cut into scenes


@dataclass(frozen=True)
class Layout:
    """The script's text as pieces: what comes before the first scene, each scene from its heading, and the
    ending that stays last. Joined, they are the text."""

    before: str
    scenes: tuple[str, ...]
    ending: str
    newline: str

    def text(self) -> str:
        parts = [self.before]
        for k, scene in enumerate(self.scenes):
            last = k == len(self.scenes) - 1
            parts.append(scene if last and not self.ending else _closed(scene, self.newline))
        parts.append(self.ending)
        return "".join(parts)


def _closed(piece: str, nl: str) -> str:
    """A scene followed by another: it must end with a blank line, or the next heading reads as action."""
    lines = _BREAK.split(piece)
    if len(lines) >= 3 and not lines[-1].strip() and not lines[-2].strip():
        return piece
    return piece + (nl if lines[-1] == "" else nl + nl)


def _ending_start(lines: list[_Line], first: int) -> int | None:
    """The line where the script's ending starts ('FADE OUT.', 'THE END'): one-line paragraphs at the very end."""
    at: int | None = None
    i = len(lines) - 1
    while i > first:
        while i > first and _blank(lines[i]):
            i -= 1
        if i <= first or not _blank(lines[i - 1]):
            break
        words = re.sub(r"[^A-Z ]", " ", lines[i].content.strip().lstrip(">").upper())
        if " ".join(words.split()) not in _ENDINGS:
            break
        at, i = i, i - 1
    return at


def layout(fountain: str) -> Layout:
    """The script cut into its scenes; refused when the cut does not parse as the whole script does."""
    lines = _lines(fountain)
    starts = _heading_starts(lines)
    if not starts:
        raise StageError("the script has no scenes", "add a scene heading such as INT. KITCHEN - NIGHT")
    offsets = [lines[i].start for i in starts]
    ending_line = _ending_start(lines, starts[-1])
    end = lines[ending_line].start if ending_line is not None else len(fountain)
    scenes = tuple(fountain[a:b] for a, b in zip(offsets, [*offsets[1:], end]))
    found = _BREAK.search(fountain)
    lay = Layout(fountain[:offsets[0]], scenes, fountain[end:], found.group(0) if found else "\n")
    _check(lay, fountain)
    return lay


def _elements(text: str) -> list[Element]:
    return parse(text).elements


def _check(lay: Layout, text: str) -> None:
    """The pieces parse into exactly what the whole text parses into, and each scene holds one heading, first."""
    whole = parse(text)
    before = parse(lay.before)
    pieces = [_elements(s) for s in lay.scenes]
    expected = [*before.elements, *(e for p in pieces for e in p), *_elements(lay.ending)]
    one_heading = all(p and p[0].type is ElementType.SCENE_HEADING and
                      sum(e.type is ElementType.SCENE_HEADING for e in p) == 1 for p in pieces)
    if whole.title_page != before.title_page or whole.elements != expected or not one_heading:
        raise StageError("I could not cut the script cleanly at its scene headings (its text reads differently "
                         "in pieces than whole), so I changed nothing", _EDIT_FIX)


def scene_count(fountain: str) -> int:
    return len(layout(fountain).scenes)


def _scene_index(lay: Layout, n: int, what: str = "scene") -> int:
    count = len(lay.scenes)
    if not 1 <= n <= count:
        raise StageError(f"there is no {what} {n}: the script has {count} scene{'s' if count != 1 else ''}",
                         f"give a scene number from 1 to {count} (/scenes lists them)")
    return n - 1


def heading_of(fountain: str, n: int) -> str:
    """Scene n's heading as a reader sees it."""
    lay = layout(fountain)
    return _elements(lay.scenes[_scene_index(lay, n)])[0].plain


def scene_text(fountain: str, n: int) -> str:
    """Scene n as written, from its heading to the next scene."""
    lay = layout(fountain)
    return lay.scenes[_scene_index(lay, n)]


def _rebuilt(lay: Layout, scenes: list[str]) -> str:
    """The pieces joined again, and read back: the same scenes, each starting where it should."""
    text = Layout(lay.before, tuple(scenes), lay.ending, lay.newline).text()
    found = layout(text)
    firsts = [_BREAK.split(s, maxsplit=1)[0] for s in scenes]
    if [_BREAK.split(s, maxsplit=1)[0] for s in found.scenes] != firsts:
        raise StageError("the script would not read back as the scenes meant, so I changed nothing", _EDIT_FIX)
    return text


def cut_scene(fountain: str, n: int) -> str:
    """The script without scene n."""
    lay = layout(fountain)
    k = _scene_index(lay, n)
    if len(lay.scenes) == 1:
        raise StageError("scene 1 is the script's only scene, and a script needs one",
                         "rewrite it instead: /scene rewrite 1 YOUR NOTES")
    scenes = list(lay.scenes)
    del scenes[k]
    return _rebuilt(lay, scenes)


def move_scene(fountain: str, n: int, *, before: int | None = None, after: int | None = None) -> str:
    """Scene n moved to just before or just after scene m (numbers as the script has them now)."""
    lay = layout(fountain)
    if (before is None) == (after is None):
        raise StageError("a scene moves before or after another", "e.g. /scene move 4 after 6")
    k = _scene_index(lay, n)
    other = before if before is not None else after
    assert other is not None
    j = _scene_index(lay, other)
    if j == k:
        raise StageError(f"scene {n} cannot move {'before' if before else 'after'} itself",
                         "name another scene, e.g. /scene move 4 after 6")
    order = list(range(len(lay.scenes)))
    order.remove(k)
    at = order.index(j) + (0 if before is not None else 1)
    order.insert(at, k)
    if order == sorted(order):
        raise StageError(f"scene {n} is already {'before' if before else 'after'} scene {other}",
                         "nothing to move; /scenes lists the order")
    return _rebuilt(lay, [lay.scenes[i] for i in order])


def replace_scene(fountain: str, n: int, scene_text: str) -> str:
    """Scene n replaced by ``scene_text``: one scene in Fountain, from its heading."""
    lay = layout(fountain)
    k = _scene_index(lay, n)
    text = _BREAK.sub(lay.newline, scene_text.strip("\r\n")) + lay.newline
    elements = _elements(text)
    headings = sum(e.type is ElementType.SCENE_HEADING for e in elements)
    if not elements or elements[0].type is not ElementType.SCENE_HEADING or headings != 1 or parse(text).title_page:
        raise StageError(f"the new text of scene {n} is not one scene that starts with its heading",
                         "start it with a heading such as INT. KITCHEN - NIGHT, and keep to one scene")
    scenes = list(lay.scenes)
    old = scenes[k]
    trailing = old[len(old.rstrip("\r\n \t")):]  # the spacing after the old scene stays as it was
    scenes[k] = text.rstrip("\r\n") + (trailing if trailing.strip(" \t") else lay.newline)
    return _rebuilt(lay, scenes)


# ---------------------------------------------------------------- speeches


@dataclass(frozen=True)
class Speech:
    """One speech of a scene: who speaks, and the words (the dialogue under the cue, parentheticals aside)."""

    number: int  # 1-based within the scene
    character: str
    text: str


def _cue(s: str) -> bool:
    body = s[1:] if s.startswith("@") else s
    body = body.rstrip()
    body = body[:-1].rstrip() if body.endswith("^") else body
    while (m := _EXTENSION.search(body)) and m.start() > 0:
        body = body[:m.start()]
    body = body.strip()
    return bool(body) and (s.startswith("@") or (any(c.isalpha() for c in body) and body == body.upper()))


def _speech_blocks(lines: list[_Line]) -> list[tuple[int, int]]:
    """(cue line, end line) of each speech of one scene's lines, the heading first."""
    blocks: list[tuple[int, int]] = []
    i, prev_blank, n = 1, True, len(lines)  # the heading stands alone: what follows has a blank line before
    while i < n:
        s = lines[i].content.strip()
        if not s:
            prev_blank, i = True, i + 1
            continue
        nxt = lines[i + 1].content.strip() if i + 1 < n else ""
        if prev_blank and nxt and s[0] not in "!#=~>." and not _transition(s) and not is_heading(s) and _cue(s):
            j = i + 1
            while j < n and (lines[j].content.strip() or lines[j].raw == "  "):
                j += 1
            blocks.append((i, j))
            i, prev_blank = j, False
            continue
        while i < n and lines[i].content.strip():
            i += 1
        prev_blank = False
    return blocks


def _said(elements: list[Element]) -> list[Speech]:
    out: list[Speech] = []
    words: list[str] | None = None
    for el in elements:
        if el.type is ElementType.CHARACTER:
            words = []
            out.append(Speech(len(out) + 1, el.text, ""))
        elif words is not None and el.type is ElementType.DIALOGUE:
            words.append(" ".join(el.text.split()))
            out[-1] = Speech(out[-1].number, out[-1].character, " ".join(words))
        elif el.type is not ElementType.PARENTHETICAL:
            words = None
    return out


def speeches(fountain: str, n: int) -> list[Speech]:
    """The speeches of scene n, in order."""
    lay = layout(fountain)
    return _said(_elements(lay.scenes[_scene_index(lay, n)]))


def speech_of(fountain: str, scene: int, character: str) -> int:
    """The number of ``character``'s one speech in scene ``scene``; refused when they speak there never or more
    than once (then the numbers to choose from are said)."""
    said = speeches(fountain, scene)
    mine = [s for s in said if s.character.upper() == character.upper()]
    if not mine:
        who = ", ".join(dict.fromkeys(s.character for s in said)) or "nobody"
        raise StageError(f"{character or 'that character'} does not speak in scene {scene} (who does: {who})",
                         "name the speech as SCENE.SPEECH, e.g. /line 2.1 punch up")
    if len(mine) > 1:
        raise StageError(f"{character} speaks {len(mine)} times in scene {scene}",
                         "say which: " + ", ".join(f"/line {scene}.{s.number} punch up" for s in mine))
    return mine[0].number


def clean_line(text: str) -> str:
    """A spoken line as the script can hold it: one paragraph of words, no markup that would make it another
    element (a parenthetical, lyrics, a note)."""
    line = " ".join(text.split())
    if not line:
        raise StageError("the new line is empty", "say the words, e.g. /line 2.1 Coffee's on me.")
    if len(line) > MAX_LINE_CHARS:
        raise StageError(f"the new line is {len(line)} characters long; a line holds at most {MAX_LINE_CHARS}",
                         "say it shorter, or split it over two speeches in the script")
    if line.startswith("~") or line.startswith("(") and line.endswith(")") or \
            any(mark in line for mark in ("[[", "]]", "/*", "*/")):
        raise StageError("the new line would not be spoken words (it reads as a parenthetical, lyrics, a note "
                         "or boneyard)", "say only the words the character speaks")
    return line


def check_speech(said: list[Speech], scene: int, speech: int) -> None:
    """Nothing when scene ``scene`` (whose speeches are ``said``) has a ``speech``-th speech; else the range."""
    if not said:
        raise StageError(f"nobody speaks in scene {scene}", "rewrite the scene instead: /scene rewrite "
                                                            f"{scene} YOUR NOTES")
    if not 1 <= speech <= len(said):
        raise StageError(f"scene {scene} has no speech {speech}: it has {len(said)}",
                         f"give a speech from {scene}.1 to {scene}.{len(said)} (/show scene {scene} shows them)")


def _speech_at(fountain: str, scene: int,
               speech: int) -> tuple[Layout, int, list[Speech], list[_Line], tuple[int, int]]:
    """Where scene ``scene``'s ``speech``-th speech is written: the layout, the scene's index, its speeches, its
    lines, and the speech's (cue line, end line); refused when the lines and the parser's reading disagree."""
    lay = layout(fountain)
    k = _scene_index(lay, scene)
    said = _said(_elements(lay.scenes[k]))
    check_speech(said, scene, speech)
    lines = _lines(lay.scenes[k])
    blocks = _speech_blocks(lines)
    if [split_cue(lines[c].content)[0] for c, _ in blocks] != [x.character for x in said]:
        raise StageError(f"I could not find the lines of scene {scene}'s speeches in its text, so I changed "
                         "nothing", _EDIT_FIX)
    return lay, k, said, lines, blocks[speech - 1]


def set_line(fountain: str, scene: int, speech: int, text: str) -> str:
    """The script with the words of scene ``scene``'s ``speech``-th speech replaced by ``text`` (its cue and a
    parenthetical right under the cue kept)."""
    line = clean_line(text)
    lay, k, said, lines, (cue, end) = _speech_at(fountain, scene, speech)
    piece = lay.scenes[k]
    keep = cue + 1
    while keep < end and _parenthetical(lines[keep].content.strip()):
        keep += 1
    nl = lay.newline
    tail = piece[lines[end - 1].end:] if end > keep else piece[lines[keep - 1].end:]
    head = piece[:lines[keep - 1].end]
    head += "" if head.endswith(("\n", "\r")) else nl  # the speech ended the text, with no line break
    new = head + line + nl + tail
    scenes = list(lay.scenes)
    scenes[k] = new
    result = _rebuilt(lay, scenes)
    got = speeches(result, scene)
    if len(got) != len(said) or got[speech - 1].text != line:
        raise StageError(f"the new words of speech {scene}.{speech} would not read as its dialogue, so I changed "
                         "nothing", "say only the words the character speaks")
    return result


def set_speaker(fountain: str, scene: int, speech: int, name: str) -> str:
    """The script with scene ``scene``'s ``speech``-th speech given to ``name``: its cue line rewritten (the
    extensions such as (V.O.) and a dual-dialogue mark kept, CONT'D dropped: it no longer continues), its words
    kept."""
    who = " ".join(re.sub(r"\([^)]*\)|[^\w '.\-]|_", " ", name).split()).upper()[:40]  # any alphabet's letters
    if not any(ch.isalpha() for ch in who):
        raise StageError(f"{name!r} is not a character's name", "say the name as the script writes it, e.g. NELL")
    lay, k, said, lines, (at, _) = _speech_at(fountain, scene, speech)
    piece = lay.scenes[k]
    cue = lines[at]
    _, extensions, dual, _ = split_cue(cue.content)
    kept = [x for x in extensions if "CONT" not in x.upper()]
    text = " ".join([who, *(f"({x})" for x in kept)]) + (" ^" if dual else "")
    if not re.search(r"[A-Z]", who):
        text = "@" + text  # a name in another alphabet: forced, so the parser reads it as a cue
    new = piece[:cue.start] + text + piece[cue.start + len(cue.raw):]
    result = _rebuilt(lay, [*lay.scenes[:k], new, *lay.scenes[k + 1:]])
    got = speeches(result, scene)
    if len(got) != len(said) or got[speech - 1].character != who or got[speech - 1].text != said[speech - 1].text:
        raise StageError(f"speech {scene}.{speech} would not read as {who}'s, so I changed nothing", _EDIT_FIX)
    return result


def _parenthetical(s: str) -> bool:
    return s.startswith("(") and s.endswith(")")
