"""The pure core performs no I/O of its own: no Flask, Redis, RQ or HTTP inside it, and nothing above it.

The core is the whole `releasebot` package; every layer above it (infra, worker, web, store, cli, sim) is a
package of its own. A new module in the core is guarded the moment it exists: the test walks the package, it
keeps no list of files and exempts none.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "releasebot"
FORBIDDEN = {"flask", "werkzeug", "redis", "rq", "requests", "urllib3", "socket", "http", "subprocess",
             "fakeredis", "sqlalchemy", "alembic", "psycopg"}
LAYERS_ABOVE = {"infra", "worker", "web", "store", "cli", "sim"}
# The record is a shared layer under web, worker and the CLI: it may use the core, never what sits above it.
ABOVE_THE_STORE = {"web", "worker", "cli", "sim", "flask", "werkzeug", "rq", "requests"}


def core_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


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
    roots = {name.split(".")[0] for name in imported_modules(module)}
    assert roots & FORBIDDEN == set()
    assert roots & LAYERS_ABOVE == set(), "the core must not reach up into a layer above it"


def test_the_layers_above_the_core_are_packages_of_their_own():
    assert all((ROOT / layer / "__init__.py").is_file() for layer in LAYERS_ABOVE - {"store"})
    assert not any((PACKAGE / layer).exists() for layer in LAYERS_ABOVE)


def test_web_process_holds_no_rule_logic():
    web_imports = set().union(*(imported_modules(p) for p in (ROOT / "web").glob("*.py")))
    assert not any(name.split(".")[0] == "re2" or name.startswith(("releasebot.rules", "releasebot.extract"))
                   for name in web_imports)


# What web may take from worker: the job it queues (the record is the store/ package).
WEB_FROM_WORKER = {"worker.jobs": {"process_task"}}


def imports_with_names(path: Path) -> list[tuple[str, set[str]]]:
    """Every import of a module (function-level and TYPE_CHECKING ones too), with the names taken from it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, set()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, {alias.name for alias in node.names}))
    return found


@pytest.mark.parametrize("module", sorted((ROOT / "web").rglob("*.py")), ids=lambda path: path.name)
def test_web_takes_from_worker_only_the_job_entry_points(module):
    for name, names in imports_with_names(module):
        if name.split(".")[0] != "worker":
            continue
        assert name in WEB_FROM_WORKER, f"web reaches into {name}: shared code belongs in infra/"
        allowed = WEB_FROM_WORKER[name]
        assert allowed is None or names <= allowed, f"web takes {names - allowed} from {name}"


@pytest.mark.parametrize("module", sorted((ROOT / "store").rglob("*.py")),
                         ids=lambda path: path.relative_to(ROOT).as_posix())
def test_the_store_uses_nothing_above_it(module):
    imported = {name.split(".")[0] for name in imported_modules(module)}
    assert imported & ABOVE_THE_STORE == set()
