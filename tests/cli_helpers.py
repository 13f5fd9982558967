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


def at_prompts(script, *, boards: tuple[int, ...] = ()) -> str:
    """A screenplay imported and taken to its prompts by the crew AUTEUR_MODEL names (every stage approved),
    with the sketch boards of the scenes in ``boards``: the project's slug."""
    slug = js("import", str(script))["slug"]
    invoke("run", "-p", slug, "--until", "prompts", "--yes")
    for scene in boards:
        invoke("render", "boards", "-p", slug, "--scene", str(scene), "--tier", "sketch", "--yes")
    return slug
