"""Every word shown to users, from gettext catalogs: locale/<lang>/LC_MESSAGES/costshare.po (compiled
to .mo with babel by scripts/catalogs.py; the .mo files ship in the wheel), and the one choice of language.

Message ids are keys (`explain_amount`); each language's catalog holds the text with its
{placeholders}. Amounts, counts and dates become text in words/display.py; problems are worded in
words/problems.py; the words around them live here.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
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


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with its {placeholders} filled in; a text value shows any character text may not
    hold as its escape (a file name from the command line with an escape sequence in it prints as \x1b)."""
    text = catalog(lang).gettext(key)
    if not values:
        return text
    return text.format(**{name: visible(value) if isinstance(value, str) else value for name, value in values.items()})


def lang_code(value: str) -> Lang | None:
    """'da', 'da_DK', 'da-DK.UTF-8' → 'da'; 'en', 'en_GB' → 'en'; anything else None."""
    base = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return "da" if base == "da" else "en" if base == "en" else None


def choose_language(option: str | None, environ: Mapping[str, str], config_locale: str | None) -> Lang:
    """The one rule for the language of a run: --lang (before or after the command), else COSTSHARE_LANG,
    else the config's locale, else the system's (LC_ALL, LC_MESSAGES, LANG), else Danish."""
    for choice in (option, environ.get("COSTSHARE_LANG"), config_locale):
        code = lang_code(choice) if choice else None
        if code is not None:
            return code
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return lang_code(value) or "da"
    return "da"


def option_in(argv: list[str]) -> str | None:
    """The last valid --lang on a command line (before or after the command), read before typer parses it."""
    found = None
    for index, word in enumerate(argv):
        value = (
            word.split("=", 1)[1] if word.startswith("--lang=") else argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None
        )
        if value and lang_code(value):
            found = value
    return found


def config_locale_glance(argv: list[str], environ: Mapping[str, str]) -> str | None:
    """The config's `locale:` line at a glance (the config is read properly later), so help made before
    parsing follows it too. Never blocks: a FIFO or device where the config belongs is for the command to refuse."""
    import re
    import stat

    path = environ.get("COSTSHARE_CONFIG") or "config/alliance.yaml"
    for index, word in enumerate(argv):
        if word in ("--config", "-c") and index + 1 < len(argv):
            path = argv[index + 1]
        elif word.startswith("--config="):
            path = word.split("=", 1)[1]
    try:
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
    return found.group(1) if found else None


def startup_lang(argv: list[str], environ: Mapping[str, str]) -> Lang:
    """The language of help texts and of usage errors met while parsing: choose_language on what the command
    line, the environment and a glance at the config say before any option is parsed."""
    option = option_in(argv)
    return choose_language(option, environ, None if option or environ.get("COSTSHARE_LANG") else config_locale_glance(argv, environ))


def system_lang() -> Lang:
    """The language of the system's locale, Danish where it is neither."""
    return choose_language(None, {k: v for k, v in os.environ.items() if k != "COSTSHARE_LANG"}, None)
