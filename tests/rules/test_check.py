"""`rules check`: every problem at once, with its line and what to do, and never a traceback."""

import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasebot.rules import Problem, RulesError, check_rules, load_rules, parse_rules
from tests.rules.conftest import SAMPLES

PATTERN = r"(?i)deployed in (?P<component>[a-z]+) (?P<version>\d+(?:\.\d+)+)"
RULE = f"  - name: deployed-in\n    pattern: '{PATTERN}'\n"
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def problems_in(rules_body: str, top: str = "version: 1\n") -> list[Problem]:
    return check_rules(f"{top}rules:\n{rules_body}", "rules.yaml")


def rule_with(pattern: str, extra: str = "") -> str:
    return f"  - name: r\n    pattern: '{pattern}'\n{extra}"


def test_every_problem_is_reported_at_once_in_line_order():
    top = "version: 2\nscan: {max_messages: 0}\n"
    text = f"{top}rules:\n  - name: a\n    pattern: 'x'\npost: {{comment: '{{x}}'}}\n"
    problems = check_rules(text, "rules.yaml")
    assert [p.line for p in problems] == [1, 2, 5, 5, 6]
    assert "(?P<version>" in problems[2].message and "component" in problems[3].message


def test_problem_reads_file_line_field_message_and_hint():
    problem = Problem("rules.yaml", 14, "rules[2].pattern: unknown group (?P<verison>…)", "did you mean …")
    assert str(problem).splitlines() == ["rules.yaml:14: rules[2].pattern: unknown group (?P<verison>…)",
                                         "  hint: did you mean …"]


def test_rules_error_lists_all_problems_one_per_line():
    with pytest.raises(RulesError) as caught:
        parse_rules("version: 1\nrules:\n  - name: 1\n    pattern: ''\n", "mine.yaml")
    assert len(caught.value.problems) == 2
    assert str(caught.value).splitlines()[0].startswith("mine.yaml:3: rules[0].name: must be a string")


def test_missing_file_is_one_clear_problem():
    with pytest.raises(RulesError, match=r"^nowhere\.yaml: cannot read the rules file: No such file"):
        load_rules("nowhere.yaml")


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"version: 1\nrules:\n  - name: caf\xe9\n")
    with pytest.raises(RulesError, match=r"rules\.yaml:3: not UTF-8 text \(byte 0xe9\)"):
        load_rules(path)


def test_empty_file_says_so():
    assert [str(p) for p in check_rules("# nothing yet\n", "rules.yaml")] == [
        "rules.yaml:1: the file is empty\n  hint: start from the shipped rules.yaml"]


def test_key_given_twice_is_reported_rather_than_silently_replaced():
    problems = problems_in(RULE, top="version: 1\nversion: 1\n")
    assert [(p.line, p.message) for p in problems] == [(2, "version: given twice")]


def test_yaml_syntax_error_names_its_line():
    problems = problems_in(f"{RULE}  - name: [unclosed\n")
    assert len(problems) == 1 and problems[0].message.startswith("YAML syntax:") and problems[0].line >= 5


def test_absurdly_deep_nesting_is_a_problem_not_a_crash():
    assert [p.message for p in check_rules("[" * 5000, "rules.yaml")] == [
        "the file nests lists and mappings too deeply to read"]


def test_several_documents_are_refused():
    problems = problems_in(f"{RULE}---\nversion: 1\n")
    assert problems[0].line == 5 and "single document" in problems[0].message


def test_yaml_boolean_where_a_string_belongs_says_to_quote_it():
    problems = problems_in("  - name: on\n    pattern: 'x (?P<version>1)'\n    component: im\n")
    assert [(p.message, p.hint) for p in problems] == [
        ("rules[0].name: must be a string, got true/false (on)", 'quote it: "on"')]


def test_rule_name_with_a_space_is_refused():
    problems = problems_in(RULE.replace("deployed-in", "'deployed in'"))
    assert problems[0].message == "rules[0].name: must be letters, digits, - _ ., got 'deployed in'"


def test_too_many_rules_are_refused_without_reading_them():
    many = "".join(RULE.replace("deployed-in", f"r{n}") for n in range(201))
    assert [p.message for p in problems_in(many)] == ["rules: has 201 items, at most 200 are allowed"]


def test_conditionals_are_explained():
    assert "conditionals" in problems_in(rule_with("(?(1)a|b)" + PATTERN))[0].message


def test_python_end_anchor_is_explained():
    assert problems_in(rule_with(PATTERN + r"\Z"))[0].hint == "replace \\Z with \\z (or $)"


def test_escaped_constructs_and_character_classes_are_not_mistaken_for_pcre():
    pattern = r"\(?=\)[(?=]\Q(?<!\1\E(?P<component>[a-z]+) (?P<version>\d+)"
    assert problems_in(rule_with(pattern)) == []


def test_pattern_too_big_for_re2_memory_cap_is_refused():
    problems = problems_in(rule_with(r"(?P<component>\pL{1000}\pL{1000}\pL{1000}) (?P<version>\d+)"))
    assert "does not compile in RE2" in problems[0].message and "repetitions" in problems[0].hint


@FUZZ
@given(st.text())
def test_any_text_gives_problems_never_a_traceback(text):
    assert all(isinstance(p, Problem) and p.line >= 0 for p in check_rules(text, "rules.yaml"))


KEYS = ["version", "trigger", "statuses", "scan", "max_messages", "rules", "name", "pattern", "component",
        "examples", "text", "expect", "post", "comment"]
YAML_BITS = [*KEYS, "- ", ": ", "\n", "  ", "[", "]", "{", "}", "'", '"', "5", "1", "(?P<version>",
             "(?<component>", ")", "\\d+", "&a", "*a", "!!binary", "#", "\t"]


@FUZZ
@given(st.lists(st.sampled_from(YAML_BITS), max_size=40).map("".join))
def test_yaml_shaped_noise_gives_problems_never_a_traceback(text):
    assert isinstance(check_rules(text, "rules.yaml"), list)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=5))
def test_wrongly_shaped_documents_give_problems_never_a_traceback(document):
    assert isinstance(check_rules(yaml.safe_dump(document), "rules.yaml"), list)


@FUZZ
@given(st.text(alphabet=string.ascii_letters[:6] + "()[]{}?*+|\\^$.:<>=!-P1 ", max_size=30))
def test_any_pattern_gives_problems_never_a_traceback(pattern):
    example = "    examples: [{text: 'a', expect: []}]\n"
    assert isinstance(problems_in(rule_with(pattern.replace("'", "''"), example)), list)


def test_samples_directory_holds_a_dozen_broken_files():
    assert len([p for p in SAMPLES.glob("*.yaml") if "# problem:" in p.read_text()]) >= 12
