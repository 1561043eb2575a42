"""The import rules of ../STYLE, read from the source: a pure core under thin edges.

Every module's imports are parsed (not run), so a rule broken anywhere, even in a branch no
test reaches, fails here.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import costshare

PACKAGE = Path(costshare.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
HEAVY = {"pandas", "numpy", "openpyxl", "httpx"}
# _typeshed is the standard library's own typing namespace, imported only under TYPE_CHECKING.
STDLIB = sys.stdlib_module_names | {"_typeshed"}
# numpy may be used by the core only in its fast path, which apportion imports inside a function.
CORE_EXTRAS = {"core/apportion_fast.py": {"numpy"}}


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int
    top_level: bool  # at module level (runs on import), not inside a function


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, name: str, is_package: bool = False) -> list[Import]:
    """Every import in `source`, relative ones resolved against the module `name`."""
    found: list[Import] = []
    package = name if is_package else name.rpartition(".")[0]

    def visit(node: ast.AST, top_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = top_level and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(alias.name, child.lineno, top_level) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                    if child.module is None:  # from . import x: each name may be a module
                        found.extend(Import(f"{target}.{alias.name}", child.lineno, top_level) for alias in child.names)
                        continue
                else:
                    target = child.module or ""
                found.append(Import(target, child.lineno, top_level))
            visit(child, inner)

    visit(ast.parse(source), True)
    return found


def is_type_checking_only(source: str, line: int) -> bool:
    """Imports under `if TYPE_CHECKING:` never run."""
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
            and node.body[0].lineno <= line <= (node.body[-1].end_lineno or line)
        ):
            return True
    return False


def core_violations(source: str, relative: str) -> list[str]:
    """What a core module imports that the core may not: anything outside the standard library and core."""
    name = "costshare." + relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    allowed = CORE_EXTRAS.get(relative, set())
    problems = []
    for item in imports_of(source, name, relative.endswith("__init__.py")):
        root = item.module.split(".")[0]
        if item.module.startswith("costshare."):
            if not item.module.startswith("costshare.core"):
                problems.append(f"{relative}:{item.line}: imports {item.module}, outside the core")
        elif root not in STDLIB and root not in allowed:
            problems.append(f"{relative}:{item.line}: imports {item.module}, not the standard library")
    return problems


def test_the_core_imports_only_the_standard_library_and_itself():
    core = [path for path in MODULES if path.parent.name == "core"]
    assert {path.name for path in core} >= {"apportion.py", "apportion_fast.py", "allocate.py", "money.py", "periods.py", "errors.py"}
    problems = [line for path in core for line in core_violations(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "relative", "expected"),
    [
        ("import pandas\n", "core/money.py", "core/money.py:1: imports pandas, not the standard library"),
        ("import yaml\n", "core/allocate.py", "core/allocate.py:1: imports yaml, not the standard library"),
        ("def f():\n    from typer import Exit\n", "core/periods.py", "core/periods.py:2: imports typer, not the standard library"),
        ("from rich.table import Table\n", "core/money.py", "core/money.py:1: imports rich.table, not the standard library"),
        ("from ..render import format_amount\n", "core/allocate.py", "core/allocate.py:1: imports costshare.render, outside the core"),
        ("from .. import labels\n", "core/allocate.py", "core/allocate.py:1: imports costshare.labels, outside the core"),
        ("import costshare.config\n", "core/money.py", "core/money.py:1: imports costshare.config, outside the core"),
        ("import numpy\n", "core/apportion.py", "core/apportion.py:1: imports numpy, not the standard library"),
    ],
)
def test_the_core_rule_catches_each_kind_of_breach(source, relative, expected):
    assert core_violations(source, relative) == [expected]


def test_the_core_rule_allows_what_the_core_may_use():
    assert core_violations("from .money import major\nfrom fractions import Fraction\n", "core/allocate.py") == []
    assert core_violations("import numpy as np\nfrom .apportion import largest_remainder\n", "core/apportion_fast.py") == []


def test_the_fast_path_is_imported_lazily():
    source = (PACKAGE / "core" / "apportion.py").read_text(encoding="utf-8")
    fast = [item for item in imports_of(source, "costshare.core.apportion") if item.module == "costshare.core.apportion_fast"]
    assert fast and not any(item.top_level for item in fast)


def test_nothing_imports_the_cli():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{item.line}"
        for path in MODULES
        if path.name not in ("cli.py", "launch.py", "__main__.py")  # the entry point starts the CLI
        for item in imports_of(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
        if item.module == "costshare.cli"
    ]
    assert offenders == []


def test_heavy_libraries_are_imported_inside_the_functions_that_need_them():
    """So --help, --version and table stay quick (STYLE rule 9)."""
    offenders = []
    for path in MODULES:
        relative = str(path.relative_to(PACKAGE))
        source = path.read_text(encoding="utf-8")
        for item in imports_of(source, module_name(path), path.name == "__init__.py"):
            root = item.module.split(".")[0]
            if root in HEAVY - CORE_EXTRAS.get(relative, set()) and item.top_level and not is_type_checking_only(source, item.line):
                offenders.append(f"{relative}:{item.line}: {item.module}")
    assert offenders == []


# --- the layers: cli → outputs → pipeline → io → words → core, imports pointing down only --------------

# The floor of each module (by its dotted name under costshare; the longest prefix decides).
LAYERS = {
    "core": 0,
    "limits": 1,
    "version": 1,
    "words": 1,
    "io": 2,
    "app": 3,
    "outputs": 4,
    "cli": 5,
    "launch": 6,
    "__main__": 6,
    "": 6,  # costshare/__init__.py: the Python API over the pipeline
}


def floor_of(module: str) -> int:
    rest = module.removeprefix("costshare").lstrip(".")
    first = rest.split(".")[0]
    return LAYERS[first]


def runtime_graph() -> dict[str, set[str]]:
    """Module → the costshare modules it imports when it runs (TYPE_CHECKING imports left out)."""
    graph: dict[str, set[str]] = {}
    names = {module_name(path) for path in MODULES}
    for path in MODULES:
        source = path.read_text(encoding="utf-8")
        name = module_name(path)
        targets = set()
        for item in imports_of(source, name, path.name == "__init__.py"):
            if not item.module.startswith("costshare") or is_type_checking_only(source, item.line):
                continue
            target = item.module
            while target not in names and "." in target:  # from .words import label → costshare.words
                target = target.rpartition(".")[0]
            targets.add(target)
        targets.discard(name)
        graph[name] = targets
    return graph


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports that point up a floor, and any writer (outputs) that imports a reader (io)."""
    problems = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if floor_of(target) > floor_of(module):
                problems.append(f"{module} imports {target}, a floor above it")
            if module.startswith("costshare.outputs") and target.startswith("costshare.io"):
                problems.append(f"{module} imports {target}: a writer reads only the view")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle (as the modules on it), found by depth-first search."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_imports_point_down_and_no_writer_reads_a_file():
    assert layer_violations(runtime_graph()) == []


def test_no_import_circle_even_under_type_checking():
    graph: dict[str, set[str]] = {}
    names = {module_name(path) for path in MODULES}
    for path in MODULES:
        name = module_name(path)
        targets = set()
        for item in imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py"):
            target = item.module
            while target not in names and "." in target:
                target = target.rpartition(".")[0]
            if target in names and target != name and not name.startswith(target + ".") and target != "costshare":
                targets.add(target)
        graph[name] = targets
    assert cycles(graph) == []


def test_the_layer_rules_catch_each_kind_of_breach():
    assert layer_violations({"costshare.outputs.table": {"costshare.io.config"}}) == [
        "costshare.outputs.table imports costshare.io.config: a writer reads only the view"
    ]
    assert layer_violations({"costshare.io.config": {"costshare.outputs.table"}}) == [
        "costshare.io.config imports costshare.outputs.table, a floor above it"
    ]
    assert layer_violations({"costshare.core.money": {"costshare.words"}}) == [
        "costshare.core.money imports costshare.words, a floor above it"
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_module_holds_two_things():
    """STYLE: no module over about 400 lines."""
    assert [
        f"{path.relative_to(PACKAGE)}: {n}" for path in MODULES if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ] == []
