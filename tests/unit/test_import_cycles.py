"""No import cycle among the project's modules: one module imports another, never back round a circle.

Every top-level package of the repository (a folder at its root holding __init__.py) is walked, so a package
added or moved is covered the moment it exists. Every import counts, wherever it is written: at the top,
inside a function, or under `if TYPE_CHECKING:` (a circle hidden there is still a circle in the design).
An import is an edge to the project module it names: `from a.b import c` to a.b.c when that is a module,
else to a.b (its __init__.py). That a submodule's import also runs its parents' __init__.py is Python's
machinery, not a dependency of the importing module, so it is not an edge.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def top_level_packages(root: Path = ROOT) -> list[Path]:
    """The folders at the root of the repository that are Python packages."""
    return sorted(path for path in root.iterdir()
                  if path.is_dir() and not path.name.startswith(".") and (path / "__init__.py").is_file())


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages by dotted name (a package by its own name)."""
    modules = {}
    for package in top_level_packages(root):
        for path in package.rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted name lands in: the longest prefix of it that is one."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _base(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name a `from … import` starts from, relative imports included."""
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[:len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules one module imports, anywhere in its source."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(_resolve(alias.name, modules) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else _resolve(base, modules))
    return found - {None, module}


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    modules = project_modules(root)
    return {module: imports_of(module, path, modules) for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each group of modules that import each other (its strongly connected component),
    as the path a → b → … → a."""
    return [_circle(component, graph) for component in _components(graph) if len(component) > 1]


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (a deep package would exhaust the stack)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter = counter + 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            nxt = next((target for target in edges if target not in index or target in on_stack), None)
            if nxt is not None and nxt not in index:
                index[nxt] = low[nxt] = counter = counter + 1
                stack.append(nxt)
                on_stack.add(nxt)
                work.append((nxt, iter(sorted(graph.get(nxt, ())))))
                continue
            if nxt is not None:
                low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while (member := stack.pop()) != node:
                    component.add(member)
                    on_stack.discard(member)
                on_stack.discard(node)
                found.append(component | {node})
    return found


def _circle(component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """The shortest way from the component's first module back to itself, inside the component."""
    start = min(component)
    paths = {target: [start, target] for target in graph[start] if target in component}
    todo = list(paths)
    while start not in paths:
        node = todo.pop(0)
        for target in sorted(graph[node] & component):
            if target not in paths:
                paths[target] = [*paths[node], target]
                todo.append(target)
    return paths[start]


def test_the_walk_finds_every_top_level_package_and_their_modules():
    graph = import_graph()
    assert {"releasebot", "web", "worker"} <= {path.name for path in top_level_packages()}
    assert {"releasebot.rules.model", "releasebot.rules.reading"} <= set(graph)
    assert "releasebot.rules.model" in graph["releasebot.rules.reading"]


def test_a_circle_hidden_in_a_function_or_behind_type_checking_is_found(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n")
    (package / "b.py").write_text("def f():\n    from . import c\n")
    (package / "c.py").write_text("import pkg.a\n")
    assert cycles(import_graph(tmp_path)) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_no_module_imports_itself_round_a_circle():
    graph = import_graph()
    groups = [group for group in _components(graph) if len(group) > 1]
    found = [f"{' → '.join(_circle(group, graph))} (all in the circle: {', '.join(sorted(group))})"
             for group in groups]
    assert found == [], "import cycles: " + "; ".join(found)
