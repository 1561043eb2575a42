"""Plain text: a statement as lines a person reads in any editor or e-mail, the year table in aligned columns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..documents.settlement import SettlementSection
    from ..documents.statement import StatementParts


ITEM_INDENT = "  "  # an item's row under its year's


def statement_txt(parts: StatementParts) -> bytes:
    """The statement as UTF-8 plain text; the sender and the recipient come first, as on the PDF's letterhead."""
    rows = [[ITEM_INDENT + row[0], *row[1:]] if index in parts.item_rows else row for index, row in enumerate(parts.rows)]
    settled = [line for section in parts.settlements for line in _settlement_lines(section)]
    text = _plain(
        parts.alliance, parts.title, parts.listed_facts(), parts.header, rows, [*settled, *parts.closing_with_notice()], parts.below
    )
    return text.encode("utf-8")


def _settlement_lines(section: SettlementSection) -> list[str]:
    """A settled year's settlement: its heading, each label with its amount in a column, the line that says how they
    are made, and a blank line."""
    width = max(len(name) for name, _ in section.rows)
    amounts = max(len(amount) for _, amount in section.rows)
    rows = [f"{name.ljust(width)}  {amount.rjust(amounts)}" for name, amount in section.rows]
    return [section.title, "-" * len(section.title), *rows, section.note, ""]


def _plain(
    alliance: str,
    title: str,
    facts: list[tuple[str, str]],
    header: list[str],
    rows: list[list[str]],
    closing: list[str],
    below: list[list[str]],
) -> str:
    widths = [max(len(row[i]) for row in [header, *rows, *below]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(line(header))
    out = [alliance, title, "=" * max(len(alliance), len(title)), ""]
    out += [f"{name}: {value}" for name, value in facts]
    out += ["", line(header), rule, *[line(row) for row in rows[:-1]], rule, line(rows[-1]), *[line(row) for row in below], ""]
    out += closing
    return "\n".join(out) + "\n"
