"""The JSON contract: docs/json.md is the single source of truth for every ``--json`` document.

These tests read the ``| key | type | meaning |`` table of each ``## command`` section of
docs/json.md and hold the real output of many invocations to it, both ways: every documented key
is present with a documented type and (for enumerations) a documented value, and every key the
program writes is documented. Changing the output without the document, or the document without
the output, fails here with the command, the key path and what to update.
"""

from __future__ import annotations

import json
import math
import re
import shlex
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer

from blendcalc.bases import VERDICTS
from blendcalc.catalog import CAUTION_TOPICS, HEADINGS, SEVERITIES
from blendcalc.cli import app
from blendcalc.profiles import PROFILE_KEYS
from blendcalc.safety import SAFETY_KINDS
from blendcalc.units import UNITS_BY_KEY
from tests.conftest import Invoke

ROOT = Path(__file__).parent.parent
DOC = ROOT / "docs" / "json.md"
DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini-oils.toml")
CALENDULA = str(DATA / "user-calendula.toml")
USER_BASES = str(DATA / "user-bases.toml")
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
# The commands that print a document: a group's sub-commands by "group sub" ("recipe show").
LEAVES = [
    f"{name} {sub}" if sub else name
    for name, command in COMMANDS.items()
    for sub in (getattr(command, "commands", None) or [""])
]
RECIPE = str(ROOT / "docs" / "examples" / "lavender-bergamot.toml")
HAND_RECIPE = str(DATA / "recipe-hand.toml")
PURPOSE_RECIPE = str(DATA / "recipe-purpose.toml")

HEADER = "| key | type | meaning |"
TYPES = (
    "string",
    "integer",
    "number",
    "boolean",
    "null",
    "object",
    "array",
    "array of string",
    "array of number",
)
OPTIONAL = "(optional)"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_ENUM = re.compile(r"one of:\s*((?:`[^`]+`\s*,?\s*)+)")
_FIX = "update docs/json.md"
_INCLUDES = re.compile(r"<!-- keys: (.+) -->")

