"""The terminal and the streams around the program: what may reach them, and what to do when
they are not there.

* :func:`escape` is the one sanitising step for text on its way to a terminal: control
  characters, line breaks and invisible formatting characters become visible escapes
  (``\\x1b``, ``\\n``, ``\\u202e``), so no catalog entry (or argument) can move the cursor,
  recolour the terminal or forge a line of output. :func:`json_text` does the same inside JSON
  strings, where the escapes are JSON's own and the document means what it meant.
* :func:`guarded_streams` puts :class:`GuardedStream` around stdout and stderr for a run of
  the CLI, so that every write (ours, rich's, Typer's help) survives what the environment
  does to them: a stream closed from the start (``>&-``), a reader that went away
  (``| head``), a full disk (``>/dev/full``: :class:`OutputError`, exit 2) or an encoding
  that cannot show a character (``PYTHONIOENCODING=ascii``: a backslash escape instead).
* :func:`prepare_process` is for the console script's ``main()``: it makes sure file
  descriptors 0-2 exist, so that no file the program opens takes their place.
* :func:`sane_environment` repairs ``COLUMNS`` and ``LINES`` that Typer and rich cannot use.

The library never imports this module; only the CLI and :mod:`blendcalc.output` do.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from blendcalc.errors import BlendcalcError

# Characters for which str.isspace() is true but which are not plain spaces: line breaks and
# other control characters. Spaces of category Zs (no-break space, thin space) stay as they are.
_BREAKING_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# Widths beyond this are not a terminal: rich and Typer overflow on some (COLUMNS=10**20).
MAX_COLUMNS = 10_000
# Errors that mean "the reader went away": the output no longer matters.
_GONE = {errno.EPIPE, errno.EBADF, errno.ECONNRESET}


class OutputError(BlendcalcError):
    """The output cannot be written (a full disk, an I/O error): exit 2 with one line."""


def escape(text: str) -> str:
    """``text`` with every character that could act on a terminal shown as an escape.

    Control characters (C0, DEL, C1 such as the 8-bit CSI), line and paragraph separators,
    format characters (bidirectional overrides, zero-width characters), surrogates, private
    use and unassigned code points become ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``; printable
    text and ordinary spaces are kept. The result is one line, and escaping it again changes
    nothing.
    """
    if text.isprintable():  # the usual case, checked at C speed
        return text
    return "".join(
        char
        if char.isprintable() or (char.isspace() and char not in _BREAKING_SPACE)
        # A lone surrogate (from an undecodable argument) cannot be encoded strictly.
        else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in text
    )


def json_text(document: object, *, ascii_only: bool = False) -> str:
    """``document`` as indented JSON, with every non-printable character inside its strings
    written as a JSON escape (``\\u001b``, ``\\u2028``, ``\\u202e``): the same document for any
    JSON reader, and nothing that can act on a terminal. Line breaks between the document's
    lines are the only raw control characters left."""
    import json

    text = json.dumps(document, indent=2, ensure_ascii=ascii_only)
    if ascii_only or text.replace("\n", "").isprintable():
        return text
    return "".join(
        char
        if char == "\n" or char.isprintable()
        # Outside strings JSON has only spaces and line breaks, so this is inside a string.
        else "".join(
            f"\\u{unit:04x}"
            for unit in (
                (ord(char),)
                if ord(char) < 0x10000
                else (0xD800 + ((ord(char) - 0x10000) >> 10), 0xDC00 + (ord(char) & 0x3FF))
            )
        )
        for char in text
    )


def can_encode(text: str, stream_name: str = "stdout") -> bool:
    """Whether the stream's encoding can write ``text`` as it is."""
    stream = getattr(sys, stream_name)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


