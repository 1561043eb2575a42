"""Safe, bounded YAML with exact numbers and a line for every key.

Only plain decimal numbers are numbers: `730000` is an int (base 10, so a code like `085` is
85, not octal) and `730.000` a `Decimal` built from its text, so its three decimals stay
visible and can be refused. Every other YAML 1.1 form (hex, octal, binary, sexagesimal
`12:10`, underscores, exponents, `.inf`, yes/no/on/off) stays text, for the schema to refuse
where it expects a number. Dates stay text too, for the schema to parse. Aliases are refused
and nesting is bounded, so a small file cannot grow into gigabytes or recurse without end.
Every key and list item is mapped to its line for error messages.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import yaml

from .core.errors import ConfigError, Problem
from .limits import MAX_YAML_DEPTH

_PLAIN_INT = re.compile(r"[-+]?[0-9]{1,30}")  # longer digit strings stay text: the schema refuses them
_PLAIN_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)")

Path_ = tuple[str | int, ...]


class _Refused(yaml.YAMLError):
    """YAML that parses but that costshare will not compose: an alias, or nesting too deep."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class ExactLoader(yaml.SafeLoader):
    """SafeLoader that never produces a float or a date, and composes no alias and no deep nesting.

    The return types differ from SafeLoader's on purpose, hence the override ignores."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("aliases (*name) are not allowed; write the value out", _line(event.start_mark))
        if self.depth >= MAX_YAML_DEPTH:
            raise _Refused(f"lists and mappings nested more than {MAX_YAML_DEPTH} deep", _line(event.start_mark))
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Decimal | str:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        return Decimal(text) if _PLAIN_DECIMAL.fullmatch(text) else text

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        return int(text, 10) if _PLAIN_INT.fullmatch(text) else text

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool | str:  # type: ignore[override]
        # YAML 1.2's booleans only: `no` (or `on`) is a word, not False.
        text = str(self.construct_scalar(node))
        return {"true": True, "false": False}.get(text.lower(), text)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        # Dates stay text for the schema to parse, so 2023-02-30 is a field error, not a crash.
        return str(self.construct_scalar(node))


ExactLoader.add_constructor("tag:yaml.org,2002:float", ExactLoader.construct_yaml_float)
ExactLoader.add_constructor("tag:yaml.org,2002:timestamp", ExactLoader.construct_yaml_timestamp)
ExactLoader.add_constructor("tag:yaml.org,2002:int", ExactLoader.construct_yaml_int)
ExactLoader.add_constructor("tag:yaml.org,2002:bool", ExactLoader.construct_yaml_bool)


def _line(mark: Any) -> int | None:
    return mark.line + 1 if mark is not None else None


def _index_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int], duplicates: list[tuple[Path_, int]], file: str) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(
                    f"{dotted(path) or 'top level'}: keys must be plain words", file=file, location=str(_line(key_node.start_mark))
                )
            key = key_node.value
            child = path + (key,)
            if key in seen:
                duplicates.append((child, key_node.start_mark.line + 1))
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines, duplicates, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _index_lines(item, path + (index,), lines, duplicates, file)


def dotted(path: Path_) -> str:
    """('costs', 0, 'yearly') → 'costs[0].yearly'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class YamlDocument:
    """A parsed YAML document and the line of each of its keys."""

    def __init__(self, data: Any, lines: dict[Path_, int]) -> None:
        self.data = data
        self.lines = lines

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest parent that has one. A number may be a mapping key
        (`340:` under billing.members), which is indexed as written, so it is tried as text too."""
        for end in range(len(path), 0, -1):
            for candidate in (path[:end], tuple(str(part) for part in path[:end])):
                if candidate in self.lines:
                    return self.lines[candidate]
        return None


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document safely; syntax errors, unsafe tags and duplicate keys become ConfigError."""
    try:
        loader = ExactLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ConfigError(f"invalid YAML: control character U+{exc.character:04X} is not allowed", file=file, location=str(line)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ConfigError("the file is empty", file=file, hint="start from the shipped config/alliance.yaml")
        lines: dict[Path_, int] = {}
        duplicates: list[tuple[Path_, int]] = []
        _index_lines(node, (), lines, duplicates, file)
        if duplicates:
            raise ConfigError(
                problems=[Problem(f"{dotted(path)}: key appears more than once", file, str(line)) for path, line in duplicates]
            )
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        what = f"YAML tag {tag.group(1)!r} is not allowed" if tag else str(exc.problem)
        raise ConfigError(
            what,
            file=file,
            location=str(_line(exc.problem_mark)),
            hint="costshare reads YAML safely: plain values, lists and mappings only",
        ) from None
    except _Refused as exc:
        raise ConfigError(f"invalid YAML: {exc}", file=file, location=str(exc.line) if exc.line else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        hint = None
        if "'\\t'" in message or "\t" in message:  # the scanner's words for a tab are no help to a user
            message, hint = "a tab character where YAML allows only spaces", "indent with spaces, e.g. two per level"
        raise ConfigError(f"invalid YAML: {message}", file=file, location=str(_line(mark)) if mark else None, hint=hint) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)