# Real invocations per command, with the exit code each must end with. Together they exercise
# every documented key, every type alternative (null and not null) and every warning kind.
INVOCATIONS: dict[str, list[tuple[str, int]]] = {
    "blend": [
        ("30ml lavender:2 peppermint", 0),
        ("30ml lavender:1.5 geranium:0.5 --drops-per-ml 30", 0),
        # excluded (named), capped, phototoxic, caution, outside-ratio, unknown-allergen
        ("30ml bergamot lavender peppermint --dilution 5 --allergy menthol,nosuchthing", 0),
        # no-data: the test catalog's peppermint has no checked constituent data
        ("30ml thyme peppermint --oils " + MINI + " --allergy linalool", 0),
        # lowered: the oils' maxima allow fewer drops than asked; the combined phototoxic limit
        ("30ml bergamot --drops 20", 0),
        ("100ml bergamot lemon lavender --strength strong --keep-proportions", 0),
        # below-range: no whole drop lies within the ratio
        ("4ml lavender --ratio '5-6 drops per 15ml'", 0),
        ("'2 tbsp' lavender --strength gentle", 0),
        ("30ml lavender --drops 50 --strict", 3),
        # --purpose: excluded oils, a profile, the pregnancy advice
        ("30ml --purpose relaxation --profile pregnancy --allergy citrus", 0),
        ("30ml --purpose skin --count 5 --oils " + CALENDULA, 0),
        ("30ml thyme --profile child --age 4", 0),
        ("30ml lavender --profile child --age 20", 0),
        ("30ml lavender thyme --oils " + MINI + " --drops-per-ml 30", 0),
        # too-small: less than one drop, an oil without a whole drop; no-oil-left
        ("1ml lavender peppermint", 4),
        ("30ml clove-bud --allergy eugenol", 4),
        # base-allergy: ruled out (exit 4) and warned; compatible bases with and without --base
        ("30ml lavender --base almond --allergy 'tree nut'", 4),
        ("30ml lavender --base shea --allergy nuts", 0),
        ("'5 drops' lavender", 4),
        ("30ml --purpose relaxation --profile child --age 0.3", 4),
        ("2ml lavender:9 geranium", 0),
        # --grams: a density known and not, a base named and not
        ("30ml lavender geranium --base almond --grams", 0),
        ("30ml lavender --grams", 0),
    ],
    "recipe show": [
        (RECIPE, 0),
        (RECIPE + " --grams", 0),
        (HAND_RECIPE + " --grams", 0),
        (PURPOSE_RECIPE, 0),
    ],
    "recipe scale": [
        (RECIPE + " 250ml", 0),
        (HAND_RECIPE + " '2 tbsp'", 0),
        (PURPOSE_RECIPE + " 100ml --grams", 0),
    ],
    "recipe label": [
        (RECIPE, 0),
        (RECIPE + " --product rinse-off", 0),
        (HAND_RECIPE, 0),
        (PURPOSE_RECIPE, 0),
    ],
    "suggest": [
        ("pain-relief --allergy menthol --count 2", 0),
        ("focus", 0),
        ("relaxation --profile pregnancy --allergy nosuchthing", 0),
        ("focus --profile child --age 4 --allergy citrus", 0),
        ("skin --oils " + CALENDULA + " --allergy daisy", 0),
        ("focus --oils " + MINI + " --profile sensitive", 0),
        ("skin --profile face", 0),
        ("relaxation --profile child --age 0.2", 4),
        ("focus --allergy lamiaceae,citrus", 4),
    ],
    "oils": [
        ("", 0),
        ("--purpose focus", 0),
        ("--purpose skin --oils " + CALENDULA, 0),
        ("--oils " + MINI, 0),
    ],
    "purposes": [
        ("", 0),
        ("--oils " + MINI, 0),
    ],
    "show": [
        # thyme: notes, ages and a caution's maximum; bergamot: phototoxic; geranium: no url;
        # tea tree: a complete constituent list with its composition source
        ("thyme", 0),
        ("tea-tree", 0),
        ("bergamot", 0),
        ("geranium", 0),
        ("black-pepper", 0),
        ("ginger", 0),
        ("calendula-test --oils " + CALENDULA, 0),
        ("thyme --oils " + MINI, 0),
    ],
    "bases": [
        ("", 0),
        # avoid (tree nuts, peanuts), warn (shea, apricot kernel), a family entry (sunflower)
        ("--allergy nuts,daisy", 0),
        ("shea 'sweet almond' --allergy 'tree nut'", 0),
        # a user base citing a source with no address
        ("--oils " + USER_BASES + " --allergy ragweed", 0),
    ],
    "convert": [
        ("'2 tbsp' ml", 0),
        ("'30 ml' drops", 0),
        ("'600 drops' floz", 0),
        ("'1 us_tsp' drops --drops-per-ml 30", 0),
        ("'1 drop' l", 0),
        ("'1/2 cup' us_cup", 0),
        ("'1 l' l", 0),
    ],
    "chart": [
        ("", 0),
        ("--volumes 10,30 --dilutions 1,2", 0),
        ("--volumes '1 us_tsp,2 tbsp' --dilutions 0.25,1/3 --drops-per-ml 30", 0),
        ("--volumes 0.001 --dilutions 0.5", 0),
    ],
}

# Enumerations whose every documented value some invocation above must produce.
EXERCISED_ENUMERATIONS = (
    ("blend", "warnings[].kind"),
    ("suggest", "warnings[].kind"),
    ("bases", "[].verdict"),
)

