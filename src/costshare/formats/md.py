"""Markdown: a statement with its year table, every text from the data escaped so it shows exactly as typed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..documents.settlement import SettlementSection
    from ..documents.statement import StatementParts


def statement_md(parts: StatementParts) -> bytes:
    """The statement as UTF-8 Markdown; the sender and the recipient come first, as on the PDF's letterhead."""
    text = _markdown(parts)
    return text.encode("utf-8")


def _settlement_lines(section: SettlementSection) -> list[str]:
    """A settled year's settlement as a table of two columns headed by its title, and the line that says how it is made."""
    rows = [f"| {markdown_text(name)} | {markdown_text(amount)} |" for name, amount in section.rows]
    return ["", f"| **{markdown_text(section.title)}** | |", "|:---|---:|", *rows, "", markdown_block(section.note)]


# Characters that start Markdown or HTML syntax (emphasis, code, links, images, tags, entities,
# headings, tables, strikethrough): a backslash makes each one literal (CommonMark escapes any
# ASCII punctuation), so a name like "[pay](https://…)" or "<b>" reads as typed.
_MARKDOWN_SYNTAX = frozenset("\\`*_[]<>|#!~&")


def markdown_text(text: str) -> str:
    """Text from the data, written into Markdown so that it shows exactly as typed."""
    return "".join("\\" + character if character in _MARKDOWN_SYNTAX else character for character in text)


# What turns the start of a line into a block (a list, a rule, a setext heading's underline, an ordered list).
_BLOCK_START = re.compile(r"(?P<mark>[-+=])|(?P<number>\d{1,9})(?P<dot>[.)])")


def markdown_block(text: str) -> str:
    """Text from the data as a line of its own in Markdown: escaped as markdown_text, and its start kept from
    becoming structure (a list, a rule, a code block indented by spaces)."""
    escaped = markdown_text(text)
    stripped = escaped.lstrip(" ")
    indent = "&#32;" * (len(escaped) - len(stripped))  # a space as an entity: no indented code block
    start = _BLOCK_START.match(stripped)
    if start is None:
        return indent + stripped
    if start["mark"]:
        return indent + "\\" + stripped
    return indent + start["number"] + "\\" + stripped[start.end("number") :]


def _markdown(parts: StatementParts) -> str:
    escape = markdown_text
    header, rows = parts.header, parts.rows
    out = [f"# {markdown_block(parts.alliance)}", "", f"## {markdown_block(parts.title)}", ""]
    out += [f"- **{name}:** {escape(value)}" for name, value in parts.listed_facts()]
    out += ["", "| " + " | ".join(header) + " |", "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    for index, row in enumerate(rows[:-1]):
        cells = [escape(cell) for cell in row]
        if index in parts.item_rows:  # an item's row under its year's, indented (a table cell drops leading spaces)
            cells[0] = "&nbsp;&nbsp;" + cells[0]
        out.append("| " + " | ".join(cells) + " |")
    out.append("| " + " | ".join(f"**{escape(cell)}**" if cell else "" for cell in rows[-1]) + " |")
    out += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in parts.below]
    out += [line for section in parts.settlements for line in _settlement_lines(section)]
    for line in parts.closing_with_notice():  # each line its own paragraph, as Markdown would otherwise join them
        if line:
            out += ["", markdown_block(line)]
    return "\n".join(out) + "\n"
