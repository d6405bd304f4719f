"""Each broken sample under tests/data/rules/ names its own line and says what to do; the schema agrees."""

import json

import jsonschema
import pytest
import yaml

from releasebot.rules import RulesError, load_rules
from tests.rules.conftest import ROOT, SAMPLES, SHIPPED_RULES

SCHEMA = json.loads((ROOT / "schema" / "rules.schema.json").read_text())
SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))
BROKEN = [path for path in SAMPLE_FILES if "# problem:" in path.read_text()]
VALID = [path for path in SAMPLE_FILES if path not in BROKEN]


def header(path):
    """The `# key: value` expectations at the top of a sample."""
    lines = path.read_text().splitlines()
    pairs = (line[2:].partition(": ") for line in lines if line.startswith("# ") and ": " in line)
    return {key: value for key, _, value in pairs if key in ("problem", "hint", "schema")}


def schema_verdict(path):
    try:
        document = yaml.safe_load(path.read_text())
    except yaml.YAMLError:
        return "unreadable"
    return "valid" if jsonschema.Draft202012Validator(SCHEMA).is_valid(document) else "invalid"


def loader_problems(path):
    try:
        load_rules(path)
    except RulesError as error:
        return error.problems
    return []


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_sample_names_its_line_and_what_to_do(path):
    line, _, message = header(path)["problem"].partition(": ")
    problems = loader_problems(path)
    assert [(p.line, message in p.message) for p in problems if p.line == int(line)] == [(int(line), True)]
    hint = header(path)["hint"].strip()
    assert all(hint in p.hint for p in problems if p.line == int(line))
    assert all(str(p).startswith(f"{path}:{p.line}: ") for p in problems)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_sample_loads(path):
    assert loader_problems(path) == []


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.stem)
def test_schema_says_what_the_sample_expects(path):
    assert schema_verdict(path) == header(path)["schema"]


@pytest.mark.parametrize("path", [*SAMPLE_FILES, SHIPPED_RULES], ids=lambda p: p.stem)
def test_what_the_schema_refuses_the_loader_refuses_too(path):
    if schema_verdict(path) != "valid":
        assert loader_problems(path)
    else:
        assert (loader_problems(path) == []) == (path not in BROKEN)


def test_shipped_rules_file_is_valid_for_the_schema_and_points_editors_at_it():
    assert schema_verdict(SHIPPED_RULES) == "valid"
    first_line = SHIPPED_RULES.read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./schema/rules.schema.json"


def test_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
