"""The renders as crewAI tools, on the agents that own them.

The Cinematographer carries `render_board` and `render_clip`, the Art Director
`render_reference`. With a model that calls tools, "show me shot 3 from lower,
at dusk" becomes a new take made by the agent; each call is the same job the
studio's /render makes, so it is estimated, recorded and never duplicated, and it
goes through the conversation's render gate: the estimate is shown and nothing
renders until the person says yes.
"""

from __future__ import annotations

import re
from typing import Any, Callable, ClassVar

from pydantic import BaseModel, Field

from studio.render import JobStatus, RenderKind


class ShotArgs(BaseModel):
    shot: str = Field(description="the shot, as S01_SH003 or 1.3 (scene 1, shot 3)")
    notes: str = Field(default="", description="what to change in the picture, e.g. 'from lower, at dusk'")


class SubjectArgs(BaseModel):
    subject: str = Field(description="a character or location of the script, e.g. MARA")


# (kind, shots, prompt, plan) → may it render now? kind None: a reference image. Given by the conversation
# (studio.engine.render_gate.tool_gate): a render an agent asks for waits, with its estimate, for a yes.
RenderGate = Callable[[RenderKind | None, list[tuple[int, int]], str | None, Any], bool]


def _refuse(*_: Any) -> bool:
    return False  # without a conversation to ask, nothing renders past the estimate


NOTES_CHARS = 200


def vetted_notes(store: Any, notes: str) -> tuple[str, str]:
    """A model's `notes` for a shot, as (the words the shot is revised by, the words added to the picture's
    prompt). Notes that pass as a phrase in the script's languages (studio.vetting) are both; notes that do not
    (a web address, markup, run-together junk) give only the shot vocabulary found in them (a size, an angle, a
    move, a lens, as studio.shot_revision reads them) and nothing for the prompt."""
    from agents.lexicon import lexicon_for
    from studio.errors import AuteurError
    from studio.shot_revision import ANGLE_WORDS, MOVE_WORDS, SIZE_WORDS
    from studio.vetting import vet

    notes = str(notes or "")
    if not notes.strip():
        return "", ""
    script = store.read_script()
    known: list[str] = []
    try:
        breakdown = store.breakdown()
        known = [*breakdown.characters, *breakdown.locations]
    except AuteurError:
        pass
    verdict = vet(notes, "phrase", lexicon_for(getattr(script, "fountain", "") or ""), max_chars=NOTES_CHARS,
                  known=known)
    if verdict.ok:
        return verdict.text, verdict.text
    words = []  # the words of the shot vocabulary that shot_changes reads in the notes, as the pattern matched them
    for table in (SIZE_WORDS, ANGLE_WORDS, MOVE_WORDS):
        found = next((m.group(0) for pattern, _ in table if (m := re.search(pattern, notes, re.IGNORECASE))), None)
        if found:
            words.append(found.lower())
    lens = re.search(r"(\d{2,3})\s*mm", notes)
    if lens:
        words.append(f"{lens.group(1)}mm")
    return ", ".join(words), ""


def _tool_classes():
    from crewai.tools import BaseTool

    class _RenderTool(BaseTool):
        store_of: Callable = Field(exclude=True)
        service: object = Field(exclude=True)
        gate: Callable = Field(default=_refuse, exclude=True)

        def _shot(self, notes: str, shot: str, kind: RenderKind) -> str:
            from studio.shot_codes import parse_shot
            from studio.shot_revision import revise_shot, shot_changes

            store = self.store_of()
            scene, number = parse_shot(shot)
            revision, notes = vetted_notes(store, notes)  # a model's words: never saved or drawn unchecked
            if shot_changes(revision):
                revise_shot(store, scene, number, revision, strict=True)
            shots = [(scene, number)]
            # A render of one shot asked for by the director (through the Cinematographer): its take becomes the
            # shot's active one, as studio.engine.shot_requests.show_shot makes it.
            plan = self.service.plan(store, kind, shots=shots, activate=True)  # type: ignore[attr-defined]
            prompt = None
            if notes and plan.specs:
                prompt = f"{plan.specs[-1].prompt}, {notes}"[:2000]
                plan = self.service.plan(store, kind, shots=shots, prompt=prompt,  # type: ignore[attr-defined]
                                         activate=True)
            if not self.gate(kind, shots, prompt, plan):
                return (f"Not rendered yet: {plan.estimate.text}. The director sees this estimate and says yes "
                        f"to render it; tell them it is waiting for their yes.")
            batch = self.service.run(  # type: ignore[attr-defined]
                store, kind, shots=shots, prompt=prompt, prepared=plan, activate=True)
            done = [s for s in batch.states if s.status is JobStatus.DONE]
            if not done:
                failed = batch.failed[0] if batch.failed else None
                return f"The render did not finish: {failed.error if failed else 'unknown reason'}"
            return f"New take saved: {done[0].take} ({plan.estimate.renderer})"

    class _ShotTool(_RenderTool):
        kind: ClassVar[RenderKind]
        args_schema: type[BaseModel] = ShotArgs

        def _run(self, shot: str, notes: str = "") -> str:
            return self._shot(notes, shot, self.kind)

    class RenderBoardTool(_ShotTool):
        kind = RenderKind.BOARD
        name: str = "render_board"
        description: str = ("Render a new storyboard frame (a new take) of one shot of the shot list, optionally "
                            "changed as the notes say (angle, size, time of day, mood).")

    class RenderClipTool(_ShotTool):
        kind = RenderKind.CLIP
        name: str = "render_clip"
        description: str = "Render a new video clip (a new take) of one shot from its board, with its camera move."

    class RenderReferenceTool(_RenderTool):
        name: str = "render_reference"
        description: str = "Render a reference image of a character or location, for consistent looks."
        args_schema: type[BaseModel] = SubjectArgs

        def _run(self, subject: str) -> str:
            if not self.gate(None, [], subject, None):
                return (f"Not rendered: the director asks for reference images themselves, with "
                        f"/reference {subject}; tell them so.")
            state = self.service.reference(self.store_of(), subject)  # type: ignore[attr-defined]
            if state.status is not JobStatus.DONE:
                return f"The reference did not finish: {state.error or state.status.value}"
            return f"Reference saved: {state.take}"

    return RenderBoardTool, RenderClipTool, RenderReferenceTool


OWNERS = {"cinematographer": ("render_board", "render_clip"), "art_director": ("render_reference",)}


def tools_for(agent_key: str, store_of: Callable, service, gate: RenderGate | None = None) -> list:
    """The render tools an agent owns, bound to the open project (``store_of()``), the render service and the
    conversation's render gate (without one, the tools only estimate: nothing renders without a yes)."""
    board, clip, reference = _tool_classes()
    made = {"render_board": board, "render_clip": clip, "render_reference": reference}
    return [made[name](store_of=store_of, service=service, gate=gate or _refuse) for name in OWNERS.get(agent_key, ())]
