"""The README describes every route, environment variable and `post:` key as built."""

import re
from pathlib import Path

import pytest

from releasebot.rules.check import POST_KEYS
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def routes() -> list[str]:
    app = create_app({"BITRIX_APP_TOKEN": "t"}, connection=None)
    return sorted({re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule) for rule in app.url_map.iter_rules()
                   if rule.endpoint != "static"})


def variables() -> list[str]:
    return sorted(set(re.findall(r'get\("([A-Z_]+)"', (ROOT / "releasebot" / "settings.py").read_text())))


@pytest.mark.parametrize("route", routes())
def test_every_route_is_in_the_readme(route):
    pattern = re.escape(route).replace(re.escape("<"), "<").replace(re.escape(">"), ">")
    pattern = re.sub(r"<\w+>", "<[a-z_]+>", pattern)
    assert re.search(f"`(?:GET|POST) {pattern}[`?\\[]|, `{pattern}`", README), route


@pytest.mark.parametrize("name", variables())
def test_every_variable_is_in_the_configuration_table(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("key", POST_KEYS)
def test_every_post_key_is_in_the_readme(key):
    assert f"\n  {key}:" in README


def where_things_are() -> dict[str, str]:
    """The README's "Where things are" table: folder -> what it says is there."""
    section = README.split("## Where things are", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| `([\w/]+)/` \| (.*) \|$", section, re.MULTILINE))


@pytest.mark.parametrize("package", sorted(p.parent.name for p in ROOT.glob("*/__init__.py")))
def test_every_package_is_in_where_things_are(package):
    assert package in where_things_are()


@pytest.mark.parametrize("folder", sorted(where_things_are()))
def test_every_module_where_things_are_names_exists(folder):
    named = re.findall(r"`([\w/]+\.(?:py|yaml))`", where_things_are()[folder])
    assert (ROOT / folder).is_dir() and [name for name in named if not (ROOT / folder / name).exists()] == []
