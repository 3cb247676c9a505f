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
    try:
        write_atomically(path, text.encode("utf-8"), force=force)
    except TargetExists:
        raise BadInput(f"{path}: already exists; add --force to replace it") from None


class TargetExists(Exception):
    """The file to write exists (or appeared meanwhile) and ``force`` was not given."""


def write_atomically(path: str, data: bytes, *, force: bool) -> None:
    """The one writer of user files: ``data`` goes to a new temporary file in the target's
    folder (O_EXCL and O_NOFOLLOW: nothing planted there is followed or reused), is synced to
    disk, and then takes the target's name. Without ``force`` it is hard-linked into place, so
    a file that appears meanwhile is never overwritten (:class:`TargetExists`); with ``force``
    it is renamed over the target. The temporary file is removed on every failure; an
    ``OSError`` (a full disk, a read-only folder) is the caller's to report."""
    target = Path(path).absolute()
    temporary = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if force:
            temporary.replace(target)
            return
        try:  # link() fails if the name exists or appeared meanwhile: no overwrite, no race
            os.link(temporary, target)
        except FileExistsError:
            raise TargetExists(path) from None
        except OSError:  # a file system without hard links
            if os.path.lexists(target):
                raise TargetExists(path) from None
            temporary.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
