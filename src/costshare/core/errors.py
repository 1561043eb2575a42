"""One exception family for everything a user can get wrong, said in no language.

Each error carries one or more problems; a problem names its kind (a catalog id), where it is,
the hint's kind and the typed values both are filled with (a `Count`, `Money`, `Years`, a date, a text).
The constructors here are the only way the core, the readers and the use cases make one; the edge
(costshare.words.problems) words them in the user's language, one line each, so a user sees every
mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from .municipality import NoSuchMunicipalityError


class Years(tuple[int, ...]):
    """Budget or key years as a value of a problem; each language writes them as a run (2023–2028) or a list."""


class Count(int):
    """A number in a message shown with the language's thousands separator (100.000.000 / 100,000,000)."""


class Day(date):
    """A day a record holds, in a message written as the language writes dates (5. december 2026 / 5 December 2026);
    a day the user typed is passed as the text typed."""


@dataclass(frozen=True)
class Money:
    """An amount in a message, in minor units, shown as the language writes money (1.000 kr. / 1,000 DKK)."""

    minor: int
    currency: str


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what is wrong (`key`), how to fix it (`hint_key`).

    `params` are the values both texts are filled with, typed (a count, a year, a date, a text), so
    each language shows them its own way."""

    key: str
    file: str | None = None
    location: str | None = None
    hint_key: str | None = None
    subject: str | None = None  # what the message is about, e.g. the config field costs[0].yearly
    params: tuple[tuple[str, object], ...] = ()

    def where(self) -> str:
        """'file:location: subject', as far as known."""
        place = ":".join(part for part in (self.file, self.location) if part)
        return ": ".join(part for part in (place, self.subject) if part)

    def __str__(self) -> str:
        """A neutral form for logs: where, the kind and its values (costshare.words.problems words it)."""
        values = ", ".join(f"{name}={value}" for name, value in self.params)
        said = f"{self.key}({values})" if values else self.key
        where = self.where()
        return f"{where}: {said}" if where else said


class CostShareError(Exception):
    """Base of every error the CLI reports as `error: …` with exit code 1.

    `said` is the problems worded by the edge (the Python API gives English), which `str()` and
    `lines()` then show; without it they show each problem's neutral form."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem], said: tuple[str, ...] = ()) -> None:
        if not problems:
            raise ValueError("CostShareError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.said = tuple(said)
        super().__init__(self.lines()[0])

    def lines(self) -> list[str]:
        """The problems, one line each, in the order they were found."""
        return list(self.said) if self.said else [str(problem) for problem in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ConfigError(CostShareError):
    """The alliance config is missing, unreadable or invalid."""


class DataError(CostShareError):
    """The population data is missing, unreadable or inconsistent with the config."""


class AllocationError(CostShareError):
    """A split could not be made, or did not add up to its cost."""


class ExportError(CostShareError):
    """An output file could not be written."""


class IssueError(CostShareError):
    """Documents cannot be issued as asked: a day outside the budget year, or before what was issued already."""


class FetchError(CostShareError):
    """Population figures could not be fetched or did not pass the checks."""


class InvalidValueError(ValueError):
    """A refusal by catalog id (and a hint's id) with typed values: pydantic keeps it, and the edge words it per language."""

    def __init__(self, key: str, hint: str | None = None, /, **params: Any) -> None:
        self.key, self.hint, self.params = key, hint, params
        super().__init__(key)

    def at(self, file: str | None, location: str | None, subject: str | None = None) -> Problem:
        """This refusal as a problem at a place in a file."""
        return problem(self.key, file, location, self.hint, subject=subject, **self.params)


def problem(
    key: str, /, file: str | None = None, location: str | None = None, hint: str | None = None, subject: str | None = None, **params: object
) -> Problem:
    """A Problem from catalog ids: `key` for the message, `hint` for the hint, `params` filling both (a value may be
    named `key`: the catalog id is positional only)."""
    return Problem(key, file, location, hint, subject, tuple(params.items()))


E = TypeVar("E", bound=CostShareError)


def error(kind: type[E], key: str, /, file: str | None = None, location: str | None = None, hint: str | None = None, **params: Any) -> E:
    """An error of `kind` with one problem made by problem()."""
    return kind([problem(key, file, location, hint, **params)])


def municipality_problem(
    exc: NoSuchMunicipalityError, file: str | None = None, location: str | None = None, subject: str | None = None
) -> Problem:
    """A name or code that found no (or several) municipalities, as a problem of its kind."""
    return Problem(f"err_municipality_{exc.kind}", file, location, None, subject, tuple(exc.values.items()))
