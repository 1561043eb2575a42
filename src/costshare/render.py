"""What a person reads: the rich table, the explanation of one figure, the validate summary.

The only place amounts become text such as "26.150" (Danish) or "26,150" (English).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .core.allocate import years_text
from .core.money import display_decimals, major, round_fraction
from .labels import Lang, label, period_label

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern
    from rich.console import JustifyMethod
    from rich.table import Table

    from .compare import Amounts, Comparison
    from .config import LoadedConfig
    from .core.allocate import Allocation, PeriodAllocation
    from .core.municipality import Municipality
    from .decided import Checked

_BABEL_LOCALE: dict[Lang, str] = {"da": "da_DK", "en": "en_GB"}


@functools.cache
def _number_format(decimals: int, lang: Lang) -> tuple[NumberPattern, Locale]:
    """babel's parsed pattern and locale for `decimals`, made once: parsing them is most of a format call."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")), Locale.parse(_BABEL_LOCALE[lang])


def _decimal(value: Decimal, decimals: int, lang: Lang) -> str:
    pattern, locale = _number_format(decimals, lang)
    return pattern.apply(value, locale, decimal_quantization=True)


def format_amount(minor: int | Fraction, unit: int, lang: Lang, decimals: int | None = None) -> str:
    """Minor units as currency text: 2615000 → '26.150' (da) or '26,150' (en)."""
    places = display_decimals(unit) if decimals is None else decimals
    return _decimal(major(minor, places), places, lang)


