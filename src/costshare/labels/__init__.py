"""Words shown to users: one module per language (da.py, en.py), looked up by key.

Amounts, counts and dates become text in render.py; the words around them live here.
"""

from __future__ import annotations

from typing import Literal

from ..core.periods import Period
from . import da, en

Lang = Literal["da", "en"]

_TEXTS: dict[Lang, dict[str, str]] = {"da": da.TEXTS, "en": en.TEXTS}
_MONTHS: dict[Lang, tuple[str, ...]] = {"da": da.MONTHS, "en": en.MONTHS}


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with its {placeholders} filled in."""
    return _TEXTS[lang][key].format(**values)


def lang_code(value: str) -> Lang | None:
    """'da', 'da_DK', 'da-DK.UTF-8' → 'da'; 'en', 'en_GB' → 'en'; anything else None."""
    base = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return "da" if base == "da" else "en" if base == "en" else None


def system_lang() -> Lang:
    """The language of the system's locale (LC_ALL, LC_MESSAGES, LANG), Danish where it is neither."""
    import os

    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return lang_code(value) or "da"
    return "da"


def month_span(period: Period, lang: Lang) -> str:
    months = _MONTHS[lang]
    return f"{months[period.first_month - 1]}–{months[period.last_month - 1]}"


def period_label(period: Period, lang: Lang) -> str:
    """'2024' for a full budget year, '2023 (jul–dec)' for a part year."""
    return str(period.year) if period.is_full_year else f"{period.year} ({month_span(period, lang)})"
