"""/recall: what was said and decided, found by meaning in the project's semantic memory, with sources."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError


def register(registry: Registry) -> None:
    registry.add("recall", "/recall QUESTION", "what we said and decided, found by meaning, with sources", recall,
                 reads_only=True)


def recall(conv: Conversation, args: str) -> Iterator[Event]:
    if not args.strip():
        raise StageError("/recall needs a question", "e.g. /recall what did we decide about the photograph?")
    memory = conv.memory
    if memory is None:
        raise StageError("memory is off for this project", "see the notice above; the studio works without it")
    hits = memory.recall(args)
    lines = [f"{k}. [{h.kind} {h.key}, {h.source}@{h.commit[:7]}] {h.text[:220]}" for k, h in enumerate(hits, 1)]
    yield say("\n".join(lines) or "Nothing found.", data={"hits": [h.to_dict() for h in hits]})
