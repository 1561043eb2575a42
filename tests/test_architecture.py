"""The import rules of ../STYLE, read from the source: a pure core under thin edges.

Every module's imports are parsed (not run), so a rule broken anywhere, even in a branch no
test reaches, fails here.
"""

from __future__ import annotations

import ast
import re
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


def imported_from(node: ast.ImportFrom, package: str) -> str:
    """The absolute name of the module a `from … import` reads from, a relative one resolved against `package`."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


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
                target = imported_from(child, package)
                if child.level and child.module is None:  # from . import x: each name may be a module
                    found.extend(Import(f"{target}.{alias.name}", child.lineno, top_level) for alias in child.names)
                    continue
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


ENTRY_POINT = ("launch.py", "__main__.py")  # the command's entry point, which starts the CLI


def cli_imports(source: str, relative: str) -> list[str]:
    """Where a module outside cli/ and the entry point imports the CLI: costshare.cli or a module in it, by any
    spelling (relative, absolute, `from costshare import cli`), at module level or inside a function."""
    if relative.startswith("cli/") or relative in ENTRY_POINT:
        return []
    parts = ["costshare", *Path(relative).with_suffix("").parts]
    package = ".".join(parts[:-1])  # what a relative import starts from, for a package's __init__.py as for a module
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = imported_from(node, package)
            modules = [target, *(f"{target}.{alias.name}" for alias in node.names)]  # a name imported may be a module
        else:
            continue
        if any(module == "costshare.cli" or module.startswith("costshare.cli.") for module in modules):
            found.append(f"{relative}:{node.lineno}: imports the CLI")
    return found


def test_nothing_imports_the_cli():
    assert (PACKAGE / "cli" / "__init__.py").exists() and all((PACKAGE / name).exists() for name in ENTRY_POINT)
    offenders = [line for path in MODULES for line in cli_imports(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))]
    assert offenders == []


@pytest.mark.parametrize(
    ("source", "relative"),
    [
        ("from ..cli.base import spoken\n", "formats/csv.py"),
        ("from ..cli import build_app\n", "app/pipeline.py"),
        ("import costshare.cli.commands\n", "run.py"),
        ("from costshare import cli\n", "words/__init__.py"),
        ("from . import cli\n", "__init__.py"),
        ("def main():\n    from .cli import build_app\n", "version.py"),
    ],
)
def test_the_cli_rule_catches_each_spelling_of_an_import_of_the_cli(source, relative):
    line = source.count("\n")
    assert cli_imports(source, relative) == [f"{relative}:{line}: imports the CLI"]


def test_the_cli_rule_lets_the_cli_and_the_entry_point_import_it_and_others_import_names_like_it():
    assert cli_imports("from .cli import build_app\n", "launch.py") == []
    assert cli_imports("from .launch import main\n", "__main__.py") == []
    assert cli_imports("from .base import spoken\nfrom ..cli.streams import out\n", "cli/commands.py") == []
    assert cli_imports("from .clipboard import copy\nimport costshare.client\n", "io/atomic.py") == []


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


# --- the layers: cli → formats → documents → app → io → words → core, imports pointing down only ------

ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


@dataclass(frozen=True)
class Package:
    """A row of docs/architecture.md's table: a package's floor and the packages it may import."""

    floor: int
    may_import: frozenset[str]


def documented_packages(text: str) -> dict[str, Package]:
    """{package: its row} from the table in docs/architecture.md; `costshare` (the API in __init__.py) is ''."""
    rows: dict[str, Package] = {}
    for name, floor, allowed in re.findall(r"^\| `([a-z_]+)/?` \| (\d+) \| .*? \| ([^|]*) \|$", text, flags=re.MULTILINE):
        rows["" if name == "costshare" else name] = Package(int(floor), frozenset(re.findall(r"`([a-z_]+)`", allowed)))
    return rows


# The floor of each package (by its dotted name under costshare), as docs/architecture.md draws them.
PACKAGES = documented_packages(ARCHITECTURE.read_text(encoding="utf-8"))
LAYERS = {name: package.floor for name, package in PACKAGES.items()}


def package_of(module: str) -> str:
    return module.removeprefix("costshare").lstrip(".").split(".")[0]


def undocumented_imports(graph: dict[str, set[str]], packages: dict[str, Package]) -> list[str]:
    """Imports from one package into another that its row in the table does not name."""
    return [
        f"{module} imports {target}, which {package_of(module) or 'costshare'} may not import"
        for module, targets in sorted(graph.items())
        for target in sorted(targets)
        if package_of(target) != package_of(module) and package_of(target) not in packages[package_of(module)].may_import
    ]


def test_the_architecture_page_lists_every_package_and_nothing_else():
    existing = {package_of(module_name(path)) for path in MODULES}
    assert set(PACKAGES) == existing


def test_every_import_is_one_the_architecture_page_allows():
    assert undocumented_imports(runtime_graph(), PACKAGES) == []


def test_the_page_rule_catches_an_import_it_does_not_name():
    packages = documented_packages(
        "| `core/` | 0 | x | the standard library only |\n| `io/` | 2 | x | `core`, `limits` |\n| `words/` | 1 | x | `core` |\n"
    )
    assert packages["core"] == Package(0, frozenset())
    graph = {"costshare.io.config": {"costshare.core.errors", "costshare.words.problems"}, "costshare.core.money": set()}
    assert undocumented_imports(graph, packages) == ["costshare.io.config imports costshare.words.problems, which io may not import"]


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
    """Imports that point up a floor, and any writer (formats, documents) that imports a reader (io)."""
    problems = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if floor_of(target) > floor_of(module):
                problems.append(f"{module} imports {target}, a floor above it")
            if module.startswith(("costshare.formats", "costshare.documents")) and target.startswith("costshare.io"):
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
    assert layer_violations({"costshare.documents.table": {"costshare.io.config"}}) == [
        "costshare.documents.table imports costshare.io.config: a writer reads only the view"
    ]
    assert layer_violations({"costshare.formats.xlsx": {"costshare.io.atomic"}}) == [
        "costshare.formats.xlsx imports costshare.io.atomic: a writer reads only the view"
    ]
    assert layer_violations({"costshare.io.config": {"costshare.documents.table"}}) == [
        "costshare.io.config imports costshare.documents.table, a floor above it"
    ]
    assert layer_violations({"costshare.documents.settlement": {"costshare.formats.json"}}) == [
        "costshare.documents.settlement imports costshare.formats.json, a floor above it"
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


# --- what no module does: words in a reader, hidden state, the command line read deep down, another's private names ---


def name_of(relative: str) -> str:
    """`io/config.py` → `costshare.io.config`."""
    return "costshare." + relative.removesuffix(".py").replace("/", ".").removesuffix(".__init__")


def words_in_io(source: str, relative: str) -> list[str]:
    """Imports of words/ by a module under io/: a reader never words a message (STYLE), it raises typed problems."""
    if not relative.startswith("io/"):
        return []
    return [
        f"{relative}:{item.line}: imports {item.module}"
        for item in imports_of(source, name_of(relative), relative.endswith("__init__.py"))
        if item.module == "costshare.words" or item.module.startswith("costshare.words.")
    ]


def context_vars(source: str, relative: str) -> list[str]:
    """Uses of contextvars: a run's language and date are passed down as one Run value, never held aside."""
    found = []
    for node in ast.walk(ast.parse(source)):
        imported = (isinstance(node, ast.Import) and any(alias.name == "contextvars" for alias in node.names)) or (
            isinstance(node, ast.ImportFrom) and node.module == "contextvars"
        )
        named = (isinstance(node, ast.Name) and node.id == "ContextVar") or (isinstance(node, ast.Attribute) and node.attr == "ContextVar")
        if imported or named:
            found.append(f"{relative}:{getattr(node, 'lineno', 0)}: {'imports contextvars' if imported else 'ContextVar'}")
    return found