# SPEC section 2, "JSON documents (keys that must exist; more may be added)": the keys each
# document must have, as key paths. docs/json.md must document all of them as always present.
SPEC_KEYS: dict[str, tuple[str, ...]] = {
    "blend": (
        "base", "base.input", "base.ml", "drops_per_ml",
        "range", "range.min_drops", "range.max_drops", "range.rule",
        "total_drops", "dilution_percent",
        "oils", "oils[].key", "oils[].name", "oils[].parts", "oils[].drops", "oils[].ml",
        "oils[].percent", "oils[].max_percent",
        "excluded", "excluded[].key", "excluded[].reason",
        "warnings", "warnings[].kind", "warnings[].oil", "warnings[].message",
        "reminders",
    ),
    "suggest": (
        "purpose", "oils", "oils[].key", "oils[].name", "excluded", "excluded[].key",
        "excluded[].reason",
    ),
    "oils": ("[].key", "[].name", "[].latin", "[].purposes"),
    "purposes": ("[].key", "[].name", "[].aliases", "[].oils"),
    "show": (
        "key", "name", "latin", "family", "aliases", "purposes", "max_dermal_percent",
        "phototoxic", "constituents", "cautions", "sources",
    ),
    "bases": (
        "[].key", "[].name", "[].latin", "[].family", "[].aliases", "[].allergens",
        "[].allergens[].class", "[].allergens[].severity", "[].allergens[].source",
        "[].verdict", "[].reason",
    ),
    "convert": ("from", "from.value", "from.unit", "to", "to.value", "to.unit", "drops_per_ml"),
    "chart": ("drops_per_ml", "cells", "cells[].volume_ml", "cells[].percent", "cells[].drops"),
}  # fmt: skip
# SPEC section 2: "`max_percent` (null where the catalog has none)", "`oil` (null where none)",
# "`reminders` [strings]", and its list of warning kinds, less `allergy`: since SPEC 4.3 an oil
# that matches a declared allergy is left out (`excluded`), so no answer warns of one it kept.
SPEC_TYPES = {
    ("blend", "oils[].max_percent"): "null",
    ("blend", "warnings[].oil"): "null",
    ("blend", "reminders"): "array of string",
}
SPEC_WARNING_KINDS = (
    "capped", "phototoxic", "profile", "caution", "below-range", "outside-ratio",
    "too-small", "unknown-allergen", "no-data", "user-override",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One row of a ``| key | type | meaning |`` table."""

    path: str
    types: tuple[str, ...]
    optional: bool
    enum: tuple[str, ...] | None
    line: int
    inherited: bool = False  # from the section a "<!-- keys: NAME -->" line names


@dataclass(frozen=True)
class Section:
    name: str
    rows: dict[str, Row]
    examples: tuple[tuple[str, str], ...]  # (command line after "$ blendcalc ", output)


class DocError(Exception):
    """docs/json.md does not have the shape these tests read."""


def parse_doc(text: str) -> dict[str, Section]:
    """Every ``## name`` section of TEXT with its key table and its console examples."""
    sections: dict[str, Section] = {}
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        name = lines[start][3:].strip()
        if name in sections:
            raise DocError(f"docs/json.md has two '## {name}' sections")
        body = list(enumerate(lines[start + 1 : end], start=start + 2))
        sections[name] = Section(name, _parse_table(name, body), _parse_examples(name, body))
        # A document that is another's plus keys ("recipe show" prints the blend document)
        # names it on a line of its own, and its table lists only the keys it adds.
        for _, line in body:
            match = _INCLUDES.fullmatch(line.strip())
            if match:
                if match.group(1) not in sections:
                    raise DocError(f"'## {name}' takes the keys of '## {match.group(1)}', "
                                   "which must come before it")  # fmt: skip
                inherited = {
                    path: replace(row, inherited=True)
                    for path, row in sections[match.group(1)].rows.items()
                }
                own = sections[name]
                sections[name] = replace(own, rows={**inherited, **own.rows})
    return sections


def _parse_table(name: str, body: list[tuple[int, str]]) -> dict[str, Row]:
    headers = [index for index, (_, line) in enumerate(body) if line.strip() == HEADER]
    if len(headers) != 1:
        raise DocError(
            f"docs/json.md section '## {name}' needs exactly one table with the header {HEADER}"
        )
    rows: dict[str, Row] = {}
    for number, line in body[headers[0] + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in _CELL_SPLIT.split(line.strip())[1:-1]]
        if len(cells) != 3:
            raise DocError(f"docs/json.md line {number}: a row needs 3 cells: {line!r}")
        path = cells[0].strip("`")
        type_text = cells[1].replace("\\|", "|")
        optional = OPTIONAL in type_text
        types = tuple(part.strip() for part in type_text.replace(OPTIONAL, "").split("|"))
        unknown = [part for part in types if part not in TYPES]
        if unknown:
            raise DocError(
                f"docs/json.md line {number} ('## {name}', {path}): unknown type {unknown[0]!r}; "
                f"use {', '.join(TYPES)}, joined with \\| and optionally marked {OPTIONAL}"
            )
        if path in rows:
            raise DocError(f"docs/json.md line {number}: '## {name}' documents {path} twice")
        match = _ENUM.search(cells[2])
        enum = tuple(re.findall(r"`([^`]+)`", match.group(1))) if match else None
        rows[path] = Row(path, types, optional, enum, number)
    if not rows:
        raise DocError(f"docs/json.md section '## {name}' has an empty key table")
    return rows


def _parse_examples(name: str, body: list[tuple[int, str]]) -> tuple[tuple[str, str], ...]:
    examples: list[tuple[str, str]] = []
    inside, command = False, ""
    output: list[str] = []
    for number, line in body:
        if line.strip() == "```console":
            inside, command, output = True, "", []
        elif inside and line.strip() == "```":
            inside = False
            examples.append((command, "\n".join(output)))
        elif inside and line.startswith("$ "):
            if command:
                raise DocError(f"docs/json.md line {number}: one command per example block")
            command = line[2:].removeprefix("blendcalc ").strip()
        elif inside:
            output.append(line)
    return tuple(examples)


@cache
def documented() -> dict[str, Section]:
    return parse_doc(DOC.read_text(encoding="utf-8"))


def section(command: str) -> Section:
    found = documented().get(command)
    if found is None:
        pytest.fail(f"docs/json.md has no '## {command}' section: add one", pytrace=False)
    return found


# --- checking one document against a table ---------------------------------------------------


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (not isinstance(value, float) or math.isfinite(value))
    )


