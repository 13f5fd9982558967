"""A Session is one conversation as a face sees it: `greet()`, then `handle(turn)` for each thing the person
does, each giving events. One turn at a time changes a project, across every conversation of the process."""

from __future__ import annotations

import logging
from typing import Iterator, Literal

from studio.engine import stage_flow
from studio.engine.commands import REGISTRY
from studio.engine.conversation import Conversation
from studio.engine.events import Event, Turn, error, say
from studio.engine.render_gate import run_pending
from studio.engine.routing import route
from studio.engine.uploads import upload
from studio.errors import AuteurError
from studio.stages import Stage

log = logging.getLogger("auteur.engine")
MAX_MESSAGE = 20_000  # characters in one message; a screenplay comes as a file


class Session(Conversation):
    def greet(self) -> list[Event]:
        if self.store is not None:
            events = [say(f"Welcome back to {self.store.manifest().title}."), *stage_flow.propose(self)]
            self.last_question = next((e for e in reversed(events) if e.kind == "question"), None)
            return events
        from studio.engine.commands.projects import open_options

        opened = open_options(self.workspace)  # "Open Night Shift": the projects worked on last, newest first
        go_on = (f"Open one of your projects ({', '.join(o.removeprefix('Open ') for o in opened)}), or tell me "
                 "a new film idea in a sentence" if opened else "Tell me your film idea in a sentence")
        return [say(f"Hello, I'm your Producer. {go_on}, upload a screenplay (Fountain, Final Draft, PDF) or a story "
                    "to adapt (.txt, .docx, .epub, PDF), or type /help to see what we can do.",
                    options=[*opened, "Develop an idea", "Bring my screenplay"],
                    data={"projects": [o.removeprefix("Open ") for o in opened]})]

    def handle(self, turn: Turn) -> Iterator[Event]:
        """Everything a turn causes, as events; errors are events too, and the conversation goes on.

        One turn at a time works on a project, across every conversation of this process (a chat
        in the browser, a Slack thread, a channel): another that would change it is told to wait.
        Commands that only read go through at any time."""
        text = (turn.choice or turn.text or "").strip()
        if len(text) > MAX_MESSAGE:
            yield error(AuteurError(f"that message is {len(text):,} characters long; a message to the crew can be "
                                    f"up to {MAX_MESSAGE:,}",
                                    "send a screenplay or a long text as a file (the paper clip, or auteur import)"))
            return
        reading = text.startswith("/") and REGISTRY.reads_only(text)
        lock = self.store.turn_lock() if self.store is not None and not reading else None
        if lock is not None and not lock.acquire(blocking=False):
            title = self.store.manifest().title if self.store is not None else "this project"
            yield Event("error", f"The crew is already working on {title} in another conversation. Try again "
                                 "when it is done; /status shows where it stands.", data={"busy": True})
            return
        try:
            yield from self._handle(turn)
        finally:
            if lock is not None:
                lock.release()

    def _handle(self, turn: Turn) -> Iterator[Event]:
        self.asked, self.last_question = self.last_question, None
        said = turn.choice or turn.text or (f"(uploaded {turn.upload[0]})" if turn.upload else "")
        if said:
            self.turns.append((self.user, said))
        try:
            for event in route(self, turn):
                if event.kind in ("message", "artifact", "question"):
                    self.turns.append((event.author, event.text[:300]))
                if event.kind == "question":
                    self.last_question = event
                yield event
        except AuteurError as exc:
            yield error(exc)
        except Exception as exc:  # a bug or the disk, not the person: say so without the server's paths
            log.exception("a turn failed")
            yield error(unexpected(exc))
        while self.notices:
            yield self.notices.pop(0)

    def run_until(self, last: Stage, *, idea: str | None = None, minutes: float | None = None) -> Iterator[Event]:
        """Draft every stage up to ``last`` (approving each when auto-approve is on), without questions."""
        yield from stage_flow.run_until(self, last, idea=idea, minutes=minutes)

    def bring(self, name: str, data: bytes, *, encoding: str | None = None,
              as_: Literal["prose", "screenplay"] | None = None) -> Iterator[Event]:
        """A screenplay, a story or a reference image from a file, as `auteur import` brings it (errors raised);
        ``as_`` says whether a text is a story or a screenplay when its content should not decide."""
        yield from upload(self, name, data, encoding=encoding, as_=as_)

    def confirm_render(self, *, fresh: bool = False) -> Iterator[Event]:
        """The yes to the render waiting at the gate, as `auteur render` gives it (errors raised).
        ``fresh``: the estimate was just made, so its plan is used as it is."""
        yield from run_pending(self, fresh=fresh)

    def run_command(self, line: str) -> Iterator[Event]:
        yield from REGISTRY.dispatch(self, line)

    def view(self, name: str, args: str = "", *, file: bool = False) -> Event:
        """A view of the open project as it is now (studio.engine.views): the artifact event a face draws, built
        again after each turn for the views a person has open (errors raised). ``file``: /board's PDF too."""
        from studio.engine.views import build

        return build(self, name, args, file=file)

    def command(self, line: str) -> Iterator[Event]:
        """One command of the registry, as `auteur` runs it: its events, errors raised (not turned into events)."""
        yield from REGISTRY.dispatch(self, line)


def unexpected(exc: Exception) -> AuteurError:
    """What a person is told of an exception that is not an AuteurError: what kind of thing failed, never
    its text (an OSError carries the server's file names, others the code's insides)."""
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        return AuteurError(f"the studio could not read or write a file ({reason.lower()})",
                           "nothing you made was lost; try again, and if it happens again the server log "
                           "has the details")
    return AuteurError(f"something went wrong inside the studio ({type(exc).__name__})",
                       "nothing you made was lost; try again, and if it happens again the server log has "
                       "the details")
