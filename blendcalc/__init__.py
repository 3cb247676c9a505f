"""blendcalc: an essential-oil blend calculator.

The library gives the CLI's powers without the CLI: parse volumes, convert them exactly and
(as the catalog and blend engine grow) load the oil catalog and compute blends. It never
imports Typer or rich and raises its own exception types (:mod:`blendcalc.errors`).
"""

from blendcalc.errors import BadInput, BlendcalcError, CatalogError, UnknownName
from blendcalc.units import (
    Conversion,
    Quantity,
    Unit,
    Volume,
    convert,
    parse_drops_per_ml,
    parse_quantity,
    parse_unit,
    parse_volume,
)

__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "BlendcalcError",
    "CatalogError",
    "Conversion",
    "Quantity",
    "Unit",
    "UnknownName",
    "Volume",
    "__version__",
    "convert",
    "parse_drops_per_ml",
    "parse_quantity",
    "parse_unit",
    "parse_volume",
]
