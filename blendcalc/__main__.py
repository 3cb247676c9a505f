"""``python -m blendcalc``."""

from blendcalc.cli import main

main()
