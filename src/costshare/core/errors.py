"""One exception family for everything a user can get wrong.

Each error carries one or more problems; each problem prints as a single line
`file:location: message (hint: …)` so a user sees every mistake at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what is wrong, and how to fix it.

    `message` and `hint` are English. `key`, `hint_key` and `params` name the same texts in the
    message catalogs, so the edge can say them in the user's language (messages.problem_line)."""

    message: str
    file: str | None = None
    location: str | None = None
    hint: str | None = None
    subject: str | None = None  # what the message is about, e.g. the config field costs[0].yearly
    key: str | None = None
    hint_key: str | None = None
    params: tuple[tuple[str, str], ...] = ()

    def line(self, message: str, hint: str | None, hint_word: str = "hint") -> str:
        """`file:location: subject: message (hint: …)` with the given wording."""
        where = ":".join(part for part in (self.file, self.location) if part)
        said = f"{self.subject}: {message}" if self.subject else message
        text = f"{where}: {said}" if where else said
        if hint:
            text += f" ({hint_word}: {hint})"
        return text

    def __str__(self) -> str:
        return self.line(self.message, self.hint)


class CostShareError(Exception):
    """Base of every error the CLI reports as `error: …` with exit code 1."""

    def __init__(
        self,
        message: str | None = None,
        *,
        file: str | None = None,
        location: str | None = None,
        hint: str | None = None,
        problems: tuple[Problem, ...] | list[Problem] = (),
    ) -> None:
        collected = list(problems)
        if message is not None:
            collected.insert(0, Problem(message, file, location, hint))
        if not collected:
            raise ValueError("CostShareError needs a message or problems")
        self.problems: tuple[Problem, ...] = tuple(collected)
        super().__init__(str(self.problems[0]))

    def lines(self) -> list[str]:
        """The problems, one line each, in the order they were found."""
        return [str(problem) for problem in self.problems]

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
