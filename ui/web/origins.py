"""Which web pages may drive the studio: its own, and those the person lists.

A page on another site (or another port of this machine) must not open the studio's socket or
send it requests in the person's name. Chainlit turns the Socket.IO origin check off, and its
CORS list is only a header for browsers to obey, so the studio checks every request itself:
``OriginGuard`` answers 403 to a request (Socket.IO polling and WebSocket included) whose
``Origin`` is not allowed, and to a state-changing request that carries cookies but neither an
allowed ``Origin`` nor ``Referer``. A client that is no browser sends no ``Origin``: it passes.

Allowed by default: ``http(s)://<host>:<port>`` the studio serves on; on loopback the loopback
names too (127.0.0.1, localhost, [::1]); on a wildcard bind (0.0.0.0, ::) the loopback names,
this machine's name, and a page whose address is the very IP and port the request came to
(``docker run -p 9000:8000``).
``AUTEUR_ALLOWED_ORIGINS`` adds more (the public address behind a proxy). Never ``*``.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from studio.errors import AuteurError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD = ("0.0.0.0", "::", "[::]", "")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    """127.x, ::1 and localhost, in any case (LOCALHOST is loopback too)."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_part(host: str) -> str:
    """A host as it appears in an origin: lower case, IPv6 in brackets."""
    name = host.strip().strip("[]").lower().rstrip(".")
    try:
        if ipaddress.ip_address(name).version == 6:
            return f"[{name}]"
    except ValueError:
        pass
    return name


def normalise(origin: str) -> str | None:
    """'HTTP://Studio.Example.com:443/' → 'http://studio.example.com:443'; None for what is no origin
    ('null', '*', a bare name, another scheme)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    port = port or DEFAULT_PORTS[scheme]
    return f"{scheme}://{_host_part(parts.hostname)}:{port}"


def own_origins(host: str, port: int, extra: Iterable[str] = ()) -> list[str]:
    """The origins allowed for a studio on host:port, plus ``extra`` (checked: never '*')."""
    names: list[str] = []
    if is_loopback(host):
        names += [_host_part(host), *LOOPBACK_NAMES]
    elif host.strip().lower() in WILDCARD:
        names += list(LOOPBACK_NAMES)
        machine = socket.gethostname().strip().lower()
        if machine:
            names.append(_host_part(machine))
    else:
        names.append(_host_part(host))
    allowed = [f"{scheme}://{name}:{port}" for name in dict.fromkeys(names) for scheme in ("http", "https")]
    for item in extra:
        origin = normalise(item)
        if origin is None:
            raise AuteurError(f"AUTEUR_ALLOWED_ORIGINS: {item.strip()!r} is not a web origin",
                              "list each address the studio is served at, such as https://studio.example.com, "
                              "separated by commas ('*' is never allowed)")
        allowed.append(origin)
    return list(dict.fromkeys(allowed))


def as_browser_writes(origin: str) -> str:
    """'http://localhost:80' → 'http://localhost' (a default port is left out, as browsers do)."""
    scheme, _, rest = origin.partition("://")
    name, _, port = rest.rpartition(":")
    return f"{scheme}://{name}" if DEFAULT_PORTS.get(scheme) == int(port) else origin


class Origins:
    """The origin policy of one studio."""

    def __init__(self, host: str, port: int, extra: Iterable[str] = ()) -> None:
        self.wildcard = host.strip().lower() in WILDCARD
        self.allowed = own_origins(host, port, extra)
        self._known = set(self.allowed)
        self._told: set[str] = set()

    def for_browsers(self) -> list[str]:
        """The list as Chainlit's CORS header compares it (exact text, default ports left out)."""
        return list(dict.fromkeys(as_browser_writes(origin) for origin in self.allowed))

    def allows(self, origin: str | None, host_header: str | None = None) -> bool:
        """Whether a request from a page on ``origin`` (its Origin header) may reach the studio;
        ``host_header`` is the Host the request was sent to."""
        if origin is None:
            return True
        normal = normalise(origin)
        if normal is None:
            return False
        if normal in self._known:
            return True
        return self.wildcard and host_header is not None and self._same_ip(normal, host_header)

    def _same_ip(self, origin: str, host_header: str) -> bool:
        """On a wildcard bind: the page's address is the IP literal and port the request came to.
        (A name could be rebound to this machine by another site's DNS; an IP cannot.)"""
        scheme, _, rest = origin.partition("://")
        sent = normalise(f"{scheme}://{host_header}")
        name = rest.rpartition(":")[0].strip("[]")
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return sent == origin

    def refused(self, origin: str) -> None:
        """Tell the person running the studio, once per origin, what was refused and what to do."""
        if origin in self._told or len(self._told) > 100:
            return
        self._told.add(origin)
        print(f"refused a request from a page on {origin[:200]!r}: the studio answers only its own pages. "
              "If the studio is served at that address (behind a proxy), add it to AUTEUR_ALLOWED_ORIGINS.",
              file=sys.stderr, flush=True)

    def socketio_check(self) -> Callable[[str | None, dict[str, Any]], bool]:
        """The check python-engineio calls (as ``cors_allowed_origins``) for each Socket.IO request."""
        def check(origin: str | None, environ: dict[str, Any] | None = None) -> bool:
            return self.allows(origin, (environ or {}).get("HTTP_HOST"))
        return check


REFUSED = b'{"detail": "This page may not use the Auteur studio: it is served from another site."}'


class OriginGuard:
    """ASGI middleware: 403 for requests from pages the policy does not allow."""

    def __init__(self, app: Any, origins: Origins) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers: dict[str, str] = {}
        for key, value in scope.get("headers") or []:
            name = key.decode("latin-1").lower()
            if name in ("origin", "referer", "host", "cookie"):
                headers.setdefault(name, value.decode("latin-1"))
        refused = self.refused_page(scope, headers)
        if refused is None:
            await self.app(scope, receive, send)
            return
        self.origins.refused(refused)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})  # before accept: the server answers 403
            return
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(REFUSED)).encode())]})
        await send({"type": "http.response.body", "body": REFUSED})

    def refused_page(self, scope: dict[str, Any], headers: dict[str, str]) -> str | None:
        """The page a request is refused for (its Origin, or Referer), or None when it may pass."""
        host = headers.get("host")
        origin = headers.get("origin")
        if origin is not None:
            return None if self.origins.allows(origin, host) else origin
        if scope["type"] == "http" and scope.get("method", "GET").upper() not in SAFE_METHODS \
                and "cookie" in headers:  # a form or a script elsewhere, sending this browser's cookies
            referer = headers.get("referer")
            page = _origin_of(referer) if referer else None
            if page is None or not self.origins.allows(page, host):
                return referer or "(no Origin or Referer)"
        return None  # no browser page behind it (a script or a tool), or a plain read


def _origin_of(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"
