"""A question answered from the project itself when semantic memory is off: the decisions and changes in its
history, and the look as it is now, whose words meet the question's words. Each hit names its source."""

from __future__ import annotations

import re
from typing import Any

from studio.models import Look
from studio.ports import ProjectPort
from studio.stages import Stage

STOP = frozenset("""a an the and or of to in on at for with about what whats which who whom why how did do does we
i you he she it they them is are was were be been this that these those our my your her his their there here any
some decide decided decision say said tell me us again now still ever""".split())
LIMIT = 6


def words(text: str) -> set[str]:
    """The words that carry meaning, roughly stemmed (coats → coat)."""
    found = set()
    for word in re.findall(r"[a-z0-9']+", text.lower()):
        word = word.strip("'").removesuffix("'s")
        if len(word) < 3 or word in STOP:
            continue
        found.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return found


def search_history(store: ProjectPort, question: str) -> list[dict[str, Any]]:
    """Up to LIMIT hits, newest first: {text, source, commit, time, action}."""
    wanted = words(question)
    if not wanted:
        return []
    hits: list[dict[str, Any]] = []
    for entry in store.history():
        trailers = getattr(entry, "trailers", {}) or {}
        action = trailers.get("Auteur-Action", "")
        if action not in ("decision", "change", "revise", "edit", "undo", "restore"):
            continue
        first = entry.message.splitlines()[0] if entry.message else ""
        if wanted & words(first):
            hits.append({"text": first, "source": "history", "commit": entry.commit, "time": entry.time,
                         "action": action or "change"})
        if len(hits) >= LIMIT:
            break
    look = store.read(Stage.LOOK)
    if isinstance(look, Look):
        for char in look.characters:
            for field in ("wardrobe", "hair", "age"):
                value = getattr(char, field)
                if value and wanted & (words(value) | words(char.name)) and wanted & words(f"{value} {field}"):
                    hits.append({"text": f"{char.name}'s {field} now: {value}", "source": "look", "commit": "",
                                 "time": "", "action": "look"})
    return hits[: LIMIT + 3]
