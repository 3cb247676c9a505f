"""``python -m blendcalc``."""

from blendcalc.entry import main

main()
