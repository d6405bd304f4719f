"""The pure core performs no I/O of its own: no Flask, Redis, RQ or HTTP inside it."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ["releasebot/rules.py", "releasebot/normalize.py", "releasebot/extract.py", "releasebot/events.py",
        "releasebot/model.py", "releasebot/comment.py", "releasebot/settings.py", "releasebot/errors.py",
        "releasebot/patterns.py", "releasebot/rules_model.py", "releasebot/rules_schema_check.py",
        "releasebot/rules_report.py"]
FORBIDDEN = {"flask", "werkzeug", "redis", "rq", "requests", "urllib3", "socket", "http", "web", "worker"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", PURE)
def test_pure_core_module_does_no_io(module):
    assert imported_roots(ROOT / module) & FORBIDDEN == set()


def test_web_process_holds_no_rule_logic():
    web_imports = set().union(*(imported_roots(p) for p in (ROOT / "web").glob("*.py")))
    sources = " ".join((ROOT / "web" / p.name).read_text() for p in (ROOT / "web").glob("*.py"))
    assert "re2" not in web_imports and "releasebot.rules" not in sources and "releasebot.extract" not in sources
