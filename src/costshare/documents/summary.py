"""Short texts a command prints: the validate summary, the decided figures checked, and the what-if comparison."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.items import RateItem
from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, format_long_date, format_money, format_percent, signed
from .facts import listed_amount
from .table import text_table

if TYPE_CHECKING:
    from rich.console import JustifyMethod
    from rich.table import Table

    from ..app.checks import Checked
    from ..app.compare import Amounts, Comparison
    from ..app.view import View


def validate_summary(view: View, lang: Lang) -> str:
    """One paragraph: what was checked and what it adds up to."""
    allocation = view.allocation
    currency = view.currency
    unit = allocation.unit
    first, last = allocation.periods[0].period, allocation.periods[-1].period
    months = sum(p.period.months for p in allocation.periods)
    yearly = sum(amount for amount, year in map(listed_amount, allocation.items) if year is None)
    rated = sum(isinstance(item, RateItem) for item in allocation.items)
    years = sorted({p.population_year for p in allocation.periods})
    year_text = ", ".join(str(y) for y in years)
    items = len(allocation.items)
    return label(
        "validate_summary",
        lang,
        config=view.sources.config_file,
        population=view.sources.population_file,
        alliance=view.alliance,
        start=format_long_date(view.agreement.start, lang),
        end=format_long_date(view.agreement.end, lang),
        years=len(allocation.periods),
        first=first.year,
        last=last.year,
        months=months,
        items=items,
        items_word=label("cost_item_one" if items == 1 else "cost_item_many", lang),
        yearly=format_money(yearly, unit, lang, currency) + (label("plus_rate_items", lang, count=rated) if rated else ""),
        members=len(allocation.codes),
        key_years=year_text,
        total=format_money(allocation.total(), unit, lang, currency),
    )


def check_lines(checked: list[Checked], view: View, lang: Lang) -> list[str]:
    """One line per decided figure: it matches, or computed against decided with the difference."""
    currency, unit = view.currency, view.unit
    lines = []
    for row in checked:
        decided = format_money(row.decided.amount, unit, lang, currency)
        values = {"year": row.decided.year, "code": row.decided.code, "name": row.name}
        if row.computed is None:
            lines.append(label("check_not_member", lang, decided=decided, **values))
        elif row.matches:
            lines.append(label("check_match", lang, amount=decided, **values))
        else:
            text = signed(row.computed - row.decided.amount, lambda size: format_money(size, unit, lang, currency))
            computed = format_money(row.computed, unit, lang, currency)
            lines.append(label("check_differs", lang, computed=computed, decided=decided, difference=text, **values))
    return lines


def comparison_table(comparison: Comparison, lang: Lang) -> Table:
    """Municipality × budget year: base, other, difference in kroner and percent; '–' where one side has no amount."""
    unit, currency = comparison.unit, comparison.currency
    title = label("compare_title", lang, base=comparison.alliance, other=comparison.other.config_file)
    columns: list[tuple[str, JustifyMethod]] = [
        (label("municipality", lang), "left"),
        (label("code", lang), "left"),
        (label("budget_year", lang), "left"),
        (label("compare_base", lang), "right"),
        (label("compare_other", lang), "right"),
        (label("compare_difference", lang), "right"),
        (label("compare_difference_percent", lang), "right"),
    ]

    def cells(amounts: Amounts) -> list[str]:
        base, other, difference, percent = amounts.base, amounts.other, amounts.difference, amounts.percent
        return [
            NOT_A_MEMBER if base is None else format_money(base, unit, lang, currency),
            NOT_A_MEMBER if other is None else format_money(other, unit, lang, currency),
            NOT_A_MEMBER if difference is None else signed(difference, lambda size: format_money(size, unit, lang, currency)),
            NOT_A_MEMBER if percent is None else signed(percent, lambda size: format_percent(size, lang)),
        ]

    rows = [[row.municipality, row.code, str(row.year), *cells(row)] for row in comparison.rows]
    return text_table(title, columns, rows, [label("total", lang), "", "", *cells(comparison.totals)])


def comparison_lines(comparison: Comparison, lang: Lang) -> list[str]:
    """Which file is which, and what the other config changes."""
    base_role, other_role = label("compare_base", lang), label("compare_other", lang)
    lines = [
        label("compare_config", lang, role=base_role, file=comparison.base.config_file),
        label("compare_config", lang, role=other_role, file=comparison.other.config_file),
    ]
    if comparison.differs_in:
        aspects = ", ".join(label(f"aspect_{aspect}", lang) for aspect in comparison.differs_in)
        lines.append(label("compare_differs_in", lang, role=other_role, aspects=aspects))
    else:
        lines.append(label("compare_same", lang))
    return lines
