"""One run of the costshare command: what it knows before it reads anything, chosen once where it starts.

The language follows one rule (README, "Which language"): --lang (before or after the command), else
COSTSHARE_LANG, else the config's locale, else the system's (LC_ALL, LC_MESSAGES, LANG), else Danish. Help
texts and typer's own words are made before any option is parsed, so for them the rule reads the command
line as it is and glances at the config's `locale:` line (`Run.lang`); a command speaks the rule's answer
with the config's locale once it has read the config (`Run.language`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from .words import Lang, lang_code

# The environment variables the rule reads, in the order it reads them.
LANGUAGE_VARIABLES = ("COSTSHARE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@dataclass(frozen=True)
class Run:
    """One invocation: the language its help and its usage errors speak, what the language rule reads from the
    environment, and the moment it began (the time of making on documents, today's date)."""

    lang: Lang
    environ: tuple[tuple[str, str], ...]  # the language variables that are set, as (name, value)
    now: datetime  # when the run began, in UTC
    today: date  # the local date then

    @classmethod
    def start(cls, args: Sequence[str], environ: Mapping[str, str]) -> Run:
        """The run of a command line `args` (the words after the program's name) in `environ`, beginning now."""
        now = datetime.now(UTC)
        variables = tuple((name, environ[name]) for name in LANGUAGE_VARIABLES if name in environ)
        return cls(startup_lang(list(args), environ), variables, now, now.astimezone().date())

    def on(self, day: date | None) -> Run:
        """This run as on `day` (a --date the user gives the documents it makes), or as it began (None)."""
        return self if day is None else replace(self, today=day)

    def language(self, option: str | None, config_locale: str | None = None) -> Lang:
        """The language a command speaks: the rule on its --lang `option`, this run's environment and the config's
        locale once the config is read."""
        return choose_language(option, dict(self.environ), config_locale)


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


def agreement_language(config_locale: str | None, spoken: Lang) -> Lang:
    """The language of what is sent to the members (e-invoices and the statements they carry): the config's locale,
    whatever --lang, COSTSHARE_LANG or the system say; `spoken`, the run's, where the config gives none."""
    return (lang_code(config_locale) if config_locale else None) or spoken


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
