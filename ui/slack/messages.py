"""Slack's text both ways, without Slack's SDK: what a person typed (a slash command's text, a mention)
as the engine's words, and engine events as Slack messages (mrkdwn, Block Kit, buttons)."""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from studio.engine.events import Event

CHOICE_ACTION = "auteur_choice"  # prefix of every button's action_id
SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
BLOCK_LIMIT = 48  # and 50 blocks a message


# ---------------------------------------------------------------- what a person typed


def command_line(text: str) -> str:
    """'/auteur status' arrives as 'status': the registry's '/status'. Nothing, or 'help', is '/help'."""
    text = unescape(text or "").strip()
    if not text or text.lower() in ("help", "/help", "?"):
        return "/help"
    return "/" + text.lstrip("/")


_MENTION_RE = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_LINK_RE = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def mention_text(text: str) -> str:
    """'<@U0BOT> next please' → 'next please'; links back to their words, entities unescaped."""
    text = _MENTION_RE.sub("", text or "")
    text = _LINK_RE.sub(lambda m: m.group(2) or m.group(1), text)
    return unescape(" ".join(text.split()))


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Slack reads &, < and > as markup: in mrkdwn they are written as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- events as Slack messages


def _chunks(text: str, size: int = SECTION_LIMIT) -> list[str]:
    """Split long text at line ends so each piece fits a section."""
    out, current = [], ""
    for line in text.splitlines() or [""]:
        while len(line) > size:
            if current:
                out.append(current)
                current = ""
            out.append(line[:size])
            line = line[size:]
        if current and len(current) + 1 + len(line) > size:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current or not out:
        out.append(current)
    return out


def _tabular(text: str) -> bool:
    """Multi-line text laid out in columns (like /status) reads right only in a code block."""
    return "\n" in text and bool(re.search(r"\S {2,}\S", text))


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def event_blocks(event: Event, key: str, index: int) -> list[dict[str, Any]]:
    """One engine event as Block Kit blocks; the agent's name leads in bold."""
    if event.kind == "progress":
        if (event.data or {}).get("state") == "done":
            return []
        return [{"type": "context", "elements": [{"type": "mrkdwn",
                                                  "text": f"_{escape(event.text or 'Working…')}_"}]}]
    body = escape(event.text or "")
    if event.kind == "error":
        lead = ":warning: "
    else:
        lead = f"*{escape(event.author or 'Producer')}:* "
    if _tabular(event.text or ""):
        pieces = [f"```{piece}```" for piece in _chunks(body, SECTION_LIMIT - 8)]
        blocks = [_section(lead.rstrip())] + [_section(p) for p in pieces]
    else:
        pieces = _chunks(lead + body)
        blocks = [_section(p) for p in pieces]
    if event.options and event.kind in ("question", "message"):
        buttons = []
        for n, option in enumerate(event.options[:25]):
            buttons.append({"type": "button", "text": {"type": "plain_text", "text": option[:75]},
                            "action_id": f"{CHOICE_ACTION}_{n}",
                            "value": json.dumps({"k": key, "c": option[:1500]})})
        blocks.append({"type": "actions", "block_id": f"auteur_q{index}", "elements": buttons})
    return blocks


def event_text(event: Event) -> str:
    """The plain fallback (notifications, screen readers)."""
    if event.kind == "progress":
        return event.text
    who = "" if event.kind == "error" else f"{event.author}: "
    return f"{who}{event.text}"


def message(events: Iterable[Event], key: str) -> dict[str, Any] | None:
    """Events that go out together as one Slack message: {'text', 'blocks'}; None when nothing shows."""
    blocks: list[dict[str, Any]] = []
    texts: list[str] = []
    for n, event in enumerate(events):
        part = event_blocks(event, key, n)
        if not part:
            continue
        blocks += part
        texts.append(event_text(event))
    if not blocks:
        return None
    if len(blocks) > BLOCK_LIMIT:
        # Keep the end (the question and its buttons); say that the start was shortened.
        blocks = [_section("_(earlier lines shortened)_")] + blocks[-(BLOCK_LIMIT - 1):]
    text = escape("\n".join(texts))
    return {"text": text[:3000], "blocks": blocks}


def answered_blocks(blocks: list[dict[str, Any]], choice: str, user: str | None) -> list[dict[str, Any]]:
    """The question message once answered: its buttons gone, the answer in their place."""
    kept = [b for b in blocks or [] if b.get("type") != "actions"]
    who = f"<@{user}>" if user and re.fullmatch(r"[A-Z0-9]+", user) else "You"
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"{who} chose *{escape(choice)}*"}]})
    return kept
