"""The library's exception types.

The library raises these and never prints or exits; ``blendcalc.cli`` turns them into one
``Error: ...`` line and an exit code.
"""

from __future__ import annotations


class BlendcalcError(Exception):
    """Base class of every error blendcalc raises on purpose."""


class BadInput(BlendcalcError, ValueError):
    """The user's text cannot be used: the message names the bad value and what is accepted."""


class UnknownName(BadInput):
    """An oil, purpose, unit or other name that is not known, with near misses to suggest."""

    def __init__(self, what: str, name: str, suggestions: list[str], accepted: str = "") -> None:
        self.what = what
        self.name = name
        self.suggestions = suggestions
        message = f"unknown {what} {name!r}"
        if suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        if accepted:
            message += f" ({accepted})"
        super().__init__(message)


class AmbiguousName(UnknownName):
    """A name that means more than one thing (e.g. "chamomile": Roman or German chamomile).

    The program asks which one instead of choosing: the meanings are its suggestions."""

    def __init__(self, what: str, name: str, meanings: list[str]) -> None:
        super().__init__(what, name, meanings)
        if len(meanings) > 1:
            choices = ", ".join(meanings[:-1]) + f" or {meanings[-1]}"
        else:
            choices = "".join(meanings)
        self.args = (f"{what} {name!r} could mean {choices}; say which",)


class CatalogError(BadInput):
    """A catalog file is malformed: the message names the file, the entry and the field."""

    def __init__(self, path: str, entry: str, field: str, problem: str) -> None:
        self.path = path
        self.entry = entry
        self.field = field
        where = f"{_printable(path)}: {_printable(entry)}" if entry else _printable(path)
        if field:
            where += f": {_printable(field)}"
        super().__init__(f"{where}: {problem}")


def _printable(name: str) -> str:
    """A file name or TOML key as it is, or quoted with escapes when it holds a line break or
    another unprintable character: the error stays one line."""
    return name if name.isprintable() else repr(name)


class RecipeError(BadInput):
    """A recipe file that cannot be used (missing, damaged or hand-edited wrongly): the message
    names the file and the field."""

    def __init__(self, path: str, field: str, problem: str) -> None:
        self.path = path
        self.field = field
        where = _printable(path) + (f": {_printable(field)}" if field else "")
        super().__init__(f"{where}: {problem}")
