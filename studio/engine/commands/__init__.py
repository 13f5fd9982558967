"""The commands, by topic, in the order /help lists them. `REGISTRY` serves every face."""

from __future__ import annotations

from studio.engine.commands import (directing, exports, models, projects, recall, renders, review, story, versions,
                                   views, work, writing)
from studio.engine.commands.registry import Command, Handler, Registry


def build_registry() -> Registry:
    registry = Registry()
    projects.register(registry)  # help, new, open, status
    work.register(registry)  # next, approve, revise, variants, pick, structure
    story.register(registry)  # scenes, shots, prompt
    directing.register(registry)  # change, show, undo
    writing.register(registry)  # scene, beat, line
    versions.register(registry)  # branch, history, restore
    recall.register(registry)  # recall
    exports.register(registry)  # export
    renders.register(registry)  # render, takes, take, reference, jobs, cancel
    models.register(registry)  # model
    views.register(registry)  # board, shot, shotlist, character, tree, compare, script, look
    review.register(registry)  # review, note, notes, fix
    return registry


REGISTRY = build_registry()

__all__ = ["REGISTRY", "Command", "Handler", "Registry", "build_registry"]
