"""The bundled sample drafted by code on the in-memory fakes: its shot list (standard coverage) and prompts, and
boards drawn by the fake renderer — the starting point of the unit tests on shots, views, the tracker and review
notes."""

from __future__ import annotations

from studio.coverage import plan
from studio.fountain import parse
from studio.models import Character, Look
from studio.project import Author
from studio.prompts import assemble
from studio.render import RenderKind
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeProject, FakeRenderer, FakeWorkspace

SAMPLE = (SAMPLES / "night_shift.fountain").read_bytes()


def drafted_sample(*, wardrobe: str | None = None, scene: int | None = 1
                   ) -> tuple[FakeWorkspace, FakeProject, FakeRenderer]:
    """'Night Shift' imported, its shots and prompts saved by the Cinematographer, and the boards of ``scene``
    (None: every scene) drawn. ``wardrobe``: a look is saved first by the Art Director, every character of the
    breakdown wearing it, and the prompts use it."""
    workspace = FakeWorkspace()
    store = workspace.create("Night Shift")
    store.import_script("night_shift.fountain", SAMPLE)
    shots = plan(parse(store.read_script().fountain), store.breakdown())
    look = None
    if wardrobe is not None:
        look = Look(characters=[Character(name=n, wardrobe=wardrobe) for n in store.breakdown().characters])
        store.save(Stage.LOOK, look, author=Author.agent("Art Director"), summary="look")
    store.save(Stage.SHOTS, shots, author=Author.agent("Cinematographer"), summary="coverage")
    store.save(Stage.PROMPTS, assemble(shots, store.breakdown(), look or Look()),
               author=Author.agent("Cinematographer"), summary="prompts")
    renderer = FakeRenderer()
    renderer.run(store, RenderKind.BOARD, scene=scene)
    return workspace, store, renderer
