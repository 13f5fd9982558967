"""The development crew: brief, treatment, beats, script, intent."""

from __future__ import annotations


class DevelopmentCrew:
    """Tasks as methods named like their keys in config/tasks.yaml."""

    def __init__(self, runner) -> None:
        self.runner = runner

    def brief(self, output, schema=None):
        return self.runner.task("brief", output, schema)

    def treatment(self, output, schema=None):
        return self.runner.task("treatment", output, schema)

    def beats(self, output, schema=None):
        return self.runner.task("beats", output, schema)

    def script(self, output, schema=None):
        return self.runner.task("script", output, schema)

    def intent(self, output, schema=None):
        return self.runner.task("intent", output, schema)
