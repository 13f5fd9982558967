"""Render batches for the faces: plan, estimate, submit to the job runner, follow, and cut.

The CLI and the conversation engine both come through here, so a board made in
the terminal and one made in the chat are the same job with the same id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from config.settings import Settings
from studio.models import shot_code
from studio.render import JobEvent, JobState, JobStatus, RenderKind
from tools.render.plan import Plan, plan


@dataclass
class Batch:
    kind: RenderKind
    plan: Plan
    states: list[JobState] = field(default_factory=list)
    boards_first: list[JobState] = field(default_factory=list)

    @property
    def failed(self) -> list[JobState]:
        return [s for s in self.boards_first + self.states if s.status is not JobStatus.DONE]


class RenderService:
    """The render port. ``make_runner`` gives the job runner (the composition root, config.container, decides
    which): called on first use, so a face that never renders never reaches Redis."""

    def __init__(self, settings: Settings, make_runner: Callable[[], Any]) -> None:
        self.settings = settings
        self._make_runner = make_runner
        self._runner = None

    @property
    def runner(self):
        if self._runner is None:
            self._runner = self._make_runner()
        return self._runner

    @property
    def local(self) -> bool:
        return self.settings.jobs != "celery"

    def plan(self, store, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
             shots: list[tuple[int, int]] | None = None, seed: int | None = None,
             prompt: str | None = None, activate: bool = False) -> Plan:
        """``activate``: the takes become their shots' active ones (a render a person asked for)."""
        return plan(store, kind, self.settings, scene=scene, tier=tier, shots=shots, seed=seed, local=self.local,
                    prompt_override=prompt, activate=activate)

    def follow(self, states: list[JobState], *, timeout: float | None = None) -> Iterator[JobEvent | list[JobState]]:
        """Yield each job's progress events as they come, then the final states (a list)."""
        ids = [s.id for s in states]
        deadline = None if timeout is None else time.monotonic() + timeout
        pending: list[JobEvent] = []
        seen: dict[str, tuple] = {}
        while True:
            finals = self.runner.wait(ids, timeout=0.5, on_event=pending.append)
            while pending:
                event = pending.pop(0)
                key = (event.status, round(event.progress, 3), event.message)
                if seen.get(event.id) != key:  # each wait starts by repeating where a job stands
                    seen[event.id] = key
                    yield event
            if all(s.status.finished for s in finals):  # (a job whose state vanished counts as over)
                yield finals
                return
            if deadline is not None and time.monotonic() > deadline:
                yield finals
                return

    def run(self, store, kind: RenderKind, *, scene: int | None = None, tier: str | None = None,
            shots: list[tuple[int, int]] | None = None, seed: int | None = None, prompt: str | None = None,
            on_event: Callable[[JobEvent], None] | None = None, prepared: Plan | None = None,
            activate: bool = False) -> Batch:
        """Render a batch and wait for it. Clips whose shot has no board get a board first."""
        events = on_event or (lambda e: None)
        the_plan = prepared or self.plan(store, kind, scene=scene, tier=tier, shots=shots, seed=seed, prompt=prompt,
                                         activate=activate)
        batch = Batch(kind, the_plan)
        if kind is RenderKind.CLIP and the_plan.missing_boards:
            need = [(s.scene, s.shot) for s in the_plan.specs
                    if s.scene is not None and s.shot is not None
                    and shot_code(s.scene, s.shot) in the_plan.missing_boards]
            boards = self.plan(store, RenderKind.BOARD, tier=tier, shots=need)
            batch.boards_first = self._submit_and_wait(boards.specs, events)
            if any(s.status is not JobStatus.DONE for s in batch.boards_first):
                return batch
            the_plan = self.plan(store, kind, scene=scene, tier=tier, shots=shots, seed=seed, prompt=prompt,
                                 activate=activate or any(s.activate for s in the_plan.specs))
            batch.plan = the_plan
        batch.states = self._submit_and_wait(the_plan.specs, events)
        return batch

    def _submit_and_wait(self, specs, on_event) -> list[JobState]:
        states = [self.runner.submit(spec) for spec in specs]
        finals: list[JobState] = states
        for item in self.follow(states):
            if isinstance(item, list):
                finals = item
            else:
                on_event(item)
        return finals

    def cut(self, store, *, on_progress: Callable[[float, str], None] | None = None):
        from tools.render.cut import assemble_cut

        return assemble_cut(store, progress=on_progress)

    def reference(self, store, subject: str, *, tier: str | None = None,
                  on_event: Callable[[JobEvent], None] | None = None) -> JobState:
        """A reference image of a character or location, rendered as a job and waited for."""
        from tools.render.execute import reference_spec

        spec = reference_spec(store, subject, self.settings, tier=tier,
                              seed=_next_seed(store, subject))
        return self._submit_and_wait([spec], on_event or (lambda e: None))[0]


def _next_seed(store, subject: str) -> int:
    from memory.project_store import reference_folder
    from tools.render.plan import seed_for

    folder = store.path / reference_folder(store, subject)
    count = len(list(folder.glob("ref_*.json"))) if folder.is_dir() else 0
    return seed_for(store.manifest().id, subject.upper(), count)
