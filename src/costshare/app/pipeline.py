"""One run from files to figures: config → population file → allocation → the View every writer reads.

The core knows nothing of files or commands: the file name, the config line and the hint a user can
act on are added here, and here the config's words become the View's plain, frozen values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.allocate import Allocation, allocate, checked_key_years
from ..core.decided_years import with_decided
from ..core.errors import AllocationError, ConfigError, Count, DataError, InvalidValueError, Money, Problem, problem
from ..core.items import indexed_spans
from ..core.key_years import PopulationGapError
from ..core.membership import Membership
from ..core.money import to_minor
from ..core.municipality import Municipality, spellings
from ..core.periods import Period, missing_rates, published
from ..io.config import LoadedConfig, display_path, load_config
from ..io.items import running_labels
from ..io.population import PopulationFile, latest_names, load_population
from ..io.register import read_register
from ..io.schema import BillingModel, SenderModel
from ..io.values import municipality_code, not_budget_year
from ..io.weights import load_weights
from ..limits import MAX_SHARES, MAX_TOTAL_MINOR
from ..version import __version__
from .invoicing import billed_years
from .record import decided_periods, record_of
from .view import Agreement, BillingDetails, Invoicing, Payment, Sender, Sources, View

if TYPE_CHECKING:
    import pandas as pd

GENERATED_BY = f"costshare {__version__}"
Members = tuple[Membership, ...] | None  # the config's members; None: everyone in the population file


@dataclass(frozen=True)
class Computation:
    """A run's config and its View (the figures and everything the documents say about them)."""

    config: LoadedConfig
    view: View

    @property
    def allocation(self) -> Allocation:
        return self.view.allocation

    @property
    def generated_by(self) -> str:
        return self.view.sources.generated_by

    @property
    def population_sha256(self) -> str:
        return self.view.sources.population_sha256

    def to_frame(self) -> pd.DataFrame:
        """One row per budget year and paying member: year, code, municipality, key_year, population, months,
        weight (population × months), share and amount. `share` is an exact Fraction; `amount` and `cost` are Decimal kroner, exact."""
        import pandas as pd

        from ..core.money import major

        rows = [
            {
                "year": period.year,
                "code": share.code,
                "municipality": share.municipality,
                "key_year": period.population_year,
                "population": share.population,
                "months": share.months,
                "weight": share.population_months,
                "share": share.fraction,
                "amount": major(share.amount, 2),
                "cost": major(period.cost, 2),
            }
            for period in self.allocation.periods
            for share in period.shares
        ]
        return pd.DataFrame(
            rows, columns=["year", "code", "municipality", "key_year", "population", "months", "weight", "share", "amount", "cost"]
        )


def _gap_hint(item: Problem, basis: str, today: date | None) -> str:
    """The hint a user can act on for a gap in the population data: fetch a past year, or (with --final) wait for
    one not published yet."""
    key, values = item.key, dict(item.params)
    if key.startswith("err_gap_year"):
        available = tuple(int(str(year)) for year in values.get("available") or ())  # type: ignore[attr-defined]
        year = int(str(values["year"]))
        if available and year > max(available) and not published(year, today or date.today()):
            return "hint_not_published_final"
        return "hint_fetch_year" if basis != "fixed" else "hint_fetch_or_key_year"
    return {"err_gap_member": "hint_check_members", "err_gap_no_members": "hint_check_joins"}.get(key, "hint_list_members")


def members(config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]]) -> tuple[Membership, ...] | None:
    """The config's members with names resolved to codes (as --municipality resolves them); None: everyone in the data."""
    entries = config.member_entries
    if entries is None:
        return None
    names = latest_names(population)
    spelled = spellings(names)
    problems: list[Problem] = []
    resolved: list[Membership] = []
    first_index: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = config.location(("members", index))
        query = entry.municipality
        if query.isdigit():
            code = query
            if code not in names:
                problems.append(problem("err_member_unknown", config.display, where, "hint_member_code", subject=f"members[{index}]",
                                        code=code, data=config.population_display))  # fmt: skip
                continue
        else:
            try:
                code = municipality_code(query, names, spelled)
            except InvalidValueError as refusal:
                problems.append(refusal.at(config.display, where, f"members[{index}]"))
                continue
        if code in first_index:
            problems.append(
                problem("err_member_twice", config.display, where, subject=f"members[{index}]", code=code, first=first_index[code])
            )
            continue
        first_index[code] = index
        resolved.append(Membership(code, entry.joins, entry.leaves))
    if problems:
        raise ConfigError(problems)
    return tuple(resolved)


def compute(config_path: Path, years: tuple[int, ...] | None = None, final: bool = False) -> Computation:
    """Config → population → allocation → View, each step validated at its edge. `years`: only these budget years
    (so a table of one year needs only that year's key figures). `final`: nothing provisional; a year whose key figures
    or P/L rate are not known yet is an error."""
    return compute_loaded(load_config(config_path), years, final)


