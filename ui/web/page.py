"""What one chat's page shows, and what it keeps to update it: a question's buttons (each group
answers once), a step per agent at work, one bar per render batch, and the stages' task list."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import chainlit as cl

from studio.engine.events import Event
from ui.web.media import media_url
from ui.web.presentation import OPTION, SHOWN_IMAGES, SHOWN_VIDEOS, elements_for, speaker, text_of
from ui.web.views import Views, is_view

if TYPE_CHECKING:
    from studio.ports import ProjectPort

# The spinner (RUNNING) is kept for a stage the crew is working on; a draft waits for the person; a stage an
# import went past is done (the words say why: studio.engine.describe.tracker).
TASK_STATUS = {"empty": cl.TaskStatus.READY, "draft": cl.TaskStatus.READY, "skipped": cl.TaskStatus.DONE,
               "approved": cl.TaskStatus.DONE, "stale": cl.TaskStatus.FAILED}
FINISHED = ("done", "failed", "cancelled")  # a job's status once it will not move again
# Work that says only when it starts and ends (the cut: the engine reports no steps between) gets a message whose
# clock moves, so that a person waiting a minute and a half sees it is still going.
TICKED = ("cut",)
TICK_S = 5.0


@dataclass
class Ticker:
    """A message that says how long the work has been going, updated every TICK_S until it ends."""

    text: str
    message: cl.Message
    started: float
    task: asyncio.Task[None] | None = None

    def words(self, end: str = "") -> str:
        seconds = int(time.monotonic() - self.started)
        clock = f"{seconds // 60}:{seconds % 60:02d}"
        return f"{self.text}\n\n*{end} {clock}.*" if end else f"{self.text}\n\n`⏳ {clock}` so far"

    async def run(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self.message.content = self.words()
            await self.message.update()

    async def stop(self, end: str = "Done in") -> None:
        if self.task is not None:
            self.task.cancel()
        self.message.content = self.words(end)
        await self.message.update()


@dataclass
class Batch:
    """The render jobs a person said yes to, shown as ONE message with one bar: a sound render is a job per line
    and per cue, and a bar per job buried the chat under dozens of messages."""

    total: int
    message: cl.Message | None = None
    fractions: dict[str, float] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    shown: float = -1.0
    takes: dict[str, dict[str, Any]] = field(default_factory=dict)  # job → the take it made, in the grid
    grid: cl.CustomElement | None = None  # the takes as they finish, under the bar

    def add(self, job: str, fraction: float, status: str) -> None:
        self.fractions[job] = max(fraction, self.fractions.get(job, 0.0))
        if status in FINISHED or fraction >= 1.0:
            self.finished.add(job)
            self.fractions[job] = 1.0

    def fraction(self) -> float:
        """How far the whole batch is (jobs drawn first, such as a clip's missing board, count in it too)."""
        return sum(self.fractions.values()) / max(self.total, len(self.fractions), 1)

    def text(self, label: str) -> str:
        whole = self.fraction()
        bar = "█" * round(whole * 20) + "░" * (20 - round(whole * 20))
        total = max(self.total, len(self.fractions))
        return f"{len(self.finished)} of {total} done · {label}\n\n`{bar}` {whole:.0%}"


class Page:
    def __init__(self) -> None:
        self.used_groups: set[str] = set()
        self.actions: dict[str, list[cl.Action]] = {}
        self.steps: dict[str, cl.Step] = {}
        self.jobs: dict[str, tuple[cl.Message, float]] = {}  # a job outside any batch (none said how many)
        self.batch: Batch | None = None
        self.tasklist: cl.TaskList | None = None
        self.working: str | None = None  # the stage a crew member is working on
        self.views = Views()
        self.root: Path | None = None  # the workspace whose files this page may show
        self.project: Path | None = None  # the open project's folder (its takes' paths are relative to it)
        self.ended: Batch | None = None  # the last batch: its takes' artifact events go into its grid
        self.tickers: dict[str, Ticker] = {}  # work with no steps of its own, by agent and stage (the cut)

    async def show(self, event: Event, root: Path, store: ProjectPort | None = None) -> None:
        """One engine event on the page; ``root`` is the workspace whose files may be shown,
        ``store`` the open project (its task list follows the crew's work)."""
        self.root, self.project = root, (root / store.slug if store else None)
        if event.kind == "progress":
            await self.progress(event, store)
            return
        if is_view(event):
            await self.views.draw(event, root, root / store.slug if store else None, speaker(event))
            return
        if event.kind == "artifact" and await self.into_grid(event):
            return  # a take of the batch just shown: in the batch's grid, not a message of its own
        elements = []
        if event.kind == "artifact" and event.data.get("path"):
            elements = elements_for(Path(event.data["path"]), root)
        actions = await self.option_actions(event)
        if event.kind == "error":
            await cl.ErrorMessage(content=text_of(event), author=speaker(event)).send()
        elif len(elements) > 1:  # a folder's files, one at a time so that they show in the folder's order
            message = cl.Message(content=text_of(event), author=speaker(event), actions=actions)
            await message.send()
            for element in elements:
                await element.send(for_id=message.id)
        else:
            message = cl.Message(content=text_of(event), author=speaker(event), actions=actions, elements=elements)
            await message.send()
            if event.kind == "question":
                self.views.ask_approval(event, message.id)

    # ------------------------------------------------------------ buttons

    async def option_actions(self, event: Event) -> list[cl.Action]:
        """Buttons for a question's options; those of an earlier question go (it is superseded)."""
        if not event.options:
            return []
        for old in list(self.actions):
            self.used_groups.add(old)
            for action in self.actions.pop(old):
                await action.remove()
        group = uuid.uuid4().hex
        actions = [cl.Action(name=OPTION, label=option, tooltip=option,
                             payload={"choice": option, "group": group, "stage": event.stage})
                   for option in event.options]
        self.actions[group] = actions
        return actions

    async def pressed(self, action: cl.Action) -> str | None:
        """The choice of a pressed button, its group's buttons gone; None for a group already answered."""
        group, choice = action.payload.get("group", ""), action.payload.get("choice", "")
        if not choice or group in self.used_groups:
            return None  # a button pressed twice runs once
        self.used_groups.add(group)
        for other in self.actions.pop(group, []):
            await other.remove()
        return choice

    # ------------------------------------------------------------ the crew at work

    async def progress(self, event: Event, store: ProjectPort | None = None) -> None:
        job = event.data.get("job")
        if job is not None:
            await self.job_progress(str(job), event)
            return
        key = f"{event.author}:{event.stage}"
        if event.data.get("state") == "running":
            if "jobs" in event.data:  # "The Cinematographer starts 11 boards…": the bar of the batch
                self.batch = Batch(total=int(event.data["jobs"] or 0))
            self.working = event.stage
            parent = cl.context.current_step  # beside the turn's messages, where the person acted
            # Named after the agent, so that the step shows the agent's avatar.
            step = cl.Step(name=event.author, type="tool", show_input=False,
                           default_open=False, parent_id=parent.id if parent else None)
            step.start = _now()
            step.output = event.text
            await step.send()
            self.steps[key] = step
            if event.stage in TICKED and "jobs" not in event.data:
                await self.start_ticker(key, event)
            await self.refresh_tasks(store)
        elif event.data.get("state") == "done":
            await self.end_batch()
            ticker = self.tickers.pop(key, None)
            if ticker is not None:
                await ticker.stop()
            ended = self.steps.pop(key, None)
            if ended is not None:
                await self.close_step(ended, event.text)
            self.working = None
        else:
            await cl.Message(content=text_of(event), author=event.author).send()

    async def start_ticker(self, key: str, event: Event) -> None:
        message = cl.Message(content="", author=speaker(event))
        ticker = Ticker(event.text, message, time.monotonic())
        message.content = ticker.words()
        await message.send()
        ticker.task = asyncio.create_task(ticker.run())
        self.tickers[key] = ticker

    async def close_step(self, step: cl.Step, text: str) -> None:
        step.output = f"{step.output}\n{text}".strip()
        step.end = _now()
        await step.update()

    async def job_progress(self, job: str, event: Event) -> None:
        fraction = max(0.0, min(1.0, float(event.data.get("progress") or 0.0)))
        label = event.data.get("label") or event.text or f"render {job[:8]}"
        if self.batch is not None:
            await self.batch_progress(self.batch, job, fraction, str(event.data.get("status") or ""), label, event)
            return
        bar = "█" * round(fraction * 20) + "░" * (20 - round(fraction * 20))
        content = f"{label}\n\n`{bar}` {fraction:.0%}"
        known = self.jobs.get(job)
        if known is None:
            message = cl.Message(content=content, author=speaker(event))
            await message.send()
            self.jobs[job] = (message, fraction)
        elif fraction >= 1.0 or fraction - known[1] >= 0.05:
            known[0].content = content
            await known[0].update()
            self.jobs[job] = (known[0], fraction)

    async def batch_progress(self, batch: Batch, job: str, fraction: float, status: str, label: str,
                             event: Event) -> None:
        """The batch's one message, updated every 5 % of the whole and when a job ends."""
        was_finished = job in batch.finished
        batch.add(job, fraction, status)
        ended = not was_finished and job in batch.finished
        if batch.message is None:
            batch.message = cl.Message(content=batch.text(label), author=speaker(event))
            await batch.message.send()
            batch.shown = batch.fraction()
        elif ended or batch.fraction() - batch.shown >= 0.05:
            batch.message.content = batch.text(label)
            await batch.message.update()
            batch.shown = batch.fraction()
        take = event.data.get("take")
        if isinstance(take, str) and take and job not in batch.takes and job in batch.finished and status == "done":
            await self.grid_take(batch, job, take, label)

    async def grid_take(self, batch: Batch, job: str, take: str, label: str) -> None:
        """A finished take in the batch's grid, under its bar: the grid fills in as the batch goes."""
        if self.root is None or self.project is None or batch.message is None:
            return
        suffix = Path(take).suffix.lower()
        if suffix not in SHOWN_IMAGES + SHOWN_VIDEOS:  # a sound batch's lines: its mix is what is played
            return
        kind = "video" if suffix in SHOWN_VIDEOS else "image"
        name = take.rsplit("/", 1)[-1]
        code = name.split("_take", 1)[0] if "_take" in name else label.split(" ", 1)[0].rstrip(":")
        batch.takes[job] = {"code": code, "label": label, "name": name,
                            kind: media_url(take, self.project, self.root, _user())}
        props = {"takes": list(batch.takes.values()), "total": max(batch.total, len(batch.fractions))}
        if batch.grid is None:
            batch.grid = cl.CustomElement(name="TakeGrid", props=props, display="inline")
            await batch.grid.send(for_id=batch.message.id)
        else:
            batch.grid.props = props
            batch.grid.content = json.dumps(props)
            await batch.grid.update()

    async def into_grid(self, event: Event) -> bool:
        """Whether an artifact is a take of the last batch (then it is in the batch's grid)."""
        batch, job = self.ended, str(event.data.get("job") or "")
        if batch is None or not job or job not in batch.fractions or self.project is None:
            return False
        if job not in batch.takes:
            try:
                take = Path(str(event.data.get("path") or "")).resolve().relative_to(self.project.resolve())
            except (OSError, ValueError):
                return False
            await self.grid_take(batch, job, take.as_posix(), str(event.data.get("shot") or event.text))
        return job in batch.takes  # a take the grid cannot show (a sound line) keeps its own message

    async def end_batch(self) -> None:
        """The batch is over: its message says how many jobs finished, with no job's name left on it."""
        batch, self.batch = self.batch, None
        if batch is None or batch.message is None:
            return
        self.ended = batch  # its takes' artifact events come next
        batch.message.content = batch.text("finished")
        await batch.message.update()

    async def turn_over(self, store: ProjectPort | None) -> None:
        """After a turn: steps still open are closed as stopped, and the task list is brought up to date."""
        await self.end_batch()
        for step in list(self.steps.values()):
            await self.close_step(step, "stopped")
        self.steps.clear()
        self.working = None
        for ticker in list(self.tickers.values()):  # work that ended without saying so (an error)
            await ticker.stop("Stopped after")
        self.tickers.clear()
        await self.refresh_tasks(store)
        if self.root is not None:
            await self.views.refresh(self.root)

    async def refresh_tasks(self, store: ProjectPort | None) -> None:
        """The stages of the open project as a task list (nothing without a project)."""
        if store is None:
            return
        from studio.engine.describe import tracker, tracker_heading

        rows = await asyncio.to_thread(tracker, store)
        heading = await asyncio.to_thread(tracker_heading, store, rows)
        if self.tasklist is None:
            self.tasklist = cl.TaskList()
        self.tasklist.tasks = []
        for row in rows:  # the list numbers them
            state, words = TASK_STATUS[row.status], row.words
            if row.stage.value == self.working:
                state, words = cl.TaskStatus.RUNNING, f"the {row.stage.lead} is working on it"
            elif row.done:
                state = cl.TaskStatus.DONE
            await self.tasklist.add_task(cl.Task(title=f"{row.stage.value} — {words}", status=state))
        self.tasklist.status = heading  # "Night Shift · branch main: 9 of 12 done (2 skipped)"
        await self.tasklist.send()


def _user() -> str | None:
    user = cl.user_session.get("user")
    return getattr(user, "identifier", None) if user else None


def _now() -> str:
    from chainlit.utils import utc_now

    return utc_now()
