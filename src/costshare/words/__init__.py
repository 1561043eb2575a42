"""Every word shown to users, from gettext catalogs: locale/<lang>/LC_MESSAGES/costshare.po (compiled
to .mo with babel by scripts/catalogs.py; the .mo files ship in the wheel). Which language a run speaks is
chosen by costshare.run; everything here takes the language as an argument.

Message ids are keys (`explain_amount`); each language's catalog holds the text with its
{placeholders}. Amounts, counts and dates become text in words/display.py; problems are worded in
words/problems.py; the words around them live here.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path
from typing import Literal

from ..core.text import visible

Lang = Literal["da", "en"]
LOCALE = Path(__file__).resolve().parent.parent / "locale"  # the compiled catalogs, shipped in the package
LANGUAGES: tuple[Lang, ...] = ("da", "en")


class _Missing(gettext.NullTranslations):
    """The fallback behind each catalog: a message id no catalog has is a bug, said loudly."""

    def gettext(self, message: str) -> str:
        raise KeyError(f"no text for {message!r} in the catalogs")


@functools.cache
def catalog(lang: Lang) -> gettext.GNUTranslations:
    """The compiled catalog of `lang`, read once."""
    path = LOCALE / lang / "LC_MESSAGES" / "costshare.mo"
    with path.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    translations.add_fallback(_Missing())
    return translations


def label(key: str, lang: Lang, /, **values: object) -> str:
    """The text for `key` in `lang`, with its {placeholders} filled in; a text value shows any character text may not
    hold as its escape (a file name from the command line with an escape sequence in it prints as \x1b). `key` and
    `lang` are positional only, so a value may have any name, `key` and `lang` included."""
    text = catalog(lang).gettext(key)
    if not values:
        return text
    return text.format(**{name: visible(value) if isinstance(value, str) else value for name, value in values.items()})


def lang_code(value: str) -> Lang | None:
    """'da', 'da_DK', 'da-DK.UTF-8' → 'da'; 'en', 'en_GB' → 'en'; anything else None."""
    base = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return "da" if base == "da" else "en" if base == "en" else None
