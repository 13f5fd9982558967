"""A file the person brings into the conversation: a screenplay becomes the script (and the breakdown),
an image named after a character becomes that character's reference. Which files are accepted, and how
large, is the one upload policy of studio.uploads: checked here too, so that every face (Chainlit, Slack,
`auteur import`) honours it, before anything is converted or written."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine.conversation import Conversation
from studio.engine.describe import describe, stale_text
from studio.engine.events import Event, say
from studio.engine.stage_flow import propose
from studio.engine.stories import As, adapt_story, decide, new_project, plain_name
from studio.ports import ProjectPort
from studio.screenplay import read_fountain
from studio.stages import Stage
from studio.uploads import check_name


def upload(conv: Conversation, name: str, data: bytes, *, encoding: str | None = None,
           as_: As | None = None) -> Iterator[Event]:
    """A screenplay, a story in prose or a reference image. A file beyond a limit of the upload policy or of its
    parser (PDF pages and reading time, FDX size and depth, Fountain size, a story's words) is refused before
    any project or commit is made. Whether a text is a story or a screenplay, its content says (``as_`` forces
    it)."""
    if check_name(name, len(data)) == "image":
        yield from store_reference(conv, name, data)
        return
    story, data = decide(conv, name, data, encoding, as_)
    if story is not None:
        yield from adapt_story(conv, name, story, forced=as_ == "prose")
        return
    replacing = conv.store is not None and conv.store.read_script() is not None
    adapted = conv.store is not None and conv.store.read_source() is not None
    created = conv.store is None
    if conv.store is None:
        conv.store = project_for(conv, name, data, encoding)
    store = conv.store
    change, imported = store.import_script(name, data, encoding=encoding)
    conv.focus = Stage.SCRIPT
    yield Event("artifact", describe(store, Stage.BREAKDOWN), author="Producer", stage="breakdown",
                data={"commit": change.commit, "slug": store.slug, "path": store.locate(""), "created": created,
                      "title": imported.brief.title, "scenes": len(imported.breakdown.scenes),
                      "pages": imported.script.pages, "seconds": imported.breakdown.total_seconds,
                      "characters": imported.breakdown.characters, "encoding": imported.encoding,
                      "stages": change.project.statuses(), "stale": [s.value for s in change.made_stale]})
    if replacing:
        yield say(f"{name} is now the script of {store.manifest().title}; the version before it is in "
                  "/history script (and /restore brings it back). To start a separate project with a "
                  "screenplay, say /new TITLE first.", data={"replaced": True})
    if adapted:
        yield say(f"{name} is now the script; the story it was adapted from is no longer the source the crew "
                  "drafts from (its files stay in the project's history; bring the story again to adapt it "
                  "again).", data={"source": "dropped"})
    if change.made_stale:
        yield say(stale_text(store, Stage.SCRIPT, change.made_stale))
    yield from propose(conv)


def project_for(conv: Conversation, name: str, data: bytes, encoding: str | None = None) -> ProjectPort:
    """A new project for a screenplay: named after its title page, else its file, else 'Imported Screenplay'."""
    stem = plain_name(name).rsplit(".", 1)[0]
    imported = read_fountain(name, data, encoding=encoding, fallback_title=stem)
    return new_project(conv, imported.brief.title, name, "Imported Screenplay")


def store_reference(conv: Conversation, name: str, data: bytes) -> Iterator[Event]:
    """An uploaded image becomes a reference of the character (or location) its file is named after."""
    store = conv.require_project()
    subject = re.split(r"[_\-. ]+(?:ref|reference|\d+)", name.rsplit(".", 1)[0], flags=re.I)[0].strip(" _-.")
    rel = store.add_reference(subject, name, data)
    yield say(f"Saved {name} as a reference for {subject.upper()}: the boards of shots with "
              f"{subject.upper()} use it where the model supports reference images.", author="Art Director",
              stage="look", data={"path": store.locate(rel), "media": "image"})
