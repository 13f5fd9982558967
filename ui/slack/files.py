"""Files both ways: a screenplay shared with a mention, fetched from Slack's file store and checked by
the one upload policy (studio/uploads.py); and the files the engine made, chosen for upload to Slack."""

from __future__ import annotations

import logging
import urllib.request
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from config.settings import Settings
from studio.engine.events import Event
from studio.errors import AuteurError
from studio.uploads import MAX_SCREENPLAY, check_name, check_upload
from ui.slack.credentials import api_url, bot_token

log = logging.getLogger("auteur.slack")

SLACK_FILE_HOST = "files.slack.com"
# Files the engine makes that are posted back to Slack (outgoing; what people may share is studio/uploads.py).
OUTGOING_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".mp4", ".mov", ".webm", ".wav", ".pdf",
                     ".fountain", ".fdx", ".csv", ".edl", ".otio", ".xml", ".zip")
OUTGOING_LIMIT = 1_000_000_000  # Slack's file size limit (1 GB)


def fetch_shared_file(settings: Settings, file: dict) -> tuple[str, bytes]:
    """A screenplay or a story shared in Slack, fetched with the bot token, only from Slack's own file host."""
    name = Path(str(file.get("name") or file.get("title") or "screenplay")).name
    check_name(name, file.get("size"), accept=("screenplay", "story"))
    url = str(file.get("url_private_download") or file.get("url_private") or "")
    parts, api = urlsplit(url), urlsplit(api_url(settings))
    from_slack = (parts.scheme == "https" and parts.hostname == SLACK_FILE_HOST) or \
        (parts.scheme, parts.netloc) == (api.scheme, api.netloc)
    if not from_slack:
        raise AuteurError(f"{name} was shared from {parts.hostname or 'an unknown place'}, not from Slack's "
                          "file store", "upload the file to Slack itself (drag it into the message), then "
                                        "mention me again")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # the token goes to Slack's file host only
            return None

    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {bot_token(settings)}"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as resp:
            data = resp.read(MAX_SCREENPLAY + 1)
            kind = resp.headers.get("Content-Type", "")
    except OSError as exc:
        raise AuteurError(f"I could not fetch {name} from Slack: {exc}",
                          "check the app has the files:read scope, then share the file again") from None
    if "text/html" in kind and not name.lower().endswith(".html"):
        raise AuteurError(f"Slack sent a web page instead of {name} (the app may lack the files:read scope)",
                          "add files:read to the app's bot token scopes, reinstall the app, and share again")
    check_upload(name, len(data), data, accept=("screenplay", "story"))
    return name, data


def artifact_files(events: Iterable[Event], root: Path) -> list[Path]:
    """Files the events made that people should see: images, video, PDFs and exports inside the workspace."""
    out: list[Path] = []
    base = root.resolve()
    for event in events:
        raw = (event.data or {}).get("path") if event.kind == "artifact" else None
        if not raw:
            continue
        path = Path(raw).resolve()
        if path.is_relative_to(base) and path.is_dir():
            continue  # a folder of the workspace (a new project's): nothing to upload
        if not path.is_relative_to(base) or not path.is_file():
            log.warning("not uploading %s: not a file in the workspace", raw)
            continue
        if path.suffix.lower() not in OUTGOING_SUFFIXES or path.stat().st_size > OUTGOING_LIMIT:
            continue
        if path not in out:
            out.append(path)
    return out
