"""FountainDocument → Fountain text that parses back to the same document."""

from __future__ import annotations

from studio.fountain.elements import Element, ElementType, FountainDocument
from studio.fountain.parser import HEADING_RE, PAGE_BREAK_RE, _is_transition, _is_upper_cue

_MARKERS = ("!", "@", "#", "~", ">", ".", "=")


def _notes(el: Element) -> str:
    return "".join(f" [[{n}]]" for n in el.notes)


def _needs_force(line: str, *, first: bool, more_lines: bool) -> bool:
    """Would this action line be read as something else?"""
    s = line.strip()
    if not s:
        return False
    if s.startswith(_MARKERS) or PAGE_BREAK_RE.match(s):
        return True
    if first and (HEADING_RE.match(s) or (more_lines and _is_upper_cue(s)) or
                  (not more_lines and _is_transition(s))):
        return True
    return False


def _action(el: Element) -> list[str]:
    lines = el.text.split("\n")
    out = []
    for k, line in enumerate(lines):
        if _needs_force(line, first=k == 0, more_lines=len(lines) > 1):
            indent = line[: len(line) - len(line.lstrip())]
            line = indent + "!" + line.lstrip()
        out.append(line)
    out[-1] += _notes(el)
    return out


def _cue(el: Element) -> str:
    name = el.text
    plain_upper = name == name.upper() and any(c.isalpha() for c in name)
    forced = not plain_upper or bool(HEADING_RE.match(name)) or name.startswith(_MARKERS)
    cue = ("@" if forced else "") + name
    cue += "".join(f" ({x})" for x in el.extensions)
    if el.dual:
        cue += " ^"
    return cue + _notes(el)


def write(doc: FountainDocument) -> str:
    out: list[str] = []
    if doc.title_page:
        for f in doc.title_page:
            parts = f.value.split("\n") if f.value else [""]
            if len(parts) == 1:
                out.append(f"{f.key}: {parts[0]}".rstrip())
            else:
                out.append(f"{f.key}:")
                out.extend(f"    {p}" for p in parts)
        out.append("")

    def para(*lines: str) -> None:
        if out and out[-1] != "":
            out.append("")
        out.extend(lines)

    in_dialogue = False
    for el in doc.elements:
        t = el.type
        if t in (ElementType.PARENTHETICAL, ElementType.DIALOGUE, ElementType.LYRICS) and in_dialogue:
            if t is ElementType.LYRICS:
                lines = [f"~{line}" for line in el.text.split("\n")]
            else:
                lines = el.text.split("\n") if t is ElementType.DIALOGUE else [el.text]
            lines = [line if line else "  " for line in lines]
            lines[-1] += _notes(el)
            out.extend(lines)
            continue
        in_dialogue = False
        if t is ElementType.SCENE_HEADING:
            force = el.forced or not HEADING_RE.match(el.text)
            line = ("." if force else "") + el.text
            if el.scene_number:
                line += f" #{el.scene_number}#"
            para(line + _notes(el))
        elif t is ElementType.ACTION:
            para(*_action(el))
        elif t is ElementType.CHARACTER:
            para(_cue(el))
            in_dialogue = True
        elif t in (ElementType.PARENTHETICAL, ElementType.DIALOGUE):
            # Dialogue without a cue cannot be written as dialogue: keep it as action.
            para(*_action(Element(type=ElementType.ACTION, text=el.text, notes=el.notes)))
        elif t is ElementType.TRANSITION:
            plain = el.text == el.text.upper() and el.text.endswith("TO:") and not el.forced
            para(("" if plain else "> ") + el.text + _notes(el))
        elif t is ElementType.CENTERED:
            para(f"> {el.text} <" + _notes(el))
        elif t is ElementType.LYRICS:
            lines = [f"~{line}" for line in el.text.split("\n")]
            lines[-1] += _notes(el)
            para(*lines)
        elif t is ElementType.SECTION:
            para("#" * max(1, el.depth) + " " + el.text + _notes(el))
        elif t is ElementType.SYNOPSIS:
            para("= " + el.text + _notes(el))
        elif t is ElementType.NOTE:
            para(f"[[{el.text}]]")
        elif t is ElementType.PAGE_BREAK:
            para("===")
    return "\n".join(out).rstrip("\n") + "\n"
