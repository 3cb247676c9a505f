"""Write blendcalc/oils.json: the shipped oils.toml parsed once, stamped with its checksum.

Start-up is this tool's speed and parsing 100 kB of TOML costs about 16 ms; the JSON loads in
under 1 ms and is used only while its stamp matches the oils.toml beside it. Run it after every
change to oils.toml (``uv run python scripts/catalog_json.py``); tests/test_catalog.py fails
when the file is stale, and an installed blendcalc whose oils.json is stale or missing simply
parses the TOML.
"""

from __future__ import annotations

import json
import sys
import tomllib

from blendcalc.catalog import PARSED_CATALOG, parsed_catalog_stamp, shipped_catalog_path


def render() -> str:
    data = shipped_catalog_path().read_bytes()
    document = tomllib.loads(data.decode("utf-8"))
    stored = {"source": parsed_catalog_stamp(data), "document": document}
    return json.dumps(stored, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    text = render()
    if PARSED_CATALOG.exists() and PARSED_CATALOG.read_text(encoding="utf-8") == text:
        print(f"{PARSED_CATALOG.name} is current")
        return 0
    PARSED_CATALOG.write_text(text, encoding="utf-8")
    print(f"rewrote {PARSED_CATALOG.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
