"""What the Screenwriter writes for /scene rewrite and /line … punch up: one scene or one line, vetted.

A scene is redrafted with studio.scene_draft (the same small call as the first draft, with the person's notes and
the scene as it is); a part of it the model's answer does not pass for (the place, the action, the lines) is kept
as the scene has it, and when no part passes nothing is saved and the Producer says what failed. A punched-up line
must pass as a spoken line of that speaker and differ from the old one, else it is refused with the fix."""

from __future__ import annotations

import re
from functools import partial
from typing import Iterator

from studio import script_ops as ops
from studio.drafts import LineDraft, SceneDraft, clean_name, plain_words
from studio.engine.commands.writing_saves import save_script, script_text, set_line
from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.errors import StageError
from studio.fields import Vetter, bound, echoes_of, spoken
from studio.fountain import FountainDocument, parse, write
from studio.fountain.elements import Element, ElementType
from studio.models import Beat, BeatSheet, Brief, Treatment
from studio.project import Author
from studio.stages import Stage

_TIMES = ("DAY", "NIGHT", "MORNING", "EVENING", "DAWN", "DUSK", "CONTINUOUS", "LATER")
_SPOKEN = (ElementType.CHARACTER, ElementType.PARENTHETICAL, ElementType.DIALOGUE)
_KEPT_AS_IS = (ElementType.NOTE, ElementType.SYNOPSIS, ElementType.SECTION, ElementType.CENTERED,
               ElementType.PAGE_BREAK)


def _vetter(conv: Conversation, fountain: str, known: list[str]) -> Vetter:
    crew = conv.crew
    return Vetter(crew, crew.lexicon(fountain[:20000]), tuple(known), echoes_of(SceneDraft, LineDraft))


def _memory(conv: Conversation, query: str, scene: int) -> str:
    memory = conv.memory
    if memory is None:
        return "nothing recorded yet"
    try:
        return memory.context(Stage.SCRIPT, query=query, scene=scene) or "nothing recorded yet"
    except Exception:  # recall that fails leaves the rewrite without it, as a draft does
        return "nothing recorded yet"


def _story(conv: Conversation) -> tuple[Brief, str]:
    """The brief, and the story told (the chosen treatment, else the logline)."""
    store = conv.require_project()
    brief = store.read(Stage.BRIEF) or Brief(title=store.manifest().title)
    treatment = store.read(Stage.TREATMENT)
    story = treatment.active.text if isinstance(treatment, Treatment) and treatment.active else brief.logline
    return brief, story


