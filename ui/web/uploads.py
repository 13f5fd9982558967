"""A file dropped into the chat, read from Chainlit's upload folder once the one upload policy
(studio/uploads.py) accepts its name, size and first bytes; an empty one is refused as it arrives."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from studio.uploads import HEAD_BYTES, UploadRefused, check_name, check_upload


async def read_upload(element: Any) -> tuple[str, bytes]:
    """The name and bytes of an uploaded element (a Chainlit file element); UploadRefused naming
    the problem and the fix when the policy refuses it."""
    name = Path(element.name or "upload").name
    path = Path(element.path) if element.path else None
    if path is None or not path.is_file():
        raise UploadRefused(f"{name} did not arrive", "upload it again")
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    check_upload(name, size, head)
    return name, await asyncio.to_thread(path.read_bytes)


def refuse_empty_uploads(server: Any) -> None:
    """Chainlit answers an empty file with HTTP 500 (it cannot store no bytes): refuse it before that,
    with the upload policy's message, which the page shows (HTTP 400)."""
    validate = server.validate_file_upload

    def validate_upload(file: Any, spec: Any = None) -> None:
        if file.size == 0:
            try:
                check_name(Path(file.filename or "upload").name, 0)
            except UploadRefused as exc:
                raise ValueError(str(exc)) from None
        validate(file, spec=spec)

    server.validate_file_upload = validate_upload
