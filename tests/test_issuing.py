"""Issuing a member's year after its amount changed: the instalments still to come carry the difference, a credit note
gives back an excess, and whatever the order of changes and runs, what is issued adds up to the amount at the end."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from costshare.core.billing import Instalment, amounts_by_months
from costshare.core.issuing import MemberYear, ToIssue, due_date, to_issue
from costshare.core.register import Issued

YEAR = 2026
CODE = "340"


def quarters_of(count: int) -> tuple[Instalment, ...]:
    """The year in `count` runs of whole months (amounts play no part in what is issued: 0)."""
    months = 12 // count
    starts = [date(YEAR, 1 + index * months, 1) for index in range(count)] + [date(YEAR + 1, 1, 1)]
    return tuple(Instalment(n, count, starts[n - 1], starts[n] - timedelta(days=1), 0) for n in range(1, count + 1))


def number(place: int) -> str:
    return f"KKR-{YEAR}-{CODE}-{place}"


def issue(amount: int, rows: list[Issued], until: date, count: int = 4, unit: int = 100) -> list[Issued]:
    """One run: what to_issue gives, appended to `rows` as the register would keep it."""
    member = MemberYear(CODE, YEAR, amount, quarters_of(count), unit)
    found = to_issue(member, rows, until, number, {row.number for row in rows})
    return rows + [as_row(document) for document in found]


def as_row(document: ToIssue) -> Issued:
    day = document.start
    return Issued(document.number, document.kind, "aconto", YEAR, CODE, "Sorø", document.instalment, document.start, document.end,
                  day, day, document.net, 0, "DKK", document.references, "0" * 64)  # fmt: skip


def owed(rows: list[Issued]) -> int:
    return sum(row.net if row.kind == "invoice" else -row.net for row in rows)


def test_with_nothing_issued_the_instalments_up_to_until_are_the_years_equal_parts():
    rows = issue(26_150_00, [], date(YEAR, 4, 1))
    assert [(row.number, row.net) for row in rows] == [(number(1), 6_538_00), (number(2), 6_538_00)]
    rows = issue(26_150_00, rows, date(YEAR, 12, 31))
    assert [(row.number, row.net) for row in rows[2:]] == [(number(3), 6_537_00), (number(4), 6_537_00)]
    assert issue(26_150_00, rows, date(YEAR, 12, 31)) == rows  # run again: nothing more


def test_a_raise_after_the_first_quarter_is_carried_by_the_three_to_come():
    rows = issue(26_150_00, [], date(YEAR, 3, 31))
    rows = issue(28_000_00, rows, date(YEAR, 12, 31))
    # 28.000 − 6.538 = 21.462 kr. in three parts: 7.154 kr. each
    assert [(row.instalment, row.net) for row in rows] == [(1, 6_538_00), (2, 7_154_00), (3, 7_154_00), (4, 7_154_00)]


def test_an_amount_below_what_was_invoiced_gives_a_credit_note_referring_to_the_invoices():
    rows = issue(26_150_00, [], date(YEAR, 6, 30))
    rows = issue(10_000_00, rows, date(YEAR, 12, 31))
    credit = rows[-1]
    assert (credit.kind, credit.number, credit.net, credit.instalment) == ("credit_note", number(50), 13_076_00 - 10_000_00, None)
    assert credit.references == (number(1), number(2)) and (credit.start, credit.end) == (date(YEAR, 1, 1), date(YEAR, 6, 30))
    assert len(rows) == 3  # the third and fourth quarters carry nothing
    rows = issue(26_150_00, rows, date(YEAR, 12, 31))  # back up: 26.150 − 10.000 = 16.150 kr. over the two to come
    assert [(row.number, row.net) for row in rows[3:]] == [(number(3), 8_075_00), (number(4), 8_075_00)]


def test_a_raise_after_every_instalment_is_an_invoice_for_the_rest_and_a_second_adjustment_takes_the_next_number():
    rows = issue(26_150_00, [], date(YEAR, 12, 31))
    rows = issue(26_200_00, rows, date(YEAR, 1, 1))
    assert (rows[-1].kind, rows[-1].number, rows[-1].net, rows[-1].references) == ("invoice", number(50), 50_00, ())
    rows = issue(26_000_00, rows, date(YEAR, 1, 1))
    assert (rows[-1].kind, rows[-1].number, rows[-1].net) == ("credit_note", number(51), 200_00)


def test_an_adjustment_never_takes_the_settlements_number():
    taken = {number(place) for place in range(50, 99)}
    member = MemberYear(CODE, YEAR, 100, quarters_of(1), 100)
    rows = [as_row(ToIssue("invoice", number(1), 1, 1, 1, date(YEAR, 1, 1), date(YEAR, 12, 31), 200, ()))]
    (credit,) = to_issue(member, rows, date(YEAR, 12, 31), number, taken | {number(1)})
    assert credit.number == number(100)


# A step is an amount change or a run up to a day of the year, with the instalments a year the config says then.
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("amount"), st.integers(0, 5_000)),
        st.tuples(st.just("run"), st.integers(0, 364)),
        st.tuples(st.just("count"), st.sampled_from((1, 2, 4, 12))),
    ),
    max_size=12,
)


@given(STEPS, st.integers(0, 5_000), st.sampled_from((1, 2, 4, 12)))
def test_whatever_the_changes_and_runs_the_year_adds_up_to_its_last_amount_each_number_once(steps, final, count):
    amount, rows = 1_000, list[Issued]()
    for kind, value in steps:
        if kind == "amount":
            amount = value
        elif kind == "count":
            count = value
        else:
            rows = issue(amount * 100, rows, date(YEAR, 1, 1) + timedelta(days=value), count)
    rows = issue(final * 100, rows, date(YEAR, 12, 31), count)
    assert owed(rows) == final * 100
    assert len({row.number for row in rows}) == len(rows)
    assert all(row.net > 0 for row in rows)
    assert all(not row.number.endswith("-99") for row in rows)
    assert issue(final * 100, rows, date(YEAR, 12, 31), count) == rows  # everything issued: a run issues nothing


def test_due_is_the_later_of_the_terms_and_the_first_day_moved_past_weekends_and_closed_days():
    closed = {date(2026, 12, 24), date(2026, 12, 25)}
    assert due_date(date(2026, 11, 24), 30, date(2026, 10, 1), closed) == date(2026, 12, 28)  # Thu 24, Fri 25, weekend
    assert due_date(date(2026, 1, 5), 30, date(2026, 4, 1), closed) == date(2026, 4, 1)  # the quarter begins later
    assert due_date(date(2026, 1, 5), 30, date(2026, 1, 1), closed) == date(2026, 2, 4)
    assert due_date(date(2026, 1, 2), 30, date(2026, 1, 1), closed) == date(2026, 2, 2)  # Sunday 1 February → Monday


def test_an_amount_too_small_for_every_month_is_issued_in_the_instalments_that_carry_it_counted_among_themselves():
    # 4 kr. over twelve months: a krone each to the four earliest, nothing to the other eight, which are never issued
    first = issue(4_00, [], date(YEAR, 2, 28), count=12)
    member = MemberYear(CODE, YEAR, 4_00, quarters_of(12), 100)
    found = to_issue(member, [], date(YEAR, 12, 31), number, set())
    assert [(item.instalment, item.net, item.ordinal, item.count) for item in found] == [(n, 1_00, n, 4) for n in range(1, 5)]
    # issued in two runs: the later ones are counted after the two already issued
    later = to_issue(member, first, date(YEAR, 12, 31), number, {row.number for row in first})
    assert [(item.instalment, item.ordinal, item.count) for item in later] == [(3, 3, 4), (4, 4, 4)]


def test_the_instalments_still_to_come_carry_a_raise_in_proportion_to_their_months():
    # a member paying from March: March alone, then three quarters; 5.000 kr. more after March was issued
    schedule = (Instalment(1, 4, date(YEAR, 3, 1), date(YEAR, 3, 31), 0),) + quarters_of(4)[1:]
    member = MemberYear(CODE, YEAR, 10_000_00, schedule, 100)
    march = [as_row(item) for item in to_issue(member, [], date(YEAR, 3, 31), number, set())]
    assert [(row.instalment, row.net) for row in march] == [(1, 1_000_00)]  # a tenth of 10.000 kr.
    raised = MemberYear(CODE, YEAR, 15_000_00, schedule, 100)
    rest = to_issue(raised, march, date(YEAR, 12, 31), number, {row.number for row in march})
    assert [(item.instalment, item.net) for item in rest] == [(2, 4_667_00), (3, 4_667_00), (4, 4_666_00)]  # 14.000 / 3


@given(st.integers(0, 10**9), st.lists(st.integers(1, 12), min_size=1, max_size=12), st.sampled_from([1, 100]))
def test_amounts_by_months_add_up_and_stay_within_a_unit_of_their_months_share(amount, months, unit):
    amount -= amount % unit
    parts = amounts_by_months(amount, months, unit)
    assert sum(parts) == amount and all(part % unit == 0 for part in parts)
    assert all(abs(part - Fraction(amount * span, sum(months))) < unit for part, span in zip(parts, months, strict=True))
    # more months, never less: a longer instalment gets at least what a shorter one does
    assert all(parts[i] >= parts[j] for i, longer in enumerate(months) for j, shorter in enumerate(months) if longer > shorter)
