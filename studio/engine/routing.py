"""Where a turn goes: uploads to studio.engine.uploads, slash commands to the command registry, the buttons of
a question to what they answer, and a director's words to studio.engine.directing, which reads them into
intents and carries each out (an unclear message is asked about, never taken as a yes)."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine import stage_flow
from studio.engine.commands import REGISTRY
from studio.engine.conversation import Conversation
from studio.engine.events import Event, Turn, say
from studio.engine.directing import direct, read
from studio.engine.render_gate import RENDER_NO, RENDER_YES, declined, run_pending
from studio.engine.shot_requests import direct_render
from studio.engine.uploads import upload
from studio.stages import Stage

_END = r"[\s.!]*(?:please|thanks|thank you)?[\s.!]*$"
PICK_RE = re.compile(r"^\s*(?:let'?s\s+|i'?ll\s+)?(?:use|pick|choose|go with|select|take|i like)\s+(?:the\s+)?"
                     r"(?:variant|option|version|number|treatment|#)\s*(\d+)(?:\s+(?:one|please))?" + _END, re.IGNORECASE)
# A request about a picture in other words ("can we see the diner scene's opening shot again, but darker?"):
# with a model that calls tools, the Cinematographer takes it with his render tools.
_ASK_VERB_RE = re.compile(r"\b(show|render|draw|see|make|give|try|redo|reshoot|again)\b", re.IGNORECASE)
_ASK_PICTURE_RE = re.compile(r"\b(shot|board|frame|clip|take|angle)s?\b", re.IGNORECASE)
_ASK_SHOT_RE = re.compile(r"\b(shot|board|clip)s?\b", re.IGNORECASE)
_ASK_HOW_RE = re.compile(r"\b(again|darker|lighter|brighter|at (?:dawn|dusk|night|noon)|from (?:above|below|lower|higher))",
                         re.IGNORECASE)


def render_ask(text: str) -> bool:
    """A verb of seeing then a picture word, or a picture word then how it should change: two searches each, so
    the time grows with the length of the message, never with its square."""
    verb = _ASK_VERB_RE.search(text)
    if verb and _ASK_PICTURE_RE.search(text, verb.end()):
        return True
    shot = _ASK_SHOT_RE.search(text)
    return bool(shot and _ASK_HOW_RE.search(text, shot.end()))


# `/approve boards anyway`: boards (clips) approved although some are older than their shots (stage_flow.approve).
HELP_RE = re.compile(r"^\s*(help|\?|what can you do|what can we do|how does this work)\s*\??\s*$", re.IGNORECASE)


def route(conv: Conversation, turn: Turn) -> Iterator[Event]:
    """Everything one turn causes, in order of precedence."""
    if turn.upload is not None:
        yield from upload(conv, *turn.upload)
        return
    text = (turn.choice or turn.text or "").strip()
    if turn.choice and text.lower() == "variants":
        text = "/variants"  # the button under a drafted treatment
    if conv.awaiting_notes is not None and text.startswith("/") and \
            text[1:].split(" ", 1)[0].lower() not in REGISTRY.commands:
        text = text[1:]  # `/auteur set it in winter` after Revise, in Slack: the notes, not a command
    if conv.awaiting_notes is not None and not text.startswith("/") and turn.choice is None:
        noted, conv.awaiting_notes = conv.awaiting_notes, None
        yield from stage_flow.revise(conv, text, noted)  # what the person typed after pressing Revise
        return
    conv.awaiting_notes = None
    if turn.choice and text.lower() == "revise" and conv.store is not None and (stage := stage_flow.revisable(conv)):
        conv.awaiting_notes = stage  # the Revise button: the next thing said is the notes
        yield say(f"What should the {stage.lead} change in the {stage.value}? Tell me in a sentence or two.",
                  author="Producer", stage=stage.value)
        return
    if not text:
        yield say("I'm listening: tell me your idea, or type /help.")
        return
    if text.startswith("/"):
        conv.pending_render = None  # the person moved on: a render waiting for a yes is dropped
        conv.pending_restore = None  # and a restore waiting for one
        yield from REGISTRY.dispatch(conv, text)
        return
    if conv.pending_restore is not None or (turn.choice and text.lower() in RESTORE_CHOICES):
        yield from _restore_answer(conv, text)
        return
    if conv.pending_render is not None:
        if RENDER_YES.match(text) or _a_yes(conv, text):
            yield from run_pending(conv)
            return
        pending, conv.pending_render = conv.pending_render, None
        if RENDER_NO.match(text):
            yield say(declined(pending))
            return
    asked_about = conv.unclear_text if conv.asked is not None and conv.asked.data.get("unclear") else ""
    conv.unclear_text = ""  # "Use as notes" answers only the question just asked
    if turn.choice and text.lower() == "use as notes":
        if not asked_about or conv.store is None:
            yield say("That question is closed. Tell me again what to change.")
            return
        yield from stage_flow.revise(conv, asked_about)  # the words the Producer asked about, sent as notes
        return
    if text.lower() in ("render stale", "render the stale shots"):
        yield from REGISTRY.dispatch(conv, "/render stale")
        return
    if text.lower() in ("render", "not now"):  # a button of an estimate that is no longer open
        yield say("That estimate is closed. Ask again: /render boards, /render clips or /render cut.")
        return
    if text.lower() in ("render boards", "render clips", "cut", "render the cut"):
        yield from REGISTRY.dispatch(conv, "/render " + text.lower().replace("render ", "").replace("the ", ""))
        return
    if turn.choice and text.lower() == ADAPT_CHOICE.lower():
        if not asked_about or not (conv.asked and conv.asked.data.get("paste")):
            yield say("That question is closed. Paste the story again, or upload it as a file.")
            return
        yield from upload(conv, PASTED, asked_about.encode("utf-8"), as_="prose")
        return
    said, story = pasted_story(text)
    if story:
        yield from _pasted(conv, story, told=said)
        return
    if conv.store is None:
        yield from _before_a_project(conv, text)
        return
    if turn.choice and (named := OPEN_RE.match(text)):  # a greeting's "Open Night Shift" pressed later on
        from studio.engine.commands.projects import find_project

        if slug := find_project(conv.workspace, named.group(1)):
            yield from REGISTRY.dispatch(conv, f"/open {slug}")
            return
    if stage_flow.waiting_for_idea(conv):
        if HELP_RE.match(text):
            yield from REGISTRY.dispatch(conv, "/help")
        else:
            yield from stage_flow.draft(conv, Stage.BRIEF, idea=text)
        return
    yield from _free_text(conv, text)


PASTED = "pasted story.txt"
PASTE_CHARS = 2000  # a story pasted into the chat: longer than any note a director types, in paragraphs


ADAPT_CHOICE = "Adapt as the story"
# The person says it is a story to adapt, before the text: "Adapt this story:", "Here is the story:" (not a note
# that starts "The story drags…").
TOLD = re.compile(r"^\s*(?:please\s+)?(?:adapt (?:this|the following|my)\b[^\n:]{0,40}|here(?: is|'s) (?:the|my) "
                  r"(?:story|text|chapter)[^\n:]{0,20})\s*[:\n]", re.I)


def pasted_story(text: str) -> tuple[bool, str]:
    """(the person said it is a story to adapt, the story) for a story pasted into the chat — several paragraphs
    of prose, not a long note; (False, "") for anything else."""
    told = TOLD.match(text)
    story = text[told.end():].strip() if told else text
    if len(story) < PASTE_CHARS or story.count("\n\n") < 2:
        return False, ""
    from studio.story_text import classify

    return (bool(told), story) if classify(story) == "prose" else (False, "")


def _pasted(conv: Conversation, story: str, *, told: bool) -> Iterator[Event]:
    """A pasted story is read like an uploaded one when the person said so, or when there is no work it would
    change; otherwise they are asked (long notes read as prose too)."""
    if told or conv.store is None or stage_flow.waiting_for_idea(conv):
        yield from upload(conv, PASTED, story.encode("utf-8"), as_="prose")
        return
    conv.unclear_text = story
    words = len(story.split())
    yield Event("question", f"That reads like a story ({words:,} words). Shall the Screenwriter adapt it as the "
                            f"story of {conv.store.manifest().title} (the treatment, beats and script follow it), "
                            "or is it notes?", author="Producer", options=[ADAPT_CHOICE, "Use as notes"],
                data={"unclear": True, "paste": True})


RESTORE_CHOICES = ("restore", "keep")  # the buttons of the question /restore asks (studio.engine.commands.versions)


def _restore_answer(conv: Conversation, text: str) -> Iterator[Event]:
    """The answer to "…drops these later changes. Restore?": Restore (or a yes) restores, Keep (or a no) keeps the
    stage as it is; anything else drops the question and is read as usual."""
    pending, conv.pending_restore = conv.pending_restore, None
    if pending is None:
        yield say("That question is closed. Ask again with /restore STAGE REV (/tree shows the versions).")
        return
    stage, rev = pending
    if text.lower() == "restore" or RENDER_YES.match(text) or _a_yes(conv, text):
        yield from REGISTRY.dispatch(conv, f"/restore {stage.value} {rev} yes")
    elif text.lower() == "keep" or RENDER_NO.match(text):
        yield say(f"Kept: the {stage.value} stays as it is.", stage=stage.value)
    else:
        yield from route(conv, Turn(text=text))


def _a_yes(conv: Conversation, text: str) -> bool:
    """'yes go ahead', 'sure, do it': a yes in the director's words (studio.intents reads it)."""
    from studio.intents import parse

    if len(text) > 200:
        return False
    intents = parse(text)
    return bool(intents) and all(i.kind == "affirm" and i.value != "praise" for i in intents)


