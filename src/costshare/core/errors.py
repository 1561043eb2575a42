"""One exception family for everything a user can get wrong, said in no language.

Each error carries one or more problems; a problem names its kind (a catalog id), where it is,
the hint's kind and the typed values both are filled with. The edge (costshare.words.problems)
words them in the user's language, one line each, so a user sees every mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass


class Years(tuple[int, ...]):
    """Budget or key years as a value of a problem; each language writes them as a run (2023–2028) or a list."""


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


class FetchError(CostShareError):
    """Population figures could not be fetched or did not pass the checks."""
