"""Every word shown to users, from gettext catalogs: locale/<lang>/LC_MESSAGES/costshare.po (compiled
to .mo with babel by scripts/catalogs.py; the .mo files ship in the wheel).

Message ids are keys (`explain_amount`); each language's catalog holds the text with its
{placeholders}. Amounts, counts and dates become text in render.py; the words around them live here.
"""

from __future__ import annotations

import functools
import gettext
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..core.periods import Period

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


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with its {placeholders} filled in."""
    text = catalog(lang).gettext(key)
    return text.format(**values) if values else text


def lang_code(value: str) -> Lang | None:
    """'da', 'da_DK', 'da-DK.UTF-8' → 'da'; 'en', 'en_GB' → 'en'; anything else None."""
    base = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return "da" if base == "da" else "en" if base == "en" else None


def startup_lang(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> Lang:
    """The language of help texts, chosen before any option is parsed: --lang on the command line, else
    COSTSHARE_LANG, else the system's language, else Danish. (A config's locale is read only by a command.)"""
    for index, word in enumerate(argv):
        value = (
            word.split("=", 1)[1] if word.startswith("--lang=") else argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None
        )
        if value and lang_code(value):
            return lang_code(value) or "da"
    if environ.get("COSTSHARE_LANG") and lang_code(environ["COSTSHARE_LANG"]):
        return lang_code(environ["COSTSHARE_LANG"]) or "da"
    return _config_locale(argv, environ) or system_lang()


def _config_locale(argv: list[str], environ: dict[str, str] | os._Environ[str]) -> Lang | None:
    """A glance at the config's `locale:` line (the config is read properly later), so help follows it too."""
    import re
    import stat

    path = environ.get("COSTSHARE_CONFIG") or "config/alliance.yaml"
    for index, word in enumerate(argv):
        if word in ("--config", "-c") and index + 1 < len(argv):
            path = argv[index + 1]
        elif word.startswith("--config="):
            path = word.split("=", 1)[1]
    try:  # never block: a FIFO or device where the config belongs is for the command to refuse
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            text = os.read(descriptor, 65536).decode("utf-8", errors="replace")
        finally:
            os.close(descriptor)
    except (OSError, ValueError):
        return None
    found = re.search(r"^locale:\s*['\"]?([A-Za-z_-]+)", text, re.MULTILINE)
    return lang_code(found.group(1)) if found else None


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
