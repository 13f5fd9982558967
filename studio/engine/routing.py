"""Where free text goes: plain patterns first ('next', 'approve', 'use variant 2', 'redo shot 3 as …'),
the Producer's intent classifier second; notes go to the agent that leads the stage in front of us.
Slash commands go to the command registry; uploads to studio.engine.uploads."""

from __future__ import annotations

import re
from typing import Iterator

from studio.engine import stage_flow
from studio.engine.commands import REGISTRY
from studio.engine.conversation import Conversation
from studio.engine.events import Event, Turn, say
from studio.engine.render_gate import RENDER_NO, RENDER_YES, run_pending
from studio.engine.shot_requests import direct_render, redo_shot, show_shot
from studio.engine.uploads import upload
from studio.stages import Stage

# Whole-message patterns: "ok, but make the title shorter" is a note, not an approval.
_END = r"[\s.!]*(?:please|thanks|thank you)?[\s.!]*$"
APPROVE_RE = re.compile(r"^\s*(?:i\s+)?(approve[d]?(?: it| this| that)?|looks? good|lgtm|great|perfect|ship it|"
                        r"sounds good|love it)" + _END, re.IGNORECASE)
YES_RE = re.compile(r"^\s*(yes|yeah|yep|ok(ay)?|sure|go ahead|do it|go for it)" + _END, re.IGNORECASE)
NEXT_RE = re.compile(r"^\s*(next|continue|go on|proceed|keep going|carry on|what'?s next\??|next stage|move on)" + _END,
                     re.IGNORECASE)
PICK_RE = re.compile(r"^\s*(?:let'?s\s+|i'?ll\s+)?(?:use|pick|choose|go with|select|take|i like)\s+(?:the\s+)?"
                     r"(?:variant|option|version|number|treatment|#)\s*(\d+)(?:\s+(?:one|please))?" + _END, re.IGNORECASE)
REDO_SHOT_RE = re.compile(r"\b(?:redo|reshoot|make|change|try)\s+shot\s+([\w.:/]+)\s+(?:as|with|from|into|in)\s+(.+)",
                          re.IGNORECASE)
SHOW_SHOT_RE = re.compile(r"\b(?:show me|render|draw|give me|try)\s+(?:shot\s+)([\w.:/]+)(?:\s*,?\s*(.+))?$",
                          re.IGNORECASE)
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


STATUS_RE = re.compile(r"^\s*(status|where are we|progress)\b", re.IGNORECASE)
HELP_RE = re.compile(r"^\s*(help|\?|what can you do|what can we do|how does this work)\s*\??\s*$", re.IGNORECASE)
PREFERENCE_RE = re.compile(r"\b(i want|i'd like|i would like|i prefer|let'?s (?:make|keep|have|give)|make sure|"
                           r"always|never|don'?t|do not|we decided|remember|keep (?:it|her|him|them)|"
                           r"should (?:be|have|wear|look)|make (?:it|the|her|him|them|this|that)|change|add|remove|"
                           r"shorter|longer|darker|lighter|warmer|colder|funnier|sadder|"
                           r"more \w+|less \w+|instead)\b", re.IGNORECASE)


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
        yield from REGISTRY.dispatch(conv, text)
        return
    if conv.pending_render is not None:
        if RENDER_YES.match(text):
            yield from run_pending(conv)
            return
        conv.pending_render = None
        if RENDER_NO.match(text):
            yield say("Fine, nothing rendered. Say /render boards when you want them.")
            return
    if text.lower() in ("render", "not now"):  # a button of an estimate that is no longer open
        yield say("That estimate is closed. Ask again: /render boards, /render clips or /render cut.")
        return
    if text.lower() in ("render boards", "render clips", "cut", "render the cut"):
        yield from REGISTRY.dispatch(conv, "/render " + text.lower().replace("render ", "").replace("the ", ""))
        return
    if conv.store is None:
        yield from _before_a_project(conv, text)
        return
    if stage_flow.waiting_for_idea(conv):
        if HELP_RE.match(text):
            yield from REGISTRY.dispatch(conv, "/help")
        else:
            yield from stage_flow.draft(conv, Stage.BRIEF, idea=text)
        return
    yield from _free_text(conv, text)


def _before_a_project(conv: Conversation, text: str) -> Iterator[Event]:
    if HELP_RE.match(text):
        yield from REGISTRY.dispatch(conv, "/help")
    elif text.lower() in ("develop an idea",):
        yield say("Tell me the idea in one or two sentences: who, what they want, what stands in the way.")
    elif text.lower() in ("bring my screenplay",):
        yield say("Upload your screenplay as a Fountain file (.fountain), and I'll break it down.")
    else:
        yield from stage_flow.start_from_idea(conv, text)


def _free_text(conv: Conversation, text: str) -> Iterator[Event]:
    if APPROVE_RE.match(text):
        yield from stage_flow.approve(conv)
    elif YES_RE.match(text):
        yield from stage_flow.affirm(conv)
    elif NEXT_RE.match(text):
        yield from stage_flow.go_next(conv)
    elif (m := PICK_RE.match(text)) and stage_flow.has_variants(conv):
        yield from stage_flow.pick(conv, int(m.group(1)))
    elif m := REDO_SHOT_RE.search(text):
        yield from redo_shot(conv, m.group(1), m.group(2))
    elif (m := SHOW_SHOT_RE.search(text)) and conv.renderer is not None:
        yield from show_shot(conv, m.group(1), m.group(2) or "")
    elif render_ask(text) and conv.renderer is not None and getattr(conv.crew, "can_use_tools", False):
        yield from direct_render(conv, text)
    elif STATUS_RE.match(text):
        yield from REGISTRY.dispatch(conv, "/status")
    elif HELP_RE.match(text):
        yield from REGISTRY.dispatch(conv, "/help")
    elif PREFERENCE_RE.search(text) and (stage := stage_flow.revisable(conv)):
        # A preference is kept as a decision (memory will bring it back) and, for the
        # stage in front of us, taken as notes.
        yield from stage_flow.revise(conv, text, stage)
    else:
        yield from classify(conv, text)


def classify(conv: Conversation, text: str) -> Iterator[Event]:
    """Free text no pattern understood: the Producer's classifier decides."""
    from studio.drafts import IntentDraft  # the crew's drafts load when the crew is asked

    stage = conv.focus or stage_flow.next_stage(conv)
    intent = conv.crew.run("intent", {"stage": stage.value if stage else "start", "text": text[:500],
                                      "recent": conv.recent()}, IntentDraft)
    conv.add_usage()
    if intent.intent == "approve":
        # Never approve on a guess: ask.
        stage = stage_flow.next_stage(conv)
        yield Event("question", f"Shall I take that as approval of the {stage.value if stage else 'current'} "
                                "stage? Say 'approve' to confirm, or tell me what to change.",
                    stage=stage.value if stage else None, options=["Approve", "Revise"])
    elif intent.intent == "next":
        yield from stage_flow.go_next(conv)
    elif intent.intent == "pick" and intent.number and stage_flow.has_variants(conv):
        yield from stage_flow.pick(conv, intent.number)
    elif intent.intent == "status":
        yield from REGISTRY.dispatch(conv, "/status")
    elif intent.intent == "help":
        yield from REGISTRY.dispatch(conv, "/help")
    elif stage_flow.revisable(conv) is not None:
        yield from stage_flow.revise(conv, text)
    else:
        yield say("Say 'next' and the crew starts on the first stage, or /help for the commands.")
