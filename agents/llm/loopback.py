"""Asking a port of this machine for JSON, whatever is listening there.

A model server found on loopback is asked for its models (agents.llm.discover), and anything may listen on those
ports: a server in the middle of a call, a web page, or a broken or hostile one that drips its answer a byte at a
time, sends megabytes, or nests its JSON past what the parser takes. Each question here is over within its
deadline, reads at most MAX_BYTES, and turns anything broken into "none": it never raises, never hangs.
Only 127.0.0.1 is asked, by number: never a name lookup.
"""

from __future__ import annotations

import json
import re
import socket
import time
from typing import Any

REQUEST_S = 0.5  # the most one question to a port takes, all told (a server that drips its answer is cut off)
MAX_BYTES = 128_000  # an answer longer than this is no model list


def _response(data: bytes, eof: bool) -> tuple[int, bytes] | None:
    """(status, body) of an HTTP response read so far; None while more is needed; status 0 when it is broken."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return (0, b"") if eof else None
    lines = head.split(b"\r\n")
    status = re.match(rb"HTTP/1\.[01] (\d{3})", lines[0])
    if status is None or status.group(1) != b"200":
        return (int(status.group(1)) if status else 0), b""  # nothing more to read
    headers = {k.strip().lower(): v.strip().lower() for k, _, v in (line.partition(b":") for line in lines[1:])}
    if b"chunked" in headers.get(b"transfer-encoding", b""):
        out, rest = b"", body
        while True:
            size_line, sep, rest = rest.partition(b"\r\n")
            if not sep:
                return (0, b"") if eof else None
            try:
                size = int(size_line.split(b";")[0], 16)
            except ValueError:
                return 0, b""
            if size == 0:
                return 200, out
            if len(rest) < size + 2:
                return (0, b"") if eof else None
            out, rest = out + rest[:size], rest[size + 2:]
    length = headers.get(b"content-length")
    if length is not None:
        if not length.isdigit():
            return 0, b""
        if len(body) >= int(length):
            return 200, body[:int(length)]
        return (0, b"") if eof else None
    return (200, body) if eof else None


def get_json(port: int, path: str, deadline: float | None = None) -> tuple[str, Any]:
    """('json', body) when the port answers JSON, ('busy', None) when it took the connection but said nothing in
    time, ('none', None) otherwise (nothing there, not JSON, too long, too slow once it began, broken).

    Over within REQUEST_S (and by ``deadline``, a time.monotonic()) whatever the port does."""
    end = time.monotonic() + REQUEST_S
    end = min(end, deadline) if deadline is not None else end
    if end <= time.monotonic():
        return "none", None
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    data, connected = b"", False
    try:
        sock.settimeout(end - time.monotonic())
        sock.connect(("127.0.0.1", port))  # by number: never a name lookup
        connected = True
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
                     "Connection: close\r\n\r\n".encode())
        while (answer := _response(data, False)) is None:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                answer = _response(data, True)
                break
            data += chunk
            if len(data) > MAX_BYTES:
                return "none", None
    except TimeoutError:
        return ("busy", None) if connected and not data else ("none", None)
    except OSError:
        return "none", None
    finally:
        sock.close()
    if answer is None or answer[0] != 200:
        return "none", None
    try:
        return "json", json.loads(answer[1])
    except (ValueError, RecursionError):  # not JSON, or JSON nested past what the parser takes
        return "none", None
