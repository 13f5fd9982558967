"""The Art Director casts a voice for every speaking character that has none, before any line is spoken.

One commit writes the look with the new voices (a scoped change: the look keeps its status, and no board or
prompt goes out of date, since a voice is in no picture). A voice a person set is never recast.
"""

from __future__ import annotations

from studio.models import Breakdown, Look
from studio.project import Author
from studio.stages import Stage


def ensure_voices(store) -> list[str]:
    """Cast the characters without a voice (studio.voices.cast) and save the look in one commit; the names cast
    (empty when every speaker had a voice already, and then nothing is written)."""
    from studio.voices import cast

    look = store.read(Stage.LOOK)
    look = look if isinstance(look, Look) else Look()
    breakdown = store.read(Stage.BREAKDOWN)
    breakdown = breakdown if isinstance(breakdown, Breakdown) else Breakdown()
    script = store.read_script()
    new_look, names = cast(look, breakdown, script.fountain if script is not None else "", model=voice_model(store))
    if not names or new_look == look:
        return []
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    store.amend({Stage.LOOK: new_look}, author=Author.agent("Art Director"), summary=f"voices cast for {shown}",
                action="voices")
    return list(names)


def voice_model(store) -> str:
    """The neural voice model new voices are cast with (AUTEUR_VOICE_MODEL), or "" for espeak-ng."""
    settings = getattr(store, "settings", None)
    return str(getattr(settings, "voice_model", None) or "")
