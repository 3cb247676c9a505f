"""The console script ``blendcalc`` (and ``python -m blendcalc``).

Kept apart from :mod:`blendcalc.cli` so that it runs before Typer, rich and the catalog are
imported (about 50 ms): Ctrl-C at any moment after the interpreter has started ends with exit
130 and one line, not a traceback, and closed descriptors 0-2 are given /dev/null before any
file is opened.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report a program ended by Ctrl-C


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with its code."""
    try:
        from blendcalc.terminal import prepare_process

        prepare_process()
        from blendcalc.cli import run

        code = run(argv)
        _ignore_interrupts()  # the answer is complete: a late Ctrl-C changes nothing
    except KeyboardInterrupt:
        code = _interrupted()
    sys.exit(code)


def _interrupted() -> int:
    _ignore_interrupts()
    try:
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or gone: nothing to tell
        pass
    return INTERRUPTED


def _ignore_interrupts() -> None:
    import signal
    from contextlib import suppress

    with suppress(ValueError, OSError):  # not the main thread (an embedding program)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
