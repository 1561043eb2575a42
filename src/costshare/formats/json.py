"""JSON files: stable English keys, sorted; amounts written digit for digit from exact decimals, never through float.

Every document comes as plain data (the export's is documents/export.py's); this module only writes it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any


def _json(value: Any, indent: str = "") -> Iterable[str]:
    """JSON text with sorted keys; Decimal written digit for digit, so no amount passes through float."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            yield "{}"
            return
        yield "{\n"
        for index, key in enumerate(sorted(value)):
            yield f"{inner}{json.dumps(key, ensure_ascii=False)}: "
            yield from _json(value[key], inner)
            yield ",\n" if index < len(value) - 1 else "\n"
        yield indent + "}"
    elif isinstance(value, list):
        if not value:
            yield "[]"
            return
        yield "[\n"
        for index, item in enumerate(value):
            yield inner
            yield from _json(item, inner)
            yield ",\n" if index < len(value) - 1 else "\n"
        yield indent + "]"
    elif isinstance(value, Decimal):
        yield format(value, "f")
    elif value is None or isinstance(value, (bool, int, str)):
        yield json.dumps(value, ensure_ascii=False)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_bytes(document: Any) -> bytes:
    """A document's plain data (dicts, lists, Decimals, text, numbers) as UTF-8 JSON with sorted keys."""
    return ("".join(_json(document)) + "\n").encode("utf-8")
