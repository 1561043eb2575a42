"""The use cases from figure to money: a budget year's invoices, its settlement, and the settlement's documents.

Each takes the year's billing from the View, refuses with every reason and the config's lines where the year cannot
be invoiced or settled, and hands the writers plain data: no writer decides whether a year can be billed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from ..core.errors import AllocationError, ConfigError, Count, Day, IssueError, Problem, problem
from ..core.register import Issued
from ..core.settlement import Settlement
from .invoicing import SettledYear, billed_years, buyers, estimate, member_names, settlement, settlement_documents
from .issuing import year_documents
from .pipeline import check_budget_years
from .view import Document, Invoiceable, Refused, View

if TYPE_CHECKING:
    from .pipeline import Computation


@dataclass(frozen=True)
class Issue:
    """What `invoices` writes for a budget year: its documents, and the year's invoicing, seller and buyers they name."""

    view: View
    billed: Invoiceable
    documents: tuple[Document, ...]
    settled: SettledYear | None = None  # the settlement the documents bill, where they are a settlement's


def with_register(computation: Computation, rows: tuple[Issued, ...], on: date) -> Computation:
    """The computation with the register's documents in its View, and every year planned anew given them, as issued
    on `on`: what is planned is what was not issued."""
    view = replace(computation.view, issued=rows)
    return replace(computation, view=replace(view, billed=billed_years(computation.config, view, on)))


def _billed(computation: Computation, year: int) -> Invoiceable | Refused:
    check_budget_years(computation.config, (year,))
    return computation.view.billed[year]


def _without_actual(computation: Computation, year: int) -> list[Problem]:
    """A year without its actual cost cannot be settled."""
    config = computation.config
    if year in computation.view.actuals:
        return []
    return [problem("err_no_actual", config.display, config.location(("actuals",)), "hint_actual", subject="actuals", year=year)]


def _paid_by_rates(computation: Computation, year: int) -> list[Problem]:
    """A year paid by rates per inhabitant has no budget to settle against."""
    config, view = computation.config, computation.view
    if year not in view.actuals or not view.period(year).rate_payments:
        return []
    return [problem("err_settle_rates", config.display, config.location(("actuals", year)), subject=f"actuals.{year}", year=year)]


def _settled(computation: Computation, year: int) -> Settlement:
    """The year's settlement; an actual cost more than the members' caps allow is an error at its line."""
    config = computation.config
    try:
        return settlement(computation.view, year)
    except AllocationError as exc:
        where = config.location(("actuals", year))
        raise ConfigError(
            [replace(item, file=config.display, location=where, subject=f"actuals.{year}") for item in exc.problems]
        ) from None


def _day(day: date) -> Day:
    """A day of the record, for a message to write as its language writes dates (the days the user typed stay as typed)."""
    return Day(day.year, day.month, day.day)


def _issue_days(view: View, year: int, on: date, until: date | None) -> list[Problem]:
    """An --until outside the budget year, or a --date before the register's last day of issue: documents are issued
    in the order of their dates and never dated back."""
    period = view.period(year).period
    found = []
    if until is not None and not period.start <= until <= period.end:
        found.append(problem("err_until_outside", until=until.isoformat(), year=year, first=_day(period.start),
                             last=_day(period.end)))  # fmt: skip
    last = max((row.issued for row in view.issued), default=None)
    if last is not None and on < last:
        found.append(problem("err_date_before_issued", None, None, "hint_date_before_issued", date=on.isoformat(),
                             last=_day(last), earliest=last.isoformat()))  # fmt: skip
    return found


def year_invoices(computation: Computation, year: int, on: date, until: date | None = None) -> Issue:
    """The year's a conto documents issued on `on` (instalments that begin by `until`, default the year's end, and
    adjustments), given what the register holds; refused, with every reason, where the year cannot be invoiced."""
    billed = _billed(computation, year)
    if isinstance(billed, Refused):
        raise ConfigError(list(billed.problems))
    view = computation.view
    found = _issue_days(view, year, on, until)
    if found:
        raise IssueError(found)
    period = view.period(year)
    by_member = year_documents(view, billed.invoicing, period, on, until or period.period.end)
    issued = replace(billed, by_member=by_member)
    return Issue(view, _with_buyers(computation, issued, issued.invoices), issued.invoices)


def _with_buyers(computation: Computation, billed: Invoiceable, documents: tuple[Document, ...]) -> Invoiceable:
    """The year's invoicing with a buyer for every document: a member the register billed for the year that pays in
    it no more is invoiced by its billing details too, or refused where it has none."""
    extra = sorted({document.code for document in documents if document.code not in billed.buyers})
    if not extra:
        return billed
    named = buyers(computation.config, computation.view, extra, billed.year)
    if isinstance(named, list):
        raise ConfigError(named)
    return replace(billed, buyers={**billed.buyers, **named})


def _unissued(view: View, billed: Invoiceable) -> list[Problem]:
    """A year is settled once its instalments are all issued: the settlement bills each member's share of the actual
    cost less what it was invoiced, and closes the year's a conto (app/issuing.py), so an instalment not issued by
    then would be billed by the settlement instead of by its own invoice. An adjustment still planned is not waited
    for: the settlement settles the same difference against the actual cost."""
    planned = [document for document in billed.invoices if document.instalment is not None]
    if not planned:
        return []
    codes = sorted({document.code for document in planned})
    members = ", ".join(f"{view.name(code)} ({code})" for code in codes)
    return [problem("err_settle_unissued", None, None, "hint_settle_unissued", year=billed.year, count=Count(len(planned)),
                    members=members)]  # fmt: skip


def settlement_invoices(computation: Computation, year: int, on: date) -> Issue:
    """The year's settlement documents, issued on `on`; refused where the year cannot be invoiced or has nothing to
    settle, and, as every document, where `on` is before the register's last day of issue."""
    billed = _billed(computation, year)
    refused = billed.problems if isinstance(billed, Refused) else ()
    found = [*_without_actual(computation, year), *refused, *_paid_by_rates(computation, year)]
    if found or isinstance(billed, Refused):
        raise ConfigError(found)
    view = computation.view
    unissued = [*_unissued(view, billed), *_issue_days(view, year, on, None)]
    if unissued:
        raise IssueError(unissued)
    settled = _settled(computation, year)
    documents = settlement_documents(view, settled, on)
    year_settled = SettledYear(view, settled, documents, member_names(view, settled))
    return Issue(view, _with_buyers(computation, billed, documents), documents, year_settled)


def settled_year(computation: Computation, year: int, on: date) -> SettledYear:
    """The year's settlement and the documents it would be billed by, were they issued on `on`; refused only where the
    figures do not allow it (a provisional year, no actual cost, rates per inhabitant), as showing a settlement needs
    no invoicing details."""
    view = computation.view
    check_budget_years(computation.config, (year,))
    provisional = estimate(computation.config, view.period(year))
    found = [*_without_actual(computation, year), *provisional, *_paid_by_rates(computation, year)]
    if found:
        raise ConfigError(found)
    settled = _settled(computation, year)
    return SettledYear(view, settled, settlement_documents(view, settled, on), member_names(view, settled))