ENTRY_POINTS = ("launch.py", "__main__.py")  # where a run begins: the only modules that read the command line


def argv_reads(source: str, relative: str) -> list[str]:
    """Reads of sys.argv outside the entry point: the command line reaches everything else through the Run and typer."""
    if relative in ENTRY_POINTS:
        return []
    tree = ast.parse(source)
    sys_names = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
                 if alias.name == "sys"}  # fmt: skip
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "argv" and isinstance(node.value, ast.Name) and node.value.id in sys_names:
            found.append(f"{relative}:{node.lineno}: sys.argv")
        elif isinstance(node, ast.ImportFrom) and node.module == "sys" and any(alias.name == "argv" for alias in node.names):
            found.append(f"{relative}:{node.lineno}: from sys import argv")
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def dotted(node: ast.expr) -> str | None:
    """`a.b.c` as text; None for anything but names and attributes."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else None
    return None


def private_names(source: str, relative: str, modules: set[str]) -> list[str]:
    """Another costshare module's private (underscore) names this module uses: `from .x import _y`, or `x._y` where `x`
    is a costshare module it imported (`modules`: the names of costshare's modules)."""
    name = name_of(relative)
    package = name if relative.endswith("__init__.py") else name.rpartition(".")[0]
    tree = ast.parse(source)
    found = []
    bound: dict[str, str] = {}  # a local name → the costshare module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (target := imported_from(node, package)).startswith("costshare"):
            for alias in node.names:
                if is_private(alias.name):
                    found.append(f"{name} imports {target}.{alias.name}")
                elif f"{target}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("costshare"):
                    bound[alias.asname or "costshare"] = alias.name if alias.asname else "costshare"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and (chain := dotted(node.value)):
            first, _, rest = chain.partition(".")
            if first in bound:
                module = ".".join(part for part in (bound[first], rest) if part)
                found.append(f"{name} uses {module}.{node.attr}")
    return found


def every(rule) -> list[str]:
    return [line for path in MODULES for line in rule(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))]


def test_no_reader_words_a_message():
    assert every(words_in_io) == []