def _final_rates(config: LoadedConfig, periods: tuple[Period, ...]) -> list[Problem]:
    """With --final, every P/L rate an indexed item needs, also beyond the last one given."""
    if config.indexation is None:
        return []
    final = dataclasses.replace(config.indexation, projecting=False)
    needed = missing_rates(indexed_spans(config.cost_items), periods, final)
    where = config.location(("indexation", "rates"))
    return [problem("err_missing_rate", config.display, where, "hint_rate_final", subject="indexation.rates", year=year, item=index,
                    previous=year - 1) for year, index in sorted(needed.items())]  # fmt: skip


def check_budget_years(config: LoadedConfig, years: tuple[int, ...] | None) -> None:
    """Refuse, all at once, any of `years` that is not a budget year of the agreement."""
    known = [p.year for p in config.periods]
    refusals = [refusal for year in sorted(set(years or ())) if (refusal := not_budget_year(year, known))]
    if refusals:
        raise ConfigError([refusal.at(config.display, None, "years") for refusal in refusals])


def _allocation(
    config: LoadedConfig,
    periods: tuple[Period, ...],
    population: PopulationFile,
    membership: Members,
    files: dict[str, Path],
    today: date | None,
) -> Allocation:
    """The core's allocation of `periods`, a year whose figures are not known yet computed provisionally on the newest
    known; a problem it finds is put at the file or the config line it comes from (a gap in the population data with
    the hint that fits it on `today`)."""
    model = config.model
    key_weights = {name: load_weights(path, display_path(path)) for name, path in files.items()}
    try:
        return allocate(periods, config.cost_items, config.unit, population.table, basis=model.population.basis,
                        key_year=model.population.year, members=membership, indexation=config.indexation,
                        key_weights=key_weights)  # fmt: skip
    except PopulationGapError as exc:
        raise _gap_error(config, exc, today) from None
    except DataError as exc:  # a weights file without a year or a member, or with every member's figure 0
        named = {item.key: dict(item.params).get("name") for item in exc.problems}
        raise DataError([dataclasses.replace(item, file=display_path(files[str(named[item.key])])) if named[item.key] in files else item
                         for item in exc.problems]) from None  # fmt: skip
    except AllocationError as exc:  # a cap that cannot hold
        raise ConfigError([dataclasses.replace(item, file=config.display) for item in exc.problems]) from None


def check_size(config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]], membership: Members) -> None:
    """Refuse, before any share is worked out, a config that asks for more than MAX_SHARES of them: its members (or
    everyone in the population file) × its budget years × the parts of its cost items and the instalments a year."""
    count = len(membership) if membership is not None else len({code for rows in population.values() for code in rows})
    years = len(config.periods)
    billing = config.model.billing
    parts = sum(item.parts for item in config.cost_items) + (billing.instalments if billing is not None else 0)
    if count * years * parts > MAX_SHARES:
        raise ConfigError([problem("err_too_many_shares", config.display, None, "hint_too_many_shares", members=Count(count),
                                   years=Count(years), parts=Count(parts), shares=Count(count * years * parts),
                                   limit=Count(MAX_SHARES))])  # fmt: skip


def _check_total(config: LoadedConfig, allocation: Allocation) -> None:
    """Refuse a total larger than any amount costshare writes exactly."""
    currency = config.model.currency
    if allocation.total() > MAX_TOTAL_MINOR:
        raise ConfigError([problem("err_total_too_large", config.display, config.location(("costs",)), subject="costs",
                                   total=Money(allocation.total(), currency), limit=Money(MAX_TOTAL_MINOR, currency))])  # fmt: skip


def compute_loaded(
    config: LoadedConfig,
    years: tuple[int, ...] | None = None,
    final: bool = False,
    today: date | None = None,
    with_record: bool = True,
    selection: tuple[int, ...] | None = None,
) -> Computation:
    """compute() for a config already loaded, on the date `today` (the day it runs when not given). `years` must be budget
    years of the agreement; an empty tuple gives a View with no budget year (compare: the other config has none of them).
    A year in the agreement's record is decided: its amounts are the record's (`with_record` off: today's config's).
    `selection`: the budget years the View shows (None: all); `final` concerns these alone, so the years around them
    may stay provisional."""
    check_budget_years(config, years)
    population = load_population(config.population_file, config.population_display)
    record = record_of(config).years if with_record else {}
    periods = tuple(p for p in config.periods if years is None or p.year in years)
    open_periods = tuple(p for p in periods if p.year not in record)  # today's config governs these alone
    final_periods = _shown(open_periods, selection) if final else ()
    _require_final_rates(config, final_periods)
    membership = members(config, population.table)
    _final_key_years(config, final_periods, population, membership, today)
    check_size(config, population.table, membership)
    decided = decided_periods(config, record, periods, membership, latest_names(population.table))
    files = config.weights_files
    allocation = with_decided(_allocation(config, open_periods, population, membership, files, today), decided)
    _check_total(config, allocation)
    view = _view(config, population, allocation, membership, files)
    billed = billed_years(config, view, today or date.today())
    return Computation(config, dataclasses.replace(view, billed=billed, selection=selection))


def _shown(periods: tuple[Period, ...], selection: tuple[int, ...] | None) -> tuple[Period, ...]:
    """The periods among `periods` that `selection` shows (None: all)."""
    return periods if selection is None else tuple(p for p in periods if p.year in selection)


