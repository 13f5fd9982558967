"""The command registry, shared by every face: /status in Chainlit, /auteur status in Slack, the same words
in `auteur chat`, and the `auteur` commands that do what a chat command does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.errors import AuteurError

Handler = Callable[[Conversation, str], Iterator[Event]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    help: str
    handler: Handler
    reads_only: bool = False  # goes through while another turn changes the project


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}

    def add(self, name: str, usage: str, help: str, handler: Handler, *, reads_only: bool = False) -> None:
        self.commands[name] = Command(name, usage, help, handler, reads_only)

    def reads_only(self, line: str) -> bool:
        """Whether a /command line only reads the project."""
        command = self.commands.get(line.strip().lstrip("/").split(" ", 1)[0].lower())
        return command is not None and command.reads_only

    def dispatch(self, conv: Conversation, line: str) -> Iterator[Event]:
        head, _, rest = line.strip().lstrip("/").partition(" ")
        name = head.lower()
        if name not in self.commands:
            close = [c for c in self.commands if c.startswith(name[:2])] if name else []
            hint = f" Did you mean /{close[0]}?" if close else ""
            raise AuteurError(f"there is no command /{name}", f"type /help for the list.{hint}".strip())
        return self.commands[name].handler(conv, rest.strip())
