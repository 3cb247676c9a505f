"""Everything the CLI writes: JSON on stdout, human text on stdout, messages on stderr.

Every string goes through :mod:`blendcalc.terminal` on its way out: :func:`~blendcalc.terminal.
escape` for text (a catalog's names, cautions and sources included: no entry can recolour the
terminal or forge a line), JSON escapes inside JSON strings, and writes that survive a closed
pipe, a full disk or an ASCII-only terminal.

rich is imported inside the functions that draw tables, so commands that print JSON or a
line of text never load it. rich honours ``NO_COLOR`` by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from blendcalc.terminal import can_encode, escape, gone, json_text, write

if TYPE_CHECKING:
    from rich.console import Console

    from blendcalc.bases import BaseVerdict
    from blendcalc.blend import Blend
    from blendcalc.catalog import Catalog, Oil
    from blendcalc.chart import Chart
    from blendcalc.suggest import Suggestion

# A table cell: one text, or several lines of text (each escaped on its own).
Cell = str | Sequence[str]
# A word longer than this (a web address, a long Latin binomial run together) may be folded
# across lines in a table; keys, numbers and units are far shorter and are never cut.
LONGEST_WHOLE_WORD = 30


def print_json(document: Any) -> None:
    """One JSON document on stdout, and nothing else there. Where the output's encoding cannot
    write a character (PYTHONIOENCODING=ascii), the document is written with ASCII escapes."""
    text = json_text(document) + "\n"
    if not can_encode(text):
        text = json_text(document, ascii_only=True) + "\n"
    write("stdout", text)


def print_line(text: str = "") -> None:
    """One line of text on stdout, escaped."""
    write("stdout", escape(text) + "\n")


def print_message(text: str) -> None:
    """A note, warning or error: always stderr, so stdout stays clean for pipes; one line,
    escaped."""
    write("stderr", escape(text) + "\n")


def print_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    title: str | None = None,
    right_aligned: Sequence[int] = (),
) -> None:
    """A readable table on stdout, or, where the terminal is too narrow to show every word of
    every cell whole, the same content as a list (SPEC section 10: never blank or cut cells).
    """
    if gone("stdout"):
        return
    from rich.console import Console

    header = [escape(column) for column in columns]
    body = [[_cell_lines(cell) for cell in row] for row in rows]
    # Cells are plain text (names from a user's catalog may hold '[/x]' or ':cat:'): rich's
    # markup would raise on them or eat them, and its emoji codes would change them.
    console = Console(soft_wrap=False, markup=False, emoji=False, highlight=False)
    if title:
        print_line(title)
    count = len(header)
    # The usual table (outer borders and padding), else one without them (4 columns more
    # for the text: 80 columns hold the oils table so), else a list.
    for edges, overhead in ((True, 3 * count + 1), (False, 3 * count - 3)):
        widths = _column_widths(header, body, console.width - overhead)
        if widths is not None:
            write("stdout", _as_table(console, header, body, widths, right_aligned, edges))
            return
    write("stdout", _as_list(header, body))


def _cell_lines(cell: Cell) -> list[str]:
    lines = [cell] if isinstance(cell, str) else list(cell)
    return [escape(line) for line in lines] or [""]


def _column_widths(
    header: Sequence[str], body: Sequence[Sequence[list[str]]], room: int
) -> list[int] | None:
    """Column widths that fit ``width`` without cutting a word (a key, a number, a unit):
    each column at least its longest word (up to LONGEST_WHOLE_WORD), and as close to its
    longest line as ``room`` (the width less borders and padding) allows. None when even the
    longest words do not fit side by side."""
    from rich.cells import cell_len

    count = len(header)
    least = [0] * count
    most = [0] * count
    for row in [[[title] for title in header], *body]:
        for index, lines in enumerate(row):
            for line in lines:
                most[index] = max(most[index], cell_len(line))
                for word in line.split(" "):
                    least[index] = max(least[index], min(cell_len(word), LONGEST_WHOLE_WORD))
    least = [max(1, value) for value in least]
    most = [max(low, high) for low, high in zip(least, most, strict=True)]
    if sum(least) > room:
        return None
    if sum(most) <= room:
        return most
    # Narrow the widest column first, one character at a time (as rich does), but never
    # below its longest word.
    widths = list(most)
    for _ in range(sum(most) - room):
        widest = max(
            (index for index in range(count) if widths[index] > least[index]),
            key=lambda index: widths[index],
        )
        widths[widest] -= 1
    return widths


def _as_table(
    console: Console,
    header: Sequence[str],
    body: Sequence[Sequence[list[str]]],
    widths: Sequence[int],
    right_aligned: Sequence[int],
    edges: bool = True,
) -> str:
    from rich.table import Table

    table = Table(highlight=False, show_edge=edges, pad_edge=edges)
    for index, (column, width) in enumerate(zip(header, widths, strict=True)):
        table.add_column(column, justify="right" if index in right_aligned else "left", width=width)
    for row in body:
        table.add_row(*("\n".join(lines) for lines in row))
    with console.capture() as capture:
        console.print(table)
    return capture.get()


def _as_list(header: Sequence[str], body: Sequence[Sequence[list[str]]]) -> str:
    """The table as a list, for terminals too narrow for it: each row's first cell, then the
    other cells one per line, each named by its column."""
    out: list[str] = []
    for row in body:
        first, *rest = row
        label = f"{header[0]}: " if header[0] else ""
        out.append(f"{label}{' '.join(first)}" + (":" if not header[0] and rest else ""))
        for title, lines in zip(header[1:], rest, strict=True):
            name = f"{title}: " if title and header[0] else ""
            out.append(f"  {name}{lines[0]}")
            out.extend(f"    {line}" if name else f"  {line}" for line in lines[1:])
    return "\n".join(out) + "\n"


def _percent(value: object) -> str:
    return "—" if value is None else f"{value} %"


def _max_percent(oil: Oil) -> str:
    from blendcalc.numbers import format_number

    limit = oil.limit_percent
    if limit is None:
        return "no published figure"
    return f"{format_number(limit, 2)} %" + (" (phototoxic)" if oil.phototoxic else "")


def print_oils(oils: Sequence[Oil]) -> None:
    print_table(
        ["oil", "name", "Latin", "purposes", "max dermal"],
        [
            [oil.key, oil.name, oil.latin, ", ".join(oil.purposes), _max_percent(oil)]
            for oil in oils
        ],
    )


def print_purposes(rows: Sequence[dict[str, Any]]) -> None:
    print_table(
        ["purpose", "name", "aliases", "source heading", "oils"],
        [
            [row["key"], row["name"], ", ".join(row["aliases"]), row["heading"], str(row["oils"])]
            for row in rows
        ],
        right_aligned=[4],
    )
    print_message(
        "Headings marked 'inferred' were lost in the source article's translation and are "
        "inferred from the oils it lists."
    )


def print_card(card: dict[str, Any]) -> None:
    limit = card["max_dermal_percent"]
    if limit is None:
        max_text = "no published figure found (not a sign of safety)"
    else:
        max_text = f"{limit} % ({card['max_dermal_source']})"
        if card["max_dermal_note"]:
            max_text += f"; {card['max_dermal_note']}"
    if card["phototoxic"]:
        photo = (
            f"yes: at most {card['phototoxic_limit_percent']} % on skin exposed to sun "
            f"({card['phototoxic_source']})"
        )
    else:
        source = card["phototoxic_source"]
        photo = f"no ({source})" if source else "no known phototoxicity"
    constituents = [
        f"{item['name']}"
        + _range(item["min_percent"], item["max_percent"])
        + (" [EU allergen]" if item["eu_allergen"] else "")
        + f" ({item['source']})"
        for item in card["constituents"]
    ]
    if not card["constituents_complete"]:
        constituents.append("(incomplete: may contain allergens not listed here)")
    cautions = [
        f"{item['topic']} ({item['severity']}): {item['text']} ({item['source']})"
        for item in card["cautions"]
    ]
    rows: list[list[Cell]] = [
        ["name", f"{card['name']} ({card['key']})"],
        ["Latin", card["latin"]],
        ["family", card["family"]],
        ["aliases", ", ".join(card["aliases"]) or "—"],
        ["purposes", ", ".join(card["purposes"]) or "—"],
        ["max dermal", max_text],
        ["phototoxic", photo],
        ["constituents", constituents or ["none listed"]],
        ["cautions", cautions or ["none listed"]],
        [
            "sources",
            [
                f"{item['key']}: {item['title']}" + (f" <{item['url']}>" if item["url"] else "")
                for item in card["sources"]
            ],
        ],
    ]
    print_table(["", card["name"]], rows)


def _range(low: object, high: object) -> str:
    if low is None and high is None:
        return ""
    if low is None:
        return f" up to {high} %"
    if high is None or low == high:
        return f" {low} %"
    return f" {low}–{high} %"


def print_suggestion(result: Suggestion) -> None:
    from blendcalc.numbers import format_number

    title = f"Oils for {result.purpose.name}"
    if result.profile.key != "adult":
        title += f" ({result.profile.label})"
    rows = []
    for rank, oil in enumerate(result.oils, start=1):
        limit = oil.limit_percent
        rows.append(
            [
                str(rank),
                oil.key,
                oil.name,
                "no published figure" if limit is None else f"{format_number(limit, 2)} %",
                "yes" if oil.phototoxic else "no",
            ]
        )
    print_table(["#", "oil", "name", "max dermal", "phototoxic"], rows, title=title)
    if result.purpose.heading == "inferred":
        print_message(
            f"Note: the source article's heading for '{result.purpose.key}' was lost in "
            "translation; this purpose is inferred from its oils."
        )
    if result.more:
        print_message(f"{result.more} more oil(s) suit this purpose; use --count to see them.")
    for item in result.excluded:
        print_message(f"Left out {item.key}: {item.reason}")
    for warning in result.warnings:
        print_message(f"Warning ({warning.kind}): {warning.message}")
    if not result.oils:
        print_message("No oil is left for this purpose after the exclusions.")


def print_blend(blend: Blend) -> None:
    from blendcalc.blend import drops_text
    from blendcalc.numbers import format_number

    # What was left out, and why, comes first: it is what a practitioner must not miss.
    for item in blend.excluded:
        print_message(f"Left out {item.key}: {item.reason}")
    low, high = blend.whole_range
    drop = format_number(1 / blend.drops_per_ml, 4)
    named = f" of {blend.base_oil.base.name}" if blend.base_oil else ""
    print_line(
        f"Base oil: {blend.base.text} = {format_number(blend.base.ml, 2)} mL{named}; "
        f"1 drop = {drop} mL ({format_number(blend.drops_per_ml)} drops per mL)"
    )
    if low < high:
        range_text = f"{low}-{high} drops"
    elif low == high:  # e.g. a profile's maximum meets the ratio's minimum: not "6-6 drops"
        range_text = drops_text(low)
    else:
        range_text = f"no whole drop (at most {high})"
    rule = blend.ratio.text if blend.profile.min_percent is None else blend.profile.describe_range()
    print_line(f"Range: {range_text} ({rule}); profile: {blend.profile.label}")
    if blend.total_drops:
        print_line(
            f"Total: {drops_text(blend.total_drops)} ({blend.target_text}) = "
            f"{format_number(blend.dilution_percent, 2)} % of the base oil "
            f"({format_number(blend.finished_percent, 2)} % of the finished blend)"
        )
    if blend.phototoxic_load is not None:
        print_line(
            f"Phototoxic load: {format_number(blend.phototoxic_load * 100, 0)} % of the limit"
        )
    if blend.oils:
        print_table(
            ["oil", "parts", "drops", "mL", "% of base", "max %"],
            [
                [
                    item.oil.name,
                    format_number(item.parts, 2),
                    str(item.drops),
                    format_number(item.ml, 3),
                    format_number(item.percent, 2),
                    "no published figure"
                    if item.limit_percent is None
                    else format_number(item.limit_percent, 2),
                ]
                for item in blend.oils
            ],
            right_aligned=[1, 2, 3, 4],
        )
    for warning in blend.warnings:
        print_message(f"Warning ({warning.kind}): {warning.message}")
    for note in blend.notes:
        print_message(f"Note: {note}")
    for reminder in blend.reminders:
        print_message(f"Reminder: {reminder}")


def print_chart(chart: Chart) -> None:
    from blendcalc.numbers import format_number

    def cell(drops: int) -> str:
        return "less than 1" if drops == 0 else str(drops)

    print_line(
        f"Drops of essential oil, rounded down ({format_number(chart.drops_per_ml)} drops per mL; "
        "% of the base oil)"
    )
    print_table(
        ["base oil", *(f"{format_number(p, 2)} %" for p in chart.percents)],
        [
            [f"{format_number(v.ml, 2)} mL", *(cell(chart.drops(v, p)) for p in chart.percents)]
            for v in chart.volumes
        ],
        right_aligned=list(range(1, len(chart.percents) + 1)),
    )


def print_bases(
    catalog: Catalog, verdicts: Sequence[BaseVerdict], terms: Sequence[str], notes: Sequence[str]
) -> None:
    """``blendcalc bases``: the bases ruled out and why first, then the table, then notes and
    the sources the reasons cite."""
    from blendcalc.bases import NO_DATA

    for item in verdicts:
        if item.verdict == "avoid":
            print_message(f"Left out {item.base.key}: {item.reason}")
    for item in verdicts:
        if item.verdict == "warn":
            print_message(f"Warning (base-allergy): {item.base.name}: {item.reason}")

    def allergens(item: BaseVerdict) -> str:
        # "if allergic to X: avoid": the class is what the base holds, not the person's verdict.
        listed = [f"{a.allergen_class}: {a.severity}" for a in item.base.allergens]
        return ", ".join(listed) or NO_DATA

    if terms:
        columns = ["base", "name", "if allergic to", "verdict"]
        rows = [[i.base.key, i.base.name, allergens(i), i.verdict] for i in verdicts]
    else:
        columns = ["base", "name", "family", "if allergic to"]
        rows = [[i.base.key, i.base.name, i.base.family, allergens(i)] for i in verdicts]
    print_table(columns, rows)
    for note in notes:
        print_message(f"Note: {note}")
    if terms:
        print_message(
            "Note: 'suitable' means that no declared allergy matches what the catalog records "
            f"for the base; a base with {NO_DATA} may still cause a reaction. Patch-test first."
        )
    else:
        print_message(
            f"Note: allergens as their sources give them; {NO_DATA} is not a sign of safety. "
            "Add --allergy TERM to check a person's allergies."
        )
    cited = dict.fromkeys(key for item in verdicts for key in item.cited)
    for key in cited:
        source = catalog.sources[key]
        print_message(f"Source {key}: {source.title}" + (f" <{source.url}>" if source.url else ""))
