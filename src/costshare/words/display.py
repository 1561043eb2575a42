"""How values look, in one place per kind: amounts, counts, percents, signs, factors, dates and budget years,
in the language of the run (text) or as exact numbers for files (CSV, JSON, XLSX).

Values travel typed (minor units, Fractions, dates) until a writer shows them through these functions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal, getcontext, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, TypeVar

from ..core.money import MINOR_PER_MAJOR, display_decimals, major, round_fraction
from . import Lang, label

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

    from ..core.allocate import PeriodAllocation
    from ..core.periods import Period

_BABEL_LOCALE: dict[Lang, str] = {"da": "da_DK", "en": "en_GB"}
NOT_A_MEMBER = "–"  # shown where a municipality is not a member in a budget year, or a value is missing
SHARE_DECIMALS = 8  # a share written to a file (0,03582249)
EXACT_DECIMALS = 6  # an exact quota written to a file, in currency units
PERCENT_DECIMALS = 4  # a percent number written to a file (2,4096)
FACTOR_DECIMALS = 10  # a P/L factor or rate written to a file

Number = TypeVar("Number", int, Fraction)


@functools.cache
def _number_format(decimals: int, lang: Lang) -> tuple[NumberPattern, Locale]:
    """babel's parsed pattern and locale for `decimals`, made once: parsing them is most of a format call."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "")), Locale.parse(_BABEL_LOCALE[lang])


def _decimal(value: Decimal, decimals: int, lang: Lang) -> str:
    pattern, locale = _number_format(decimals, lang)
    # babel rounds in the current decimal context (28 digits by default): one wide enough for every digit shown
    with localcontext(prec=max(getcontext().prec, value.adjusted() + 1 + decimals)):
        return str(pattern.apply(value, locale, decimal_quantization=True))


def format_amount(minor: int | Fraction, unit: int, lang: Lang, decimals: int | None = None) -> str:
    """Minor units as currency text: 2615000 → '26.150' (da) or '26,150' (en)."""
    places = display_decimals(unit) if decimals is None else decimals
    return _decimal(major(minor, places), places, lang)


def format_count(count: int, lang: Lang) -> str:
    """A whole number with the language's thousands separator: 849.857 (da), 849,857 (en)."""
    return _decimal(Decimal(count), 0, lang)


def format_percent(fraction: Fraction, lang: Lang, decimals: int = 2) -> str:
    """A fraction as a percent: Fraction(30444, 849857) → '3,58 %'."""
    return _decimal(round_fraction(fraction * 100, decimals), decimals, lang) + " %"


def currency_symbol(currency: str, lang: Lang) -> str:
    return "kr." if currency == "DKK" and lang == "da" else currency


def format_money(minor: int | Fraction, unit: int, lang: Lang, currency: str, decimals: int | None = None) -> str:
    return f"{format_amount(minor, unit, lang, decimals)} {currency_symbol(currency, lang)}"


def telling_decimals(minor: Fraction, unit: int, least: int) -> int:
    """Decimals (at least `least`) that show a part of a unit as what it is: never rounded to a whole number of
    units or to nothing (0,996 kr. shows as 0,996, not 1,00); an exact value needs no more than it has."""
    places = least
    while places < 12:
        shown = Fraction(major(minor, places)) * MINOR_PER_MAJOR
        if shown == minor or (shown % unit != 0 and shown != 0):
            return places
        places += 1
    return places


def exact_places(minor: Fraction | int) -> int:
    """Decimals that show an amount exactly as given (a rate such as 41,8766 kr. or 0,808 kr.): none for whole
    kroner, else at least two."""
    value = Fraction(minor)
    if value.denominator == 1 and value % MINOR_PER_MAJOR == 0:
        return 0
    places = 2
    while (value * 10**places / MINOR_PER_MAJOR).denominator != 1 and places < 10:
        places += 1
    return places


def genitive(name: str, lang: Lang) -> str:
    """A name as owner: 'Sorøs', 'Stevns'' (Danish: an apostrophe after s, x or z); 'Sorø's', 'Stevns'' in English."""
    if lang == "da":
        return f"{name}'" if name[-1:].lower() in ("s", "x", "z") else f"{name}s"
    return f"{name}'" if name[-1:].lower() == "s" else f"{name}'s"


def signed(value: Number, shown: Callable[[Number], str], zero: str = "") -> str:
    """The one sign rule: '+' before a gain, '-' before a loss, `zero` before no change; `shown` writes the size."""
    return ("+" if value > 0 else "-" if value < 0 else zero) + shown(abs(value))


