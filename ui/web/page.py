"""What one chat's page shows, and what it keeps to update it: a question's buttons (each group
answers once), a step per agent at work, one bar per render batch, and the stages' task list."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import chainlit as cl

from studio.engine.events import Event
from studio.stages import STAGE_ORDER
from ui.web.presentation import OPTION, elements_for, speaker, text_of

if TYPE_CHECKING:
    from studio.ports import ProjectPort

# The spinner (RUNNING) is kept for a stage the crew is working on; a draft waits for the person.
TASK_STATUS = {"empty": cl.TaskStatus.READY, "draft": cl.TaskStatus.READY,
               "approved": cl.TaskStatus.DONE, "stale": cl.TaskStatus.FAILED}
TASK_WORDS = {"empty": "to do", "draft": "draft, waiting for you", "approved": "approved",
              "stale": "stale, to redo"}
FINISHED = ("done", "failed", "cancelled")  # a job's status once it will not move again


@dataclass
class Batch:
    """The render jobs a person said yes to, shown as ONE message with one bar: a sound render is a job per line
    and per cue, and a bar per job buried the chat under dozens of messages."""

    total: int
    message: cl.Message | None = None
    fractions: dict[str, float] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    shown: float = -1.0

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

    async def show(self, event: Event, root: Path, store: ProjectPort | None = None) -> None:
        """One engine event on the page; ``root`` is the workspace whose files may be shown,
        ``store`` the open project (its task list follows the crew's work)."""
        if event.kind == "progress":
            await self.progress(event, store)
            return
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
            await cl.Message(content=text_of(event), author=speaker(event), actions=actions,
                             elements=elements).send()

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
            await self.refresh_tasks(store)
        elif event.data.get("state") == "done":
            await self.end_batch()
            ended = self.steps.pop(key, None)
            if ended is not None:
                await self.close_step(ended, event.text)
            self.working = None
        else:
            await cl.Message(content=text_of(event), author=event.author).send()

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

    async def end_batch(self) -> None:
        """The batch is over: its message says how many jobs finished, with no job's name left on it."""
        batch, self.batch = self.batch, None
        if batch is None or batch.message is None:
            return
        batch.message.content = batch.text("finished")
        await batch.message.update()

    async def turn_over(self, store: ProjectPort | None) -> None:
        """After a turn: steps still open are closed as stopped, and the task list is brought up to date."""
        await self.end_batch()
        for step in list(self.steps.values()):
            await self.close_step(step, "stopped")
        self.steps.clear()
        self.working = None
        await self.refresh_tasks(store)

    async def refresh_tasks(self, store: ProjectPort | None) -> None:
        """The stages of the open project as a task list (nothing without a project)."""
        if store is None:
            return
        manifest = await asyncio.to_thread(store.manifest)
        if self.tasklist is None:
            self.tasklist = cl.TaskList()
        self.tasklist.tasks = []
        done = 0
        for stage in STAGE_ORDER:  # the list numbers them
            status = manifest.status(stage).value
            done += status == "approved"
            state, words = TASK_STATUS[status], TASK_WORDS[status]
            if stage.value == self.working:
                state, words = cl.TaskStatus.RUNNING, f"the {stage.lead} is working on it"
            await self.tasklist.add_task(cl.Task(title=f"{stage.value} — {words}", status=state))
        self.tasklist.status = f"{manifest.title}: {done} of {len(STAGE_ORDER)} approved"
        await self.tasklist.send()


def _now() -> str:
    from chainlit.utils import utc_now

    return utc_now()
