"""The terminal face's way into the engine: an `auteur` command that does what a chat command does runs
that chat command through the registry, and prints its events' data (``--json``) or its words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.cli.app import setup_logging

if TYPE_CHECKING:
    from studio.engine.events import Event
    from studio.engine.session import Session


def session_on(project: str | None, *, model: str | None = None, open_project: bool = True) -> Session:
    """A conversation on the project named by -p, else the one used last (``open_project``). The terminal
    chose it, so it is the project used last from now on (workers, Slack and the studio never change that)."""
    from config.container import Container

    setup_logging()
    session = Container().session(model=model)
    if open_project:
        session.store = session.workspace.open(project)
        choose(session, session.store.slug)
    return session


def choose(session: Session, slug: str) -> None:
    """The terminal's own choice of project (`auteur new`, `open`, `import`, `-p`): what commands without -p
    act on next."""
    session.workspace.remember(slug)  # type: ignore[attr-defined]  # memory.Workspace, built by the container


def command(project: str | None, line: str, *, session: Session | None = None) -> list[Event]:
    """The events of one chat command on the project; an error is raised (the CLI prints it and exits 1)."""
    session = session or session_on(project)
    return list(session.command(line))


def data_with(events: list[Event], key: str) -> dict[str, Any]:
    """The data of the first event that carries ``key``."""
    for event in events:
        if key in event.data:
            return event.data
    raise LookupError(f"no event of the engine carries {key!r}")  # a face and the engine out of step: a bug


def data_of(events: list[Event], key: str) -> Any:
    """The value of ``key`` in the first event that carries it."""
    return data_with(events, key)[key]