def unit_text(unit: int, lang: Lang, currency: str) -> str:
    """The rounding unit as words: '1 kr.', '0,01 kr.'."""
    return format_money(unit, unit, lang, currency, decimals=display_decimals(unit))


def format_factor(factor: Fraction, lang: Lang) -> str:
    """A P/L factor exactly when it has few decimals (1,031), else to 6 decimals."""
    for places in range(11):
        if (factor * 10**places).denominator == 1:
            break
    else:
        places = 6
    return _decimal(round_fraction(factor, places), places, lang)


def format_long_date(day: date, lang: Lang) -> str:
    """'1. juli 2023' (da) or '1 July 2023' (en)."""
    from babel.dates import format_date

    return str(format_date(day, format="long", locale=_BABEL_LOCALE[lang]))


def years_text(years: Iterable[int], lang: Lang) -> str:
    """'2023', '2023–2028' for three or more consecutive years, else '2023 og 2025' / '2023, 2025 and 2027'."""
    ordered = [str(year) for year in sorted(set(years))]
    if len(ordered) > 2 and ordered == [str(year) for year in range(int(ordered[0]), int(ordered[-1]) + 1)]:
        return f"{ordered[0]}–{ordered[-1]}"
    return f"{', '.join(ordered[:-1])} {label('word_and', lang)} {ordered[-1]}" if len(ordered) > 1 else "".join(ordered)


def choices_text(items: Sequence[str], lang: Lang) -> str:
    """'csv, json eller xlsx': choices listed, the last after 'eller' (da) or 'or' (en)."""
    return f"{', '.join(items[:-1])} {label('word_or', lang)} {items[-1]}" if len(items) > 1 else "".join(items)


def suffixes_text(formats: Sequence[str], lang: Lang, compound: bool = False) -> str:
    """'.csv, .json eller .xlsx'; `compound`: the first part of a compound word, so that Danish writes
    'en .csv-, .json- eller .xlsx-fil' (each suffix but the last with its hyphen) and English 'a .csv, .json or .xlsx file'."""
    suffixes = [f".{name}" for name in formats]
    if compound:
        suffixes = [label("compound_first_part", lang, part=suffix) for suffix in suffixes[:-1]] + suffixes[-1:]
    return choices_text(suffixes, lang)


def month_span(period: Period, lang: Lang) -> str:
    return f"{label(f'month_{period.first_month}', lang)}–{label(f'month_{period.last_month}', lang)}"


def period_label(period: Period, lang: Lang, projected: bool = False, decided: bool = False) -> str:
    """'2024' for a full budget year, '2023 (jul–dec)' for a part year; a provisional year says so: '2027 (foreløbig)',
    '2028 (jan–jun, foreløbig)'; and a decided year: '2024 (vedtaget)'."""
    notes = [] if period.is_full_year else [month_span(period, lang)]
    notes += [label("word_projected", lang)] if projected else []
    notes += [label("word_decided", lang)] if decided else []
    return noted_year(period.year, notes)


def noted_year(year: int, notes: Sequence[str]) -> str:
    """A budget year with what is to be said of it in brackets: '2028 (jan–jun, foreløbig)'; '2024' without notes."""
    return f"{year} ({', '.join(notes)})" if notes else str(year)


def year_label(period: PeriodAllocation, lang: Lang) -> str:
    """A budget year as documents head it: its months where a part year, and whether it is provisional or decided."""
    return period_label(period.period, lang, period.projected, period.decided is not None)


# --- numbers for files: exact decimals, no thousands separators ----------------------------------


def amount_decimal(minor: int, unit: int) -> Decimal:
    """Minor units as currency, with øre only when the rounding unit is øre."""
    return major(minor, display_decimals(unit))


def share_decimal(fraction: Fraction) -> Decimal:
    return round_fraction(fraction, SHARE_DECIMALS)


def percent_number(fraction: Fraction) -> Decimal:
    """A fraction as the percent number files carry: Fraction(1, 40) → Decimal('2.5000')."""
    return round_fraction(fraction * 100, PERCENT_DECIMALS)


def percent_fraction(fraction: Fraction) -> Decimal:
    """The same precision as a fraction, for a spreadsheet cell with a percent format: 0.025000."""
    return round_fraction(fraction, PERCENT_DECIMALS + 2)


def factor_decimal(factor: Fraction) -> Decimal:
    """A P/L factor or rate to 10 decimals, without trailing zeros (1.031, not 1.0310000000)."""
    sign, digits, exponent = round_fraction(factor, FACTOR_DECIMALS).as_tuple()
    places = -int(exponent)
    while places > 0 and digits[-1] == 0:  # by its digits: no decimal context rounds them
        digits, places = digits[:-1] or (0,), places - 1
    return Decimal((sign, digits, -places))
