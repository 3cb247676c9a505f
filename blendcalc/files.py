"""Files the CLI writes for the user (``blend --output FILE``): whole or not at all.

The text goes to a new temporary file in the target's own folder (created with O_EXCL, so
nothing there is followed or reused), is flushed to disk, and is then renamed over the
target: a reader never sees half an answer, and a full disk leaves the old file as it was.
An existing file is kept unless the user says ``--force``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from blendcalc.errors import BadInput


def check_new_file(path: str, *, force: bool = False) -> None:
    """:class:`BadInput` if ``path`` names a folder, a missing folder, or (without ``force``)
    a file that exists: checked before any answer is printed (SPEC section 5)."""
    target = Path(path)
    if target.is_dir():
        raise BadInput(f"{path}: is a folder; give a file name for --output")
    if not target.absolute().parent.is_dir():
        raise BadInput(f"{path}: its folder does not exist")
    if (target.exists() or target.is_symlink()) and not force:
        raise BadInput(f"{path}: already exists; add --force to replace it")


def write_new_file(path: str, text: str, *, force: bool = False) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; :class:`BadInput` as
    :func:`check_new_file` says."""
    check_new_file(path, force=force)
    target = Path(path).absolute()
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o644)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if not force and (target.exists() or target.is_symlink()):  # made meanwhile: keep it
            raise BadInput(f"{path}: already exists; add --force to replace it")
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
