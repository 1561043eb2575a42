"""What one member's budget year is issued now, given what was issued before: the rule of issuing, pure and in minor
units.

Issued documents never change. The instalments not yet issued carry the difference between the member's amount now
and what it has been invoiced less credited for the year, spread over all of them in proportion to their months as the
year's instalments are (`amounts_by_months`); those whose months begin on or before `until` are issued now. An
instalment of nothing is never issued, so an instalment is counted among those with an amount: the ones issued and the
ones still to come. An instalment is issued once by
its number, and a month once by an instalment, so a change in the number of instalments never bills a month again.
Where the member has been invoiced more than its amount now, a credit note for the excess refers to its invoices of
the year; where every instalment is issued and the amount has risen, an invoice for the rest. Either is an
adjustment, numbered from 50: never an instalment's number (at most 12) nor the settlement's (99).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .billing import Instalment, amounts_by_months
from .register import Issued, Kind

ADJUSTMENT_FIRST = 50  # an adjustment's place among its year's numbers: after every instalment
SETTLEMENT_PLACE = 99  # the settlement's place, which an adjustment never takes


@dataclass(frozen=True)
class MemberYear:
    """One member's budget year as it stands: its amount now and its instalments (core.billing.instalments)."""

    code: str
    year: int
    amount: int
    schedule: tuple[Instalment, ...]
    unit: int


@dataclass(frozen=True)
class ToIssue:
    """One document to issue now: an instalment (`instalment` its number) or an adjustment (None), always positive."""

    kind: Kind
    number: str
    place: int  # its place among the year's numbers: the instalment's number, or an adjustment's from 50
    instalment: int | None
    count: int  # the member's instalments that year (for an instalment: those with an amount, issued or to come)
    start: date  # the months it covers
    end: date
    net: int
    references: tuple[str, ...]  # a credit note's: the member's a conto invoices of the year
    ordinal: int | None = None  # an instalment's place among the `count` (its number counts those of nothing too)


def due_date(issued: date, terms_days: int, first_day: date, closed: Container[date]) -> date:
    """The later of `issued` plus the payment terms and the first day a document covers, moved forward to the next
    bank day: not a Saturday or a Sunday and not a day in `closed` (the days the banks close besides)."""
    due = max(issued + timedelta(days=terms_days), first_day)
    while due.weekday() >= 5 or due in closed:
        due += timedelta(days=1)
    return due


def _span(rows: Iterable[Issued]) -> tuple[date, date]:
    listed = list(rows)
    return min(row.start for row in listed), max(row.end for row in listed)


def _next_place(number_of: Callable[[int], str], taken: Container[str]) -> int:
    """The first adjustment place from 50 whose number was never issued (the settlement's 99 skipped)."""
    place = ADJUSTMENT_FIRST
    while place == SETTLEMENT_PLACE or number_of(place) in taken:
        place += 1
    return place


def _adjustment(member: MemberYear, rows: list[Issued], difference: int, number_of: Callable[[int], str], taken: Container[str]) -> ToIssue:
    """A credit note for an excess invoiced (difference < 0), referring to the member's invoices of the year; or an
    invoice for a rise after every instalment was issued (difference > 0), covering the months the member pays."""
    place = _next_place(number_of, taken)
    count = len(member.schedule)
    if difference < 0:
        invoices = [row for row in rows if row.kind == "invoice"]
        start, end = _span(invoices or rows)
        references = tuple(row.number for row in invoices)
        return ToIssue("credit_note", number_of(place), place, None, count, start, end, -difference, references)
    start, end = (member.schedule[0].start, member.schedule[-1].end) if member.schedule else _span(rows)
    return ToIssue("invoice", number_of(place), place, None, count, start, end, difference, ())


def _instalments(
    remaining: list[Instalment], difference: int, unit: int, until: date, number_of: Callable[[int], str], issued: int
) -> tuple[ToIssue, ...]:
    """The instalments not yet issued, carrying `difference` in proportion to their months; those of nothing left
    out, those beginning after `until` left for later. Each is counted after the `issued` instalments before it."""
    parts = amounts_by_months(difference, [part.months for part in remaining], unit) if remaining else ()
    billed = [(part, net) for part, net in zip(remaining, parts, strict=True) if net]
    count = issued + len(billed)
    return tuple(
        ToIssue("invoice", number_of(part.number), part.number, part.number, count, part.start, part.end, net, (), issued + ordinal)
        for ordinal, (part, net) in enumerate(billed, 1)
        if part.start <= until
    )


def _member_rows(member: MemberYear, issued: Iterable[Issued]) -> list[Issued]:
    """The member's a conto documents of its year, in the order they were issued."""
    return [row for row in issued if (row.code, row.year, row.purpose) == (member.code, member.year, "aconto")]


def _not_issued(schedule: tuple[Instalment, ...], rows: list[Issued]) -> list[Instalment]:
    """The instalments of `schedule` not yet issued: neither their number nor any of their months issued by an
    instalment (the instalments a year may have changed since: a quarter issued is not billed again as its months)."""
    issued = [row for row in rows if row.kind == "invoice" and row.instalment is not None]
    numbers = {row.instalment for row in issued}
    return [
        part
        for part in schedule
        if part.number not in numbers and not any(part.start <= row.end and row.start <= part.end for row in issued)
    ]


def to_issue(
    member: MemberYear, issued: Iterable[Issued], until: date, number_of: Callable[[int], str], taken: Container[str]
) -> tuple[ToIssue, ...]:
    """What `member` is issued now for its year: the instalments not yet issued (by number) whose months begin on or
    before `until`, carrying its amount less what it has been invoiced less credited (all a conto documents in
    `issued` for its code and year); an adjustment where the remaining instalments cannot carry it. `number_of`
    gives a place's number, `taken` holds every number ever issued."""
    rows = _member_rows(member, issued)
    difference = member.amount - sum(row.signed_net for row in rows)
    remaining = _not_issued(member.schedule, rows)
    if difference < 0 or (difference > 0 and not remaining):
        return (_adjustment(member, rows, difference, number_of, taken),)
    issued_instalments = sum(1 for row in rows if row.kind == "invoice" and row.instalment is not None)
    return _instalments(remaining, difference, member.unit, until, number_of, issued_instalments)
