"""The pure core performs no I/O of its own: no Flask, Redis, RQ or HTTP inside it.

The core is the `releasebot` package without its top layer (cli, dev, sim), which may use anything. A new
module in the core is guarded the moment it exists: the test walks the package, it keeps no list of files.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "releasebot"
TOP_LAYER = {"cli", "dev", "sim"}
FORBIDDEN = {"flask", "werkzeug", "redis", "rq", "requests", "urllib3", "socket", "http", "subprocess",
             "fakeredis", "web", "worker", "store", "sqlalchemy", "alembic", "psycopg"}
# The record is a shared layer under web, worker and the CLI: it may use the core, never what sits above it.
ABOVE_THE_STORE = {"web", "worker", "flask", "werkzeug", "rq", "requests"}


def core_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py")
                  if path.relative_to(PACKAGE).parts[0] not in TOP_LAYER)


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_the_core_is_a_real_package():
    names = {path.relative_to(PACKAGE).as_posix() for path in core_modules()}
    assert {"normalize.py", "extract.py", "bitrix_event.py", "rules/match.py", "rules/load.py"} <= names


@pytest.mark.parametrize("module", core_modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_pure_core_module_does_no_io(module):
    imported = imported_modules(module)
    assert {name.split(".")[0] for name in imported} & FORBIDDEN == set()
    top = {name for name in imported if name.split(".")[:2] in (["releasebot", part] for part in TOP_LAYER)}
    assert top == set(), "the core must not reach up into the cli, dev or sim layer"


def test_web_process_holds_no_rule_logic():
    web_imports = set().union(*(imported_modules(p) for p in (ROOT / "web").glob("*.py")))
    assert not any(name.split(".")[0] == "re2" or name.startswith(("releasebot.rules", "releasebot.extract"))
                   for name in web_imports)


@pytest.mark.parametrize("module", sorted((ROOT / "store").rglob("*.py")),
                         ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_store_uses_nothing_above_it(module):
    imported = {name.split(".")[0] for name in imported_modules(module)}
    assert imported & ABOVE_THE_STORE == set()
    assert not any(name.startswith(("releasebot.cli", "releasebot.dev", "releasebot.sim"))
                   for name in imported_modules(module))
