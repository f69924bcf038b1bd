"""Measure the shape of `app/` against the house limits; exit 1 when any is passed.

Prints `name: value` lines, then one line per offender:
  modules_over_400_lines, functions_over_60_lines, views_over_30_lines, functions_over_mccabe_10,
  package_import_cycles (between the packages and top-level modules of app/, counting every
  import, lazy ones inside functions too: a lazy import hides a cycle, it does not remove it).
`--report` prints the figures and offenders but always exits 0 (for planning a clean-up).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_VIEW_LINES = 30
MAX_COMPLEXITY = 10
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def modules() -> list[Path]:
    return sorted(p for p in APP.rglob("*.py") if "__pycache__" not in p.parts)


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def is_view(node: ast.AST) -> bool:
    """A function decorated with `@<blueprint>.route/get/post/...`."""
    for decorator in getattr(node, "decorator_list", []):
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
            return True
    return False


def function_offenders(path: Path, tree: ast.AST) -> tuple[list[str], list[str]]:
    long_functions, long_views = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        length = node.end_lineno - first + 1
        where = f"{relative(path)}:{node.lineno} {node.name} ({length} lines)"
        if length > MAX_FUNCTION_LINES:
            long_functions.append(where)
        if is_view(node) and node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES:
            long_views.append(where)
    return long_functions, long_views


def unit_of(module: str) -> str | None:
    """`app.signatures.service` -> `signatures`; `app.config` -> `config`; `app` -> None."""
    parts = module.split(".")
    if parts[0] != "app" or len(parts) < 2:
        return None
    return parts[1]


def imported_modules(path: Path, tree: ast.AST) -> set[str]:
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + (path.name == "__init__.py")]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def package_graph(trees: dict[Path, ast.AST]) -> dict[str, set[str]]:
    """Which package (or top-level module) of app/ imports which other one."""
    units = {p.name for p in APP.iterdir() if (p / "__init__.py").exists()}
    units |= {p.stem for p in APP.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for path, tree in trees.items():
        source = unit_of(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if source not in units:
            continue  # app/__init__.py is the composition root: it may import every area
        for module in imported_modules(path, tree):
            target = unit_of(module)
            if target in units and target != source:
                graph.setdefault(source, set()).add(target)
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every package `start` imports, directly or through others."""
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of packages that import each other, directly or through others (the graph is
    small: a reachability set per package is clearer than Tarjan's algorithm)."""
    reach = {node: reachable(graph, node) for node in graph}
    groups: list[list[str]] = []
    for node in sorted(graph):
        group = sorted(other for other in reach if other in reach[node] and node in reach[other])
        if group and group not in groups:
            groups.append(group)
    return groups


def complex_functions() -> list[str]:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "--select", "C901", "--output-format",
         "json", "--config", f"lint.mccabe.max-complexity = {MAX_COMPLEXITY}", str(APP)],
        cwd=ROOT, capture_output=True, text=True,
    )
    return [f"{relative(Path(item['filename']))}:{item['location']['row']} {item['message']}"
            for item in json.loads(result.stdout or "[]")]


def main() -> int:
    trees = {path: ast.parse(path.read_text(), str(path)) for path in modules()}
    long_modules = [f"{relative(p)} ({len(p.read_text().splitlines())} lines)" for p in trees
                    if len(p.read_text().splitlines()) > MAX_MODULE_LINES]
    long_functions, long_views = [], []
    for path, tree in trees.items():
        functions, views = function_offenders(path, tree)
        long_functions += functions
        long_views += views
    complex_ones = complex_functions()
    found_cycles = cycles(package_graph(trees))
    total = sum(len(p.read_text().splitlines()) for p in trees)
    print(f"app_modules: {len(trees)}")
    print(f"app_lines: {total}")
    offences = {
        f"modules_over_{MAX_MODULE_LINES}_lines": long_modules,
        f"functions_over_{MAX_FUNCTION_LINES}_lines": long_functions,
        f"views_over_{MAX_VIEW_LINES}_lines": long_views,
        f"functions_over_mccabe_{MAX_COMPLEXITY}": complex_ones,
        "package_import_cycles": [" <-> ".join(c) for c in found_cycles],
    }
    for name, offenders in offences.items():
        print(f"{name}: {len(offenders)}")
    for name, offenders in offences.items():
        for offender in offenders:
            print(f"  {name}: {offender}")
    failed = any(offences.values())
    return 0 if "--report" in sys.argv or not failed else 1


if __name__ == "__main__":
    sys.exit(main())
