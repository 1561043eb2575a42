"""A one-page statement for one municipality, as plain text, Markdown or PDF, to send or file.

One function gathers what a statement says (statement_parts); the formats only lay it out.
No timestamp: the same inputs give the same statement, byte for byte (the PDF too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .labels import Lang, label, period_label
from .render import NOT_A_MEMBER, format_count, format_long_date, format_money, format_percent, price_level_line, source_line, unit_text

if TYPE_CHECKING:
    from .pipeline import Computation


@dataclass(frozen=True)
class StatementParts:
    """Everything one municipality's statement says, as text, in the order it is read."""

    alliance: str
    title: str
    sender: list[str]
    recipient: str
    billing: list[tuple[str, str]]  # EAN, reference, account, where the config gives them
    facts: list[tuple[str, str]]
    header: list[str]
    rows: list[list[str]]  # the last row is the totals row
    closing: list[str]  # paragraphs; "" separates groups
    notice: str  # a statement, not an invoice


def statement_parts(computation: Computation, code: str, lang: Lang) -> StatementParts:
    """Sender, recipient, agreement, each budget year's amount with its basis, the total, payment terms, method and source."""
    config = computation.config
    model = config.model
    allocation = computation.allocation
    unit = allocation.unit

    def money(minor: int) -> str:
        return format_money(minor, unit, lang, model.currency)

    name = allocation.name(code)
    header = [
        label("budget_year", lang),
        label("amount", lang),
        label("year_cost", lang),
        label("population_basis_cell", lang),
        label("share", lang),
    ]
    rows = []
    for period in allocation.periods:
        if not period.has(code):
            rows.append([period_label(period.period, lang), NOT_A_MEMBER, money(period.cost), NOT_A_MEMBER, NOT_A_MEMBER])
            continue
        share = period.share_of(code)
        basis = f"{format_count(share.population, lang)} {label('of', lang)} {format_count(period.population_total, lang)} ({period.population_year})"
        if share.months != period.period.months:
            basis += " · " + label("member_months", lang, months=share.months, period_months=period.period.months)
        rows.append(
            [period_label(period.period, lang), money(share.amount), money(period.cost), basis, format_percent(share.fraction, lang, 4)]
        )
    rows.append([label("total", lang), money(allocation.total_of(code)), money(allocation.total()), "", ""])

    costs = "; ".join(
        f"{item.label}, {money(item.one_off)} {label('one_off_in', lang, year=item.year)}"
        if item.one_off is not None
        else f"{item.label}, {money(item.yearly)} {label('per_full_year', lang)}"
        for item in allocation.items
    )
    span = f"{format_long_date(model.agreement.start, lang)} – {format_long_date(model.agreement.end, lang)}"
    facts = [
        (label("statement_period", lang), f"{span} ({model.agreement.note})" if model.agreement.note else span),
        (label("statement_cost", lang), costs),
    ]
    details = computation.billing.get(code)
    billing = []
    if details is not None:
        billing = [
            (label(key, lang), value)
            for key, value in (("ean", details.ean), ("reference", details.reference), ("account", details.account))
            if value
        ]
    terms = model.billing.payment_terms_days if model.billing is not None else None
    if terms is not None:
        facts.append((label("payment_terms", lang), label("payment_terms_days", lang, days=terms)))
    sender = []
    if model.sender is not None:
        sender = [model.sender.name, *model.sender.address]
        sender += [f"CVR {model.sender.cvr}"] if model.sender.cvr else []
        sender += [model.sender.contact] if model.sender.contact else []
    closing = [
        f"{label('commitment', lang)}: {money(allocation.total_of(code))}",
        "",
        f"{label('method_name', lang)}: " + label("method", lang, unit=unit_text(unit, lang, model.currency)),
    ]
    closing.append(source_line(allocation, config, lang))
    price_level = price_level_line(allocation, lang)
    if price_level:
        closing.append(price_level)
    closing += model.notes
    closing += [
        "",
        f"{computation.generated_by} · " + label("checksums", lang, config=config.sha256, population=computation.population_sha256),
    ]
    title = label("statement_title", lang, name=name, code=code)
    recipient = label("municipality_of", lang, name=name)
    return StatementParts(model.alliance, title, sender, recipient, billing, facts, header, rows, closing, label("not_an_invoice", lang))


def statement_text(computation: Computation, code: str, lang: Lang, fmt: Literal["txt", "md"]) -> str:
    """The statement as plain text or Markdown."""
    return _text(statement_parts(computation, code, lang), fmt)


def _text(parts: StatementParts, fmt: Literal["txt", "md"]) -> str:
    layout = _markdown if fmt == "md" else _plain
    return layout(parts.alliance, parts.title, [*parts.billing, *parts.facts], parts.header, parts.rows, parts.closing)


def render_statement(parts: StatementParts, fmt: str, author: str) -> bytes:
    """Statement parts in `fmt` (txt, md or pdf), as the bytes to write."""
    if fmt == "pdf":
        from .pdf import statement_pdf

        return statement_pdf(parts, author)
    return _text(parts, "md" if fmt == "md" else "txt").encode("utf-8")


def _plain(alliance: str, title: str, facts, header: list[str], rows: list[list[str]], closing: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * len(line(header))
    out = [alliance, title, "=" * max(len(alliance), len(title)), ""]
    out += [f"{name}: {value}" for name, value in facts]
    out += ["", line(header), rule, *[line(row) for row in rows[:-1]], rule, line(rows[-1]), ""]
    out += closing
    return "\n".join(out) + "\n"


# Characters that start Markdown or HTML syntax (emphasis, code, links, images, tags, entities,
# headings, tables, strikethrough): a backslash makes each one literal (CommonMark escapes any
# ASCII punctuation), so a name like "[pay](https://…)" or "<b>" reads as typed.
_MARKDOWN_SYNTAX = frozenset("\\`*_[]<>|#!~&")


def markdown_text(text: str) -> str:
    """Text from the data, written into Markdown so that it shows exactly as typed."""
    return "".join("\\" + character if character in _MARKDOWN_SYNTAX else character for character in text)


def _markdown(alliance: str, title: str, facts, header: list[str], rows: list[list[str]], closing: list[str]) -> str:
    escape = markdown_text
    out = [f"# {escape(alliance)}", "", f"## {escape(title)}", ""]
    out += [f"- **{name}:** {escape(value)}" for name, value in facts]
    out += ["", "| " + " | ".join(header) + " |", "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows[:-1]]
    out.append("| " + " | ".join(f"**{escape(cell)}**" if cell else "" for cell in rows[-1]) + " |")
    for line in closing:  # each line its own paragraph, as Markdown would otherwise join them
        if line:
            out += ["", escape(line)]
    return "\n".join(out) + "\n"


def statement_bytes(computation: Computation, code: str, lang: Lang, fmt: str) -> bytes:
    """One municipality's statement in `fmt` (txt, md or pdf), as the bytes to write."""
    return render_statement(statement_parts(computation, code, lang), fmt, computation.generated_by)
