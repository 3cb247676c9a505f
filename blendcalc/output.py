"""Everything the CLI writes: JSON on stdout, human text on stdout, messages on stderr.

rich is imported inside the functions that draw tables, so commands that print JSON or a
line of text never load it. rich honours ``NO_COLOR`` by itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any


def print_json(document: Any) -> None:
    """One JSON document on stdout, and nothing else there."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def print_line(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def print_message(text: str) -> None:
    """A note, warning or error: always stderr, so stdout stays clean for pipes."""
    sys.stderr.write(text + "\n")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    title: str | None = None,
    right_aligned: Sequence[int] = (),
) -> None:
    """A readable table on stdout."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", highlight=False)
    for index, column in enumerate(columns):
        table.add_column(column, justify="right" if index in right_aligned else "left")
    for row in rows:
        table.add_row(*row)
    Console(soft_wrap=False).print(table)
