"""A message the rules could not read is asked about: "Do you want me to change Nell's coat, or approve the
shots?". Never taken as a yes: approving takes the Approve button or the word. A model that can do more than fill
slots (one that calls tools) gives its reading first, and the question offers it."""

from __future__ import annotations

import re

from studio.engine import stage_flow
from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.intents import Known
from studio.stages import StageStatus

GUESSES = {"next": ("draft the next stage", "Next"), "status": ("show where the project stands", "Status"),
           "help": ("show what you can say", "Help"), "revise": ("pass your words on as notes", "Use as notes")}


def mentioned(text: str, know: Known) -> list[str]:
    """The project's names the message mentions, with what follows a possessive ('nell's coat' → "NELL's coat")."""
    found: list[str] = []
    lowered = text.lower()
    for name in (*know.characters, *know.props, *know.locations):
        first = name.split()[0].lower()
        m = re.search(rf"\b{re.escape(first)}(?:'?s)?\b(?:\s+(\w+))?", lowered)
        if m is None:
            continue
        thing = m.group(1) if m.group(1) and m.group(0).rstrip().split()[0].endswith(("'s", "s")) else ""
        found.append(f"{name.title()}'s {thing}" if thing else name.title())
    return found[:2]


def question(conv: Conversation, text: str, know: Known) -> Event:
    store = conv.require_project()
    stage = stage_flow.next_stage(conv)
    waiting = stage is not None and store.manifest().status(stage) is StageStatus.DRAFT
    choices: list[str] = []
    options: list[str] = []
    names = mentioned(text, know)
    if names:
        choices.append(f"change {names[0]}")
    guess = _guess(conv, text, stage.value if stage else "start")
    if guess in GUESSES:
        words, button = GUESSES[guess]
        choices.append(words)
        options.append(button)
    refused = re.search(r"\b(?:don'?t|do not|not|never|no|wait|hold)\b.{0,30}\bapprov|\bnot yet\b", text, re.I)
    if waiting and stage is not None and not refused:
        choices.append(f"approve the {stage.value}")
        options.append("Approve")
    conv.unclear_text = text
    if "Use as notes" not in options and stage_flow.revisable(conv) is not None:
        options.append("Use as notes")
    if not choices:
        choices = ["change something (say what and how, e.g. 'make Nell's coat red')", "show you something"]
    asked = ", or ".join([", ".join(choices[:-1]), choices[-1]] if len(choices) > 1 else choices)
    return Event("question", f"I'm not sure what you mean. Do you want me to {asked}?", stage=stage.value if stage
                 else None, options=options, data={"unclear": text[:500], "choices": choices})


def _guess(conv: Conversation, text: str, stage: str) -> str:
    """The crew's reading of the message: only with a model that calls tools (a tiny one only fills slots)."""
    if not getattr(conv.crew, "can_use_tools", False):
        return ""
    from studio.drafts import IntentDraft

    try:
        intent = conv.crew.run("intent", {"stage": stage, "text": text[:500], "recent": conv.recent()}, IntentDraft)
    except Exception:  # a reading is a help for the question, never needed for it
        return ""
    finally:
        conv.add_usage()
    return intent.intent if intent.intent != "approve" else ""
