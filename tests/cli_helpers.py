"""The `auteur` command in-process, for tests: run it, and read its --json output."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ui.cli import app


def invoke(*args, ok=True):
    result = CliRunner().invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


def js(*args):
    return json.loads(invoke(*args, "--json").stdout)
