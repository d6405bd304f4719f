"""The tag a release becomes: whole versions, and only component names a tag list can hold."""

import pytest

from releasebot.model import Release
from releasebot.rules import parse_rules
from releasebot.tagging import MAX_TAG_CHARS, release_tags, render_tag
from tests.unit.job_runs import run

LONG = "a" * 64  # the longest component a result keeps (worker/process.py)
BROAD_RULES = """\
version: 1
rules:
  - name: anything-before-a-version
    pattern: '(?P<component>[^0-9]+?) (?P<version>\\d+\\.\\d+)'
post:
  comment: "{releases}\\n{marker}"
  tags: "{component} {version}"
"""


def release(component: str, version: str = "1.0") -> Release:
    return Release(component, version, "rule", 1, 7, "2026-06-10T14:51:00+02:00")


@pytest.mark.parametrize("version", ["24.500.0-rc.1+build.45.20260610.abcdef", "1.0.0-" + "x" * 58])
def test_a_long_tag_cuts_the_component_never_the_version(version):
    tag = render_tag("{component} {version}", release(LONG, version))
    assert len(tag) <= MAX_TAG_CHARS and tag.endswith(f" {version}") and tag.startswith("aaaa")


def test_a_template_with_text_of_its_own_still_keeps_the_whole_version():
    version = "24.500.0-beta.2+build.20260610"
    tag = render_tag("released: {component} at {version}", release(LONG, version))
    assert len(tag) <= MAX_TAG_CHARS and tag.startswith("released: aaa") and tag.endswith(f" at {version}")


def test_a_short_tag_is_unchanged():
    assert render_tag("{component} {version}", release("im", "24.500.0-rc.1")) == "im 24.500.0-rc.1"


def test_a_template_whose_own_text_leaves_no_room_for_the_version_makes_no_tag():
    assert release_tags("x" * 90 + " {version}", [release("im", "24.500.0-rc.1")]) == ()


@pytest.mark.parametrize("component", ["a, b, c", "im;ui", "im\tui", "<b>im</b>", "im,", "[URL]x"])
def test_a_component_a_tag_list_cannot_hold_makes_no_tag(component):
    assert release_tags("{component} {version}", [release(component), release("ui", "3.1.0")]) == ("ui 3.1.0",)


@pytest.mark.parametrize("component", ["im", "ui-kit", "@acme/ui-kit", "web_frontend", "chat.v2", "мессенджер"])
def test_component_names_as_people_write_them_make_tags(component):
    assert release_tags("{component} {version}", [release(component)]) == (f"{component} 1.0",)


def test_a_broad_rule_never_writes_a_list_into_the_tags(api, store):
    rules = parse_rules(BROAD_RULES)
    api.add_task(53, chat=["a, b, c 1.0"], tags=("customer",))
    run(api, rules, store)
    assert api.tasks[53].tags == ("customer",)
