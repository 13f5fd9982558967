"""The history read as a person reads it: one commit as data, and consecutive render commits (one per shot or
sound cue) as one group ("11 boards rendered, S01_SH001–S03_SH004"). /history and the /tree view both use it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


def entry_data(entry: Any) -> dict[str, Any]:
    """One commit as data: who, when, what, and the stages it touched (from its Auteur trailers)."""
    trailers: dict[str, str] = getattr(entry, "trailers", {}) or {}
    listed = trailers.get("Auteur-Stages") or trailers.get("Auteur-Stage") or ""
    return {"commit": entry.commit, "short": entry.short, "stage": trailers.get("Auteur-Stage", ""),
            "stages": [s.strip() for s in listed.split(",") if s.strip()],
            "action": trailers.get("Auteur-Action", ""), "author": entry.author,
            "email": getattr(entry, "email", ""),
            "message": entry.message.splitlines()[0] if entry.message else "", "time": entry.time}


# Commits a render makes one per shot (or per sound cue): consecutive ones are one line of the history.
RENDER_ACTIONS = frozenset({"take", "sound"})
RENDERED_NOUNS = {("take", "boards"): ("board", "boards"), ("take", "clips"): ("clip", "clips"),
                  ("sound", "cut"): ("sound take", "sound takes")}
_FOR_WHAT = re.compile(r" for (\S+)$")
READ_AHEAD = 40  # raw commits read per history line asked for: a group of renders is many commits


@dataclass
class HistoryGroup:
    """Consecutive commits of one kind of render by one author (or a single commit): one line of /history."""

    entries: list[Any] = field(default_factory=list)  # newest first, as the log gives them

    @property
    def count(self) -> int:
        return len(self.entries)

    def key(self) -> tuple[str, str, str] | None:
        """What joins commits into this group: a render action, its stage and its author (None: never joined)."""
        first = self.entries[0]
        trailers: dict[str, str] = getattr(first, "trailers", {}) or {}
        action = trailers.get("Auteur-Action", "")
        if action not in RENDER_ACTIONS:
            return None
        return action, trailers.get("Auteur-Stage", ""), first.author

    def summary(self) -> str:
        """The commit's subject; for a group, "11 boards rendered, S01_SH001–S03_SH004" (oldest to newest)."""
        newest = self.entries[0]
        if self.count == 1:
            return str(newest.message.splitlines()[0]) if newest.message else ""
        key = self.key()
        one, many = RENDERED_NOUNS.get((key[0], key[1]) if key else ("", ""), ("take", "takes"))
        what = [m.group(1) for e in reversed(self.entries) if (m := _FOR_WHAT.search(e.message.splitlines()[0]))]
        span = f", {what[0]}–{what[-1]}" if len(what) > 1 and what[0] != what[-1] else (f", {what[0]}" if what else "")
        return f"{self.count} {many if self.count != 1 else one} rendered{span}"

    def line(self) -> str:
        newest = self.entries[0]
        return f"{newest.short} {newest.time[:16].replace('T', ' ')} {newest.author}: {self.summary()}"

    def to_dict(self) -> dict[str, Any]:
        return {**entry_data(self.entries[0]), "count": self.count, "summary": self.summary(),
                "first": self.entries[-1].commit}


def grouped(entries: list[Any]) -> list[HistoryGroup]:
    """The history, newest first, with consecutive render commits of one stage and author as one group: a batch of
    115 boards is one line, not 115."""
    groups: list[HistoryGroup] = []
    for entry in entries:
        single = HistoryGroup([entry])
        key = single.key()
        if key is not None and groups and groups[-1].key() == key:
            groups[-1].entries.append(entry)
        else:
            groups.append(single)
    return groups