def _require_final_rates(config: LoadedConfig, periods: tuple[Period, ...]) -> None:
    """With --final: every P/L rate these budget years need is given."""
    if rates := _final_rates(config, periods):
        raise ConfigError(rates)


def _final_key_years(config: LoadedConfig, periods: tuple[Period, ...], population: PopulationFile, membership: Members,
                     today: date | None) -> None:  # fmt: skip
    """With --final: the population figures of every key year these budget years need are in the file."""
    if not periods:
        return
    model = config.model
    try:
        checked_key_years(population.table, periods, model.population.basis, model.population.year, membership, projecting=False)
    except PopulationGapError as exc:
        raise _gap_error(config, exc, today) from None


def _gap_error(config: LoadedConfig, exc: PopulationGapError, today: date | None) -> DataError:
    """A gap in the population data, put at the population file with the hint that fits it on `today`."""
    basis = config.model.population.basis
    return DataError([dataclasses.replace(item, file=config.population_display, hint_key=_gap_hint(item, basis, today))
                      for item in exc.problems])  # fmt: skip


def _view(config: LoadedConfig, population: PopulationFile, allocation: Allocation, membership: Members, files: dict[str, Path]) -> View:
    """The View of an allocation: the config's words as plain, frozen values (every year's billing is added after)."""
    model = config.model
    sources = Sources(GENERATED_BY, config.display, config.sha256, config.population_display, population.sha256, model.population.source)
    return View(
        alliance=model.alliance,
        currency=model.currency,
        rounding_unit=model.rounding.unit,
        agreement=Agreement(model.agreement.start, model.agreement.end, model.agreement.note, model.agreement.reference),
        allocation=allocation,
        key_year=model.population.year,
        notes=tuple(model.notes),
        sources=sources,
        sender=_sender(model.sender) if model.sender is not None else None,
        billing=billing(config, population.table, allocation),
        invoicing=_invoicing(model.billing) if model.billing is not None else None,
        actuals=actual_costs(config),
        changes={m.code: m for m in membership or () if m.joins is not None or m.leaves is not None},
        weights_files={name: display_path(path) for name, path in files.items()},
        record_file=display_path(config.record_file) if config.record_file is not None else None,
        issued=read_register(config.register_file, config.register_display).rows if config.register_file is not None else (),
    )


def actual_costs(config: LoadedConfig) -> dict[int, dict[str, int]]:
    """Each finished budget year's actual cost per cost item, by label, in minor units: one figure is the year's one
    item's (the config's rules hold that the year has one)."""
    periods = {period.year: period for period in config.periods}
    found: dict[int, dict[str, int]] = {}
    for year, actual in sorted(config.model.actuals.items()):
        if isinstance(actual, dict):
            found[year] = {label: to_minor(amount) for label, amount in actual.items()}
        else:
            found[year] = {label: to_minor(actual) for label in running_labels(config.model.costs, periods[year])}
    return found


def billing(
    config: LoadedConfig, population: Mapping[int, Mapping[str, Municipality]], allocation: Allocation
) -> dict[str, BillingDetails]:
    """The billing details by member code; a key that is not a paying member is an error at its line."""
    if config.model.billing is None:
        return {}
    names = latest_names(population)
    spelled = spellings(names)
    found: dict[str, BillingDetails] = {}
    given_as: dict[str, str] = {}  # code → the key it was first given by
    problems = []
    for key, details in config.model.billing.members.items():
        where = config.location(("billing", "members", key))
        try:
            code = key if key.isdigit() else municipality_code(key, names, spelled)
        except InvalidValueError as refusal:
            problems.append(refusal.at(config.display, where, f"billing.members.{key}"))
            continue
        if code not in allocation.codes:
            problems.append(problem("err_billing_not_member", config.display, where, subject=f"billing.members.{key}", code=code))
            continue
        if code in given_as:
            problems.append(problem("err_billing_twice", config.display, where, subject=f"billing.members.{key}", code=code,
                                    first=f"billing.members.{given_as[code]}"))  # fmt: skip
            continue
        given_as[code] = key
        found[code] = BillingDetails(details.ean, details.reference, details.account, details.order, details.name, details.cvr)
    if problems:
        raise ConfigError(problems)
    return found


def _sender(model: SenderModel) -> Sender:
    payment = None
    if model.bank is not None:
        payment = Payment(registration=model.bank.registration, account=model.bank.account)
    elif model.fik is not None:
        payment = Payment(creditor=model.fik.creditor)
    return Sender(model.name, tuple(model.address), model.cvr, model.contact, payment, model.legal_name, model.ean)


def _invoicing(model: BillingModel) -> Invoicing:
    vat = model.vat
    percent = vat.percent if vat.percent is not None else (Decimal(25) if vat.category == "S" else None)
    terms = model.payment_terms_days if model.payment_terms_days is not None else Invoicing.payment_terms_days
    minimum = to_minor(model.minimum) if model.minimum is not None else 0
    return Invoicing(model.instalments, terms, vat.category, percent, vat.reason, model.prefix, minimum, model.first_year,
                     model.attach_statement)  # fmt: skip
