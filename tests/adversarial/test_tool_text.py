"""What a model hands the Cinematographer's tools, and what it answers the director, is vetted like any field.

A capable model calls `render_board(shot, notes)` with notes of its own: those notes are saved in the shot and
its commit and drawn into the picture's prompt, so a web address, markup or run-together junk in them must reach
none of these; the shot vocabulary in them (a close-up, a low angle) still revises the shot. And the model's
reply after a render is shown in the director's chat: markup there (an image from an outside address) never is.

The project is a real one on Git (the sample screenplay, its shots drafted); the words are judged against
wordfreq's lists (agents.lexicon), as in the studio.
"""

from __future__ import annotations

import pytest

from agents.lexicon import WordfreqLexicon
from studio.engine.events import Turn
from studio.engine.session import Session
from studio.models import Angle, ShotSize
from studio.pipeline import Pipeline
from studio.stages import Stage
from tests.conftest import SAMPLES
from tests.fakes import FakeCrew, FakeRenderer, FakeWorkspace

HOSTILE = "redone as close-up <img src='https://x.com/a.png'> MORNINGAMONYDUEBELWINNEDADEMARCIE"
JUNK = ("<img", "https", "x.com", "MORNINGAMONY", "![")


def _clean(text: str) -> bool:
    return not any(bad in (text or "") for bad in JUNK)


@pytest.fixture
def shots(imported):
    """The sample on Git with its shot list, and the Cinematographer's render_board tool bound to it."""
    from tools.render.crew_tools import tools_for

    Pipeline(imported, FakeCrew({"shots": {"changes": []}}, lexicon=WordfreqLexicon(("en",)))).draft(Stage.SHOTS)
    renderer = FakeRenderer()
    asked: list = []

    def gate(kind, shots, prompt, plan):
        asked.append(prompt)
        return False  # the estimate only: nothing renders without the director's yes

    [board, _clip] = tools_for("cinematographer", lambda: imported, renderer, gate=gate)
    return imported, board, renderer, asked


def _shot(store, scene: int, number: int):
    return next(s for s in store.read(Stage.SHOTS).shots if (s.scene, s.number) == (scene, number))


def test_junk_notes_revise_the_shot_by_its_vocabulary_and_reach_no_artifact_or_prompt(shots):
    store, board, renderer, asked = shots
    answer = board.run(shot="1.2", notes=HOSTILE)
    assert "Not rendered yet" in answer
    shot = _shot(store, 1, 2)
    assert shot.size is ShotSize.CU, "the close-up the notes asked for is made"
    assert _clean(shot.notes) and "close-up" in shot.notes, shot.notes
    summary = store.history(Stage.SHOTS, limit=1)[0].message
    assert "redo S01_SH002" in summary and _clean(summary), summary
    assert all(_clean(p["prompt"] or "") for p in renderer.plans), renderer.plans
    assert asked == [None], "junk adds nothing to the picture's prompt"


def test_notes_that_are_words_revise_the_shot_and_colour_the_picture(shots):
    store, board, renderer, asked = shots
    board.run(shot="1.2", notes="from lower, at dusk")
    shot = _shot(store, 1, 2)
    assert shot.angle is Angle.LOW and "from lower, at dusk" in shot.notes
    assert asked[-1] and asked[-1].endswith(", from lower, at dusk")


def test_junk_notes_with_no_shot_words_change_nothing(shots):
    store, board, renderer, asked = shots
    before = _shot(store, 1, 2).model_dump()
    board.run(shot="1.2", notes="<script>alert(1)</script> https://x.com/a.png")
    assert _shot(store, 1, 2).model_dump() == before and asked == [None]


# ------------------------------------------------------------------ the Cinematographer's reply in the chat

def _direct(reply: str, *, take: bool):
    workspace = FakeWorkspace()
    holder: dict = {}

    def direct(agent: str, request: str) -> str:
        if take:
            holder["session"].store.add_take(1, 2)
        return reply

    crew = FakeCrew({}, tools=True, direct=direct, lexicon=WordfreqLexicon(("en",)))
    session = holder["session"] = Session(workspace, crew, renderer=FakeRenderer())
    list(session.handle(Turn(upload=("night_shift.fountain", (SAMPLES / "night_shift.fountain").read_bytes()))))
    events = list(session.handle(Turn(text="can I see that frame again with fog rolling in?")))
    said = [e for e in events if e.kind == "message" and e.author == "Cinematographer"]
    assert len(said) == 1, [e.text for e in events]
    return said[0].text, events


@pytest.mark.parametrize("reply, take, expected", [
    ("![x](https://x.com/a.png)", True, "The Cinematographer made the render you asked for."),
    ("<img src='https://x.com/a.png'> MORNINGAMONYDUEBELWINNEDADEMARCIE", False, "Done."),
    ("Here is shot 1.2 again, darker. ![x](https://x.com/a.png)", True,
     "The Cinematographer made the render you asked for."),
    ("Here is shot 1.2 again, darker.", True, "Here is shot 1.2 again, darker."),
    ("I drew S01_SH002 again, darker.", True, "I drew shot 1.2 again, darker."),
])
def test_the_reply_after_a_render_is_plain_sentences(reply, take, expected):
    text, events = _direct(reply, take=take)
    assert text == expected and _clean(text)
    assert [e.text for e in events if e.kind == "artifact"] == (["New take: S01_SH002_take01.png"] if take else [])