# A request to see or open something ("show me the storyboard", "can I see the shot list", "open Night Shift"): with
# no project open it is answered with the projects there are, never taken for a film idea (a new project).
_POLITE = r"(?:(?:please|so|ok|okay|now|can you|could you|would you|can i|could i|may i|let me|let's|i want to|" \
          r"i'd like to|i would like to)\s+)*"
_THINGS = r"(?:the|my|our|all|every|this|that|it|those|these|storyboards?|boards?|shots?|shot ?list|script|look|cut|" \
          r"clips?|timeline|review|notes|characters?|history|tree|status|projects?|film|movie)"
SHOW_RE = re.compile(r"^\s*" + _POLITE + r"(?:show|see|view|display|open|list|look at|go to|bring up|pull up|"
                     r"continue|resume)\s+(?:me\s+|us\s+)?" + _THINGS + r"\b", re.IGNORECASE)
OPEN_RE = re.compile(r"^\s*(?:open|continue|resume)\s+(?:project\s+)?(.{1,200}?)[\s.!]*$", re.IGNORECASE)
SHOW_WORDS = 12  # a film idea is a sentence; a request to see something is a few words
OPEN_WORDS = 5  # "open the night shift project" names a project; "Open season on a small-town sheriff…" is an idea


def show_request(text: str) -> bool:
    """Whether a message with no project open asks to see something rather than tell an idea."""
    return len(text.split()) <= SHOW_WORDS and bool(SHOW_RE.match(text))


