"""The shot design crew: shots."""

from __future__ import annotations


class ShotDesignCrew:
    """Tasks as methods named like their keys in config/tasks.yaml."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def shots(self, output, schema=None):
        return self.runner.task("shots", output, schema)
