"""Engine events as Chainlit content: Markdown under the speaker's name, files as elements,
the conversation starters, and the commands of the / menu.

What one chat's page keeps track of (buttons, steps, the task list) is in page.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import cast

import chainlit as cl
from chainlit.types import CommandDict

from studio.engine.commands import REGISTRY
from studio.engine.events import Event

AGENTS = ("Producer", "Screenwriter", "Art Director", "Cinematographer")
OPTION = "auteur_option"  # the one action name every option button uses
# Command icons (lucide names) for the composer's / menu; any other command gets the terminal.
ICONS = {"help": "circle-help", "new": "file-plus", "open": "folder-open", "status": "list-checks",
         "next": "skip-forward", "approve": "check", "revise": "pencil", "variants": "layers",
         "pick": "mouse-pointer-click", "structure": "network", "scenes": "clapperboard", "shots": "camera",
         "prompt": "text-cursor-input", "branch": "git-branch", "history": "history", "restore": "undo-2",
         "recall": "search", "export": "download", "render": "image", "takes": "images", "voice": "mic"}
# Command output that lines up in columns is shown as it is, not as Markdown.
TABLE_KEYS = ("stages", "history", "shots", "scenes", "commands")  # rows that line up in a fixed-width block
SHOWN_IMAGES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
SHOWN_VIDEOS = (".mp4", ".webm", ".mov")
SHOWN_AUDIO = (".wav", ".mp3", ".ogg", ".flac")  # sound takes, the mixed preview of /render sound, stems
FOLDER_FILES = 12  # an export that is a folder (the stems) shows at most this many of its files


def text_of(event: Event) -> str:
    """Markdown for an event, under the speaker's name. Images a model writes as Markdown are shown
    as text, never fetched."""
    text = event.text.replace("![", "!\\[")
    if event.kind == "error":
        problem, fix = event.data.get("error"), event.data.get("fix")
        if problem:
            return f"**Problem:** {problem.rstrip('.')}." + (f"\n\n**Fix:** {fix}" if fix else "")
        return f"**Problem:** {text}"
    name = f"**{event.author}:**" if event.author in AGENTS else ""
    prose = event.data.get("kind") == "prose"  # a story's summary: sentences, which must wrap
    if any(key in event.data for key in TABLE_KEYS) and "\n" in text and not prose and lines_up(text):
        return f"{name}\n```text\n" + event.text.replace("```", "'''") + "\n```"
    return f"{name} {command_lines(text)}".strip()


COMMAND_LINE = re.compile(r"^\s+(/[a-z]+\b.*)$")  # an indented command line under a sentence ("  /fix n1")


def lines_up(text: str) -> bool:
    """Whether text is rows to show as they are (a table, a list of commits): not when it is a sentence followed by
    the command lines that carry it out (a note's proposed fix), which a code block would cut off at the side."""
    rows = [line for line in text.splitlines() if line.strip()]
    said = [line for line in rows if not COMMAND_LINE.match(line)]
    return not (len(said) == 1 and rows[0] is said[0] and not rows[0][:1].isspace() and len(rows) > 1)


def command_lines(text: str) -> str:
    """Indented command lines under a sentence as a list of commands (Markdown would run them into the sentence)."""
    lines, out, listed = text.splitlines(), [], False
    for line in lines:
        found = COMMAND_LINE.match(line)
        if found:
            if not listed:
                out.append("")
            out.append("- `" + found.group(1).replace("`", "'") + "`")
            listed = True
        else:
            out.append(line)
            listed = False
    return "\n".join(out) if any(COMMAND_LINE.match(line) for line in lines) else text


def speaker(event: Event) -> str:
    """Who a message is shown from: the agent who spoke, else the Producer."""
    return event.author if event.author in AGENTS else "Producer"


def element_for(path: Path, root: Path) -> cl.Image | cl.Video | cl.Audio | cl.Pdf | cl.File | None:
    """The element that shows a file of the workspace; None for a file outside it or missing."""
    try:
        path = path.resolve()
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    if not path.is_file():
        return None
    suffix = path.suffix.lower()
    if suffix in SHOWN_IMAGES:
        return cl.Image(name=path.name, path=str(path), display="inline", size="large")
    if suffix in SHOWN_VIDEOS:
        return cl.Video(name=path.name, path=str(path), display="inline")
    if suffix in SHOWN_AUDIO:  # an artifact with media "audio": a player in the message
        return cl.Audio(name=path.name, path=str(path), display="inline")
    if suffix == ".pdf":
        return cl.Pdf(name=path.name, path=str(path), display="inline")
    return cl.File(name=path.name, path=str(path), display="inline")


def elements_for(path: Path, root: Path) -> list[cl.Image | cl.Video | cl.Audio | cl.Pdf | cl.File]:
    """What shows an artifact: its file, or for a folder (`/export stems` makes dialogue, effects and music WAVs in
    one) each file directly in it, so that a person can play and download them; nothing outside the workspace."""
    try:
        folder = path.resolve()
        folder.relative_to(root.resolve())
    except (OSError, ValueError):
        return []
    if not folder.is_dir():
        found = element_for(path, root)
        return [found] if found is not None else []
    files = sorted(p for p in folder.iterdir() if not p.is_symlink() and p.is_file() and not p.name.startswith("."))
    return [e for e in (element_for(p, root) for p in files[:FOLDER_FILES]) if e is not None]


def starters() -> list[cl.Starter]:
    return [cl.Starter(label="Develop an idea", message="Develop an idea", icon="/public/avatars/screenwriter.svg"),
            cl.Starter(label="Bring my screenplay", message="Bring my screenplay",
                       icon="/public/avatars/producer.svg")]


def commands() -> list[CommandDict]:
    """The registry's commands for the composer's / menu (neither persistent nor selected).

    Each description starts with the command's usage, then " — ": public/composer.js reads it to send a command
    that needs no words with ONE Enter (Chainlit's menu alone takes that Enter to pick the command as a chip, and a
    second Enter sends it); a command that needs words ("/take SHOT N") is picked, then its words and Enter send it.
    """
    return [cast(CommandDict, {"id": c.name, "icon": ICONS.get(c.name, "terminal"),
                               "description": f"{c.usage} — {c.help}", "button": False})
            for c in REGISTRY.commands.values()]


async def producer(text: str) -> None:
    """A word from the Producer that the face itself says (notices, waiting)."""
    await cl.Message(content=f"**Producer:** {text}", author="Producer").send()
