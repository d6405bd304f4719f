"""post.tags and post.field: what the bot writes into the task, checked with the rest of the file."""

from releasebot.rules import check_rules, parse_rules

RULES = "version: 1\nrules:\n  - name: r\n    pattern: 'deployed in (?P<component>[a-z]+) (?P<version>[0-9.]+)'\n"


def test_shipped_rules_tag_each_release_and_set_no_field(shipped):
    assert (shipped.tags_template, shipped.field_name) == ("{component} {version}", "")


def test_tags_and_field_are_read_from_post():
    rules = parse_rules(RULES + "post:\n  tags: 'release {component}-{version}'\n  field: UF_RELEASE\n")
    assert (rules.tags_template, rules.field_name) == ("release {component}-{version}", "UF_RELEASE")


def test_without_them_the_bot_writes_neither():
    rules = parse_rules(RULES)
    assert (rules.tags_template, rules.field_name) == ("", "")


def test_an_unknown_tag_placeholder_is_reported_at_its_line():
    [problem] = check_rules(RULES + "post:\n  tags: '{component} {verison}'\n", "rules.yaml")
    assert problem.line == 6 and "post.tags: unknown placeholder {verison}" in problem.message
    assert "{version}" in problem.hint


def test_a_tag_without_the_version_is_reported():
    [problem] = check_rules(RULES + "post:\n  tags: '{component}'\n", "rules.yaml")
    assert "must place {version}" in problem.message


def test_a_field_that_is_not_a_custom_field_is_reported():
    [problem] = check_rules(RULES + "post:\n  field: TITLE\n", "rules.yaml")
    assert problem.line == 6 and "post.field" in problem.message and "UF_RELEASE" in problem.message
