"""Short texts a command prints: the validate summary and the decided figures checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.items import is_shared
from ..core.keys import POPULATION
from ..words import Lang, label
from ..words.display import format_long_date, format_money, signed
from .facts import of_which_provisional
from .items import listed_text

if TYPE_CHECKING:
    from ..app.checks import Checked
    from ..app.view import View


def validate_summary(view: View, lang: Lang) -> str:
    """One paragraph: what was checked and what it adds up to, each item by its own amount (its rate for a rate item)."""
    allocation = view.allocation
    first, last = allocation.periods[0].period, allocation.periods[-1].period
    years = sorted({p.population_year for p in allocation.keyed_periods})
    key_years = ", ".join(str(y) for y in years)
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
        months=sum(p.period.months for p in allocation.periods),
        items=items,
        items_word=label("cost_item_one" if items == 1 else "cost_item_many", lang),
        listed="; ".join(f"{item.label}: {listed_text(view, item, lang)}" for item in allocation.items),
        members=len(allocation.codes),
        split=_split_text(view, key_years, lang),
        total=format_money(allocation.total(), allocation.unit, lang, view.currency) + of_which_provisional(view, None, None, lang),
    )


def _split_text(view: View, key_years: str, lang: Lang) -> str:
    """By population on its key years where every item goes by population alone; else by each item's own key or
    rate, with the key years where any item counts inhabitants."""
    items = view.allocation.items
    if all(item.by_population for item in items):
        return label("split_population", lang, key_years=key_years)
    counts_inhabitants = any(not is_shared(item) or any(base == POPULATION for base, _ in item.key) for item in items)
    own = label("split_own_keys", lang)
    return own + label("split_key_years", lang, key_years=key_years) if counts_inhabitants and key_years else own


def check_lines(checked: list[Checked], view: View, lang: Lang, differences: bool = False) -> list[str]:
    """One line per decided figure (with `differences`, per figure that differs, then how many agree), and a last
    line: all match, or how many of them differ."""
    lines = [_checked_line(row, view, lang) for row in checked if not (differences and row.matches)]
    differ = sum(not row.matches for row in checked)
    agree = len(checked) - differ
    if differ and differences and agree:
        lines.append(label("check_agree_hidden_1" if agree == 1 else "check_agree_hidden", lang, count=agree))
    if differ:
        return [*lines, label("check_some_differ", lang, differ=differ, count=len(checked))]
    return [*lines, label({1: "check_all_match_1", 2: "check_all_match_2"}.get(len(checked), "check_all_match"), lang, count=len(checked))]


def _checked_line(row: Checked, view: View, lang: Lang) -> str:
    """A decided figure: it matches, or computed against decided with the difference."""
    currency, unit = view.currency, view.unit
    decided = format_money(row.decided.amount, unit, lang, currency)
    values = {"year": row.decided.year, "code": row.decided.code, "name": row.name}
    if row.computed is None:
        return label("check_not_paying" if row.matches else "check_not_member", lang, decided=decided, **values)
    if row.matches:
        return label("check_match", lang, amount=decided, **values)
    text = signed(row.computed - row.decided.amount, lambda size: format_money(size, unit, lang, currency))
    computed = format_money(row.computed, unit, lang, currency)
    return label("check_differs", lang, computed=computed, decided=decided, difference=text, **values)
