"""The one rule for names that become paths.

A character cue, a location, a subject typed in the chat, an upload's name: any of them may name a folder,
and any of them may be hostile (``../../../../TMP/PWN``, ``/ETC``, ``CON``, a name of 300 letters).
``folder_name`` maps a name to one safe folder name; ``inside`` checks a project-relative path. Both are
pure: the disk is checked where files are written (memory.atomic.contained).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata

from studio.errors import InvalidName

MAX_BYTES = 96  # of UTF-8 per folder name: far under every file system's 255, room for a path around it
HASH_LEN = 8
# Windows refuses these as file names, whatever follows a dot; a project may be copied there.
RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
APOSTROPHES = "'’ʼ‘`´"
KEPT = " -_"  # besides letters, digits and marks; never at either end


def _kept(ch: str) -> bool:
    return ch in KEPT or unicodedata.category(ch)[0] in "LNM"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch not in APOSTROPHES)
    text = "".join(ch if _kept(ch) else " " for ch in text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(KEPT)


def folder_name(name: str, *, what: str = "name") -> str:
    """``name`` as one folder name: letters, digits, marks, space, '-' and '_', nothing else.

    'MARA' stays 'MARA', "O'BRIEN" becomes 'OBRIEN', '../../TMP/PWN' becomes 'TMP PWN', 'CON' becomes
    'CON_'; a name longer than MAX_BYTES is cut and given a hash of the whole name, so two long names
    keep two folders. The result never holds '/', '\\', NUL, a control character or a dot, so it is never
    '.', '..' nor hidden, and ``folder_name(folder_name(x)) == folder_name(x)``. A name with no letter or
    digit left raises InvalidName (``what`` says what the name is of: 'character', 'location', ...).
    """
    out = _clean(name)
    for _ in range(3):  # dropping a character may let marks compose: clean until nothing changes
        again = _clean(out)
        if again == out:
            break
        out = again
    if not any(unicodedata.category(ch)[0] in "LN" for ch in out):
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise InvalidName(f"the {what} {shown!r} has no letters or digits to name a folder with",
                          f"give the {what} a name with letters or digits (e.g. MARA)")
    if len(out.encode("utf-8")) > MAX_BYTES:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LEN]
        room = MAX_BYTES - HASH_LEN - 1
        cut = out.encode("utf-8")[:room].decode("utf-8", "ignore")
        out = _clean(cut) + "_" + digest
    if out.split(".")[0].strip().lower() in RESERVED:
        out += "_"
    return out


def inside(rel_path: str) -> str:
    """A project-relative POSIX path, normalised ('a/./b' → 'a/b', 'a/x/../b' → 'a/b'; the project
    itself is ''), or InvalidName if it is absolute, leaves the project, or holds '\\', NUL or a control
    character."""
    if any(unicodedata.category(ch) == "Cc" for ch in rel_path) or "\\" in rel_path:
        raise InvalidName(f"{rel_path!r} is not a plain path inside the project",
                          "use '/' between folders, and no control characters")
    if rel_path.startswith("/") or re.match(r"^[A-Za-z]:", rel_path):
        raise InvalidName(f"{rel_path!r} is an absolute path, not a path inside the project",
                          "give the path from the project's folder, e.g. 01_Assets/Characters/MARA")
    parts: list[str] = []
    for part in rel_path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                raise InvalidName(f"{rel_path!r} points outside the project",
                                  "give a path inside the project's folder, without '..'")
            parts.pop()
        else:
            parts.append(part)
    return posixpath.join(*parts) if parts else ""
