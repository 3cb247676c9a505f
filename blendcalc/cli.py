"""The ``blendcalc`` command line: parse the user's text, call the library, hand the result
to :mod:`blendcalc.output`. Library errors become one ``Error: ...`` line here and nowhere
else. Pint and rich are imported only by the commands that need them.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from typing import Annotated

import typer

from blendcalc import __version__
from blendcalc.errors import BadInput, BlendcalcError
from blendcalc.output import print_json, print_line, print_message


class ExitCode(IntEnum):
    """The exit codes of SPEC section 2 (and the README)."""

    OK = 0
    INTERNAL_ERROR = 1
    BAD_INPUT = 2
    SAFETY_WARNING = 3  # --strict and a safety warning stands
    NO_BLEND = 4  # nothing left to blend, or too little base oil for one whole drop


app = typer.Typer(
    name="blendcalc",
    help=(
        "Essential-oil blend calculator: how many drops of which oils go into this much "
        "base oil, which oils suit a purpose, and what a volume is in other units."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON document on stdout instead of text.")
]
DropsPerMlOption = Annotated[
    str,
    typer.Option(
        "--drops-per-ml",
        metavar="N",
        help="Drop size as drops per mL (20 = 0.05 mL, the usual convention; "
        "the Tisserand Institute measures about 30).",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        print_line(f"blendcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_show_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Essential-oil blend calculator: exact drops, sourced safety data, unit conversion."""


@app.command(context_settings={"ignore_unknown_options": True})
def convert(
    quantity: Annotated[
        str,
        typer.Argument(
            metavar="QUANTITY",
            help="What to convert: a number and a unit, e.g. '2 tbsp', '30ml', '1/2 tsp'.",
            show_default=False,
        ),
    ],
    unit: Annotated[
        str,
        typer.Argument(
            metavar="UNIT",
            help="The unit to convert to: ml, cl, dl, l, tsp, tbsp, us_tsp, us_tbsp, "
            "au_tbsp, floz, imperial_floz, cup, us_cup, drops.",
            show_default=False,
        ),
    ],
    drops_per_ml: DropsPerMlOption = "20",
    json_output: JsonOption = False,
) -> None:
    """Convert a volume to another unit, exactly (tsp and tbsp are metric: 5 and 15 mL)."""
    from blendcalc.units import convert as convert_quantity
    from blendcalc.units import format_quantity, parse_drops_per_ml, parse_quantity, parse_unit

    drop_size = parse_drops_per_ml(drops_per_ml)
    source = parse_quantity(quantity)
    target = parse_unit(unit)
    conversion = convert_quantity(source, target, drop_size)
    if json_output:
        print_json(conversion.to_dict())
        return
    line = (
        f"{format_quantity(source.value, source.unit)} = "
        f"{format_quantity(conversion.value, target)}"
    )
    if conversion.notes:
        line += f" ({'; '.join(conversion.notes)})"
    print_line(line)


def main(argv: list[str] | None = None) -> None:
    """The console script: run the app and turn every outcome into an exit code."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` and return the exit code (never raises)."""
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=sys.argv[1:] if argv is None else argv,
            prog_name="blendcalc",
            standalone_mode=False,
        )
    except BadInput as error:
        print_message(f"Error: {error}")
        return ExitCode.BAD_INPUT
    except BlendcalcError as error:
        print_message(f"Error: {error}")
        return ExitCode.BAD_INPUT
    except typer.Abort:
        print_message("Aborted.")
        return ExitCode.INTERNAL_ERROR
    except typer.TyperException as error:
        # Typer's own usage errors (unknown option, missing argument): one line, exit 2.
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        print_message(f"Error: {message} (see 'blendcalc --help')")
        code = getattr(error, "exit_code", ExitCode.BAD_INPUT)
        return int(code)
    except Exception as error:
        if os.environ.get("BLENDCALC_DEBUG") == "1":
            raise
        print_message(
            f"Error: internal error ({type(error).__name__}: {error}). This is a bug in "
            "blendcalc: please report it with the command you ran "
            "(set BLENDCALC_DEBUG=1 to see the traceback)."
        )
        return ExitCode.INTERNAL_ERROR
    return int(result) if isinstance(result, int) else ExitCode.OK