def _beats_for(conv: Conversation, n: int, count: int) -> list[Beat]:
    """The beats scene n carries: the sheet spread evenly over the scenes, as the first draft did."""
    sheet = conv.require_project().read(Stage.BEATS)
    beats = sheet.beats if isinstance(sheet, BeatSheet) else []
    return list(beats[(n - 1) * len(beats) // count: n * len(beats) // count] or beats[-1:])


def rewrite(conv: Conversation, n: int, notes: str) -> Iterator[Event]:
    """Scene n redrafted by the Screenwriter with the person's notes; what failed is said, nothing junk saved."""
    from studio.scene_draft import SceneWriter

    fountain = script_text(conv)
    count = ops.scene_count(fountain)
    old = parse(ops.scene_text(fountain, n)).elements
    heading = old[0]
    store = conv.require_project()
    breakdown = store.breakdown()
    cast = list(breakdown.characters)
    brief, story = _story(conv)
    v = _vetter(conv, fountain, [*cast, *breakdown.locations])
    writer = SceneWriter(v, brief, story)
    writer.cast = list(cast)
    if n > 1:
        before = breakdown.scenes[n - 2] if len(breakdown.scenes) >= n - 1 else None
        if before is not None:
            writer.scenes.append(SceneDraft.model_construct(int_ext="INT", location=before.location, time="DAY",
                                                            action=before.synopsis or before.heading, dialogue=[]))
    now = " ".join(e.plain for e in old if e.type is ElementType.ACTION)[:300]
    asked = f"rewrite this scene ({heading.plain}: {now}). {notes.strip() or 'Make it stronger.'}"
    draft = writer.write(n, count, _beats_for(conv, n, count), notes=asked[:900],
                         memory=_memory(conv, notes or heading.plain, n))
    failed = [f for f in v.fallbacks if f.startswith(f"script: scene {n}")]
    elements, kept = _scene_elements(draft, old, failed, n)
    if len(kept) == 3:
        raise StageError(f"the Screenwriter's rewrite of scene {n} did not pass ({'; '.join(failed) or 'no answer'}), "
                         "so I changed nothing",
                         f"try other notes (/scene rewrite {n} NOTES), or change it yourself: /line {n}.1 NEW WORDS")
    text = write(FountainDocument(elements=elements))
    new = ops.replace_scene(fountain, n, text)
    kept_said = f" Kept as it was: the {', the '.join(kept)} (the model's did not pass)." if kept else ""
    notes_said = f" with your notes ({notes.strip()[:80]})" if notes.strip() else ""
    yield from save_script(conv, new, f"rewrite scene {n} ({heading.plain})", author=Author.agent("Screenwriter"),
                           said=f"Rewrote scene {n}{notes_said}: {ops.heading_of(new, n)}.{kept_said}",
                           data={"rewritten": n, "kept": kept, "failed": failed})


def _scene_elements(draft: SceneDraft, old: list[Element], failed: list[str],
                    n: int) -> tuple[list[Element], list[str]]:
    """The rewritten scene's elements; each part that failed vetting comes from the scene as it was."""
    kept: list[str] = []
    if any(f.endswith("location") for f in failed) or not draft.location:
        heading = old[0]
        kept.append("heading")
    else:
        time = draft.time if draft.time in _TIMES else "DAY"
        int_ext = draft.int_ext if draft.int_ext in ("INT", "EXT") else "INT"
        heading = Element(type=ElementType.SCENE_HEADING, notes=list(old[0].notes),
                          text=f"{int_ext}. {plain_words(draft.location).upper()} - {time}")
    if any(f.endswith("action") for f in failed) or not plain_words(draft.action):
        action = [e for e in old if e.type is ElementType.ACTION]
        kept.append("action")
    else:
        action = [Element(type=ElementType.ACTION, text=plain_words(draft.action))]
    said_before = [e for e in old if e.type in _SPOKEN]
    if any(f.endswith("dialogue") for f in failed) or (said_before and not any(
            plain_words(d.line) for d in draft.dialogue)):  # a rewrite with no lines keeps the scene's lines
        spoken_els = said_before
        kept.append("dialogue")
    else:
        spoken_els = []
        for said in draft.dialogue:
            words = plain_words(said.line)
            if words:
                spoken_els += [Element(type=ElementType.CHARACTER, text=clean_name(said.character)),
                               Element(type=ElementType.DIALOGUE, text=words)]
    ending = [e for e in old[-1:] if e.type is ElementType.TRANSITION]
    # What the writer put in the scene besides its story (a note citing the source story, a synopsis, a
    # section, centred text, a page break) stays, after the heading.
    kept_as_is = [e for e in old[1:] if e.type in _KEPT_AS_IS]
    return [heading, *kept_as_is, *action, *spoken_els, *ending], kept


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z']+", text.lower()) if len(w) > 3}


def _punched(line: str, *, old: str, scene: str) -> bool:
    """A punched-up line says the old one again, sharper: not the same words, not a stock reply ("Understood."),
    so it keeps a word of the line or of its scene and at least a third of its length (three words at least)."""
    said = " ".join(line.lower().split()).strip(" .!?")
    if said == " ".join(old.lower().split()).strip(" .!?"):
        return False
    return len(line.split()) >= max(3, len(old.split()) // 3) and bool(_words(line) & (_words(old) | _words(scene)))


def punch_up(conv: Conversation, s: int, k: int) -> Iterator[Event]:
    """The K-th speech of scene S rewritten by the model, vetted as that speaker's line; refused when it fails."""
    fountain = script_text(conv)
    said = ops.speeches(fountain, s)
    ops.check_speech(said, s, k)
    speech = said[k - 1]
    store = conv.require_project()
    cast = list(store.breakdown().characters)
    v = _vetter(conv, fountain, cast)
    brief, _ = _story(conv)
    action = " ".join(e.plain for e in parse(ops.scene_text(fountain, s)).elements if e.type is ElementType.ACTION)
    inputs = {"title": brief.title, "logline": brief.logline, "speaker": speech.character,
              "character": speech.character, "line": speech.text,
              "scene": action[:300], "action": action[:300],
              "notes": f"punch up {speech.character}'s line: {speech.text}", "memory": "nothing recorded yet"}
    asked = v.questions("script", "punch", inputs)
    for _ in range(2):
        answer = v.ask("script", "punch", inputs)
        good = v.accept(answer, "line", bound(LineDraft, "line"), asked,
                        prepare=partial(spoken, speaker=speech.character, cast=cast),
                        keep=partial(_punched, old=speech.text, scene=action))
        if good:
            break
    else:
        raise StageError(f"the Screenwriter's punched-up line for {speech.character} (scene {s}, speech {k}) did not "
                         "pass, so I changed nothing", f"write it yourself: /line {s}.{k} YOUR LINE")
    yield from set_line(conv, s, k, good, author=Author.agent("Screenwriter"), how=" punched up")
