"""The base of every artifact model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for every artifact: strict about unknown fields, friendly to JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, use_enum_values=False)