def has_type(value: object, kind: str) -> bool:
    """Whether VALUE (parsed JSON) is of the documented type KIND."""
    if kind.startswith("array of "):
        item = kind.removeprefix("array of ")
        return isinstance(value, list) and all(has_type(x, item) for x in value)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return _is_number(value)
    if kind == "null":
        return value is None
    python_type = {"string": str, "boolean": bool, "object": dict, "array": list}[kind]
    return isinstance(value, python_type)


def json_type(value: object) -> str:
    """How a test failure names the JSON type of VALUE."""
    if value is None:
        return "null"
    if isinstance(value, float):
        return "float (a number)"
    for name in ("boolean", "integer", "string", "array", "object"):
        if has_type(value, name):
            return name
    return type(value).__name__


def _parent_and_key(path: str) -> tuple[str, str]:
    parent, _, key = path.rpartition(".")
    return parent, key


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class Seen:
    """What the real documents of one command contained, for the coverage test."""

    paths: set[str]
    types: dict[str, set[str]]
    values: dict[str, set[str]]


def check_document(
    command: str, rows: dict[str, Row], document: object, seen: Seen | None = None
) -> list[str]:
    """Every way DOCUMENT (the parsed output of ``blendcalc COMMAND --json``) differs from
    ROWS, each problem naming the command, the key path and what to update."""
    problems: list[str] = []
    where = f"'## {command}' of docs/json.md"
    is_list = any(path == "[]" or path.startswith("[].") for path in rows)

    def documented_type(path: str) -> Row | None:
        row = rows.get(path)
        if row is None and path.endswith("[]") and any(p.startswith(path + ".") for p in rows):
            return Row(path, ("object",), False, None, 0)  # items of a documented array
        return row

    def visit(value: object, path: str) -> None:
        if path:
            row = documented_type(path)
            if row is None:
                problems.append(
                    f"blendcalc {command} --json: key path {path} ({json_type(value)}) is in the "
                    f"output but not documented: add a row for it to the table of {where}"
                )
                return
            matches = [kind for kind in row.types if has_type(value, kind)]
            if not matches:
                problems.append(
                    f"blendcalc {command} --json: key path {path} is {json_type(value)}, but "
                    f"{where} says {'|'.join(row.types)}: {_FIX} (or fix the program)"
                )
            if row.enum is not None:
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, str) and item not in row.enum:
                        problems.append(
                            f"blendcalc {command} --json: key path {path} has the value "
                            f"{item!r}, which is not among the values {where} lists after "
                            f"'one of:' ({', '.join(row.enum)}): {_FIX}"
                        )
            if seen is not None:
                seen.paths.add(path)
                seen.types.setdefault(path, set()).update(matches)
                if isinstance(value, str):
                    seen.values.setdefault(path, set()).add(value)
            if any(kind.startswith("array of") for kind in matches):
                return
        elif is_list != isinstance(value, list):
            problems.append(
                f"blendcalc {command} --json: the document is {json_type(value)}, but {where} "
                f"documents {'an array ([] rows)' if is_list else 'an object'}: {_FIX}"
            )
            return
        if isinstance(value, dict):
            for row in rows.values():
                parent, key = _parent_and_key(row.path)
                if parent == path and key not in value and not row.optional:
                    problems.append(
                        f"blendcalc {command} --json: documented key path {row.path} is missing "
                        f"from the output: {_FIX} (mark it {OPTIONAL} in the type cell or remove "
                        "the row), or fix the program"
                    )
            for key, item in value.items():
                visit(item, _child(path, key))
        elif isinstance(value, list):
            for item in value:
                visit(item, f"{path}[]")

    visit(document, "")
    return problems


