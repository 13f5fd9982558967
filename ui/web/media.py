"""Media of a project shown inside a view (boards, clips, the cut, reference images), served by token.

A custom element draws ``<img>`` and ``<video>`` from URLs; the page never names a file. When a view is drawn, every
media path in its props (relative to the project folder) is swapped for ``/auteur/media/<token>``: an unguessable
token minted here for that file and that signed-in user. The route serves a token's file only if it is still a file
inside the workspace it was minted in, only to the user it was minted for, and with byte ranges so that a video can
seek. Nothing the browser sends is ever joined to a path.
"""

from __future__ import annotations

import mimetypes
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "/auteur/media/"
MEDIA_KEYS = ("image", "video", "audio", "file")  # the props fields that name a file (DESIGN17)
SHOWN = ("image/", "video/", "audio/", "application/pdf")  # shown in the page; anything else is a download
MAX_GRANTS = 20_000  # a long session redraws views many times; the oldest grants go first


@dataclass(frozen=True)
class Grant:
    """What one token lets its user read: one file, inside one workspace."""

    path: Path
    workspace: Path
    user: str | None


def inside(path: Path, folder: Path) -> Path | None:
    """``path`` resolved (links followed) when it is a file inside ``folder``, else None."""
    try:
        real = path.resolve(strict=True)
        real.relative_to(folder.resolve(strict=True))
    except (OSError, ValueError):
        return None
    return real if real.is_file() else None


class MediaTokens:
    """The tokens of one server: minted when a view is drawn, looked up when the browser asks for the file."""

    def __init__(self, limit: int = MAX_GRANTS) -> None:
        self._grants: dict[str, Grant] = {}
        self._known: dict[tuple[str | None, Path], str] = {}  # the same file for the same user keeps its token
        self._lock = threading.Lock()
        self.limit = limit

    def mint(self, path: Path, workspace: Path, user: str | None) -> str | None:
        """A token for ``path`` (a file inside ``workspace``) for ``user``; None for a file outside it or missing."""
        real = inside(path, workspace)
        if real is None:
            return None
        with self._lock:
            known = self._known.get((user, real))
            if known is not None and known in self._grants:
                return known
            token = secrets.token_urlsafe(24)
            self._grants[token] = Grant(real, workspace.resolve(), user)
            self._known[(user, real)] = token
            while len(self._grants) > self.limit:
                oldest = next(iter(self._grants))
                gone = self._grants.pop(oldest)
                self._known.pop((gone.user, gone.path), None)
            return token

    def file(self, token: str, user: str | None) -> Path | None:
        """The file a token grants to ``user``, checked again now (a link swapped since is refused); None when the
        token is unknown, another user's, or its file has gone or left the workspace."""
        with self._lock:
            grant = self._grants.get(token)
        if grant is None or grant.user != user:
            return None
        return inside(grant.path, grant.workspace)

    def url(self, path: Path, workspace: Path, user: str | None) -> str | None:
        token = self.mint(path, workspace, user)
        return PREFIX + token if token else None


TOKENS = MediaTokens()


def with_urls(props: Any, project: Path, workspace: Path, user: str | None, tokens: MediaTokens = TOKENS) -> Any:
    """A copy of a view's props with every media path (relative to ``project``) turned into a media URL; a path that
    is absolute, leaves the workspace or names no file becomes None (the view draws "not rendered")."""
    if isinstance(props, dict):
        out: dict[str, Any] = {}
        for key, value in props.items():
            if key in MEDIA_KEYS and isinstance(value, str):
                out[key] = media_url(value, project, workspace, user, tokens)
            else:
                out[key] = with_urls(value, project, workspace, user, tokens)
        return out
    if isinstance(props, list):
        return [with_urls(item, project, workspace, user, tokens) for item in props]
    return props


def media_url(relative: str, project: Path, workspace: Path, user: str | None,
              tokens: MediaTokens = TOKENS) -> str | None:
    """The URL of one file of the project, named relative to its folder (what the engine's props hold)."""
    if not relative or Path(relative).is_absolute():
        return None
    if not project.resolve().is_relative_to(workspace.resolve()):
        return None  # a project outside the user's workspace shows nothing
    # Granted within the project itself, not the workspace: a take that is a link to another project's file (or
    # anything else in the workspace) is no file of this project's.
    return tokens.url(project / relative, project, user)


async def current_user(request: Any) -> str | None:
    """Who asks, from Chainlit's sign-in cookie or bearer token; None when the studio has no sign-in."""
    from chainlit.auth import authenticate_user, require_login
    from chainlit.auth.cookie import get_token_from_cookies

    if not require_login():
        return None
    token = get_token_from_cookies(request.cookies)
    header = request.headers.get("authorization", "")
    if not token and header.lower().startswith("bearer "):
        token = header[7:]
    if not token:
        return ""  # signed in is required, and nobody is: no grant has this user
    try:
        user = await authenticate_user(token)
    except Exception:  # an expired or forged token: treated as nobody
        return ""
    return getattr(user, "identifier", "") or ""


async def serve(request: Any) -> Any:
    """GET /auteur/media/{token}: the file, with ranges (Starlette's FileResponse answers Range: with 206)."""
    from starlette.responses import FileResponse, PlainTextResponse

    token = request.path_params.get("token", "")
    path = TOKENS.file(token, await current_user(request))
    if path is None:
        return PlainTextResponse("No such media: draw the view again to get a fresh link.", status_code=404)
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if kind.startswith(SHOWN) and "svg" not in kind:
        return FileResponse(path, media_type=kind, headers=headers)
    # anything a browser could run as a page (HTML, SVG, XML) comes as a sandboxed download
    return FileResponse(path, media_type=kind, headers={**headers, "Content-Security-Policy": "sandbox"},
                        filename=path.name, content_disposition_type="attachment")


def mount(app: Any) -> None:
    """The media route on Chainlit's app, first: Chainlit's catch-all page route (inside its included router, which
    FastAPI keeps as one entry) would answer every GET otherwise."""
    from starlette.routing import Route

    routes = app.router.routes
    if any(getattr(r, "name", None) == "auteur_media" for r in routes):
        return
    routes.insert(0, Route(PREFIX + "{token}", serve, methods=["GET", "HEAD"], name="auteur_media"))
