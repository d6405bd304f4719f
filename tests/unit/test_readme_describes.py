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