# --- running the real program ----------------------------------------------------------------


def run_documents(invoke: Invoke, command: str) -> list[tuple[str, Any]]:
    """(the command line, its parsed JSON document) for each invocation of COMMAND."""
    results = []
    for arguments, expected in INVOCATIONS[command]:
        argv = [*command.split(), *shlex.split(arguments), "--json"]
        line = "blendcalc " + shlex.join(argv)
        result = invoke(*argv)
        assert result.code == expected, (
            f"{line} exited {result.code}, not {expected}:\n{result.stderr}"
        )
        assert result.stderr == "", f"{line} wrote to stderr in JSON mode:\n{result.stderr}"
        try:
            document = json.loads(result.stdout)
        except json.JSONDecodeError as error:
            pytest.fail(f"{line} did not print one JSON document on stdout ({error})")
        results.append((line, document))
    return results


@pytest.mark.parametrize("command", list(INVOCATIONS))
def test_the_real_documents_match_docs_json_md(invoke: Invoke, command: str) -> None:
    rows = section(command).rows
    problems: dict[str, list[str]] = {}  # each problem once, with the invocations showing it
    for line, document in run_documents(invoke, command):
        for problem in check_document(command, rows, document):
            lines = problems.setdefault(problem, [])
            if line not in lines:
                lines.append(line)
    if problems:
        pytest.fail(
            "\n".join(
                f"{problem}\n    (seen in {len(lines)} invocation(s), e.g. {lines[0]})"
                for problem, lines in problems.items()
            ),
            pytrace=False,
        )


@pytest.mark.parametrize("command", list(INVOCATIONS))
def test_the_invocations_exercise_everything_documented(invoke: Invoke, command: str) -> None:
    """A documented key, type or warning kind that no invocation produces is either stale in
    the document or untested here."""
    rows = section(command).rows
    seen = Seen(set(), {}, {})
    for _, document in run_documents(invoke, command):
        check_document(command, rows, document, seen)
    problems = []
    for row in rows.values():
        if row.path.endswith("[]") and row.types == ("object",):
            continue  # the item row of an array is seen through its keys
        if row.inherited:
            continue  # exercised by the invocations of the section it comes from
        if row.path not in seen.paths:
            problems.append(f"no invocation produced {command} key path {row.path}")
            continue
        for kind in row.types:
            if kind not in seen.types[row.path] and not (
                kind == "number" and "integer" in seen.types[row.path]
            ):
                problems.append(f"no invocation produced {command} {row.path} as {kind}")
    for name, path in EXERCISED_ENUMERATIONS:
        if name == command:
            missing = set(rows[path].enum or ()) - seen.values.get(path, set())
            problems += [f"no invocation produced {command} {path} {value!r}" for value in missing]
    if problems:
        pytest.fail(
            "\n".join(problems) + f"\nAdd an invocation that does to INVOCATIONS['{command}'] "
            "in tests/test_json_contract.py, or remove it from docs/json.md if the program can "
            "no longer produce it.",
            pytrace=False,
        )


