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

from ..core.errors import ConfigError, error, problem
from ..limits import MAX_YAML_DEPTH

_PLAIN_INT = re.compile(r"[-+]?[0-9]{1,30}")  # longer digit strings stay text: the schema refuses them
_PLAIN_DECIMAL = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)")

Path_ = tuple[str | int, ...]


# What PyYAML says of the slips made in a hand-edited config, and the catalog id of what that means to its writer.
_SAID = (
    ("expected <block end>", "err_yaml_indent"),
    ("mapping values are not allowed here", "err_yaml_colon"),
    ("could not find expected ':'", "err_yaml_no_colon"),
    ("while scanning a quoted scalar", "err_yaml_quote"),
)


class _Refused(yaml.YAMLError):
    """YAML that parses but that costshare will not compose: an alias, a merge key, or nesting too deep."""

    def __init__(self, key: str, line: int | None, **values: Any) -> None:
        super().__init__(key)
        self.key, self.line, self.values = key, line, values


class ExactLoader(yaml.SafeLoader):
    """SafeLoader that never produces a float or a date, and composes no alias, no merge key and no deep nesting.

    The return types differ from SafeLoader's on purpose, hence the override ignores."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("err_yaml_alias", _line(event.start_mark))
        if self.depth >= MAX_YAML_DEPTH:
            raise _Refused("err_yaml_depth", _line(event.start_mark), depth=MAX_YAML_DEPTH)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        # A merge key (<<) would let a key be given twice with one value silently winning: refused.
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused("err_yaml_merge", _line(key_node.start_mark))
        super().flatten_mapping(node)

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
                raise error(ConfigError, "err_key_not_word", file, str(_line(key_node.start_mark)), where=dotted(path) or "top level")
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
        raise error(ConfigError, "err_yaml_control", file, str(line), codepoint=f"{exc.character:04X}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise error(ConfigError, "err_config_empty", file, None, "hint_config_start")
        lines: dict[Path_, int] = {}
        duplicates: list[tuple[Path_, int]] = []
        _index_lines(node, (), lines, duplicates, file)
        if duplicates:
            raise ConfigError(problems=[problem("err_duplicate_key", file, str(line), subject=dotted(path)) for path, line in duplicates])
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        tag = re.search(r"tag '([^']*)'", str(exc.problem))
        location = str(_line(exc.problem_mark))
        if tag:
            raise error(ConfigError, "err_yaml_tag", file, location, "hint_yaml_safe", tag=repr(tag.group(1))) from None
        raise error(ConfigError, "err_yaml", file, location, "hint_yaml_safe", detail=str(exc.problem)) from None
    except _Refused as exc:
        raise error(ConfigError, exc.key, file, str(exc.line) if exc.line else None, **exc.values) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        where = str(_line(mark)) if mark else None
        if "'\\t'" in message or "\t" in message:  # the scanner's words for a tab are no help to a user
            raise error(ConfigError, "err_yaml_tab", file, where, "hint_yaml_spaces") from None
        said = next((said for words, said in _SAID if words in message), None)
        if said is not None:  # the parser's common complaints, said in the user's words and language
            if said == "err_yaml_quote" and exc.context_mark is not None:  # where the quote opens, not where the file ends
                where = str(_line(exc.context_mark))
            raise error(ConfigError, said, file, where, f"hint{said.removeprefix('err')}") from None
        raise error(ConfigError, "err_yaml", file, where, detail=message) from None
    except yaml.YAMLError as exc:
        raise error(ConfigError, "err_yaml", file, detail=str(exc)) from None
    finally:
        loader.dispose()
    return YamlDocument(data, lines)
