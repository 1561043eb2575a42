"""The one reader of the values a user types: amounts, counts and weights, years and runs of years, and a
municipality by name or code.

alliance.yaml's schema and rules, the population file, weights files, decided figures and every --year read
their values here, so a value means the same wherever it is typed, and the common slips of a Danish finance
office are met with one answer each: a thousands dot (730.000, 1.500.000), a decimal comma (730000,50),
digits from another script (٢٠٢٦, ２０２６). A refusal is an InvalidValueError by catalog id with typed values;
the caller says where it is (file, line, field) and the edge words it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from ..core.errors import Count, InvalidValueError
from ..core.money import MINOR_PER_MAJOR, decimals_of, to_minor
from ..core.municipality import NoSuchMunicipalityError, find_code, normalise_code, spellings
from ..core.text import FORMULA_STARTS
from ..limits import MAX_AMOUNT, MAX_POPULATION, MAX_YEAR, MIN_YEAR
from .datatext import shown

# --- numbers as written ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")  # what YAML itself reads as a number
_DANISH = re.compile(r"(-?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")  # 1.500.000, 730.000,50, 730000,50


def thousands_digits(text: str, separators: str = ".") -> str | None:
    """The digits of a whole number written with thousands separators ('1.500.000' → '1500000'), else None.

    A group of three digits after a separator is what makes it one: 1.5 and 0.125 are decimals."""
    if re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:[{re.escape(separators)}][0-9]{{3}})+", text):
        return re.sub(r"[^0-9]", "", text)
    return None


def yaml_spelling(text: str) -> str | None:
    """How YAML must be given a number written the Danish way, with thousands dots or a decimal comma:
    '730.000,50' → '730000.50'; None when `text` is not written so."""
    match = _DANISH.fullmatch(text.strip())
    if not match or ("." not in match[2] and match[3] is None):
        return None
    sign, whole, decimals = match[1], match[2].replace(".", ""), match[3]
    return f"{sign}{whole}.{decimals}" if decimals is not None else f"{sign}{whole}"


def _not_a_number(text: str) -> InvalidValueError:
    """Text that is no plain number, with the spelling YAML needs where it is written the Danish way."""
    right = yaml_spelling(text)
    if right is None:
        return InvalidValueError("err_not_amount", value=shown(text))
    hint = "hint_thousands" if "." in text else "hint_decimal_comma"
    return InvalidValueError("err_not_amount", hint, value=shown(text), written=text.strip(), right=right)


def plain_number(value: object) -> int | Decimal:
    """A number as alliance.yaml gives it (an int, or a Decimal made from its text): never a boolean, a float or
    another of YAML's forms; a number written the Danish way is refused with the spelling YAML needs."""
    if isinstance(value, (bool, float)):
        raise InvalidValueError("err_not_amount", value=shown(value))
    if isinstance(value, int) or (isinstance(value, Decimal) and value.is_finite()):
        return value
    if isinstance(value, str):
        if _PLAIN.fullmatch(value.strip()):
            return Decimal(value.strip())
        raise _not_a_number(value)
    raise InvalidValueError("err_not_amount", value=shown(value))


def money_in_range(value: Decimal | None) -> Decimal | None:
    """An amount in kroner from 0 to MAX_AMOUNT (None stays None: the field was not given)."""
    if value is None:
        return value
    if value < 0:
        raise InvalidValueError("err_negative", value=shown(value))
    if value > MAX_AMOUNT:
        raise InvalidValueError("err_amount_too_large", value=shown(value), limit=Count(int(MAX_AMOUNT)))
    return value


def thousands_refusal(amount: Decimal, unit: Decimal) -> InvalidValueError | None:
    """An amount finer than the rounding unit allows that is a Danish thousands dot (730.000 is 730000 kr.):
    err_decimals with the hint that says so; None for any other amount."""
    text = str(amount)
    if decimals_of(amount) <= decimals_of(unit) or (digits := thousands_digits(text.lstrip("-"))) is None:
        return None
    return InvalidValueError(
        "err_decimals", "hint_thousands", amount=amount, unit=unit, allowed=decimals_of(unit), written=text, right=digits
    )


def unit_refusal(amount: Decimal, unit: Decimal) -> InvalidValueError | None:
    """An amount written with more decimals than the rounding unit allows (err_decimals), with the hint for the
    slip it most likely is: 730.000 is a Danish thousands dot, 730000.50 an amount in øre; else: round it."""
    allowed, written = decimals_of(unit), decimals_of(amount)
    if written <= allowed:
        return None
    hint = "hint_ore" if allowed == 0 and written <= 2 else "hint_round"
    return thousands_refusal(amount, unit) or InvalidValueError("err_decimals", hint, amount=amount, unit=unit, allowed=allowed)