def format_long_date(day: date, lang: Lang) -> str:
    """'1. juli 2023' (da) or '1 July 2023' (en)."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=_BABEL_LOCALE[lang])


def format_count(count: int, lang: Lang) -> str:
    return _decimal(Decimal(count), 0, lang)


def format_percent(fraction: Fraction, lang: Lang, decimals: int = 2) -> str:
    return _decimal(round_fraction(fraction * 100, decimals), decimals, lang) + " %"


def currency_symbol(currency: str, lang: Lang) -> str:
    return "kr." if currency == "DKK" and lang == "da" else currency


def format_money(minor: int | Fraction, unit: int, lang: Lang, currency: str, decimals: int | None = None) -> str:
    return f"{format_amount(minor, unit, lang, decimals)} {currency_symbol(currency, lang)}"


def unit_text(unit: int, lang: Lang, currency: str) -> str:
    """The rounding unit as words: '1 kr.', '0,01 kr.'."""
    return format_money(unit, unit, lang, currency, decimals=display_decimals(unit))


NOT_A_MEMBER = "–"  # shown where a municipality is not a member in a budget year


def format_factor(factor: Fraction, lang: Lang) -> str:
    """A P/L factor exactly when it has few decimals (1,031), else to 6 decimals."""
    for places in range(11):
        if (factor * 10**places).denominator == 1:
            break
    else:
        places = 6
    return _decimal(round_fraction(factor, places), places, lang)


def selected_periods(allocation: Allocation, years: tuple[int, ...] | None) -> tuple[PeriodAllocation, ...]:
    return tuple(p for p in allocation.periods if years is None or p.year in years)


def text_table(title: str, columns: list[tuple[str, JustifyMethod]], rows: list[list[str]], totals: list[str]) -> Table:
    """A rich table of plain text (no markup, so a name like "[b]" prints as typed); figures never wrap."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title), title_justify="left")
    for header, justify in columns:
        table.add_column(Text(header), justify=justify, no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    table.add_section()
    table.add_row(*(Text(cell) for cell in totals), style="bold")
    return table


def table_width(table: Table) -> int:
    """Columns needed to print `table` without squeezing a cell: widest cell, padding and borders."""
    from rich.cells import cell_len

    widths = [max([cell_len(str(column.header))] + [cell_len(str(cell)) for cell in column.cells]) for column in table.columns]
    return sum(widths) + 3 * len(widths) + 1


def allocation_table(
    allocation: Allocation,
    config: LoadedConfig,
    years: tuple[int, ...] | None,
    codes: tuple[str, ...] | None,
    lang: Lang,
    key_columns: bool = True,
    total_column: bool = True,
    total_of_all_years: bool = False,
) -> Table:
    """Municipality × budget year, with population and share for a fixed key (unless `key_columns` is off),
    a total column (unless `total_column` is off), and a totals row for all members."""
    periods = selected_periods(allocation, years)
    fixed = key_columns and allocation.same_key_every_year(periods)
    unit = allocation.unit
    first = periods[0]
    columns: list[tuple[str, JustifyMethod]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    if fixed:
        columns += [(label("population_on", lang, year=first.population_year), "right"), (label("share", lang), "right")]
    columns += [(period_label(p.period, lang), "right") for p in periods]
    if total_column:
        columns.append((label("total", lang), "right"))
    selected_years = None if total_of_all_years else tuple(p.year for p in periods)
    rows = []
    for code in codes or allocation.codes:
        cells = [allocation.name(code), code]
        if fixed:
            share = first.share_of(code)
            cells += [format_count(share.population, lang), format_percent(share.fraction, lang)]
        cells += [format_amount(p.share_of(code).amount, unit, lang) if p.has(code) else NOT_A_MEMBER for p in periods]
        if total_column:
            cells.append(format_amount(allocation.total_of(code, selected_years), unit, lang))
        rows.append(cells)
    totals = [label("all_members", lang, count=len(allocation.codes)), ""]
    if fixed:
        totals += [format_count(first.population_total, lang), format_percent(Fraction(1), lang)]
    totals += [format_amount(p.cost, unit, lang) for p in periods]
    if total_column:
        totals.append(format_amount(allocation.total(selected_years), unit, lang))
    return text_table(f"{config.model.alliance} — {currency_symbol(config.model.currency, lang)}", columns, rows, totals)


def fitting_tables(allocation: Allocation, config: LoadedConfig, codes: tuple[str, ...] | None, lang: Lang, width: int) -> list[Table]:
    """The table as one piece if it fits `width` columns; else without population and share; else the budget
    years in as few side-by-side groups as fit, one table under the other, the total in the last."""
    full = allocation_table(allocation, config, None, codes, lang)
    if table_width(full) <= width:
        return [full]
    compact = allocation_table(allocation, config, None, codes, lang, key_columns=False)
    if table_width(compact) <= width:
        return [compact]
    years = [p.year for p in allocation.periods]
    tables: list[Table] = []
    group: list[int] = []
    for index, year in enumerate(years):
        last = index == len(years) - 1
        candidate = allocation_table(allocation, config, (*group, year), codes, lang, False, last, total_of_all_years=True)
        if group and table_width(candidate) > width:  # this year starts the next group
            tables.append(allocation_table(allocation, config, tuple(group), codes, lang, key_columns=False, total_column=False))
            group = []
            candidate = allocation_table(allocation, config, (year,), codes, lang, False, last, total_of_all_years=True)
        group.append(year)
        if last:
            tables.append(candidate)
    return tables


def _change(new: int, old: int, lang: Lang) -> str:
    """'+123 (+0,15 %)': the change and, when there was a figure before, its percentage."""
    sign = "+" if new >= old else "-"
    delta = f"{sign}{format_count(abs(new - old), lang)}"
    return f"{delta} ({sign}{format_percent(Fraction(abs(new - old), old), lang)})" if old else delta


def population_table(
    table: dict[int, dict[str, Municipality]], years: tuple[int, ...], codes: tuple[str, ...], lang: Lang, title: str
) -> Table:
    """Population per year side by side, each year after the first with its change, and totals."""
    names = {code: row.name for year in years for code, row in table[year].items()}  # latest name wins
    columns: list[tuple[str, JustifyMethod]] = [(label("municipality", lang), "left"), (label("code", lang), "left")]
    for index, year in enumerate(years):
        columns.append((str(year), "right"))
        if index:
            columns.append((f"{label('change', lang)} {years[index - 1]}–{year}", "right"))

    def cells(values: Sequence[int | None]) -> list[str]:
        out: list[str] = []
        for index, value in enumerate(values):
            out.append(format_count(value, lang) if value is not None else "–")
            if index:
                previous = values[index - 1]
                out.append(_change(value, previous, lang) if value is not None and previous is not None else "")
        return out

    rows = [[names.get(code, ""), code, *cells([table[y][code].population if code in table[y] else None for y in years])] for code in codes]
    totals = [sum(table[year][code].population for code in codes if code in table[year]) for year in years]
    return text_table(title, columns, rows, [label("total", lang), "", *cells(totals)])


def key_text(allocation: Allocation, lang: Lang) -> str:
    """Which 1 January population each budget year was keyed on, in words."""
    years = [p.population_year for p in allocation.periods]
    if allocation.basis == "yearly":
        return label("key_yearly", lang, years=years_text(years))
    if allocation.basis in ("previous", "latest"):
        pairs = ", ".join(f"{p.year}: {p.population_year}" for p in allocation.periods)
        return label(f"key_{allocation.basis}", lang, pairs=pairs)
    return label("key_fixed", lang, year=years_text(years))


def source_line(allocation: Allocation, config: LoadedConfig, lang: Lang) -> str:
    """'Kilde: …': the configured source, if any, and always the key year(s) the split actually used."""
    source = config.model.population.source
    key = key_text(allocation, lang)
    return f"{label('source', lang)}: {source}; {key}" if source else f"{label('source', lang)}: {key}"


def footer_lines(allocation: Allocation, config: LoadedConfig, lang: Lang) -> list[str]:
    """Method, population source and the config's notes, shown under every table."""
    lines = [label("method", lang, unit=unit_text(allocation.unit, lang, config.model.currency))]
    lines.append(source_line(allocation, config, lang))
    price_level = price_level_line(allocation, lang)
    if price_level:
        lines.append(price_level)
    if config.model.agreement.note:
        lines.append(config.model.agreement.note)
    lines.extend(config.model.notes)
    return lines


def price_level_line(allocation: Allocation, lang: Lang) -> str | None:
    """Which prices the amounts are in, when any item is P/L-indexed; None otherwise."""
    if not allocation.indexed or allocation.indexation is None:
        return None
    indexation = allocation.indexation
    rates = ", ".join(f"{year}: {format_factor(rate, lang)} %" for year, rate in sorted(indexation.rates.items()))
    return label("price_level_current", lang, base=indexation.base_year, rates=rates)


def explain_period(allocation: Allocation, config: LoadedConfig, period: PeriodAllocation, code: str, lang: Lang) -> list[str]:
    """The chain from yearly cost to one municipality's rounded amount, one line per step."""

    def text(key: str, **values: object) -> str:
        return label(f"explain_{key}", lang, **values)

    unit = allocation.unit
    currency = config.model.currency

    def money(minor: int | Fraction, decimals: int | None = None) -> str:
        if isinstance(minor, Fraction) and minor.denominator == 1 and minor % unit == 0:
            minor, decimals = int(minor), None  # a whole number of units reads better without øre
        return format_money(minor, unit, lang, currency, decimals)

    share = period.share_of(code)
    lines = [text("heading", name=share.municipality, code=code, alliance=config.model.alliance, period=period_label(period.period, lang))]
    for item_cost in period.item_costs:
        item = item_cost.item
        if item_cost.months is None:
            lines.append("  " + text("item_one_off", label=item.label, amount=money(item_cost.cost)))
            continue
        rounded = "" if item_cost.exact == item_cost.cost else text("rounded", rounded=money(item_cost.cost))
        values = {"label": item.label, "yearly": money(item.yearly), "months": item_cost.months, "exact": money(item_cost.exact, 2)}
        if item.indexed and allocation.indexation is not None:
            chain = " × ".join(format_factor(f, lang) for f in allocation.indexation.chain(period.year)) or "1"
            line = text("item_indexed", base=allocation.indexation.base_year, chain=chain, **values)
        else:
            line = text("item", **values)
        lines.append("  " + line + rounded)
    lines.append("  " + text("cost", cost=money(period.cost)))
    population = format_count(share.population, lang)
    total = format_count(period.population_total, lang)
    if period.full_membership:
        share_text = format_percent(share.fraction, lang, 4)
        lines.append("  " + text("population", year=period.population_year, population=population, total=total, share=share_text))
        lines.append("  " + text("exact", cost=money(period.cost), population=population, total=total, exact=money(share.quota, 2)))
    else:
        weight, weights = format_count(share.weight, lang), format_count(sum(s.weight for s in period.shares), lang)
        lines.append("  " + text("population_months", year=period.population_year, population=population, months=share.months,
                                 period_months=period.period.months, weight=weight))  # fmt: skip
        lines.append("  " + text("exact_weight", cost=money(period.cost), weight=weight, weights=weights, exact=money(share.quota, 2)))
    lines.append("  " + text("amount", amount=money(share.amount)))
    lines.extend("  " + line for line in _rounding_reason(period, share.code, share.municipality, text, unit, money))
    return lines


def _rounding_reason(
    period: PeriodAllocation, code: str, name: str, text: Callable[..., str], unit: int, money: Callable[..., str]
) -> list[str]:
    remainder = period.remainder_of(code)
    if remainder == 0:
        return [text("exact_fit", unit=money(unit))]
    leftover = period.leftover_units
    lines = [text("floors", count=len(period.shares), floors=money(period.floor_total), leftover=leftover, unit=money(unit))]
    if leftover == 0:
        return lines + [text("none_left")]
    rank = period.remainder_rank(code)
    key = "up" if rank <= leftover else "down"
    # the remainder is a part of one unit: two more decimals than the unit has show which is largest
    lines.append(text(key, name=name, remainder=money(remainder, display_decimals(unit) + 2), rank=rank, leftover=leftover))
    return lines


def explain_lines(allocation: Allocation, config: LoadedConfig, code: str, years: tuple[int, ...] | None, lang: Lang) -> list[str]:
    lines: list[str] = []
    for period in selected_periods(allocation, years):
        if lines:
            lines.append("")
        lines.extend(explain_period(allocation, config, period, code, lang))
    return lines


def validate_summary(allocation: Allocation, config: LoadedConfig, lang: Lang) -> str:
    """One paragraph: what was checked and what it adds up to."""
    model = config.model
    currency = model.currency
    unit = allocation.unit
    first, last = allocation.periods[0].period, allocation.periods[-1].period
    months = sum(p.period.months for p in allocation.periods)
    yearly = sum(item.yearly for item in allocation.items)
    years = sorted({p.population_year for p in allocation.periods})
    year_text = ", ".join(str(y) for y in years)
    items = len(allocation.items)
    return label(
        "validate_summary",
        lang,
        config=config.display,
        population=config.population_display,
        alliance=model.alliance,
        start=format_long_date(model.agreement.start, lang),
        end=format_long_date(model.agreement.end, lang),
        years=len(allocation.periods),
        first=first.year,
        last=last.year,
        months=months,
        items=items,
        items_word=label("cost_item_one" if items == 1 else "cost_item_many", lang),
        yearly=format_money(yearly, unit, lang, currency),
        members=len(allocation.codes),
        key_years=year_text,
        total=format_money(allocation.total(), unit, lang, currency),
    )


def check_lines(checked: list[Checked], allocation: Allocation, config: LoadedConfig, lang: Lang) -> list[str]:
    """One line per decided figure: it matches, or computed against decided with the difference."""
    currency, unit = config.model.currency, allocation.unit
    lines = []
    for row in checked:
        decided = format_money(row.decided.amount, unit, lang, currency)
        values = {"year": row.decided.year, "code": row.decided.code, "name": row.name}
        if row.computed is None:
            lines.append(label("check_not_member", lang, decided=decided, **values))
        elif row.matches:
            lines.append(label("check_match", lang, amount=decided, **values))
        else:
            text = _signed_money(row.computed - row.decided.amount, unit, lang, currency)
            computed = format_money(row.computed, unit, lang, currency)
            lines.append(label("check_differs", lang, computed=computed, decided=decided, difference=text, **values))
    return lines


def _signed_money(minor: int, unit: int, lang: Lang, currency: str) -> str:
    return ("+" if minor > 0 else "-" if minor < 0 else "") + format_money(abs(minor), unit, lang, currency)


def comparison_table(comparison: Comparison, lang: Lang, currency: str, title: str) -> Table:
    """Municipality × budget year: base, other, difference in kroner and percent; '–' where one side has no amount."""
    unit = comparison.unit
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
            NOT_A_MEMBER if difference is None else _signed_money(difference, unit, lang, currency),
            NOT_A_MEMBER
            if percent is None
            else ("+" if percent > 0 else "-" if percent < 0 else "") + format_percent(abs(percent) / 100, lang),
        ]

    rows = [[row.municipality, row.code, str(row.year), *cells(row)] for row in comparison.rows]
    return text_table(title, columns, rows, [label("total", lang), "", "", *cells(comparison.totals)])


def comparison_lines(comparison: Comparison, base_file: str, other_file: str, lang: Lang) -> list[str]:
    """Which file is which, and what the other config changes."""
    base_role, other_role = label("compare_base", lang), label("compare_other", lang)
    lines = [label("compare_config", lang, role=base_role, file=base_file), label("compare_config", lang, role=other_role, file=other_file)]
    if comparison.differs_in:
        aspects = ", ".join(label(f"aspect_{aspect}", lang) for aspect in comparison.differs_in)
        lines.append(label("compare_differs_in", lang, role=other_role, aspects=aspects))
    else:
        lines.append(label("compare_same", lang))
    return lines
