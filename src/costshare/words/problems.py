"""Problems worded in the user's language: the one place where a problem's kind and typed values become a line.

The core and the readers raise problems by catalog id with typed values (costshare.core.errors);
`problem_line` says one in a language, formatting its values that language's way (a `Count` with
its thousands separator, a tuple of choices ending in "or"/"eller", a `*_word` value as a catalog
word). Which language that is, the caller says (the CLI: the run's, costshare.run).
"""

from __future__ import annotations

from typing import TypeVar

from ..core.errors import CostShareError, Count, Day, Money, Problem, Years, municipality_problem
from ..core.municipality import NoSuchMunicipalityError
from ..core.text import visible
from . import Lang, label

E = TypeVar("E", bound=CostShareError)


def _said(name: str, value: object, lang: Lang) -> str:
    """One value as `lang` shows it."""
    from .display import format_count, format_long_date, format_money, years_text

    if name.endswith("_word"):
        return label(str(value), lang)
    if isinstance(value, Count):
        return format_count(value, lang)
    if isinstance(value, Years):
        return years_text(value, lang)
    if isinstance(value, Day):
        return format_long_date(value, lang)
    if isinstance(value, Money):
        return format_money(value.minor, 1, lang, value.currency, 0 if value.minor % 100 == 0 else 2)
    if isinstance(value, tuple):  # choices: "a, b or c"
        items = [str(item) for item in value]
        return f"{', '.join(items[:-1])} {label('word_or', lang)} {items[-1]}" if len(items) > 1 else "".join(items)
    return str(value)


def problem_line(item: Problem, lang: Lang) -> str:
    """The problem in `lang`: `file:location: subject: message (hint: …)`."""
    values = {name: _said(name, value, lang) for name, value in item.params}
    text = label(item.key, lang, **values)
    where = item.where()
    if where:
        text = f"{visible(where)}: {text}"
    if item.hint_key:
        text += f" ({label('hint_word', lang)}: {label(item.hint_key, lang, **values)})"
    return text


def worded(exc: E, lang: Lang) -> E:
    """The same error with its problems worded in `lang`, so str() and lines() read as the CLI would print them."""
    return type(exc)(exc.problems, said=tuple(problem_line(item, lang) for item in exc.problems))


def municipality_text(exc: NoSuchMunicipalityError, lang: Lang) -> str:
    """The same, as one sentence in `lang`, for a usage error."""
    return problem_line(municipality_problem(exc), lang)
