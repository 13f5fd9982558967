"""The stages' artifacts as files: which model each stage file holds, and reading a person's JSON into one."""

from __future__ import annotations

import json

from pydantic import BaseModel, ValidationError

from studio.errors import AuteurError
from studio.models import (
    ActiveTakes, BeatSheet, Breakdown, Brief, Cut, Exports, Look, Prompts, ShotList, Treatment,
)
from studio.stages import Stage

STAGE_MODELS: dict[Stage, type[BaseModel]] = {
    Stage.BRIEF: Brief,
    Stage.TREATMENT: Treatment,
    Stage.BEATS: BeatSheet,
    Stage.BREAKDOWN: Breakdown,
    Stage.LOOK: Look,
    Stage.SHOTS: ShotList,
    Stage.PROMPTS: Prompts,
    Stage.BOARDS: ActiveTakes,
    Stage.CLIPS: ActiveTakes,
    Stage.CUT: Cut,
    Stage.EXPORT: Exports,
}


def parse_artifact(stage: Stage, name: str, data: bytes) -> BaseModel:
    """JSON bytes (from a file named ``name``) as the stage's model, or an error naming the field to fix."""
    cls = STAGE_MODELS[stage]
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuteurError(f"{name} is not valid JSON for the {stage.value} stage: {exc}",
                          f"fix the file (see `auteur show {stage.value} --json` for the shape)") from None
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise AuteurError(
            f"{name} is not a valid {stage.value}: {where}: {first['msg']} ({exc.error_count()} problem(s))",
            f"fix that field and run the command again (see `auteur show {stage.value} --json`)",
        ) from None
