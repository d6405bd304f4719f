"""What one rule, and the rules together, find in a message."""

import time

import pytest

from releasebot.rules import Match, Rule, Rules, read
from releasebot.rules.match import scan
from releasebot.rules.patterns import _python_group_syntax
from tests.rules.conftest import rules_from

DEPLOYED_IN = r"(?i)deployed in (?P<component>[a-z][\w-]*) v?(?P<version>\d+(?:\.\d+)+)"


def find(rule: Rule, text: str) -> list[tuple[str, str]]:
    """The pairs one rule names in the text, in text order, taking every one (no component policy)."""
    return [(m.component, m.version) for m in scan(rule, text, lambda raw, *_: (raw.lower(), ""))[0]]


def test_rule_finds_component_and_version_in_text_order():
    rule = Rule("deployed-in", DEPLOYED_IN)
    assert find(rule, "deployed in ui 3.1.0; deployed in im 24.500.0") == [("ui", "3.1.0"), ("im", "24.500.0")]


def test_both_named_group_syntaxes_work():
    rule = Rule("angle", r"deployed in (?<component>[a-z]+) (?<version>\d+(?:\.\d+)+)")
    assert find(rule, "deployed in im 24.500.0") == [("im", "24.500.0")]


def test_angle_groups_are_rewritten_for_old_re2_but_lookbehinds_and_escapes_are_not():
    assert _python_group_syntax(r"(?<v>\d)(?<=x)(?<!y)\(?<w>[(?<z>]") == r"(?P<v>\d)(?<=x)(?<!y)\(?<w>[(?<z>]"


def test_fixed_component_applies_to_every_version_found():
    rule = Rule("im-build", r"im build (?P<version>\d+(?:\.\d+)+)", component="im")
    assert find(rule, "im build 24.500.0 is live") == [("im", "24.500.0")]


def test_components_are_lowercased_and_the_v_prefix_is_left_out():
    assert find(Rule("r", DEPLOYED_IN), "Deployed in IM v24.500.0") == [("im", "24.500.0")]


def test_match_in_which_skip_takes_part_is_ignored():
    rule = Rule("r", r"(?i)(?P<skip>will be )?deployed in (?P<component>[a-z]+) (?P<version>\d+(?:\.\d+)+)")
    assert find(rule, "will be deployed in im 24.500.0") == []
    assert find(rule, "deployed in im 24.500.0") == [("im", "24.500.0")]


def test_group_name_may_recur_in_alternatives():
    rule = Rule("r", r"(?:(?P<skip>version)|(?P<component>[a-z]+)) (?P<version>\d+\.\d+)|"
                     r"(?P<version>\d+\.\d+) of (?P<component>[a-z]+)")
    assert find(rule, "im 1.0, version 2.0, 3.0 of ui") == [("im", "1.0"), ("ui", "3.0")]


def test_one_match_over_a_list_yields_every_pair_in_it():
    pair, separator = r"[a-z]+ \d+(?:\.\d+)+", r"(?:, | and )"
    captured = r"(?P<component>[a-z]+) (?P<version>\d+(?:\.\d+)+)"
    rule = Rule("list", rf"deployed in (?:{pair}{separator})*{captured}")
    found = find(rule, "deployed in im 24.500.0, ui 3.1.0 and main 1.2.3")
    assert found == [("im", "24.500.0"), ("ui", "3.1.0"), ("main", "1.2.3")]


def test_rules_match_normalizes_first_and_keeps_one_match_per_component_first_rule_winning():
    rules = Rules((Rule("first", r"im (?P<version>\d+\.\d+)", component="im"), Rule("second", DEPLOYED_IN)))
    assert list(read(rules, "[b]deployed[/b] in im 2.0, deployed in ui 3.0").matches) == [
        Match("im", "2.0", "first"), Match("ui", "3.0", "second")]


def test_same_component_twice_in_one_message_keeps_the_later_version():
    # "the bug came with tasks 24.300.0 and is fixed in tasks 24.300.2": one message, one release of a component
    rules = Rules((Rule("r", DEPLOYED_IN),))
    assert list(read(rules, "deployed in im 2.0, after deployed in im 1.0").matches) == [Match("im", "2.0", "r")]
    assert list(read(rules, "deployed in im 1.0, then deployed in im 2.0").matches) == [Match("im", "2.0", "r")]


def test_quoted_text_never_matches():
    rules = Rules((Rule("r", DEPLOYED_IN),))
    assert list(read(rules, ">>deployed in im 1.0\n[quote]deployed in ui 2.0[/quote]").matches) == []


def test_loaded_rules_carry_defaults_and_the_file_hash():
    rules = rules_from(f"  - name: r\n    pattern: '{DEPLOYED_IN}'\n")
    assert (rules.trigger_statuses, rules.max_messages, rules.rules[0].line) == (frozenset({5}), 200, 3)
    assert len(rules.sha256) == 64 and rules.comment_template.startswith("[B]Shipped in:[/B]")


def test_sections_given_replace_the_defaults():
    rules = rules_from(f"  - name: r\n    pattern: '{DEPLOYED_IN}'\n", trigger="{statuses: [4, 5]}",
                       scan="{max_messages: 50}", post="{comment: 'Released: {releases} {marker}'}")
    assert (rules.trigger_statuses, rules.max_messages) == (frozenset({4, 5}), 50)
    assert rules.comment_template == "Released: {releases} {marker}"


CATASTROPHIC_FOR_BACKTRACKERS = [r"(?P<version>(a+)+)$", r"(?P<version>(a|aa)+)$", r"(?P<version>(a*)*b)"]


@pytest.mark.parametrize("pattern", CATASTROPHIC_FOR_BACKTRACKERS)
def test_megabyte_message_against_a_catastrophic_pattern_finishes_promptly(pattern):
    rules = Rules((Rule("hostile", pattern, component="x"),))
    started = time.monotonic()
    assert list(read(rules, "a" * 1_000_000 + "!").matches) == []
    assert time.monotonic() - started < 5


def test_megabyte_message_naming_releases_everywhere_finishes_promptly(shipped):
    started = time.monotonic()
    found = read(shipped, "deployed in im 1.0 and ui 2.0. " * 30_000).matches
    assert [m.component for m in found] == ["im", "ui"]
    assert time.monotonic() - started < 5
