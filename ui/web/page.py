"""What one chat's page shows, and what it keeps to update it: a question's buttons (each group
answers once), a step per agent at work, a bar per render job, and the stages' task list."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import chainlit as cl

from studio.engine.events import Event
from studio.stages import STAGE_ORDER
from ui.web.presentation import OPTION, element_for, speaker, text_of

if TYPE_CHECKING:
    from studio.ports import ProjectPort

# The spinner (RUNNING) is kept for a stage the crew is working on; a draft waits for the person.
TASK_STATUS = {"empty": cl.TaskStatus.READY, "draft": cl.TaskStatus.READY,
               "approved": cl.TaskStatus.DONE, "stale": cl.TaskStatus.FAILED}
TASK_WORDS = {"empty": "to do", "draft": "draft, waiting for you", "approved": "approved",
              "stale": "stale, to redo"}


class Page:
    def __init__(self) -> None:
        self.used_groups: set[str] = set()
        self.actions: dict[str, list[cl.Action]] = {}
        self.steps: dict[str, cl.Step] = {}
        self.jobs: dict[str, tuple[cl.Message, float]] = {}
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
            element = element_for(Path(event.data["path"]), root)
            if element is not None:
                elements.append(element)
        actions = await self.option_actions(event)
        if event.kind == "error":
            await cl.ErrorMessage(content=text_of(event), author=speaker(event)).send()
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

    async def turn_over(self, store: ProjectPort | None) -> None:
        """After a turn: steps still open are closed as stopped, and the task list is brought up to date."""
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
