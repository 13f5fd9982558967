"""The look crew: one character, location or prop at a time, the style capsule, continuity."""

from __future__ import annotations


class LookCrew:
    """Tasks as methods named like their keys in config/tasks.yaml."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def character(self, output, schema=None):
        return self.runner.task("character", output, schema)

    def location(self, output, schema=None):
        return self.runner.task("location", output, schema)

    def prop(self, output, schema=None):
        return self.runner.task("prop", output, schema)

    def style(self, output, schema=None):
        return self.runner.task("style", output, schema)

    def continuity(self, output, schema=None):
        return self.runner.task("continuity", output, schema)
