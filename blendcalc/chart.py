"""A dilution chart: whole drops (rounded down) for volumes of base oil x percentages."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from blendcalc.errors import BadInput
from blendcalc.numbers import to_json_number
from blendcalc.ranges import parse_dilution
from blendcalc.units import (
    FLUID_OUNCE_NOTE,
    MILLILITRE,
    Volume,
    describe,
    is_fluid_ounce,
    parse_drops_per_ml,
    parse_volume,
)

MAX_ENTRIES = 50


@dataclass(frozen=True)
class Chart:
    drops_per_ml: Fraction
    volumes: tuple[Volume, ...]
    percents: tuple[Fraction, ...]
    units: str = "metric"

    @property
    def notes(self) -> tuple[str, ...]:
        """What the rows' units were taken to be, and the fluid-ounce convention."""
        units = [v.unit for v in self.volumes if v.unit is not None and v.unit is not MILLILITRE]
        notes = [describe(unit, self.drops_per_ml) for unit in dict.fromkeys(units)]
        if any(is_fluid_ounce(unit) for unit in units):
            notes.append(FLUID_OUNCE_NOTE)
        return tuple(notes)

    def drops(self, volume: Volume, percent: Fraction) -> int:
        """Whole drops for ``percent`` of ``volume``, rounded down (0: less than one drop)."""
        return math.floor(percent / 100 * volume.ml * self.drops_per_ml)

    def exact(self, volume: Volume, percent: Fraction) -> Fraction:
        return percent / 100 * volume.ml * self.drops_per_ml

    def to_dict(self) -> dict[str, Any]:
        return {
            "drops_per_ml": to_json_number(self.drops_per_ml),
            "units": self.units,
            "notes": list(self.notes),
            "cells": [
                {
                    "volume": volume.text,
                    "volume_ml": to_json_number(volume.ml, 4),
                    "percent": to_json_number(percent),
                    "drops": self.drops(volume, percent),
                    "exact_drops": to_json_number(self.exact(volume, percent), 4),
                }
                for volume in self.volumes
                for percent in self.percents
            ],
        }


def compute_chart(
    volumes: str, dilutions: str, drops_per_ml: str | Fraction = "20", units: str = "metric"
) -> Chart:
    """Parse comma-separated volumes and percentages into a :class:`Chart`; ``units`` says
    what tsp, tbsp and cup mean (metric or us)."""
    drop_size = (
        drops_per_ml if isinstance(drops_per_ml, Fraction) else parse_drops_per_ml(drops_per_ml)
    )
    volume_list = tuple(
        parse_volume(item, drop_size, units) for item in _items(volumes, "--volumes")
    )
    percents = tuple(parse_dilution(item) for item in _items(dilutions, "--dilutions"))
    return Chart(drop_size, volume_list, percents, units)


def _items(text: str, option: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or any(not item for item in items):
        raise BadInput(f"{option} {text!r} has an empty entry; give a comma-separated list")
    if len(items) > MAX_ENTRIES:
        raise BadInput(f"{option} has {len(items)} entries; at most {MAX_ENTRIES}")
    return items
