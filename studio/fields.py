"""Every field a model writes is vetted before it reaches an artifact: checked (studio.vetting), repaired once
(the crew is asked for that one field in plain words), then written by rule (studio.fallbacks) and noted.

A draft that is not JSON at all (the runner's own repair failed too) is not the end of a stage: it becomes an
empty draft whose every field goes the same way, repair then rule. A model that cannot be reached is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

from pydantic import BaseModel

from studio.errors import AuteurError, ModelOutputError, ModelUnreachable
from studio.ports import CrewPort, Lexicon
from studio.vetting import Kind, vet

D = TypeVar("D", bound=BaseModel)


def unusable(exc: BaseException) -> bool:
    """The model answered, but with no valid draft even after the runner's repair."""
    return isinstance(exc, ModelOutputError)


def unreachable(exc: BaseException) -> bool:
    """The model could not be reached (server down, key refused)."""
    return isinstance(exc, ModelUnreachable)


def bound(model: type[BaseModel], name: str) -> int:
    """The ``max_length`` the film model allows for a field (2000 when it sets none)."""
    for meta in model.model_fields[name].metadata:
        limit = getattr(meta, "max_length", None)
        if isinstance(limit, int):
            return limit
    return 2000


def echoes_of(*drafts: type[BaseModel]) -> tuple[str, ...]:
    """What a model must not hand back as an answer: the drafts' own field descriptions and labels."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("description", "title"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for draft in drafts:
        walk(draft.model_json_schema())
        found.extend(draft.model_fields)
    return tuple(dict.fromkeys(f for f in found if f.strip()))


def fit(text: str, max_chars: int) -> str:
    """Text written by rule, cut at a word under ``max_chars``."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    return text[: max_chars - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


@dataclass
class Vetter:
    """Vets the fields of one stage's drafts; remembers which fell back to text written by rule."""

    crew: CrewPort
    lexicon: Lexicon
    known: tuple[str, ...] = ()
    echoes: tuple[str, ...] = ()
    fallbacks: list[str] = field(default_factory=list)
    repairs: list[tuple[str, str]] = field(default_factory=list)

    def check(self, text: str, kind: Kind, max_chars: int) -> str:
        """The cleaned text when it passes, else ''."""
        verdict = vet(text or "", kind, self.lexicon, max_chars=max_chars, known=self.known, echoes=self.echoes)
        return verdict.text if verdict.ok else ""

    def ask(self, task: str, name: str, inputs: dict[str, Any]) -> str:
        self.repairs.append((task, name))
        try:
            return self.crew.ask(task, name, inputs)
        except AuteurError as exc:  # a repair that fails is a repair that did not help; an unreachable model is not
            if unreachable(exc):
                raise
            return ""

    def field(self, text: str, *, task: str, name: str, kind: Kind, max_chars: int, label: str,
              inputs: dict[str, Any], fallback: str | Callable[[], str]) -> str:
        """The model's text if it passes; else one repair, vetted again; else ``fallback`` (noted as ``label``).
        An empty fallback means the field is left blank (nothing is known to put there)."""
        good = self.check(text, kind, max_chars)
        if good:
            return good
        good = self.check(self.ask(task, name, inputs), kind, max_chars)
        if good:
            return good
        self.fallbacks.append(label)
        return fit(fallback() if callable(fallback) else fallback, max_chars)

    def run(self, task: str, inputs: dict[str, Any], output: type[D], empty: Callable[[], D],
            schema: dict[str, Any] | None = None, label: str = "") -> D:
        """The crew's draft; an ``empty`` one when the model gave no valid draft at all (its fields then go
        through repair and rule like any failed field; ``label`` is noted when there are none to go)."""
        try:
            return self.crew.run(task, inputs, output, schema=schema)
        except AuteurError as exc:
            if not unusable(exc):
                raise
            if label:
                self.fallbacks.append(label)
            return empty()