def ore_refusal(amount: Decimal) -> InvalidValueError | None:
    """An amount that is not a whole number of øre (1234.567): err_not_ore with the hint to round it; else None."""
    if amount.is_finite() and (amount * MINOR_PER_MAJOR) == (amount * MINOR_PER_MAJOR).to_integral_value():
        return None
    return InvalidValueError("err_not_ore", "hint_round", amount=amount, allowed=2)


def whole_number(value: object) -> int:
    """A count as alliance.yaml gives it (inhabitants, days): a plain whole number, never a boolean, a decimal or
    text; 50.000 (a Decimal with a Danish thousands dot) is refused with its digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip() if isinstance(value, (Decimal, str)) else ""
    digits = thousands_digits(text)
    if digits is not None:
        raise InvalidValueError("err_whole_number", "hint_population_digits", digits=digits)
    raise InvalidValueError("err_whole_number")


# --- numbers in data files (CSV) ----------------------------------------------------------------------

_WEIGHT = re.compile(r"([0-9]+)(?:[.,][0-9]{1,10})?", re.ASCII)  # at most MAX_POPULATION: a tax base in kroner fits many times over
_KRONER = re.compile(r"-?[0-9]+([.,][0-9]{1,2})?", re.ASCII)


def population_value(text: str) -> int:
    """A population figure as a data file or a StatBank reply writes it: a positive whole number, bounded."""
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > len(str(MAX_POPULATION)):  # too long to be a population, whatever it says
            raise InvalidValueError("err_population_large", value=f"{text[:12]}…", limit=Count(MAX_POPULATION))
        value = int(text)
        if value <= 0:
            raise InvalidValueError("err_population_positive", value=text)
        if value > MAX_POPULATION:
            raise InvalidValueError("err_population_large", value=text, limit=Count(MAX_POPULATION))
        return value
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        raise InvalidValueError("err_population_positive", value=text if len(text) <= 20 else text[:19] + "…")
    digits = thousands_digits(text, ". \u00a0\u202f")  # a space, as Excel may group digits, too
    if digits is not None:
        raise InvalidValueError("err_population_whole", "hint_population_digits", value=repr(text), digits=digits)
    raise InvalidValueError("err_population_whole", value=shown(text))


def weight_value(text: str) -> Decimal:
    """A key's figure in a weights file: a non-negative decimal with "." or "," as the decimal mark and at most 10
    decimals, up to MAX_POPULATION, exact.

    1.500 and 150.000 are Danish thousands dots (a spreadsheet writes 1,5 for one and a half), refused with
    their digits rather than read as 1,5 and 150."""
    digits = thousands_digits(text)
    if digits is not None:
        raise InvalidValueError("err_weight_value", "hint_population_digits", value=shown(text), digits=digits)
    if text.startswith("-") and _WEIGHT.fullmatch(text[1:]):
        raise InvalidValueError("err_weight_negative", value=shown(text))
    found = _WEIGHT.fullmatch(text)
    if not found:
        raise InvalidValueError("err_weight_value", value=shown(text))
    # the bound every key figure is held to, a population's too; too many digits is above it without reading them
    value = Decimal(text.replace(",", ".")) if len(found.group(1).lstrip("0")) <= len(str(MAX_POPULATION)) else None
    if value is None or value > MAX_POPULATION:
        raise InvalidValueError("err_weight_large", value=shown(text), limit=Count(MAX_POPULATION))
    return value


def kroner_value(text: str) -> int:
    """An amount in kroner as a data file writes it (26150, 26150,50 or 26150.50) in minor units, bounded."""
    if not _KRONER.fullmatch(text):
        hint = "hint_decided_amount" if thousands_digits(text.lstrip("-"), ".,") is not None else None
        raise InvalidValueError("err_decided_amount", hint, value=shown(text))
    value = Decimal(text.replace(",", "."))
    if abs(value) > MAX_AMOUNT:
        raise InvalidValueError("err_decided_amount_large", value=shown(text))
    return to_minor(value)


# A spreadsheet saves an amount as it shows it: with Danish thousands dots (46.874, 46.874,00).
_SHOWN_KRONER = re.compile(r"(-?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(,[0-9]{1,2})?", re.ASCII)
NO_AMOUNT = ("", "–", "-")  # a cell with no amount: left empty, or a dash as costshare's documents show it


def shown_kroner(text: str) -> int:
    """An amount in kroner as a spreadsheet saves it, in minor units: as a data file writes it (see kroner_value) or
    with Danish thousands dots (46.874 and 46.874,00 are 46874 kr.); an empty cell or a dash is 0 kr."""
    if text in NO_AMOUNT:
        return 0
    found = _SHOWN_KRONER.fullmatch(text)
    if found is None:
        return kroner_value(text)
    return kroner_value(found[1] + found[2].replace(".", "") + (found[3] or ""))


def exported_text(text: str) -> str:
    """Text as costshare's CSV writes it, read back: a leading ' that kept it from being run as a formula is
    dropped ('=Sorø is =Sorø); any other text stays as it is."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def code_of(value: object) -> str:
    """A municipality or region code as written (340, '085', 85): three digits, or a refusal a user can read."""
    try:
        return normalise_code(value)
    except ValueError:
        raise InvalidValueError("err_code", value=shown(value)) from None


# --- years ------------------------------------------------------------------------------------------

_SPAN = re.compile(r"\s*([0-9]{4,})\s*(?:(?:-|–|\.\.)\s*([0-9]{4,}))?\s*", re.ASCII)  # a year: four digits or more
_SHOWN = 40  # characters of a refused --year shown in its message


def year_of(text: str) -> int:
    """A year as a data file writes it: four ASCII digits, no sign or leading zero, from MIN_YEAR to MAX_YEAR."""
    if text.isascii() and text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise InvalidValueError("err_year_form", value=shown(text), first=MIN_YEAR, last=MAX_YEAR)


def _within(digits: str, first: int, last: int) -> bool:
    """Whether a year as written lies from `first` to `last`; too many digits is outside, without making an int of them."""
    return len(digits) <= len(str(last)) and first <= int(digits) <= last


def year_span(text: str, first: int = MIN_YEAR, last: int = MAX_YEAR) -> tuple[int, ...]:
    """The years one --year names, in order, each once: 2026, 2026-2028 (or 2026–2028, 2026..2028), 2026,2028.

    A year is four ASCII digits or more (26, ٢٠٢٦ and ２０２６ are refused), and every one must lie from `first` to `last`,
    checked before a run is counted out, so no --year, however long, names more than last - first + 1 years.
    Refusals: usage_year_span (`value`: not years at all, or a run backwards), usage_year_bounds (`value`: the
    parts outside, as written; `first`, `last`), each cut short so the message stays one line."""
    runs: list[tuple[str, str, str]] = []  # each part as written, its first and last year's digits
    for part in text.split(","):
        match = _SPAN.fullmatch(part)
        if match is None:
            raise InvalidValueError("usage_year_span", value=shown(text, _SHOWN))
        runs.append((part.strip(), match[1], match[2] or match[1]))
    outside = ", ".join(written for written, start, end in runs if not (_within(start, first, last) and _within(end, first, last)))
    if outside:
        raise InvalidValueError("usage_year_bounds", value=outside if len(outside) <= _SHOWN else outside[: _SHOWN - 1] + "…",
                                first=first, last=last)  # fmt: skip
    if any(int(end) < int(start) for _, start, end in runs):
        raise InvalidValueError("usage_year_span", value=shown(text, _SHOWN))
    return tuple(sorted({year for _, start, end in runs for year in range(int(start), int(end) + 1)}))


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)