class GuardedStream:
    """stdout or stderr as the CLI writes it (see :func:`guarded_streams`).

    A stream that is closed, or whose reader has gone (EPIPE), is dropped silently for the
    rest of the run: the program carries on, so the warnings on stderr are still written when
    stdout goes away (``| head``). Any other failure to write stdout (ENOSPC, EIO...) raises
    :class:`OutputError`; stderr has no one left to tell, so its failures are dropped.
    Characters the stream's encoding cannot write are written as backslash escapes. Everything
    else (``isatty``, ``fileno``, ``encoding``) is the wrapped stream's.
    """

    def __init__(self, name: str, stream: TextIO | None) -> None:
        self.name = name
        self.stream: TextIO = stream if stream is not None else _Sink()
        self.gone = stream is None

    def write(self, text: str) -> int:
        if not self.gone:
            self._guard(self._write, text)
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            self._guard(lambda _: self.stream.flush(), "")

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self.stream, "encoding", None) or "ascii"
            self.stream.write(text.encode(encoding, "backslashreplace").decode(encoding))

    def _guard(self, action: Callable[[str], None], text: str) -> None:
        try:
            action(text)
        except ValueError:  # "I/O operation on closed file"
            self.gone = True
        except OSError as error:
            self.gone = True
            _silence(self.stream)
            if self.name == "stdout" and error.errno not in _GONE:
                raise OutputError(f"cannot write the output ({describe_os_error(error)})") from None


class _Sink(io.StringIO):
    """Where a stream closed from the start (``sys.stdout is None``) writes: nowhere."""


@contextmanager
def guarded_streams() -> Iterator[tuple[GuardedStream, GuardedStream]]:
    """Put :class:`GuardedStream` in place of ``sys.stdout`` and ``sys.stderr`` for the
    duration (Typer's help, rich's tables and our own lines alike), then put the streams back.
    The caller flushes them inside, where a full disk can still be reported."""
    saved = sys.stdout, sys.stderr
    out = saved[0] if isinstance(saved[0], GuardedStream) else GuardedStream("stdout", saved[0])
    err = saved[1] if isinstance(saved[1], GuardedStream) else GuardedStream("stderr", saved[1])
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = saved


def gone(stream_name: str) -> bool:
    """Whether stdout or stderr is closed, or its reader has gone, during this run."""
    stream = getattr(sys, stream_name)
    return stream is None or bool(getattr(stream, "gone", False))


def write(stream_name: str, text: str) -> None:
    """Write ``text`` to ``sys.stdout`` or ``sys.stderr`` and flush it (so stdout and stderr
    interleave as they happen, and a failure shows at once)."""
    stream = getattr(sys, stream_name)
    if stream is None:
        return
    guarded = stream if isinstance(stream, GuardedStream) else GuardedStream(stream_name, stream)
    guarded.write(text)
    guarded.flush()


def describe_os_error(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _silence(stream: TextIO) -> None:
    """Point the stream's file descriptor at /dev/null, so that what is still buffered cannot
    fail again when Python flushes it at exit (which would print "Exception ignored" and exit
    120). Streams without a descriptor (the tests' captures) are left as they are."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError):
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, descriptor)
    except OSError:
        pass
    finally:
        os.close(null)


def prepare_process() -> None:
    """For ``main()``: give closed descriptors 0-2 a /dev/null, so that no file opened later
    takes their number (and is written to as if it were stdout)."""
    for descriptor, mode in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(descriptor)
        except OSError:
            try:
                opened = os.open(os.devnull, mode)
            except OSError:
                continue
            if opened != descriptor:  # a lower descriptor was free: not ours to fill
                os.close(opened)


def sane_environment() -> None:
    """Drop a ``COLUMNS`` or ``LINES`` that is not a plain number from 1 to 10000 (Typer and
    rich take ``int()`` of it: ``10**20`` overflowed, ``٣٠`` read as 30): the terminal's own
    size (or 80 columns when there is none) is used instead."""
    for name in ("COLUMNS", "LINES"):
        value = os.environ.get(name)
        if value is None:
            continue
        stripped = value.strip()
        digits = stripped.lstrip("0")
        if not (stripped.isascii() and stripped.isdigit()) or not digits:
            del os.environ[name]
        elif len(digits) > len(str(MAX_COLUMNS)) or int(digits) > MAX_COLUMNS:
            del os.environ[name]  # no terminal is that wide: use the real one's size
