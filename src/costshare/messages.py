"""Error messages and hints in the user's language: catalog ids with their values, rendered at the edge.

A message is made once with `problem()` (or `error()`), which keeps the English text for logs and
tests and the catalog id and values for every other language; the CLI prints it with
`problem_line()` in the language the run speaks (`speak()` sets it, from --lang, COSTSHARE_LANG,
the config's locale or the system).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from .core.errors import CostShareError, Problem
from .core.municipality import NoSuchMunicipalityError
from .labels import Lang, label

# The language this run speaks, for messages made before or without a config.
_SPOKEN: ContextVar[Lang | None] = ContextVar("costshare_language", default=None)


def speak(lang: Lang) -> None:
    """The run speaks `lang` from here on (the CLI calls this with the resolved language)."""
    _SPOKEN.set(lang)


@contextmanager
def speaking(lang: Lang | None) -> Iterator[None]:
    """One command's language: `lang` (or undecided, until a config or --lang says) inside, what was before after,
    so one invocation's choice never carries into the next one in the same process."""
    token = _SPOKEN.set(lang)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def spoken_or_none() -> Lang | None:
    return _SPOKEN.get()


def spoken() -> Lang:
    from .labels import system_lang

    return _SPOKEN.get() or system_lang()


class InvalidValueError(ValueError):
    """A refusal by catalog id (and a hint's id): pydantic keeps it, and the edge words it per language."""

    def __init__(self, key: str, hint: str | None = None, **params: Any) -> None:
        self.key, self.hint = key, hint
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(label(key, "en", **_words(self.params, "en")))

    def at(self, file: str | None, location: str | None, subject: str | None = None) -> Problem:
        """This refusal as a problem at a place in a file."""
        return problem(self.key, file, location, self.hint, subject=subject, **self.params)


def _words(values: dict[str, str], lang: Lang) -> dict[str, str]:
    """Values named *_word are catalog ids themselves (e.g. which file), said in `lang`; values named *_list
    are tab-separated alternatives, joined by `lang`'s "or"."""
    said = {}
    for name, value in values.items():
        if name.endswith("_word"):
            said[name] = label(value, lang)
        elif name.endswith("_list"):
            said[name] = f" {label('word_or', lang)} ".join(value.split("\t"))
        else:
            said[name] = value
    return said


def problem(
    key: str, file: str | None = None, location: str | None = None, hint: str | None = None, subject: str | None = None, **params: object
) -> Problem:
    """A Problem from catalog ids: `key` for the message, `hint` for the hint, `params` filling both."""
    values = {name: str(value) for name, value in params.items()}
    english = _words(values, "en")
    return Problem(
        label(key, "en", **english),
        file,
        location,
        label(hint, "en", **english) if hint else None,
        subject,
        key,
        hint,
        tuple(values.items()),
    )


def error(
    kind: type[CostShareError], key: str, file: str | None = None, location: str | None = None, hint: str | None = None, **params: Any
) -> CostShareError:
    """An error of `kind` with one problem made by problem()."""
    return kind(problems=[problem(key, file, location, hint, **params)])


def problem_line(item: Problem, lang: Lang) -> str:
    """The problem in `lang`: its catalog texts when it has them, else as made."""
    if item.key is None or lang == "en":
        return str(item)
    values = _words(dict(item.params), lang)
    hint = label(item.hint_key, lang, **values) if item.hint_key else item.hint
    return item.line(label(item.key, lang, **values), hint, label("hint_word", lang))


def municipality_problem(
    exc: NoSuchMunicipalityError, file: str | None = None, location: str | None = None, subject: str | None = None
) -> Problem:
    """A name or code that found no (or several) municipalities, worded per language."""
    return problem(f"err_municipality_{exc.kind}", file, location, subject=subject, **exc.values)


def municipality_text(exc: NoSuchMunicipalityError, lang: Lang) -> str:
    """The same, as one sentence in `lang`, for a usage error."""
    return problem_line(municipality_problem(exc), lang)
