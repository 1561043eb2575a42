"""Decided figures beside the computed ones: `costshare check`."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.allocate import Allocation
from ..core.errors import DataError, InvalidValueError, problem
from ..io.decided import Decided
from ..io.values import municipality_code, not_budget_year


@dataclass(frozen=True)
class Checked:
    """A decided figure beside the computed one (None where the municipality does not pay that year)."""

    decided: Decided
    name: str | None
    computed: int | None

    @property
    def matches(self) -> bool:
        return self.computed == self.decided.amount


def _same_member(name: str, code: str, names: dict[str, str]) -> bool:
    """Whether a row's name is its code's municipality, as --municipality would find it (Soro is Sorø)."""
    try:
        return municipality_code(name, names) == code
    except InvalidValueError:
        return False


def check_decided(allocation: Allocation, decided: list[Decided], display: str) -> list[Checked]:
    """Each decided figure beside the computed amount; a year outside the agreement is an error."""
    years = {period.year: period for period in allocation.periods}
    problems = [refusal.at(display, str(row.line)) for row in decided if (refusal := not_budget_year(row.year, list(years)))]
    names = {code: allocation.name(code) for code in allocation.codes}
    for row in decided:
        if row.name and row.code in names and not _same_member(row.name, row.code, names):
            problems.append(problem("err_decided_name", display, str(row.line), code=row.code, name=names[row.code], written=row.name))
    if problems:
        raise DataError(problems=problems)
    checked = []
    for row in decided:
        period = years[row.year]
        if period.has(row.code):
            share = period.share_of(row.code)
            checked.append(Checked(row, share.municipality, share.amount))
        else:
            checked.append(Checked(row, None, None))
    return checked
