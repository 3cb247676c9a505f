"""blendcalc: an essential-oil blend calculator.

The library gives the CLI's powers without the CLI: parse volumes, convert them exactly and
(as the catalog and blend engine grow) load the oil catalog and compute blends. It never
imports Typer or rich and raises its own exception types (:mod:`blendcalc.errors`).
"""

from __future__ import annotations

from importlib import import_module

from blendcalc.errors import BadInput, BlendcalcError, CatalogError, RecipeError, UnknownName

__version__ = "0.1.0"

# The public API, loaded on first use so that `import blendcalc` (and the CLI's start-up)
# pays only for what a command needs.
_LAZY = {
    "Base": "blendcalc.bases",
    "check_base": "blendcalc.base_review",
    "compatible_bases": "blendcalc.base_review",
    "review_bases": "blendcalc.base_review",
    "Blend": "blendcalc.blend",
    "compute_blend": "blendcalc.blend",
    "parse_ratio": "blendcalc.ranges",
    "Catalog": "blendcalc.catalog",
    "Oil": "blendcalc.catalog",
    "load_catalog": "blendcalc.catalog",
    "Chart": "blendcalc.chart",
    "compute_chart": "blendcalc.chart",
    "Conversion": "blendcalc.units",
    "Quantity": "blendcalc.units",
    "Unit": "blendcalc.units",
    "Volume": "blendcalc.units",
    "convert": "blendcalc.units",
    "parse_drops_per_ml": "blendcalc.units",
    "parse_quantity": "blendcalc.units",
    "parse_unit": "blendcalc.units",
    "parse_volume": "blendcalc.units",
    "review_allergies": "blendcalc.safety",
    "Label": "blendcalc.label",
    "label_blend": "blendcalc.label",
    "label_recipe": "blendcalc.label",
    "Recipe": "blendcalc.recipe",
    "Weights": "blendcalc.recipe",
    "load_recipe": "blendcalc.recipe",
    "recipe_blend": "blendcalc.recipe",
    "recipe_changes": "blendcalc.recipe",
    "recipe_from_blend": "blendcalc.recipe",
    "save_recipe": "blendcalc.recipe",
    "scale_recipe": "blendcalc.recipe",
    "weigh_blend": "blendcalc.recipe",
    "suggest_oils": "blendcalc.suggest",
}

# Not typing.TYPE_CHECKING: importing typing costs the console script 5-10 ms before it can
# handle Ctrl-C (blendcalc.entry); type checkers read this constant the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from blendcalc.base_review import check_base, compatible_bases, review_bases
    from blendcalc.bases import Base
    from blendcalc.blend import Blend, compute_blend
    from blendcalc.catalog import Catalog, Oil, load_catalog
    from blendcalc.chart import Chart, compute_chart
    from blendcalc.label import Label, label_blend, label_recipe
    from blendcalc.ranges import parse_ratio
    from blendcalc.recipe import (
        Recipe,
        Weights,
        load_recipe,
        recipe_blend,
        recipe_changes,
        recipe_from_blend,
        save_recipe,
        scale_recipe,
        weigh_blend,
    )
    from blendcalc.safety import review_allergies
    from blendcalc.suggest import suggest_oils
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


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'blendcalc' has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "BadInput",
    "Base",
    "Blend",
    "BlendcalcError",
    "Catalog",
    "CatalogError",
    "Chart",
    "Conversion",
    "Label",
    "Oil",
    "Quantity",
    "Recipe",
    "RecipeError",
    "Unit",
    "UnknownName",
    "Volume",
    "Weights",
    "__version__",
    "check_base",
    "compatible_bases",
    "compute_blend",
    "compute_chart",
    "convert",
    "label_blend",
    "label_recipe",
    "load_catalog",
    "load_recipe",
    "parse_drops_per_ml",
    "parse_quantity",
    "parse_ratio",
    "parse_unit",
    "parse_volume",
    "recipe_blend",
    "recipe_changes",
    "recipe_from_blend",
    "review_allergies",
    "review_bases",
    "save_recipe",
    "scale_recipe",
    "suggest_oils",
    "weigh_blend",
]
