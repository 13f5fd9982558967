"""Make expected.json for the Fountain screenplays of the corpus with parsers that are not ours.

Not run by the tests. Run it in a venv of its own (never the project's)::

    python3 -m venv /tmp/h_fountain && /tmp/h_fountain/bin/pip install screenplain==0.12.0 jouvence==0.4.2
    /tmp/h_fountain/bin/python tests/corpus/screenplays/tools/fountain_expect.py tests/corpus/screenplays/fountain_*

For each folder it reads ``script.fountain``, breaks it down with screenplain (Martin Vilcans, MIT) and, as a
cross-check, with Jouvence (Ludovic Chabant, Apache 2.0), prints every scene where the two disagree, and writes
the ``scenes`` of ``expected.json`` from screenplain, then applies the hand corrections listed in ``CORRECTIONS``
below (each with the Fountain rule it follows). The other keys of expected.json (title, author, licence,
source, expected_by, file) are written by hand and kept.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

EXTENSION = re.compile(r"\s*\([^()]*\)\s*$")

# folder → [(scene number, 1-based; field; value; why)]: hand corrections where the other parser is wrong by the spec.
CORRECTIONS: dict[str, list[tuple[int, str, object, str]]] = {
    # Line 53, "CYBER BOSS, 40 (or any age), an ageless," followed by more lines: screenplain takes it for a cue,
    # but the spec's character cue is a line entirely in upper case and "(or any age), an ageless," is not: it is
    # action, as Jouvence reads it.
    "fountain_cyber_bob_ep1": [
        (1, "speakers", ["BOB", "CYBER BOB", "CYBER BOSS", "DOG", "MARGARET"], "line 53 is action, not a cue"),
        (1, "dialogue", 13, "line 53 is action, not a cue"),
    ],
}


def speaker(cue: str) -> str:
    """The cue as printed, upper case, without '@', '^' and extensions such as (V.O.) or (CONT'D)."""
    name = cue.strip().lstrip("@").rstrip("^").strip()
    while EXTENSION.search(name) and not name.startswith("("):
        name = EXTENSION.sub("", name)
    return " ".join(name.split()).upper()


def by_screenplain(text: str) -> list[dict]:
    from screenplain.parsers.fountain import parse
    from screenplain.types import Dialog, DualDialog, Slug

    scenes: list[dict] = []
    for para in parse(io.StringIO(text)):
        if isinstance(para, Slug):
            scenes.append({"heading": " ".join(str(para.line).split()), "speakers": [], "dialogue": 0})
            continue
        if not scenes:
            continue
        dialogs = []
        if isinstance(para, DualDialog):  # each side of a dual dialogue is one speech
            dialogs = [para.left, para.right]
        elif isinstance(para, Dialog):
            dialogs = [para]
        for dialog in dialogs:
            name = speaker(str(dialog.character))
            scenes[-1]["dialogue"] += 1
            if name not in scenes[-1]["speakers"]:
                scenes[-1]["speakers"].append(name)
    for scene in scenes:
        scene["speakers"].sort()
    return scenes


def by_jouvence(text: str) -> list[dict]:
    from jouvence.document import TYPE_CHARACTER
    from jouvence.parser import JouvenceParser

    doc = JouvenceParser().parseString(text)
    scenes: list[dict] = []
    for scene in doc.scenes:
        if not scene.header:
            continue  # what comes before the first heading
        names = [speaker(p.text) for p in scene.paragraphs if p.type == TYPE_CHARACTER]
        scenes.append({"heading": " ".join(scene.header.split()), "speakers": sorted(set(names)),
                       "dialogue": len(names)})
    return scenes


def main(folders: list[str]) -> None:
    for name in folders:
        folder = Path(name)
        text = (folder / "script.fountain").read_bytes().decode("utf-8-sig")
        primary, check = by_screenplain(text), by_jouvence(text)
        print(f"{folder.name}: screenplain {len(primary)} scenes, jouvence {len(check)} scenes")
        for k, (a, b) in enumerate(zip(primary, check), start=1):
            if a != b:
                print(f"  scene {k} differs:\n    screenplain {a}\n    jouvence    {b}")
        expected_path = folder / "expected.json"
        expected = json.loads(expected_path.read_text(encoding="utf-8")) if expected_path.exists() else {}
        for number, field, value, why in CORRECTIONS.get(folder.name, []):
            print(f"  scene {number}: {field} corrected by hand to {value!r} ({why})")
            primary[number - 1][field] = value
        expected["scenes"] = primary
        expected_path.write_text(as_json(expected), encoding="utf-8")


def as_json(expected: dict) -> str:
    """expected.json with one scene a line, so that a reader can check it against the script."""
    keys = [k for k in expected if k != "scenes"]
    lines = ["{"] + [f" {json.dumps(k)}: {json.dumps(expected[k], ensure_ascii=False)}," for k in keys]
    lines.append(' "scenes": [')
    lines.append(",\n".join("  " + json.dumps(s, ensure_ascii=False) for s in expected["scenes"]))
    lines += [" ]", "}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(sys.argv[1:])