def _before_a_project(conv: Conversation, text: str) -> Iterator[Event]:
    from studio.engine.commands.projects import find_project, no_project

    if (named := OPEN_RE.match(text)) and (slug := find_project(conv.workspace, named.group(1))):
        yield from REGISTRY.dispatch(conv, f"/open {slug}")  # "Open Night Shift": the greeting's option
        return
    if HELP_RE.match(text):
        yield from REGISTRY.dispatch(conv, "/help")
    elif show_request(text) or (OPEN_RE.match(text) and len(text.split()) <= OPEN_WORDS):
        yield no_project(conv)
    elif text.lower() in ("develop an idea",):
        yield say("Tell me the idea in one or two sentences: who, what they want, what stands in the way.")
    elif text.lower() in ("bring my screenplay",):
        yield say("Upload your screenplay as a Fountain file (.fountain), and I'll break it down.")
    else:
        yield from stage_flow.start_from_idea(conv, text)


def _free_text(conv: Conversation, text: str) -> Iterator[Event]:
    """A director's words: read into intents and carried out (studio.engine.directing). A picture asked for in
    words no rule reads goes to the Cinematographer's tools when the model can call them."""
    if (m := PICK_RE.match(text)) and stage_flow.has_variants(conv):
        yield from stage_flow.pick(conv, int(m.group(1)))
        return
    done = read(conv, text)
    if all(i.kind in ("unclear", "ask") for i in done[0]) and render_ask(text) and conv.renderer is not None \
            and getattr(conv.crew, "can_use_tools", False):
        yield from direct_render(conv, text)
        return
    yield from direct(conv, text, done)
