"""A product label for a recipe (SPEC section 9): ingredients by INCI name in descending order
of mass, the fragrance allergens of Regulation (EU) 2023/1545 above the threshold for the
product type, net volume and mass, the sun warning and patch-test advice.

Allergens are computed by mass: the share of allergen *a* in the product is
Σᵢ (mass of oil i ÷ mass of the product) × (share of *a* in oil i), with each oil's share
taken at the **upper bound** of its published range, so a label never under-declares. The
allergen table is the catalog's ``[constituents]`` (the same table the allergy matching
uses): every entry marked ``eu_allergen``, with its CAS numbers. Where a density, an INCI name
or a constituent's figure is missing, the label says so in ``missing``; it never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from blendcalc.errors import BadInput
from blendcalc.numbers import format_number, to_json_number
from blendcalc.recipe import weigh_blend
from blendcalc.safety import REMINDERS, SUN_WARNING

if TYPE_CHECKING:
    from blendcalc.blend import Blend
    from blendcalc.catalog import Catalog
    from blendcalc.recipe import Recipe

__all__ = ["PRODUCTS", "Label", "label_blend", "label_recipe"]

# Declaration thresholds, % by mass of the finished product (Reg. (EU) 2023/1545).
PRODUCTS = {"leave-on": Fraction(1, 1000), "rinse-off": Fraction(1, 100)}
METHOD = (
    "Allergens are computed by mass (volumes × sourced densities) from the upper bound of "
    "each constituent's published range, so they are never under-declared; an allergen whose "
    "amount in an oil is not known is declared without a figure."
)
PATCH_TEST = REMINDERS[0]


@dataclass(frozen=True)
class Ingredient:
    key: str  # the oil's or the base's catalog key
    name: str  # its everyday name
    inci: str | None  # None where no INCI name is sourced
    ml: Fraction
    grams: Fraction | None
    percent: Fraction | None  # % by mass of the product

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "inci": self.inci,
            "ml": to_json_number(self.ml, 4),
            "grams": _number(self.grams, 4),
            "percent": _number(self.percent, 4),
        }


@dataclass(frozen=True)
class Allergen:
    name: str  # the catalog's constituent key (linalool, limonene...)
    cas: tuple[str, ...]
    eu_entry: int | None
    percent: Fraction | None  # None: some contributing oil gives no figure
    sources: tuple[str, ...]  # the oils it comes from

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cas": list(self.cas),
            "eu_entry": self.eu_entry,
            "percent": _number(self.percent, 4),
            "from": list(self.sources),
        }


@dataclass
class Label:
    product: str
    ingredients: list[Ingredient]
    allergens: list[Allergen]
    listed_oils: list[Ingredient]  # oils that are themselves entries of the EU list
    net_ml: Fraction
    net_grams: Fraction | None
    threshold: Fraction
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "threshold_percent": to_json_number(self.threshold, 4),
            "ingredients": [item.to_dict() for item in self.ingredients],
            "allergens": [item.to_dict() for item in self.allergens],
            "listed_oils": [item.to_dict() for item in self.listed_oils],
            "net": {"ml": to_json_number(self.net_ml, 4), "grams": _number(self.net_grams, 4)},
            "warnings": list(self.warnings),
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


def _number(value: Fraction | None, places: int) -> int | float | None:
    return None if value is None else to_json_number(value, places)


def label_blend(blend: Blend, catalog: Catalog, product: str = "leave-on") -> Label:
    """The label of a computed blend (a recipe recomputed: see
    :func:`blendcalc.recipe.recipe_blend`) for a ``leave-on`` or ``rinse-off`` product."""
    if product not in PRODUCTS:
        raise BadInput(f"--product {product!r} is not known; accepted: {', '.join(PRODUCTS)}")
    if not blend.possible:
        raise BadInput("this recipe makes no blend today (see 'recipe show'): nothing to label")
    threshold = PRODUCTS[product]
    weights = weigh_blend(blend)
    total = weights.total
    missing = list(weights.missing)

    def share(grams: Fraction | None) -> Fraction | None:
        return None if grams is None or not total else grams / total * 100

    ingredients: list[Ingredient] = []
    base = blend.base_oil.base if blend.base_oil else None
    ingredients.append(
        Ingredient(
            base.key if base else "base",
            base.name if base else "base oil (not named)",
            (base.inci or None) if base else None,
            blend.base.ml,
            weights.base,
            share(weights.base),
        )
    )
    for item in blend.oils:
        grams = weights.oils[item.oil.key]
        ingredients.append(
            Ingredient(
                item.oil.key, item.oil.name, item.oil.inci or None, item.ml, grams, share(grams)
            )
        )
    for ingredient in ingredients:
        if ingredient.inci is None:
            what = "the base oil (give --base)" if ingredient.key == "base" else ingredient.name
            missing.append(f"INCI name of {what}")
    if total is None:
        ingredients.sort(key=lambda item: -item.ml)
        missing.append("masses: the ingredients are in order of volume, not mass")
    else:
        ingredients.sort(key=lambda item: -(item.grams or 0))

    allergens = _allergens(blend, catalog, weights.oils, total, threshold)
    listed = [
        item
        for item in ingredients
        if item.key in catalog.oils
        and catalog.oils[item.key].eu_listed_oil
        and (item.percent is None or item.percent > threshold)
    ]
    label = Label(
        product=product,
        ingredients=ingredients,
        allergens=allergens,
        listed_oils=listed,
        net_ml=blend.base.ml + sum((item.ml for item in blend.oils), Fraction(0)),
        net_grams=total,
        threshold=threshold,
        missing=missing,
        notes=[METHOD],
    )
    if total is None:
        label.warnings.append(
            "Allergen percentages need every ingredient's mass; a density is missing, so every "
            "allergen the oils contain is declared without a figure."
        )
    for item in blend.oils:
        if not item.oil.constituents_complete:
            label.warnings.append(
                f"{item.oil.name}: its constituent data is incomplete; it may contain listed "
                "allergens the catalog does not record (check the supplier's allergen "
                "declaration)."
            )
    phototoxic = [item.oil.name for item in blend.oils if item.oil.phototoxic]
    if phototoxic:
        label.warnings.append(f"Contains phototoxic oil ({', '.join(phototoxic)}): {SUN_WARNING}.")
    label.warnings.append(PATCH_TEST)
    return label


def _allergens(
    blend: Blend,
    catalog: Catalog,
    grams: dict[str, Fraction | None],
    total: Fraction | None,
    threshold: Fraction,
) -> list[Allergen]:
    amounts: dict[str, Fraction | None] = {}
    sources: dict[str, list[str]] = {}
    for item in blend.oils:
        oil_grams = grams[item.oil.key]
        for constituent in item.oil.constituents:
            info = catalog.constituents.get(constituent.name)
            if info is None or not info.eu_allergen:
                continue
            sources.setdefault(constituent.name, []).append(item.oil.key)
            upper = constituent.max_percent
            known = amounts.get(constituent.name, Fraction(0))
            if upper is None or oil_grams is None or known is None:
                amounts[constituent.name] = None
            else:
                amounts[constituent.name] = known + oil_grams * upper / 100
    found: list[Allergen] = []
    for name, amount in amounts.items():
        percent = None if amount is None or not total else amount / total * 100
        if percent is not None and percent <= threshold:
            continue
        info = catalog.constituents[name]
        found.append(Allergen(name, info.cas, info.eu_entry, percent, tuple(sources[name])))
    found.sort(key=lambda item: (item.percent is None, -(item.percent or 0), item.name))
    return found


def label_recipe(recipe: Recipe, catalog: Catalog, product: str = "leave-on") -> Label:
    """The label of a saved recipe, recomputed with ``catalog``."""
    from blendcalc.recipe import recipe_blend

    return label_blend(recipe_blend(recipe, catalog), catalog, product)


def describe_percent(value: Fraction | None) -> str:
    """A label percentage: 4 decimals are enough to compare with 0.001 %."""
    return "amount not known" if value is None else f"{format_number(value, 4)} %"
