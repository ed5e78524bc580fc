"""The project's shape, checked from its source (issue 16): `config/` only wires, no app imports it,
no import cycle among the project's modules, and no app holds half of the app code.

The import graph is read with `ast`, nothing is imported: every `.py` file of every top-level
package (the apps and `config`; migrations included, `tests` not) is a module. An import counts
wherever it is written — module level or inside a function (a cycle hidden in a function-local
import is still a cycle) — except under `if TYPE_CHECKING:`, which never runs. `from x import y`
names the module `x.y` when there is one, else `x`; imports outside the project are ignored.
"""

import ast
from collections import deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "config"
CONFIG_FILES = {"__init__.py", "settings.py", "urls.py", "wsgi.py", "asgi.py", "gunicorn.conf.py"}
# Benchmark tooling, not app code: left out of the size comparison, and free to import `config`
# (it runs the whole site: bench.urls serves the site's URLconf next to its hello-world view, so it
# stands above config rather than under it). Its imports are still checked for cycles.
TOOLING_APPS = {"bench"}


def project_packages() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name != "tests" and not path.parent.name.startswith(".")
    )


def apps() -> list[str]:
    return [package for package in project_packages() if package != CONFIG]


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of the project's packages."""
    modules = {}
    for package in project_packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def is_type_checking_guard(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_nodes(tree: ast.AST):
    """Every import statement, at any depth, except those only run while type checking."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and is_type_checking_guard(node):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules that module `name` imports."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in import_nodes(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                # Relative: `.` is this module's package (the package itself for an __init__).
                base = name.split(".")[: len(name.split(".")) - node.level + is_package]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module
            submodules = [f"{source}.{alias.name}" for alias in node.names]
            targets = [module if module in known else source for module in submodules]
        for target in targets:
            # `import a.b.c` of an unknown tail still names the deepest known module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {name: imported_modules(name, path, known) for name, path in files.items()}


def strongly_connected_components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; components of more than one module are the cycles."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.remove(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return components


def shortest_cycle_through(start: str, graph: dict[str, set[str]], members: set[str]) -> list[str]:
    """A shortest import path from `start` back to itself, staying inside its component."""
    came_from = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node] & members):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    return []


def describe_cycles(graph: dict[str, set[str]]) -> list[str]:
    descriptions = []
    for component in strongly_connected_components(graph):
        if len(component) > 1:
            path = shortest_cycle_through(component[0], graph, set(component))
            descriptions.append(f"{' → '.join(path)}  (cycle among: {', '.join(component)})")
    return descriptions


def non_blank_lines(path: Path) -> int:
    return sum(1 for line in path.read_text().splitlines() if line.strip())


def test_config_holds_only_the_wiring():
    extra = sorted(
        entry.name
        for entry in (ROOT / CONFIG).iterdir()
        if entry.name not in CONFIG_FILES and entry.name != "__pycache__"
    )
    assert not extra, (
        f"config/ only wires settings, URLs, WSGI/ASGI and gunicorn; also found: {extra}"
    )


def test_no_app_imports_config():
    offenders = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.partition(".")[0] not in {CONFIG, *TOOLING_APPS}
        for target in targets
        if target.partition(".")[0] == CONFIG
    )
    assert not offenders, "apps never import config:\n" + "\n".join(offenders)


def test_no_import_cycle_among_project_modules():
    cycles = describe_cycles(import_graph())
    assert not cycles, "import cycles (function-local imports count):\n" + "\n".join(cycles)


def test_the_largest_app_holds_under_half_of_the_app_code():
    lines = {
        app: sum(
            non_blank_lines(path)
            for path in (ROOT / app).rglob("*.py")
            if "migrations" not in path.relative_to(ROOT).parts
        )
        for app in apps()
        if app not in TOOLING_APPS
    }
    largest = max(lines, key=lines.get)
    total = sum(lines.values())
    assert lines[largest] * 2 < total, (
        f"{largest} holds {lines[largest]} of {total} non-blank lines of app code: {lines}"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import config.settings", {"config.settings"}),
        ("from donations import tasks", {"donations.tasks"}),
        ("from donations.tasks import thank", {"donations.tasks"}),
        ("from donations import Thing", {"donations"}),
        ("def f():\n    from donations.tasks import thank", {"donations.tasks"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import donations.tasks", set()),
        ("if TYPE_CHECKING:\n    pass\nelse:\n    import donations.tasks", {"donations.tasks"}),
        ("from . import tasks", {"donations.tasks"}),
        ("from .models import Donation", {"donations.models"}),
        ("import json\nfrom django.db import models", set()),
    ],
)
def test_the_graph_reads_imports_as_python_runs_them(tmp_path, source, expected):
    module = tmp_path / "services.py"
    module.write_text(source)
    known = {"config", "config.settings", "donations", "donations.tasks", "donations.models"}
    assert imported_modules("donations.services", module, known) == expected


def test_a_cycle_is_reported_with_its_path():
    graph = {"a.x": {"a.y"}, "a.y": {"b.z"}, "b.z": {"a.x"}, "c": {"a.x"}}
    assert describe_cycles(graph) == ["a.x → a.y → b.z → a.x  (cycle among: a.x, a.y, b.z)"]
