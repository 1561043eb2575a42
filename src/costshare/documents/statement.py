"""A one-page statement for one municipality, to send or file as plain text, Markdown or PDF.

One function gathers what a statement says from the View (statement_parts); the formats only lay it out
(formats/txt.py, md.py, pdf.py).
It states the day it was made (not the time): the same inputs on the same day give the same statement, byte for byte (the PDF too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from ..core.official_names import official_name
from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, format_count, format_long_date, format_money, format_percent, year_label
from .facts import (
    key_lines,
    made_line,
    membership_span,
    method_line,
    of_which_provisional,
    price_level_line,
    projection_lines,
    source_line,
    total_label,
)
from .items import item_key_text, listed_text
from .listing import invoice_facts
from .settlement import SettlementSection, statement_settlements

if TYPE_CHECKING:
    from ..app.view import View
    from ..core.allocate import PeriodAllocation, Share
    from ..core.items import ItemCost


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
    item_rows: tuple[int, ...]  # the positions of the rows of one item in a year, under the year's row
    closing: list[str]  # paragraphs; "" separates groups
    notice: str  # a statement, not an invoice
    below: list[list[str]] = field(default_factory=list)  # rows under the totals row that say more of it
    settlements: list[SettlementSection] = field(default_factory=list)  # each settled year's settlement, under the table

    def listed_facts(self) -> list[tuple[str, str]]:
        """Every fact in one list, the sender and the recipient first: for a layout without a letterhead."""
        return [*self.addressed, *self.billing, *self.facts]

    def closing_with_notice(self) -> list[str]:
        """The closing paragraphs, then the notice that this is not an invoice."""
        return [*self.closing, "", self.notice]


def statement_parts(view: View, code: str, lang: Lang, today: date) -> StatementParts:
    """Sender, recipient, agreement, each budget year's amount with its basis, the total, each settled year's
    settlement, payment terms, method and source."""
    money = _money(view, lang)
    name = view.allocation.name(code)
    rows, item_rows = _year_rows(view, code, lang, money)
    sender = _sender_lines(view)
    recipient = _recipient(view, code, name, lang)
    addressed = [(label("recipient_word", lang), recipient)]
    if sender:
        addressed.insert(0, (label("sender_word", lang), ", ".join(sender)))
    return StatementParts(
        alliance=view.alliance,
        title=label("statement_title", lang, name=name, code=code),
        sender=sender,
        recipient=recipient,
        addressed=addressed,
        billing=_billing_facts(view, code, lang),
        facts=_facts(view, code, lang, money),
        header=_header(view, lang),
        rows=rows,
        item_rows=item_rows,
        closing=_closing(view, code, lang, today, money),
        notice=label("not_an_invoice", lang),
        below=_provisional_rows(view, code, lang, money),
        settlements=statement_settlements(view, code, lang),
    )


def _recipient(view: View, code: str, name: str, lang: Lang) -> str:
    """Whom the statement is to, as its e-invoices name it: the name the config gives the member, else (in Danish)
    its official name ('Københavns Kommune', 'Bornholms Regionskommune'), else the municipality of its name."""
    details = view.billing.get(code)
    if details is not None and details.name:
        return details.name
    official = official_name(code) if lang == "da" else None
    return official or label("municipality_of", lang, name=name)


def _money(view: View, lang: Lang) -> Callable[[int], str]:
    def money(minor: int) -> str:
        return format_money(minor, view.unit, lang, view.currency)

    return money


def _year_rows(view: View, code: str, lang: Lang, money: Callable[[int], str]) -> tuple[list[list[str]], tuple[int, ...]]:
    """Each budget year shown: the member's amount, the year's cost, what the amount stands on and its share of the
    year's cost; under it, where the agreement has several items or an item with its own key, each item's amount,
    the item's cost in the year, its key or rate in words and the amount's share of that cost; then the totals row.
    Also the positions of the item rows."""
    allocation = view.allocation
    itemised = _itemised(view)
    rows: list[list[str]] = []
    item_rows: list[int] = []
    for period in view.periods:
        year = year_label(period, lang)
        if not period.has(code):
            rows.append([year, NOT_A_MEMBER, money(period.cost), NOT_A_MEMBER, NOT_A_MEMBER])
            continue
        share = period.share_of(code)
        rows.append(
            [year, money(share.amount), money(period.cost), _basis(view, period, share, lang), _share_text(share.amount, period.cost, lang)]
        )
        if itemised:
            for cost, amount in _item_amounts(period, code):
                item_rows.append(len(rows))
                key = item_key_text(view, cost.item, lang)
                rows.append([cost.item.label, money(amount), money(cost.cost), key, _share_text(amount, cost.cost, lang)])
    years = view.years
    rows.append([total_label(view, lang), money(allocation.total_of(code, years)), money(allocation.total(years)), "", ""])
    return rows, tuple(item_rows)


def _provisional_rows(view: View, code: str, lang: Lang, money: Callable[[int], str]) -> list[list[str]]:
    """How much of the totals row is provisional, as a row under it (none where no year shown is)."""
    allocation = view.allocation
    provisional = allocation.projected_years(view.years)
    if not provisional:
        return []
    return [
        [
            label("of_which_provisional_column", lang),
            money(allocation.total_of(code, provisional)),
            money(allocation.total(provisional)),
            "",
            "",
        ]
    ]


def _itemised(view: View) -> bool:
    """Whether the statement shows each item's row under its year's: where there are several items, or one with its
    own key or rate (one item split by population alone is the year's row itself)."""
    items = view.allocation.items
    return len(items) > 1 or not all(item.by_population for item in items)


def _header(view: View, lang: Lang) -> list[str]:
    """The year table's headings: where items are shown, the cost column holds each row's own cost and the basis
    column each item's key."""
    if _itemised(view):
        return [label(key, lang) for key in ("budget_year", "amount", "cost_column", "key_column", "share_of_cost")]
    return [label(key, lang) for key in ("budget_year", "amount", "year_cost", "population_basis_cell", "share_of_cost")]


def _item_amounts(period: PeriodAllocation, code: str) -> tuple[tuple[ItemCost, int], ...]:
    """The member's amount of each item running in the year, with the item's cost (none for a decided year)."""
    amounts = period.item_amounts
    return () if amounts is None else amounts.of(code)


def _share_text(amount: int, base: int, lang: Lang) -> str:
    """`amount` as a share of `base`, the cost shown beside it, so that share × base = amount ('' where the base is 0)."""
    return format_percent(Fraction(amount, base), lang, 4) if base else ""


def _basis(view: View, period: PeriodAllocation, share: Share, lang: Lang) -> str:
    """What the member's amount for the year stands on: the decision, or its population of the year's total where
    every item goes by population (else each item's row says its key); and its months where it paid for fewer."""
    basis = ""
    if period.decided is not None:
        basis = label("word_decided", lang)
    elif all(item.by_population for item in view.allocation.items):
        basis = f"{format_count(share.population, lang)} {label('of', lang)} {format_count(period.population_total, lang)} ({period.population_year})"
    if share.months != period.period.months:
        months = label("member_months", lang, months=share.months, period_months=period.period.months)
        basis = f"{basis} · {months}" if basis else months
    return basis


def _facts(view: View, code: str, lang: Lang, money: Callable[[int], str]) -> list[tuple[str, str]]:
    """The agreement's span, the member's own span where it joins or leaves, the cost items, the payment terms and
    the member's e-invoices."""
    costs = "; ".join(f"{item.label}, {listed_text(view, item, lang)}" for item in view.allocation.items)
    agreement = view.agreement
    span = f"{format_long_date(agreement.start, lang)} – {format_long_date(agreement.end, lang)}"
    facts = [(label("statement_period", lang), f"{span} ({agreement.note})" if agreement.note else span)]
    member_span = membership_span(view, code, lang)
    if member_span:
        facts.append((label("membership", lang), member_span))
    facts.append((label("statement_cost", lang), costs))
    terms = view.payment_terms_days
    if terms is not None:
        facts.append((label("payment_terms", lang), label("payment_terms_days", lang, days=terms)))
    return facts + invoice_facts(view, code, lang)


def _billing_facts(view: View, code: str, lang: Lang) -> list[tuple[str, str]]:
    """The member's EAN, reference and account, where the config gives them."""
    details = view.billing.get(code)
    if details is None:
        return []
    given = (("ean", details.ean), ("reference", details.reference), ("account", details.account))
    return [(label(key, lang), value) for key, value in given if value]


def _sender_lines(view: View) -> list[str]:
    """The sender's name, address, CVR number and contact, where the config gives a sender."""
    sender = view.sender
    if sender is None:
        return []
    return [sender.name, *sender.address, *([f"CVR {sender.cvr}"] if sender.cvr else []), *([sender.contact] if sender.contact else [])]


def _closing(view: View, code: str, lang: Lang, today: date, money: Callable[[int], str]) -> list[str]:
    """The member's whole commitment; the method, keys, source, what any provisional year stands on, the price level and the
    notes; when it was made; and the checksums of the files it was made from."""
    allocation = view.allocation
    closing = [
        f"{label('commitment', lang)}: {money(allocation.total_of(code))}" + of_which_provisional(view, code, None, lang),
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
    checksums = label("checksums", lang, config=sources.config_sha256, population=sources.population_sha256)
    return [*closing, "", f"{sources.generated_by} · {checksums}"]
