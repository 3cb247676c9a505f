"""Parts to whole drops under every limit: each oil's own maximum and, for phototoxic oils,
their sum (IFRA: Σ share of each oil's own limit ≤ 1).

Two ways to meet a limit that binds (SPEC section 1, "parts"):

* fill (the default): the held oils stay at what the limit allows, phototoxic oils are lowered
  together (keeping their proportions), and the other oils take the surplus, so the asked
  strength is kept and the proportions change;
* keep proportions: the total is lowered until every oil's share of it fits.

Everything is exact until the whole drops, which are floors plus single drops given by the
largest remainder (ties to the oil named first), and only where no limit is passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class OilLimits:
    """One oil's limits in drops for this volume: ``cap`` whole drops (None: no published
    maximum) and ``phototoxic`` the exact drops at its phototoxic limit (None: not phototoxic)."""

    cap: int | None
    phototoxic: Fraction | None = None


@dataclass
class Shared:
    drops: list[int]
    held: set[int] = field(default_factory=set)  # oils held at their own maximum
    phototoxic_lowered: Fraction | None = None  # the load they would have had, when lowered

    @property
    def total(self) -> int:
        return sum(self.drops)


def phototoxic_load(drops: Sequence[Fraction | int], limits: Sequence[OilLimits]) -> Fraction:
    """Σ drops ÷ drops at the oil's phototoxic limit, over the phototoxic oils (1 = the limit)."""
    return sum(
        (Fraction(d) / limit.phototoxic for d, limit in zip(drops, limits, strict=True)
         if limit.phototoxic),
        Fraction(0),
    )  # fmt: skip


def share_drops(
    total: int,
    parts: Sequence[Fraction],
    limits: Sequence[OilLimits],
    *,
    keep_proportions: bool = False,
) -> Shared:
    """Share ``total`` whole drops by ``parts`` within ``limits``; the result may hold fewer
    drops than ``total`` when the limits leave no room (the caller says so)."""
    if keep_proportions:
        return _keep_proportions(total, parts, limits)
    return _fill(total, parts, limits)


def _water_fill(
    total: Fraction, parts: Sequence[Fraction], caps: Sequence[int | None], members: list[int]
) -> tuple[dict[int, Fraction], set[int]]:
    """Exact shares of ``total`` among ``members`` by parts, with any share above its cap held
    at the cap and the surplus shared among the rest."""
    exact: dict[int, Fraction] = {}
    held: set[int] = set()
    active = list(members)
    remaining = total
    while active:
        share_of = sum(parts[i] for i in active)
        trial = {i: remaining * parts[i] / share_of for i in active}
        over = [i for i in active if (cap := caps[i]) is not None and trial[i] > cap]
        if not over:
            exact.update(trial)
            return exact, held
        for i in over:
            cap = caps[i]
            assert cap is not None
            exact[i] = Fraction(cap)
            remaining -= cap
            held.add(i)
            active.remove(i)
    return exact, held


def _fill(total: int, parts: Sequence[Fraction], limits: Sequence[OilLimits]) -> Shared:
    everyone = list(range(len(parts)))
    caps = [limit.cap for limit in limits]
    exact, held = _water_fill(Fraction(total), parts, caps, everyone)
    lowered = None
    if phototoxic_load([exact[i] for i in everyone], limits) > 1:
        # The phototoxic oils are lowered together in the proportions of their parts, to the
        # largest group total that keeps their summed load, and each oil, within its limit.
        share_of = sum(parts)
        lowered = phototoxic_load([total * p / share_of for p in parts], limits)
        phototoxic = [i for i in everyone if limits[i].phototoxic]
        others = [i for i in everyone if not limits[i].phototoxic]
        group_parts = sum(parts[i] for i in phototoxic)
        group = min(
            group_parts / phototoxic_load(parts, limits),
            *(Fraction(cap) * group_parts / parts[i]
              for i in phototoxic if (cap := caps[i]) is not None),
        )  # fmt: skip
        for i in phototoxic:
            exact[i] = group * parts[i] / group_parts
        room = total - group
        refill, refill_held = _water_fill(room, parts, caps, others)
        exact.update(refill)
        held = refill_held  # the phototoxic oils are now below their own maxima
    drops = _whole(exact, total, limits, single_pass=False)
    return Shared(drops, held, lowered)


def _keep_proportions(total: int, parts: Sequence[Fraction], limits: Sequence[OilLimits]) -> Shared:
    share_of = sum(parts)
    allowed = Fraction(total)
    held: set[int] = set()
    for i, limit in enumerate(limits):
        if limit.cap is not None and allowed * parts[i] / share_of > limit.cap:
            allowed = limit.cap * share_of / parts[i]
    for i, limit in enumerate(limits):
        if limit.cap is not None and allowed * parts[i] / share_of == limit.cap and allowed < total:
            held.add(i)
    load = phototoxic_load([allowed * p / share_of for p in parts], limits)
    lowered = None
    if load > 1:
        lowered = phototoxic_load([total * p / share_of for p in parts], limits)
        allowed /= load
    whole_total = math.floor(allowed)
    while whole_total > 0:
        exact = {i: whole_total * p / share_of for i, p in enumerate(parts)}
        drops = _whole(exact, whole_total, limits, single_pass=True)
        if sum(drops) == whole_total:
            return Shared(drops, held, lowered)
        whole_total -= 1  # rounding could not place every drop within the limits
    return Shared([0] * len(parts), held, lowered)


def _whole(
    exact: dict[int, Fraction], total: int, limits: Sequence[OilLimits], *, single_pass: bool
) -> list[int]:
    """Whole drops from exact shares that already respect every limit: floors, then one more
    drop each by the largest remainder (ties to the first), only where no limit is passed.
    Drops an oil cannot take go round again to the others, unless ``single_pass`` (keeping
    proportions: then each oil stays within one drop of its exact share)."""
    order = sorted(exact, key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    drops = [math.floor(exact[i]) for i in sorted(exact)]
    leftover = total - sum(drops)
    first_pass = True
    while leftover > 0:
        placed = False
        for i in order:
            if leftover == 0:
                break
            if not first_pass and limits[i].phototoxic:
                continue  # lowered together in proportion: no second extra drop
            if _fits(drops, i, limits):
                drops[i] += 1
                leftover -= 1
                placed = True
        if not placed or single_pass:
            break
        first_pass = False
    return drops


def _fits(drops: list[int], index: int, limits: Sequence[OilLimits]) -> bool:
    limit = limits[index]
    if limit.cap is not None and drops[index] + 1 > limit.cap:
        return False
    if limit.phototoxic is None:
        return True
    trial = list(drops)
    trial[index] += 1
    return phototoxic_load(trial, limits) <= 1
