"""A one-page statement for one municipality, to send or file as plain text, Markdown or PDF.

One function gathers what a statement says from the View (statement_parts); the formats only lay it out
(formats/txt.py, md.py, pdf.py).
It states the day it was made (not the time): the same inputs on the same day give the same statement, byte for byte (the PDF too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, format_count, format_long_date, format_money, format_percent, period_label
from .facts import (
    invoice_facts,
    key_lines,
    listed_amount,
    made_line,
    membership_span,
    method_line,
    price_level_line,
    projection_lines,
    source_line,
    total_label,
)

if TYPE_CHECKING:
    from ..app.view import View


@dataclass(frozen=True)
class StatementParts:
    """Everything one municipality's statement says, as text, in the order it is read."""

    alliance: str
    title: str
    sender: list[str]
    recipient: str
    addressed: list[tuple[str, str]]  # sender and recipient as facts, for a layout without a letterhead
    billing: list[tuple[str, str]]  # EAN, reference, account, where the config gives them
    facts: list[tuple[str, str]]
    header: list[str]
    rows: list[list[str]]  # the last row is the totals row
    closing: list[str]  # paragraphs; "" separates groups
    notice: str  # a statement, not an invoice

    def listed_facts(self) -> list[tuple[str, str]]:
        """Every fact in one list, the sender and the recipient first: for a layout without a letterhead."""
        return [*self.addressed, *self.billing, *self.facts]

    def closing_with_notice(self) -> list[str]:
        """The closing paragraphs, then the notice that this is not an invoice."""
        return [*self.closing, "", self.notice]


def statement_parts(view: View, code: str, lang: Lang, today: date) -> StatementParts:
    """Sender, recipient, agreement, each budget year's amount with its basis, the total, payment terms, method and source."""
    allocation = view.allocation
    unit = allocation.unit

    def money(minor: int) -> str:
        return format_money(minor, unit, lang, view.currency)

    name = allocation.name(code)
    header = [
        label("budget_year", lang),
        label("amount", lang),
        label("year_cost", lang),
        label("population_basis_cell", lang),
        label("share", lang),
    ]
    rows = []
    for period in view.periods:
        if not period.has(code):
            rows.append([period_label(period.period, lang, period.projected), NOT_A_MEMBER, money(period.cost), NOT_A_MEMBER, NOT_A_MEMBER])
            continue
        share = period.share_of(code)
        basis = f"{format_count(share.population, lang)} {label('of', lang)} {format_count(period.population_total, lang)} ({period.population_year})"
        if share.months != period.period.months:
            basis += " · " + label("member_months", lang, months=share.months, period_months=period.period.months)
        rows.append(
            [
                period_label(period.period, lang, period.projected),
                money(share.amount),
                money(period.cost),
                basis,
                format_percent(share.fraction, lang, 4),
            ]
        )
    years = view.years
    rows.append([total_label(view, lang), money(allocation.total_of(code, years)), money(allocation.total(years)), "", ""])

    listed = [(item.label, *listed_amount(item)) for item in allocation.items]
    costs = "; ".join(
        f"{name}, {money(amount)} {label('one_off_in', lang, year=year) if year is not None else label('per_full_year', lang)}"
        for name, amount, year in listed
    )
    agreement = view.agreement
    span = f"{format_long_date(agreement.start, lang)} – {format_long_date(agreement.end, lang)}"
    facts = [
        (label("statement_period", lang), f"{span} ({agreement.note})" if agreement.note else span),
        (label("statement_cost", lang), costs),
    ]
    member_span = membership_span(view, code, lang)
    if member_span:
        facts.insert(1, (label("membership", lang), member_span))
    details = view.billing.get(code)
    billing = []
    if details is not None:
        billing = [
            (label(key, lang), value)
            for key, value in (("ean", details.ean), ("reference", details.reference), ("account", details.account))
            if value
        ]
    terms = view.payment_terms_days
    if terms is not None:
        facts.append((label("payment_terms", lang), label("payment_terms_days", lang, days=terms)))
    facts += invoice_facts(view, code, lang)
    sender: list[str] = []
    if view.sender is not None:
        sender = [view.sender.name, *view.sender.address]
        sender += [f"CVR {view.sender.cvr}"] if view.sender.cvr else []
        sender += [view.sender.contact] if view.sender.contact else []
    closing = [
        f"{label('commitment', lang)}: {money(allocation.total_of(code))}",
        "",
        f"{label('method_name', lang)}: " + method_line(view, lang),
    ]
    closing += key_lines(view, lang)
    closing.append(source_line(view, lang))
    closing += projection_lines(view, lang, today)
    price_level = price_level_line(allocation, lang)
    if price_level:
        closing.append(price_level)
    closing += view.notes
    closing.append(made_line(view, lang, today))
    sources = view.sources
    closing += [
        "",
        f"{sources.generated_by} · " + label("checksums", lang, config=sources.config_sha256, population=sources.population_sha256),
    ]
    title = label("statement_title", lang, name=name, code=code)
    recipient = label("municipality_of", lang, name=name)
    addressed = [(label("recipient_word", lang), recipient)]
    if sender:
        addressed.insert(0, (label("sender_word", lang), ", ".join(sender)))
    notice = label("not_an_invoice", lang)
    return StatementParts(view.alliance, title, sender, recipient, addressed, billing, facts, header, rows, closing, notice)
