"""The base of every artifact model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for every artifact: strict about unknown fields, friendly to JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)


def inside_project(path: str) -> str:
    """``path`` when it names a file inside the project folder (relative, no ``..``): a take's or a sound take's
    path, as a sidecar a person could edit gives it; else ValueError."""
    if path.startswith("/") or ".." in path.split("/"):
        raise ValueError(f"take path {path!r} must stay inside the project folder")
    return path

