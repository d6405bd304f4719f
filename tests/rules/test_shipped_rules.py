"""The rules.yaml the repository ships: valid, its examples pass, and it reads the phrasings teams use."""

import pytest

from releasebot.rules import check_rules, read
from tests.rules.conftest import SHIPPED_RULES


def test_shipped_rules_file_has_no_problems():
    assert check_rules(SHIPPED_RULES.read_text(), "rules.yaml") == []


def test_every_shipped_rule_has_examples_including_ones_that_must_not_match(shipped):
    for rule in shipped.rules:
        assert any(example.expect for example in rule.examples), rule.name
        assert any(not example.expect for example in rule.examples), rule.name


def test_shipped_trigger_scan_and_comment(shipped):
    assert (shipped.trigger_statuses, shipped.max_messages) == (frozenset({5}), 200)
    assert "{releases}" in shipped.comment_template and "{marker}" in shipped.comment_template


@pytest.mark.parametrize(("text", "found"), [
    ("deployed in im 24.500.0", "im 24.500.0"),
    ("deployed to im 24.500.0", "im 24.500.0"),
    ("released in im 24.500.0", "im 24.500.0"),
    ("shipped in im 24.500.0", "im 24.500.0"),
    ("im 24.500.0 deployed", "im 24.500.0"),
    ("выложено в im 24.500.0", "im 24.500.0"),
    ("задеплоено на прод: im 24.500.0", "im 24.500.0"),
    ("deployed in im v24.500.0", "im 24.500.0"),
    ("deployed in im 24.500.0 and ui 3.1.0", "im 24.500.0, ui 3.1.0"),
    ("[B]Deployed[/B] in [URL=https://portal.example/im]im 24.500.0[/URL]", "im 24.500.0"),
    ("Fixed.[BR][USER=20294]Anna[/USER]: deployed to prod: im 24.500.0", "im 24.500.0"),
    ("will deploy tomorrow", ""),
    ("deploy to im 24.500.0 is planned for Monday", ""),
    ("will be deployed in im 24.500.0", ""),
    ("im 24.500.0 is not deployed yet", ""),
    ("будет выложено в im 24.500.0", ""),
    (">>deployed in im 24.500.0", ""),
    ("[quote]deployed in im 24.500.0[/quote]", ""),
])
def test_shipped_rules_read_common_phrasings(shipped, text, found):
    assert ", ".join(f"{m.component} {m.version}" for m in read(shipped, text).matches) == found


def test_shipped_rules_teach_how_to_add_a_rule():
    comments = "\n".join(line for line in SHIPPED_RULES.read_text().splitlines() if line.startswith("#"))
    assert "How to add a rule" in comments and "(?P<skip>" in comments and "expect: []" in comments
