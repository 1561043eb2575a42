"""Every word shown to users, from gettext catalogs: locale/<lang>/LC_MESSAGES/costshare.po (compiled
to .mo with babel by scripts/catalogs.py; the .mo files ship in the wheel).

Message ids are keys (`explain_amount`); each language's catalog holds the text with its
{placeholders}. Amounts, counts and dates become text in render.py; the words around them live here.
"""

from __future__ import annotations

import functools
import gettext
import os
from importlib import resources
from typing import Literal

from ..core.periods import Period

Lang = Literal["da", "en"]
LANGUAGES: tuple[Lang, ...] = ("da", "en")


class _Missing(gettext.NullTranslations):
    """The fallback behind each catalog: a message id no catalog has is a bug, said loudly."""

    def gettext(self, message: str) -> str:
        raise KeyError(f"no text for {message!r} in the catalogs")


@functools.cache
def catalog(lang: Lang) -> gettext.GNUTranslations:
    """The compiled catalog of `lang`, read once."""
    path = resources.files("costshare") / "locale" / lang / "LC_MESSAGES" / "costshare.mo"
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    translations.add_fallback(_Missing())
    return translations


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with its {placeholders} filled in."""
    text = catalog(lang).gettext(key)
    return text.format(**values) if values else text


def lang_code(value: str) -> Lang | None:
    """'da', 'da_DK', 'da-DK.UTF-8' → 'da'; 'en', 'en_GB' → 'en'; anything else None."""
    base = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return "da" if base == "da" else "en" if base == "en" else None


def system_lang() -> Lang:
    """The language of the system's locale (LC_ALL, LC_MESSAGES, LANG), Danish where it is neither."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return lang_code(value) or "da"
    return "da"


def month_span(period: Period, lang: Lang) -> str:
    return f"{label(f'month_{period.first_month}', lang)}–{label(f'month_{period.last_month}', lang)}"


def period_label(period: Period, lang: Lang) -> str:
    """'2024' for a full budget year, '2023 (jul–dec)' for a part year."""
    return str(period.year) if period.is_full_year else f"{period.year} ({month_span(period, lang)})"
