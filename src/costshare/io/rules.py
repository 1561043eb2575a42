"""The config's checks that span fields, run once the schema holds: each a small function returning its problems.

Dates in order and inside the agreement (an item that costs something, a member that pays), amounts fine enough
for the unit, the P/L rates every indexed item needs and a base year within the agreement's reach, a key year
where the basis needs one, order numbers given for budget years, keys that name known bases with percents adding up
to 100, and VAT at the standard rate only in Danish kroner. Every problem is
reported at once, in the order of the config: the agreement, then item by item, then the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from ..core.errors import InvalidValueError, Problem, problem
from ..core.keys import BUILT_IN_BASES
from ..core.periods import Indexation, budget_periods, missing_rates
from .items import CostItemModel, item_bases, running_labels, written_amount
from .schema import AllianceConfig
from .values import not_budget_year, ore_refusal, thousands_refusal, unit_refusal
from .yamlsource import YamlDocument, dotted

Path_ = tuple[str | int, ...]


def config_problem(doc: YamlDocument, file: str, path: Path_, key: str, hint: str | None = None, **params: object) -> Problem:
    """A problem at a key of the config: its file, its line, and the key written as `costs[0].yearly`."""
    line = doc.line_of(path)
    return problem(key, file, str(line) if line else None, hint, subject=dotted(path) or None, **params)


@dataclass(frozen=True)
class ConfigAt:
    """A config the schema accepted, with the document and file it was read from, so a check can name the line."""

    doc: YamlDocument
    file: str
    config: AllianceConfig

    def problem(self, path: Path_, key: str, hint: str | None = None, **params: object) -> Problem:
        return config_problem(self.doc, self.file, path, key, hint, **params)

    @cached_property
    def budget_years(self) -> list[int]:
        return [period.year for period in budget_periods(self.config.agreement.start, self.config.agreement.end)]

    def outside(self, path: Path_, key: str, word: str, day: date) -> Problem:
        """A date that puts a cost item or a member wholly outside the agreement: `key` says which, `word` how."""
        agreement = self.config.agreement
        return self.problem(path, key, what_word=word, value=day, start=agreement.start, end=agreement.end)

    def refused(self, path: Path_, refusal: InvalidValueError) -> Problem:
        """A value refused by io/values.py, at its line."""
        return self.problem(path, refusal.key, refusal.hint, **refusal.params)


def rule_problems(doc: YamlDocument, file: str, config: AllianceConfig) -> list[Problem]:
    """Every problem the cross-field checks find: the dated ones only where the agreement's dates are in order."""
    at = ConfigAt(doc, file, config)
    dated = agreement_order(at) or [found for check in DATED_CHECKS for found in check(at)]
    return dated + [found for check in KEY_CHECKS for found in check(at)]


def agreement_order(at: ConfigAt) -> list[Problem]:
    agreement = at.config.agreement
    if agreement.end < agreement.start:
        return [at.problem(("agreement", "end"), "err_end_before_start", end=agreement.end, start=agreement.start)]
    return []


# ---- each cost item