# --- the document itself ---------------------------------------------------------------------


def test_docs_json_md_has_a_section_for_every_command_and_no_other() -> None:
    sections = set(documented())
    commands = set(LEAVES)
    missing, extra = commands - sections, sections - commands
    assert not missing, f"docs/json.md has no '## name' section for {sorted(missing)}: add one"
    assert not extra, (
        f"docs/json.md has sections for {sorted(extra)}, which are not blendcalc commands: "
        "remove or rename them"
    )
    assert set(INVOCATIONS) == commands, "give INVOCATIONS an entry for every command"


@pytest.mark.parametrize("command", list(INVOCATIONS))
def test_each_container_is_documented_before_its_keys(command: str) -> None:
    rows = list(section(command).rows.values())
    problems = []
    for index, row in enumerate(rows):
        parent = _parent_and_key(row.path)[0]
        container = parent.removesuffix("[]")
        if not container:
            continue
        earlier = {other.path: other for other in rows[:index]}
        if container not in earlier:
            problems.append(f"{row.path} comes before (or without) a row for {container}")
        elif parent.endswith("[]") and "array" not in earlier[container].types:
            problems.append(f"{row.path}: {container} should be documented as array")
        elif not parent.endswith("[]") and "object" not in earlier[container].types:
            problems.append(f"{row.path}: {container} should be documented as object")
    if problems:
        pytest.fail(f"docs/json.md '## {command}': " + "; ".join(problems), pytrace=False)


def test_docs_json_md_documents_every_key_spec_section_2_requires() -> None:
    problems = []
    for command, paths in SPEC_KEYS.items():
        for path in paths:
            row = section(command).rows.get(path)
            if row is None:
                problems.append(f"{command}: {path} is not documented")
            elif row.optional:
                problems.append(f"{command}: {path} is marked {OPTIONAL}; SPEC requires it")
    for (command, path), kind in SPEC_TYPES.items():
        if kind not in section(command).rows[path].types:
            problems.append(f"{command}: {path} must allow {kind} (SPEC section 2)")
    kinds = section("blend").rows["warnings[].kind"].enum or ()
    problems += [
        f"blend: warnings[].kind does not list {kind!r} (SPEC section 2)"
        for kind in SPEC_WARNING_KINDS
        if kind not in kinds
    ]
    if problems:
        pytest.fail("\n".join(problems) + f"\n{_FIX} to match SPEC section 2", pytrace=False)


@pytest.mark.parametrize(
    ("command", "path", "values"),
    [
        ("blend", "profile", PROFILE_KEYS),
        ("suggest", "profile", PROFILE_KEYS),
        ("suggest", "purpose.heading", HEADINGS),
        ("purposes", "[].heading", HEADINGS),
        ("show", "cautions[].topic", CAUTION_TOPICS),
        ("show", "cautions[].severity", SEVERITIES),
        ("bases", "[].allergens[].severity", SEVERITIES),
        ("bases", "[].verdict", VERDICTS),
        ("convert", "from.unit", tuple(UNITS_BY_KEY)),
        ("convert", "to.unit", tuple(UNITS_BY_KEY)),
    ],
)
def test_documented_enumerations_match_the_code(
    command: str, path: str, values: tuple[str, ...]
) -> None:
    row = section(command).rows.get(path)
    assert row is not None, f"docs/json.md '## {command}' does not document {path}: add it"
    enum = row.enum
    assert enum is not None, f"docs/json.md '## {command}' {path}: list its values after 'one of:'"
    assert set(enum) == set(values), (
        f"docs/json.md '## {command}' {path} lists {sorted(enum)}; the program has "
        f"{sorted(values)}: {_FIX}"
    )