def test_no_module_holds_a_context_variable():
    assert every(context_vars) == []


def test_only_the_entry_point_reads_the_command_line():
    assert every(argv_reads) == []
    assert argv_reads((PACKAGE / "launch.py").read_text(encoding="utf-8"), "launch.py") == []  # and it may


def test_no_module_uses_another_modules_private_names():
    modules = {module_name(path) for path in MODULES}
    assert every(lambda source, relative: private_names(source, relative, modules)) == []


@pytest.mark.parametrize(
    ("source", "relative", "expected"),
    [
        ("from ..words import label\n", "io/config.py", ["io/config.py:1: imports costshare.words"]),
        (
            "def f():\n    from ..words.problems import problem_line\n",
            "io/population.py",
            ["io/population.py:2: imports costshare.words.problems"],
        ),
        ("from .. import words\n", "io/schema.py", ["io/schema.py:1: imports costshare.words"]),
        ("import costshare.words.display\n", "io/values.py", ["io/values.py:1: imports costshare.words.display"]),
        ("from ..words import label\n", "documents/table.py", []),
        ("from ..core.errors import problem\n", "io/config.py", []),
    ],
)
def test_the_reader_rule_catches_a_reader_that_words(source, relative, expected):
    assert words_in_io(source, relative) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from contextvars import ContextVar\nX = ContextVar('x')\n", ["x.py:1: imports contextvars", "x.py:2: ContextVar"]),
        ("import contextvars\nSPOKEN = contextvars.ContextVar('lang')\n", ["x.py:1: imports contextvars", "x.py:2: ContextVar"]),
        ("LANG = None  # a ContextVar in words only\n", []),
    ],
)
def test_the_context_variable_rule_catches_one(source, expected):
    assert sorted(context_vars(source, "x.py")) == sorted(expected)


@pytest.mark.parametrize(
    ("source", "relative", "expected"),
    [
        ("import sys\nARGS = sys.argv[1:]\n", "cli/base.py", ["cli/base.py:2: sys.argv"]),
        ("import sys as system\n\ndef f():\n    return system.argv\n", "words/__init__.py", ["words/__init__.py:4: sys.argv"]),
        ("from sys import argv\n", "run.py", ["run.py:1: from sys import argv"]),
        ("import sys\nARGS = sys.argv[1:]\n", "launch.py", []),
        ("import sys\nsys.stdout.flush()\n", "cli/streams.py", []),
    ],
)
def test_the_command_line_rule_catches_a_read_below_the_entry_point(source, relative, expected):
    assert argv_reads(source, relative) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ..formats.json import _json\n", ["costshare.documents.settlement imports costshare.formats.json._json"]),
        (
            "def f():\n    from ..io.atomic import _link_exclusively\n",
            ["costshare.documents.settlement imports costshare.io.atomic._link_exclusively"],
        ),
        (
            "from ..formats import xlsx\n\ndef f(sheet):\n    xlsx._write_table(sheet)\n",
            ["costshare.documents.settlement uses costshare.formats.xlsx._write_table"],
        ),
        (
            "import costshare.io.atomic as atomic\natomic._link_exclusively = None\n",
            ["costshare.documents.settlement uses costshare.io.atomic._link_exclusively"],
        ),
        (
            "import costshare.io.atomic\ncostshare.io.atomic._link_exclusively()\n",
            ["costshare.documents.settlement uses costshare.io.atomic._link_exclusively"],
        ),
        ("from ..formats.json import json_bytes\nfrom ..version import __version__\n", []),
        ("from typer import _click\nclass A:\n    def f(self):\n        return self._x\n", []),
        ("from .. import words\nwords.__name__\n", []),
    ],
)
def test_the_private_name_rule_catches_each_kind_of_use(source, expected):
    modules = {module_name(path) for path in MODULES}
    assert private_names(source, "documents/settlement.py", modules) == expected


# --- the formats a command accepts come from the registry, never from a list of its own ---------------------


def format_lists(source: str, relative: str) -> list[str]:
    """Literal lists, tuples or sets of two or more format names in `source`: a command's own list of formats."""
    from costshare.formats.registry import KNOWN

    return [
        f"{relative}:{node.lineno}: lists formats of its own"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Tuple | ast.List | ast.Set)
        and len(node.elts) >= 2
        and all(isinstance(item, ast.Constant) and item.value in KNOWN for item in node.elts)
    ]


def test_the_cli_takes_its_format_choices_from_the_registry():
    """The formats each command accepts and names in its help are the registry's (tests/test_cli.py checks the
    commands as built); here: no command lists formats of its own."""
    offenders = [
        line
        for path in MODULES
        if path.parent.name == "cli"
        for line in format_lists(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
    ]
    assert offenders == []


def test_the_format_list_rule_catches_a_list_of_formats():
    assert format_lists('CHOICES = ("csv", "json", "xlsx")\n', "cli/x.py") == ["cli/x.py:1: lists formats of its own"]
    assert format_lists('default = "csv" if out == "-" else None\nnames = ("csv", "Sorø")\n', "cli/x.py") == []
