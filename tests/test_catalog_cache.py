import os
import time
from pathlib import Path

from blendcalc.catalog import load_catalog

USER_OIL = """
[sources.ME]
title = "my notes"

[oils.test-oil]
name = "{name}"
latin = "Testus oleum"
family = "Lamiaceae"
purposes = ["skin"]
purposes_sources = ["ME"]
phototoxic = false
"""


def test_an_edited_user_catalog_is_read_again(tmp_path: Path) -> None:
    user = tmp_path / "oils.toml"
    user.write_text(USER_OIL.format(name="First"), encoding="utf-8")
    assert load_catalog(user).find_oil("test-oil").name == "First"
    assert load_catalog(user).find_oil("test-oil").name == "First"  # from the cache
    user.write_text(USER_OIL.format(name="Second name"), encoding="utf-8")
    later = time.time() + 5
    os.utime(user, (later, later))
    assert load_catalog(user).find_oil("test-oil").name == "Second name"


def test_the_cache_lives_in_the_cache_directory(tmp_path: Path) -> None:
    cache_root = Path(os.environ["XDG_CACHE_HOME"]) / "blendcalc"
    load_catalog(use_user_catalog=False)
    assert list(cache_root.glob("catalog-*.pickle"))
