"""Short texts a command prints: the validate summary and the decided figures checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.items import paid_per_member
from ..words import Lang, label
from ..words.display import format_long_date, format_money, signed
from .facts import of_which_provisional
from .items import listed_amount

if TYPE_CHECKING:
    from ..app.checks import Checked
    from ..app.view import View


def validate_summary(view: View, lang: Lang) -> str:
    """One paragraph: what was checked and what it adds up to."""
    allocation = view.allocation
    currency = view.currency
    unit = allocation.unit
    first, last = allocation.periods[0].period, allocation.periods[-1].period
    months = sum(p.period.months for p in allocation.periods)
    yearly = sum(amount for amount, year in map(listed_amount, allocation.items) if year is None)
    rated = sum(paid_per_member(item) for item in allocation.items)
    years = sorted({p.population_year for p in allocation.keyed_periods})
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
        total=format_money(allocation.total(), unit, lang, currency) + of_which_provisional(view, None, None, lang),
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