def test_the_strict_warning_kinds_are_documented() -> None:
    kinds = set(section("blend").rows["warnings[].kind"].enum or ())
    assert kinds >= SAFETY_KINDS, (
        f"blend warnings[].kind: {sorted(SAFETY_KINDS - kinds)} make --strict exit 3 but are "
        f"not documented: {_FIX}"
    )


@pytest.mark.parametrize("command", list(INVOCATIONS))
def test_the_example_matches_the_table(command: str) -> None:
    """Each section's example is a --json run of its own command whose output fits its table
    (scripts/docs.py keeps the output itself current)."""
    found = section(command)
    assert found.examples, f"docs/json.md '## {command}' has no ```console example"
    for line, output in found.examples:
        words = shlex.split(line)
        assert words[: len(command.split())] == command.split() and "--json" in words, (
            f"docs/json.md '## {command}': the example '$ blendcalc {line}' should run "
            f"'blendcalc {command} ... --json'"
        )
        assert output.strip(), (
            f"docs/json.md '## {command}': the example has no output: run "
            "`uv run python scripts/docs.py`"
        )
        problems = check_document(command, found.rows, json.loads(output))
        if problems:
            pytest.fail("\n".join(dict.fromkeys(problems)), pytrace=False)


# --- the checker itself can fail --------------------------------------------------------------

SAMPLE = """\
## demo

| key | type | meaning |
|---|---|---|
| `count` | integer | how many |
| `ratio` | number\\|null | a ratio; null when none |
| `kind` | string | one of: `a`, `b` |
| `note` | string (optional) | only sometimes |
| `items` | array | the items |
| `items[].name` | string | a name |
| `tags` | array of string | tags |

```console
$ blendcalc demo --json
{}
```
"""


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"count": 1, "ratio": None, "kind": "a", "items": [{"name": "x"}], "tags": []}, None),
        ({"count": 1, "ratio": 0.5, "kind": "b", "note": "n", "items": [], "tags": ["t"]}, None),
        ({"ratio": 1, "kind": "a", "items": [], "tags": []}, "count is missing"),
        ({"count": "1", "ratio": 1, "kind": "a", "items": [], "tags": []}, "count is string"),
        ({"count": True, "ratio": 1, "kind": "a", "items": [], "tags": []}, "count is boolean"),
        ({"count": 1.5, "ratio": 1, "kind": "a", "items": [], "tags": []}, "count is float"),
        ({"count": 1, "ratio": "1", "kind": "a", "items": [], "tags": []}, "ratio is string"),
        ({"count": 1, "ratio": 1, "kind": "c", "items": [], "tags": []}, "value 'c'"),
        ({"count": 1, "ratio": 1, "kind": "a", "items": [{}], "tags": []}, "items[].name is"),
        ({"count": 1, "ratio": 1, "kind": "a", "items": [], "tags": [1]}, "tags is array"),
        ({"count": 1, "ratio": 1, "kind": "a", "items": [], "tags": [], "new": 0}, "path new"),
        (
            {"count": 1, "ratio": 1, "kind": "a", "items": [{"name": "x", "id": 1}], "tags": []},
            "path items[].id",
        ),
        ([], "the document is array"),
    ],
)
def test_the_checker_catches_each_kind_of_drift(document: object, expected: str | None) -> None:
    rows = parse_doc(SAMPLE)["demo"].rows
    problems = check_document("demo", rows, document)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems
        assert all("blendcalc demo --json" in p and "docs/json.md" in p for p in problems)


def test_the_parser_reads_types_enumerations_and_examples() -> None:
    section = parse_doc(SAMPLE)["demo"]
    assert section.rows["ratio"].types == ("number", "null")
    assert section.rows["kind"].enum == ("a", "b")
    assert section.rows["note"].optional
    assert section.rows["tags"].types == ("array of string",)
    assert section.examples == (("demo --json", "{}"),)


def test_the_parser_refuses_an_unknown_type() -> None:
    with pytest.raises(DocError, match="unknown type 'float'"):
        parse_doc(SAMPLE.replace("| number\\|null |", "| float |"))
