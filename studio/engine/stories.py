"""A story in prose brought in: read, cut into passages, its skeleton found, kept as the project's source with a
brief drawn from it, and every passage indexed in memory so that /recall finds it.

Reading a novel takes seconds: the skeleton is found (and the passages embedded) in a worker thread while this
generator passes its progress on as events, so a face shows "passage 1,200 of 3,000" instead of a frozen chat.
Nothing is written until the whole story has been read: a refusal leaves no project and no commit.
"""

from __future__ import annotations

import queue
import threading
from typing import Any, Callable, Generator, Iterator, Literal

from studio.engine.conversation import Conversation
from studio.engine.describe import stale_text
from studio.engine.events import Event, say
from studio.errors import AuteurError, InvalidName
from studio.ports import ProjectPort, StoryTextLike
from studio.source import Source
from studio.stages import Stage
from studio.uploads import (
    CONVERTED_SCREENPLAY_TYPES, SCREENPLAY_ONLY_TYPES, STORY_FORMATS_SAID, STORY_ONLY_TYPES, TEXT_SCREENPLAY_TYPES,
    suffix_of,
)

As = Literal["prose", "screenplay"]
TELL_PROSE = "say so in the words you send with it (\"adapt this story\"), or `auteur import FILE --as prose`"


def decide(conv: Conversation, name: str, data: bytes, encoding: str | None,
           as_: As | None) -> tuple[StoryTextLike | None, bytes]:
    """(the story's text, b"") when the file is (or is to be taken as) prose; (None, its screenplay as Fountain
    bytes) when it is a screenplay. A PDF is read as a screenplay first (one reading in the common case); when
    that reading finds prose, or refuses it by a screenplay's limits (a novel has more pages than any
    screenplay), it is read again as a story, and only a screenplay's refusal of a screenplay is said."""
    suffix = suffix_of(name)
    if as_ == "prose" and suffix in SCREENPLAY_ONLY_TYPES:
        raise AuteurError(f"{name} is a screenplay format ({suffix}), so it cannot be read as prose",
                          f"bring the story as {STORY_FORMATS_SAID}")
    if as_ == "screenplay" and suffix in STORY_ONLY_TYPES:
        raise AuteurError(f"Auteur does not read screenplays saved as {suffix}",
                          "export the screenplay from your writing app as Fountain, Final Draft (.fdx) or PDF")
    if as_ == "screenplay" or (as_ is None and suffix in SCREENPLAY_ONLY_TYPES) or conv.story_reader is None:
        if conv.story_reader is None and (as_ == "prose" or suffix in STORY_ONLY_TYPES):
            raise AuteurError("this studio cannot read stories", "import the story with `auteur import FILE`")
        return None, _screenplay(conv, name, data)
    fountain, refused = b"", None
    if suffix == ".pdf" and as_ is None:
        try:
            fountain = _screenplay(conv, name, data)
        except AuteurError as exc:  # a screenplay's limits, or no screenplay in it: the story reader says
            refused = exc
        else:
            if _shape(fountain.decode("utf-8", "replace")) == "screenplay":
                return None, fountain
    story = conv.story_reader(name, data, encoding, as_ == "prose")
    if as_ == "prose" or suffix in STORY_ONLY_TYPES or _shape(story.text) == "prose":
        return story, b""
    if refused is not None:
        raise refused  # a screenplay after all: its own refusal
    return None, fountain if suffix == ".pdf" else data


def _shape(text: str) -> str:
    from studio.story_text import classify

    return classify(text)


def _screenplay(conv: Conversation, name: str, data: bytes) -> bytes:
    """The screenplay as Fountain bytes: FDX and PDF converted (tools.imports), Fountain as it is."""
    if suffix_of(name) in CONVERTED_SCREENPLAY_TYPES and conv.converter is not None:
        return conv.converter(name, data)
    if suffix_of(name) not in TEXT_SCREENPLAY_TYPES:
        raise AuteurError(f"{name} is not a screenplay file Auteur can read",
                          "upload a Fountain (.fountain), Final Draft (.fdx) or PDF screenplay, "
                          "or a character's reference image (.png, .jpg, .webp) named after them")
    return data