def iso_date(text: str) -> date:
    """A day as an option gives it: YYYY-MM-DD in ASCII digits, a day of the calendar from MIN_YEAR to MAX_YEAR.
    Refused (usage_date, `value` cut short) when it is not one: 5.1.2026, 2026-1-5, 2026-02-30, ２０２６-01-05."""
    match = _ISO_DATE.fullmatch(text.strip()) if len(text) <= _SHOWN else None
    if match is not None:
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            day = None  # no such day: refused below
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:  # a day, but not one an agreement has
            raise InvalidValueError("err_date_years", value=text.strip(), first=MIN_YEAR, last=MAX_YEAR)
        if day is not None:
            return day
    raise InvalidValueError("usage_date", value=shown(text, _SHOWN))


def not_budget_year(year: int, budget_years: Sequence[int]) -> InvalidValueError | None:
    """err_not_budget_year (with the agreement's first and last budget year) where `year` is not one of
    `budget_years` (the agreement's, in order); None where it is."""
    if year in budget_years:
        return None
    return InvalidValueError("err_not_budget_year", year=year, first=budget_years[0], last=budget_years[-1])


# --- municipalities -------------------------------------------------------------------------------------


def municipality_code(query: str, names: Mapping[str, str], spelled: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """The code a name or code means among `names` ({code: name}; `spelled`: their spellings, where made already for
    many look-ups): 'Sorø Kommune', 'soro', 'Soroe' and '340' are all '340'. A query that finds none, or several, is
    refused (err_municipality_*: no_code, ambiguous, no_name_close, no_name) with the names it could have meant."""
    try:
        return find_code(query, names, spelled)
    except NoSuchMunicipalityError as exc:
        raise InvalidValueError(f"err_municipality_{exc.kind}", None, **exc.values) from None


def municipality_codes(queries: Iterable[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """The codes of every query, in code order, each once; the first that finds none or several is refused."""
    spelled = spellings(names)
    return tuple(sorted({municipality_code(query, names, spelled) for query in queries}))
