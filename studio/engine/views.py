"""The views as engine events: `build(conv, name, args)` makes the artifact event every face receives for a view
(data {"view", "args", "props", "path"?}), from the open project as it is now. The web draws the props beside the
chat (and rebuilds the views it has open after each turn, through Session.view); Slack and the terminal print the
event's text, and /board's file is the storyboard as a PDF contact sheet."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.errors import AuteurError, StageError
from studio.shot_codes import parse_shot
from studio.stages import Stage
from studio.views import View
from studio.views.common import parse_scene

log = logging.getLogger("auteur.engine")
Builder = Callable[[Conversation, str], View]


def _board(conv: Conversation, args: str) -> View:
    from studio.engine.describe import shot_staleness
    from studio.views.board import board_view

    store = conv.require_project()
    return board_view(store, parse_scene(args), set(shot_staleness(store).boards))


def _shot(conv: Conversation, args: str) -> View:
    from studio.views.shots import shot_view

    if not args.strip():
        raise StageError("/shot needs a shot", "e.g. /shot S01_SH003 (or /shot 3 in the scene at hand)")
    scene, number = parse_shot(args.split()[0], scene=conv.scene_focus)
    return shot_view(conv.require_project(), scene, number)


def _shotlist(conv: Conversation, args: str) -> View:
    from studio.views.shots import shotlist_view

    return shotlist_view(conv.require_project(), parse_scene(args))


def _character(conv: Conversation, args: str) -> View:
    from studio.views.character import character_view

    return character_view(conv.require_project(), args)


def _tree(conv: Conversation, args: str) -> View:
    from studio.views.tree import tree_view

    return tree_view(conv.require_project(), Stage.parse(args) if args.strip() else None)


def _script(conv: Conversation, args: str) -> View:
    from studio.views.script import script_view

    return script_view(conv.require_project())


def _look(conv: Conversation, args: str) -> View:
    from studio.views.look import look_view

    return look_view(conv.require_project())


VIEWS: dict[str, Builder] = {"board": _board, "shot": _shot, "shotlist": _shotlist, "character": _character,
                             "tree": _tree, "script": _script, "look": _look}


def register(name: str, builder: Builder) -> None:
    """A view built elsewhere (the review of studio.engine.review) joins the others."""
    VIEWS[name] = builder


def build(conv: Conversation, name: str, args: str = "", *, file: bool = False) -> Event:
    """The view ``name`` of the open project, built with ``args`` (a scene, a shot, a name, a stage), as an artifact
    event. ``file``: the board's PDF contact sheet is exported too (into 06_Exports, as /export storyboard-pdf) and
    its path given for the faces that send files."""
    key = name.strip().lower()
    if key not in VIEWS:
        raise StageError(f"there is no view called {name!r}", f"the views are: {', '.join(VIEWS)}")
    view = VIEWS[key](conv, args.strip())
    data: dict[str, Any] = {"view": key, "args": args.strip(), "props": view.props, **view.extra}
    text = view.text
    if file and key == "board":
        path, why = _contact_sheet(conv)
        if path is not None:
            data["path"] = path
            text += f"\nThe storyboard as a PDF contact sheet: {Path(path).name}"
        elif why:
            text += f"\n(No PDF contact sheet: {why})"
    return Event("artifact", text, author=view.author, stage=view.stage, data=data)


def _contact_sheet(conv: Conversation) -> tuple[str | None, str]:
    """The storyboard PDF through the studio's exporter (the same file /export storyboard-pdf makes); (None, why)
    when the studio has no exporter or the export could not be made."""
    if conv.exporter is None:
        return None, ""
    try:
        return str(conv.exporter(conv.require_project(), "storyboard-pdf")), ""
    except AuteurError as exc:
        return None, exc.problem
