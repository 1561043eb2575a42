"""Decided figures beside the computed ones (`costshare check`), and what a config gives that nothing uses (a warning)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.allocate import Allocation
from ..core.errors import DataError, InvalidValueError, Problem, problem
from ..core.items import is_shared
from ..core.municipality import spellings
from ..io.config import LoadedConfig
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
        """The decided amount is the computed one; 0 is right for a municipality that does not pay that year."""
        return self.computed == self.decided.amount or (self.computed is None and self.decided.amount == 0)


def _same_member(name: str, code: str, names: dict[str, str], spelled: dict[str, tuple[str, ...]]) -> bool:
    """Whether a row's name is its code's municipality, as --municipality would find it (Soro is Sorø)."""
    try:
        return municipality_code(name, names, spelled) == code
    except InvalidValueError:
        return False


def check_decided(allocation: Allocation, decided: list[Decided], display: str) -> list[Checked]:
    """Each decided figure beside the computed amount; a year outside the agreement is an error."""
    problems = _decided_problems(allocation, decided, display)
    if problems:
        raise DataError(problems=problems)
    return [_beside_computed(allocation, row) for row in decided]


def _decided_problems(allocation: Allocation, decided: list[Decided], display: str) -> list[Problem]:
    """A row for a year outside the agreement, or whose name is not its code's municipality."""
    years = [period.year for period in allocation.periods]
    problems = [refusal.at(display, row.place) for row in decided if (refusal := not_budget_year(row.year, years))]
    names = {code: allocation.name(code) for code in allocation.codes}
    spelled = spellings(names)
    return problems + [
        problem("err_decided_name", display, row.place, code=row.code, name=names[row.code], written=row.name)
        for row in decided
        if row.name and row.code in names and not _same_member(row.name, row.code, names, spelled)
    ]


def _beside_computed(allocation: Allocation, row: Decided) -> Checked:
    """The decided row beside what the member pays that year (None where it does not pay)."""
    period = next(period for period in allocation.periods if period.year == row.year)
    if not period.has(row.code):
        return Checked(row, None, None)
    share = period.share_of(row.code)
    return Checked(row, share.municipality, share.amount)


def config_warnings(config: LoadedConfig) -> tuple[Problem, ...]:
    """A warning for each weights file no cost item is split by (it is read and checked, but splits nothing), and for
    a record of decided years that is not written yet (no year is decided)."""
    used = {base for item in config.cost_items if is_shared(item) for base, _ in item.key}
    unused = [(name, path) for name, path in config.model.weights.items() if name not in used]
    where = {name: config.location(("weights", name)) for name, _ in unused}
    found = tuple(
        problem("warn_weights_unused", config.display, where[name], "hint_weights_unused", subject=f"weights.{name}", name=name, path=path)
        for name, path in unused
    )
    record = config.record_file
    if record is not None and not record.exists():  # a path mistyped would otherwise decide nothing without a word
        found += (problem("warn_record_not_written", config.display, config.location(("decided",)), "hint_record_not_written",
                          path=config.model.decided),)  # fmt: skip
    return found