def adapt_story(conv: Conversation, name: str, story: StoryTextLike, *, forced: bool = False) -> Iterator[Event]:
    """The story kept as the project's source (a new project named after it when none is open)."""
    from studio.adapt import brief_from
    from studio.skeleton import find_skeleton, passages_of, title_and_author
    from studio.story_text import check_story

    check_story(name, story.text, as_prose=forced)
    found_title, found_author = title_and_author(story.text)
    # The author the text names wins over a file's metadata, which holds whoever saved it ("Administrator").
    title, author = story.title or found_title, found_author or _real_author(story.author)
    passages = passages_of(story.text)
    if not passages:
        raise AuteurError(f"{name} has no paragraphs of prose", "check that this is the story's text")
    yield Event("progress", f"Reading {name}: {len(passages):,} passages", author="Screenwriter",
                data={"story": name, "done": 0, "total": len(passages)})

    def work(progress: Callable[[int, int], None]) -> Any:
        return find_skeleton(story.text, passages, title=title, author=author, progress=progress)

    skeleton = yield from _with_progress(work, "Reading the story", name)
    source = Source(name=plain_name(name), format=story.format, passages=passages, skeleton=skeleton)
    current = conv.store.read(Stage.BRIEF) if conv.store is not None else None
    # Everything that can refuse the story is done before a project is made or a file written.
    brief = brief_from(source, title=skeleton.title or title or plain_name(name).rsplit(".", 1)[0],
                       runtime_minutes=current.runtime_minutes if current else 5.0)
    created = conv.store is None
    store = conv.store if conv.store is not None else new_project(conv, brief.title, name, "Adapted Story")
    try:
        change = store.import_story(source, story.text, brief)
    except BaseException:
        if created:  # a project made for this story, which it does not hold: gone with it
            conv.workspace.remove(store.slug)
        raise
    conv.store = store
    conv.focus = Stage.BRIEF
    brief = store.read(Stage.BRIEF) or brief  # what the project holds (a person's brief stays theirs)
    yield from _index(conv, name)
    yield Event("artifact", _summary(source), author="Screenwriter", stage="brief",
                data={"commit": change.commit, "slug": store.slug, "created": created, "title": brief.title,
                      "kind": "prose", "format": source.format, "words": skeleton.words,
                      "passages": len(passages), "chapters": skeleton.chapters,
                      "characters": [c.name for c in skeleton.characters[:12]],
                      "places": [p.name for p in skeleton.places[:12]], "span": skeleton.span.model_dump(),
                      "stages": change.project.statuses(), "stale": [s.value for s in change.made_stale]})
    if change.made_stale:
        yield say(stale_text(store, Stage.BRIEF, change.made_stale))
    yield say("Next, the Screenwriter drafts a treatment from the story (/next, or `auteur run --until script "
              "--yes` to go on to the script), each paragraph citing its passages; /recall finds a moment of the "
              "story by meaning.", author="Producer")


def _summary(source: Source) -> str:
    sk = source.skeleton
    who = ", ".join(c.name for c in sk.characters[:6]) or "no named characters"
    where = ", ".join(p.name for p in sk.places[:5]) or "no named places"
    when = f" Time: {sk.time_frame}." if sk.time_frame else ""
    by = f" by {sk.author}" if sk.author else ""
    return (f"Read {sk.title or source.name}{by}: {sk.words:,} words, {len(source.passages):,} passages, "
            f"{sk.chapters} chapter{'s' if sk.chapters != 1 else ''}. Characters: {who}. Places: {where}.{when} "
            f"{len(sk.events)} events, {len(sk.quotes)} quoted lines.\n{sk.span.note}").strip()


def _index(conv: Conversation, name: str) -> Iterator[Event]:
    """Every passage embedded now (with its progress), so the first /recall does not wait for it."""
    memory = conv.memory
    if memory is None:
        return
    try:
        yield from _with_progress(lambda progress: memory.sync(progress=progress), "Indexing the story for /recall",
                                  name)
    except AuteurError as exc:  # memory that fails is a notice: the story is kept, recall comes back later
        yield say(f"The story is kept, but memory could not index it now ({exc.problem}); /recall will index it "
                  "when memory is back.", data={"memory": "off"})


def _with_progress(work: Callable[[Callable[[int, int], None]], Any], what: str,
                   name: str) -> Generator[Event, None, Any]:
    """Run ``work(progress)`` in a thread; each call of progress(done, total) becomes a progress event here."""
    events: queue.Queue[tuple[int, int]] = queue.Queue()
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work(lambda done, total: events.put((done, total)))
        except BaseException as exc:  # handed back to the generator, raised there
            result["error"] = exc
        finally:
            events.put((-1, -1))

    thread = threading.Thread(target=run, name=f"auteur-{what[:20]}", daemon=True)
    thread.start()
    while True:
        done, total = events.get()
        if done < 0:
            break
        yield Event("progress", f"{what}: {done:,} of {total:,}", author="Screenwriter",
                    data={"story": name, "done": done, "total": total})
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def new_project(conv: Conversation, title: str, name: str, fallback: str) -> ProjectPort:
    """A new project for a file brought in: named after its title, else the file, else ``fallback`` (a title
    that cannot name a folder, such as 'AC/DC', gives way to the next)."""
    stem = plain_name(name).rsplit(".", 1)[0]
    for candidate in filter(None, [title, stem.replace("_", " ").title()]):
        try:
            return conv.workspace.create(candidate)
        except InvalidName:
            continue
    return conv.workspace.create(fallback)


PLACEHOLDER_AUTHORS = ("administrator", "admin", "user", "owner", "unknown", "microsoft office user", "author")


def _real_author(author: str) -> str:
    """A file's author metadata, unless it is a placeholder a word processor writes for whoever saved it."""
    return "" if author.strip().lower() in PLACEHOLDER_AUTHORS else author.strip()


def plain_name(name: str) -> str:
    """The file's own name, without any folder a face may have sent ('C:\\Users\\x\\story.txt' → 'story.txt')."""
    return name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "story.txt"
