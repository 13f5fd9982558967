"""/model: the language models the crew can use, each with its state (ready, server down, key missing, ...), and
the switch to one. The conversation's ModelsPort (config.container wires it) finds them and switches its crew."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError
from studio.ports import ModelsPort, ProfileState


def register(registry: Registry) -> None:
    registry.add("model", "/model [NAME]", "the language models the crew can use, and the switch to one", model,
                 reads_only=True)


def models_of(conv: Conversation) -> ModelsPort:
    models: ModelsPort | None = conv.models
    if models is None:
        raise StageError("this conversation cannot change its model",
                         "start the studio with AUTEUR_MODEL set to the profile you want")
    return models


def line(state: ProfileState, current: str) -> str:
    """One profile in a list: its name, its state, and what to do when it cannot be used."""
    marks = [state.state] + (["tiny"] if state.tiny else []) + (["in use"] if state.name == current else [])
    text = f"`{state.name}` — {', '.join(marks)}"
    if state.found:
        text += f" (found: {state.found})"
    if not state.usable and state.problem:
        text += f": {state.problem}" + (f"; {state.fix}" if state.fix else "")
    return text


def model(conv: Conversation, args: str) -> Iterator[Event]:
    models = models_of(conv)
    name = args.strip().strip("`")
    if not name:
        profiles = models.profiles()
        current = models.current
        lines = [f"The crew works with `{current}`. The model profiles:",
                 *(f"- {line(p, current)}" for p in profiles)]
        may_switch = getattr(models, "may_switch", True)
        lines.append("Say `/model NAME` to switch." if may_switch else
                     "Switching models is turned off on this studio; the operator sets AUTEUR_MODEL_SWITCH=on.")
        if not any(p.usable and not p.tiny for p in profiles):
            lines.append(models.offer())
        yield say("\n".join(lines), data={"current": current, "profiles": [p.to_dict() for p in profiles],
                                          "switch": may_switch})
        return
    if name == models.current:
        yield say(f"The crew already works with `{name}`.", data={"model": name})
        return
    state = models.choose(name)  # an AuteurError says why it cannot be used; then nothing changed
    text = f"The crew now works with `{name}`, from its next call."
    if state.tiny:
        text += " It is a tiny model: it fills small slots, and its prose stays plain."
    yield say(text, data={"model": name, "state": state.to_dict()})
