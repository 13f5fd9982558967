"""The look crew: look, continuity."""

from __future__ import annotations


class LookCrew:
    """Tasks as methods named like their keys in config/tasks.yaml."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def look(self, output, schema=None):
        return self.runner.task("look", output, schema)

    def continuity(self, output, schema=None):
        return self.runner.task("continuity", output, schema)