def item_decimals(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """The item's amount has no more decimals than the rounding unit (io.values.unit_refusal says which slip)."""
    field, amount = written_amount(item)
    refusal = unit_refusal(amount, at.config.rounding.unit)
    return [at.refused(("costs", index, field), refusal)] if refusal else []


def item_cap(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """A cap is whole øre and no Danish thousands dot (finer than the unit is fine: it is pro-rated)."""
    if item.cap is None:
        return []
    refusal = thousands_refusal(item.cap, at.config.rounding.unit) or ore_refusal(item.cap)
    return [at.refused(("costs", index, "cap"), refusal)] if refusal else []


def one_off_year(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """A one-off amount falls in a budget year of the agreement and is whole rounding units."""
    if item.one_off is None:
        return []
    if refusal := not_budget_year(item.year or 0, at.budget_years):
        return [at.refused(("costs", index, "year"), refusal)]
    unit = at.config.rounding.unit
    if item.one_off % unit:
        return [at.problem(("costs", index, "one_off"), "err_not_whole_units", amount=item.one_off, unit=unit)]
    return []


def item_runs(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """The item's span meets the agreement: it does not start after the agreement's end or end before its start."""
    agreement = at.config.agreement
    problems = []
    if item.from_ is not None and item.from_ > agreement.end:
        problems.append(at.outside(("costs", index, "from"), "err_item_never", "word_starts", item.from_))
    if item.to is not None and item.to < agreement.start:
        problems.append(at.outside(("costs", index, "to"), "err_item_never", "word_ends", item.to))
    return problems


def item_inside_agreement(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """The item's span lies inside the agreement, its `from` before its `to`."""
    agreement = at.config.agreement
    problems = []
    if item.from_ is not None and item.from_ < agreement.start:
        problems.append(at.problem(("costs", index, "from"), "err_before_agreement", value=item.from_, start=agreement.start))
    if item.to is not None and item.to > agreement.end:
        problems.append(at.problem(("costs", index, "to"), "err_after_agreement", value=item.to, end=agreement.end))
    if item.from_ is not None and item.to is not None and item.to < item.from_:
        problems.append(at.problem(("costs", index, "to"), "err_to_before_from", to=item.to, start=item.from_))
    return problems


def item_indexation(at: ConfigAt, index: int, item: CostItemModel) -> list[Problem]:
    """An indexed item needs the config's indexation."""
    if item.indexed and at.config.indexation is None:
        return [at.problem(("costs", index, "indexed"), "err_indexed_without_indexation", "hint_indexation")]
    return []


ItemCheck = Callable[[ConfigAt, int, CostItemModel], list[Problem]]
ITEM_CHECKS: tuple[ItemCheck, ...] = (item_decimals, item_cap, one_off_year, item_runs, item_inside_agreement, item_indexation)


def item_problems(at: ConfigAt) -> list[Problem]:
    """Every item's problems, item by item."""
    return [found for index, item in enumerate(at.config.costs) for check in ITEM_CHECKS for found in check(at, index, item)]


# ---- the rest of the config


def rates_needed(at: ConfigAt) -> list[Problem]:
    """The P/L rates the indexed items need for the years they run in, up to the last rate given."""
    model = at.config.indexation
    if model is None:
        return []
    indexation = Indexation(model.base_year, {year: Fraction(rate) for year, rate in model.rates.items()})
    spans = {index: (item.from_, item.to) for index, item in enumerate(at.config.costs) if item.indexed}
    periods = budget_periods(at.config.agreement.start, at.config.agreement.end)
    return [
        at.problem(("indexation", "rates"), "err_missing_rate", "hint_rate", year=year, item=index, previous=year - 1)
        for year, index in missing_rates(spans, periods, indexation).items()
    ]


def members_pay(at: ConfigAt) -> list[Problem]:
    """Each member is a member for some of the agreement: it does not leave by its start or join after its end."""
    agreement = at.config.agreement
    problems = []
    for index, member in enumerate(at.config.members or ()):
        if member.leaves is not None and member.leaves <= agreement.start:
            problems.append(at.outside(("members", index, "leaves"), "err_member_never", "word_leaves", member.leaves))
        if member.joins is not None and member.joins > agreement.end:
            problems.append(at.outside(("members", index, "joins"), "err_member_never", "word_joins", member.joins))
    return problems


def base_year(at: ConfigAt) -> list[Problem]:
    """The P/L base year is not after the agreement's last budget year."""
    model, last = at.config.indexation, at.budget_years[-1]
    if model is not None and model.base_year > last:
        return [at.problem(("indexation", "base_year"), "err_base_year_after", year=model.base_year, last=last)]
    return []


def _amount_refusal(at: ConfigAt, amount: Decimal) -> InvalidValueError | None:
    """An actual cost is whole øre without a Danish thousands dot (øre are fine whatever the rounding unit)."""
    return thousands_refusal(amount, at.config.rounding.unit) or ore_refusal(amount)


def year_labels(at: ConfigAt, year: int) -> list[str]:
    """The labels of the cost items that run in budget year `year`, in the config's order."""
    period = next(period for period in budget_periods(at.config.agreement.start, at.config.agreement.end) if period.year == year)
    return running_labels(at.config.costs, period)


def _item_actuals(at: ConfigAt, year: int, given: dict[str, Decimal], labels: list[str]) -> list[Problem]:
    """Each item's actual cost names one cost item of the year by its label, and every item of the year has one."""
    problems = []
    for label, amount in given.items():
        path = ("actuals", year, label)
        if refusal := _amount_refusal(at, amount):
            problems.append(at.refused(path, refusal))
        elif labels.count(label) == 0:
            problems.append(at.problem(path, "err_actual_label", "hint_actual_labels", label=label, year=year, labels=", ".join(labels)))
        elif labels.count(label) > 1:
            problems.append(at.problem(path, "err_actual_label_twice", label=label, year=year, count=labels.count(label)))
    missing = [label for label in dict.fromkeys(labels) if label not in given]
    if missing and not problems:  # a misspelt label is one line, naming the year's items
        problems.append(at.problem(("actuals", year), "err_actual_missing", year=year, labels=", ".join(missing)))
    return problems


def actuals(at: ConfigAt) -> list[Problem]:
    """An actual cost is for a budget year of the agreement, in whole øre without a thousands dot: one figure where the
    year has one cost item, else each item's by its label."""
    problems = []
    for year, actual in at.config.actuals.items():
        if refusal := not_budget_year(year, at.budget_years):
            problems.append(at.refused(("actuals", year), refusal))
        elif isinstance(actual, dict):
            problems += _item_actuals(at, year, actual, year_labels(at, year))
        elif refusal := _amount_refusal(at, actual):
            problems.append(at.refused(("actuals", year), refusal))
        elif len(labels := year_labels(at, year)) != 1:
            key, hint = ("err_actual_one_figure", "hint_actual_items") if labels else ("err_actual_no_item", None)
            problems.append(at.problem(("actuals", year), key, hint, year=year, count=len(labels), label=(labels or [""])[0]))
    return problems


def billing_minimum(at: ConfigAt) -> list[Problem]:
    """The smallest settlement difference invoiced is whole øre without a Danish thousands dot."""
    billing = at.config.billing
    if billing is None or billing.minimum is None:
        return []
    refusal = thousands_refusal(billing.minimum, at.config.rounding.unit) or ore_refusal(billing.minimum)
    return [at.refused(("billing", "minimum"), refusal)] if refusal else []


def billing_first_year(at: ConfigAt) -> list[Problem]:
    """The first budget year costshare invoices is a budget year of the agreement."""
    billing = at.config.billing
    if billing is None or billing.first_year is None:
        return []
    refusal = not_budget_year(billing.first_year, at.budget_years)
    return [at.refused(("billing", "first_year"), refusal)] if refusal else []


def billing_order_years(at: ConfigAt) -> list[Problem]:
    """A member's order number given by year is given for budget years of the agreement."""
    billing = at.config.billing
    members = billing.members.items() if billing is not None else ()
    return [
        at.refused(("billing", "members", key, "order", year), refusal)
        for key, details in members
        if isinstance(details.order, dict)
        for year in details.order
        if (refusal := not_budget_year(year, at.budget_years))
    ]


def key_year(at: ConfigAt) -> list[Problem]:
    """A fixed basis names its key year; no other basis does."""
    population = at.config.population
    if population.basis == "fixed" and population.year is None:
        return [at.problem(("population",), "err_fixed_needs_year", "hint_key_year")]
    if population.basis != "fixed" and population.year is not None:
        return [at.problem(("population", "year"), "err_year_only_fixed", "hint_remove", basis=population.basis)]
    return []


DATED_CHECKS: tuple[Callable[[ConfigAt], list[Problem]], ...] = (
    item_problems,
    rates_needed,
    members_pay,
    base_year,
    actuals,
    billing_minimum,
    billing_first_year,
    billing_order_years,
    key_year,
)


# ---- keys


def weights_names(at: ConfigAt) -> list[Problem]:
    """A weights file is not named as a built-in base."""
    return [at.problem(("weights", name), "err_weights_reserved", name=name) for name in at.config.weights if name in BUILT_IN_BASES]


def item_keys(at: ConfigAt) -> list[Problem]:
    """Each item's key names known bases (population, equal, a `weights` name) with percents adding up to 100."""
    known = tuple(sorted({*BUILT_IN_BASES, *at.config.weights}))
    problems = []
    for index, item in enumerate(at.config.costs):
        bases = item_bases(item)
        where = ("costs", index, "key")
        problems += [
            at.problem(where, "err_key_unknown", "hint_key_unknown", name=base, known=known) for base, _ in bases if base not in known
        ]
        total = sum(percent for _, percent in bases)
        if total != 100:
            problems.append(at.problem(where, "err_blend_sum", total=total))
    return problems


# ---- the currency


def vat_currency(at: ConfigAt) -> list[Problem]:
    """Danish VAT at the standard rate (category S) is charged in Danish kroner: an e-invoice in another currency would
    have to state the VAT in kroner too, which costshare does not write."""
    billing, currency = at.config.billing, at.config.currency
    if billing is None or billing.vat.category != "S" or currency == "DKK":
        return []
    return [at.problem(("billing", "vat", "category"), "err_vat_s_currency", "hint_vat_s_currency", currency=currency)]


KEY_CHECKS: tuple[Callable[[ConfigAt], list[Problem]], ...] = (weights_names, item_keys, vat_currency)
