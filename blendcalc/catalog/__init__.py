"""The oil catalog: ``oils.toml`` read into plain objects, validated, merged with the user's
catalog, and searched by name.

Import everything from here (``from blendcalc.catalog import Catalog, load_catalog``); the
parts behind it each read alone:

- :mod:`blendcalc.catalog.model`: the records (:class:`Oil`, :class:`Constituent`,
  :class:`Caution`, :class:`Source`...) and the :class:`Catalog` holding them;
- :mod:`blendcalc.catalog.load`: finding and reading the catalog files (the pre-parsed
  ``oils.json`` included) and merging them entry by entry;
- :mod:`blendcalc.catalog.validate`: each entry checked, field by field, into the model;
- :mod:`blendcalc.catalog.names`: finding an oil or a purpose by name, "did you mean" and the
  names that mean several oils.

What a user catalog may change in a shipped oil's safety data is :mod:`blendcalc.overrides`.
"""

from blendcalc.catalog.load import (
    MAX_CATALOG_BYTES,
    PARSED_CATALOG,
    TABLES,
    load_catalog,
    load_catalog_files,
    parsed_catalog_stamp,
    shipped_catalog_path,
    user_catalog_path,
)
from blendcalc.catalog.model import (
    CAUTION_TOPICS,
    HEADINGS,
    SEVERITIES,
    Ambiguous,
    Catalog,
    Caution,
    Constituent,
    ConstituentInfo,
    Family,
    Oil,
    Purpose,
    Source,
    oil_card,
)
from blendcalc.catalog.names import normalise

__all__ = [
    "CAUTION_TOPICS",
    "HEADINGS",
    "MAX_CATALOG_BYTES",
    "PARSED_CATALOG",
    "SEVERITIES",
    "TABLES",
    "Ambiguous",
    "Catalog",
    "Caution",
    "Constituent",
    "ConstituentInfo",
    "Family",
    "Oil",
    "Purpose",
    "Source",
    "load_catalog",
    "load_catalog_files",
    "normalise",
    "oil_card",
    "parsed_catalog_stamp",
    "shipped_catalog_path",
    "user_catalog_path",
]
