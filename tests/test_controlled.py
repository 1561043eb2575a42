"""The controlled rounding of a two-way table, held to figures worked by hand and to its promises: rows exact,
columns exact, every cell the floor or the ceiling of its exact value, and the order passed irrelevant."""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.core.controlled import TableRoundingError, controlled_rounding

F = Fraction


def test_three_members_two_items_worked_by_hand():
    # population 1, 1 and 2; items of 3 and 5 units: exact shares 3/4, 3/4, 3/2 and 5/4, 5/4, 5/2; rows 2, 2 and 4.
    # item 1: floors 0 + 0 + 1 leave 2 units, to the largest parts 3/4 and 3/4; item 2: floors 1 + 1 + 2 leave 1, to 1/2
    cells = [[F(3, 4), F(5, 4)], [F(3, 4), F(5, 4)], [F(3, 2), F(5, 2)]]
    assert controlled_rounding(cells, [2, 2, 4], [3, 5], ["A", "B", "C"], [0, 1]) == ((1, 1), (1, 1), (1, 3))


def test_a_row_over_its_total_passes_a_unit_to_a_row_under_it():
    # each column's leftover unit goes to X by key (both parts 1/2): X holds 5 for its 4, Y 3 for its 4;
    # X gives up its unit in the first column and Y takes it there
    cells = [[F(5, 2), F(3, 2)], [F(3, 2), F(5, 2)]]
    assert controlled_rounding(cells, [4, 4], [4, 4], ["X", "Y"], ["a", "b"]) == ((2, 2), (2, 2))


def test_a_chain_through_a_second_column():
    # parts: P has 1/2 of a and 1/2 of b, Q 1/2 of a, R 1/2 of b. Column a's unit goes to P (key), column b's to P
    # too, so P holds 2 for its 1 while R is short of one; P can give its unit of b to R directly.
    cells = [[F(1, 2), F(1, 2)], [F(1, 2), F(0)], [F(0), F(1, 2)]]
    assert controlled_rounding(cells, [1, 0, 1], [1, 1], ["P", "Q", "R"], ["a", "b"]) == ((1, 0), (0, 0), (0, 1))
    # Q short instead: P gives up its unit of a to Q
    assert controlled_rounding(cells, [1, 1, 0], [1, 1], ["P", "Q", "R"], ["a", "b"]) == ((0, 1), (1, 0), (0, 0))


def test_whole_cells_stay_as_they_are():
    cells = [[F(7), F(1, 3)], [F(2), F(2, 3)]]
    assert controlled_rounding(cells, [7, 3], [9, 1], ["A", "B"], [0, 1]) == ((7, 0), (2, 1))


def test_targets_that_differ_in_sum_are_refused():
    with pytest.raises(TableRoundingError, match="rows add up to 3, the columns to 4"):
        controlled_rounding([[F(3, 2)], [F(3, 2)]], [2, 1], [4], ["A", "B"], [0])


def test_a_column_target_out_of_reach_is_refused():
    with pytest.raises(TableRoundingError, match="column 0 cannot reach 3"):
        controlled_rounding([[F(1, 2), F(1)], [F(1, 2), F(1)]], [2, 2], [3, 1], ["A", "B"], [0, 1])


def test_rows_that_no_rounding_reaches_are_refused_or_widened_with_slack():
    # A and B share item a (1/2 each), C and D item b; A and B both ask 1, C and D 0. Column a's unit goes to A, b's
    # to C (by key); C is over its total and the only row short of one, B, has nothing of b to take
    cells = [[F(1, 2), F(0)], [F(1, 2), F(0)], [F(0), F(1, 2)], [F(0), F(1, 2)]]
    with pytest.raises(TableRoundingError, match="row 'C' cannot reach its total"):
        controlled_rounding(cells, [1, 1, 0, 0], [1, 1], ["A", "B", "C", "D"], [0, 1])
    # with a slack of one, B takes b's unit (one unit past its ceiling of 0): rows and columns still exact
    widened = controlled_rounding(cells, [1, 1, 0, 0], [1, 1], ["A", "B", "C", "D"], [0, 1], slack=1)
    assert widened == ((1, 0), (0, 1), (0, 0), (0, 0))


def test_keys_must_be_distinct():
    with pytest.raises(TableRoundingError, match="distinct"):
        controlled_rounding([[F(1)], [F(1)]], [1, 1], [2], ["A", "A"], [0])


@st.composite
def tables(draw):
    """A table with a known rounding: whole cells, each the ceiling or the floor of an exact cell drawn beside it (or
    the exact cell itself); the targets are the whole table's sums, so a rounding always exists."""
    rows = draw(st.integers(min_value=1, max_value=7))
    columns = draw(st.integers(min_value=1, max_value=5))
    whole = [[draw(st.integers(min_value=0, max_value=40)) for _ in range(columns)] for _ in range(rows)]
    cells = []
    for row in whole:
        exact = []
        for value in row:
            part = F(draw(st.integers(min_value=1, max_value=99)), draw(st.sampled_from([2, 3, 7, 100])) * 100)
            way = draw(st.sampled_from(["exact", "down", "up"] if value else ["exact", "up"]))
            exact.append(F(value) if way == "exact" else value - part if way == "down" else value + part)
        cells.append(exact)
    return cells, [sum(row) for row in whole], [sum(row[j] for row in whole) for j in range(columns)]


@settings(max_examples=300, deadline=None)
@given(tables())
def test_rows_and_columns_exact_every_cell_its_floor_or_ceiling(table):
    cells, row_targets, column_targets = table
    rounded = controlled_rounding(cells, row_targets, column_targets, list(range(len(cells))), list(range(len(column_targets))))
    assert [sum(row) for row in rounded] == row_targets
    assert [sum(row[j] for row in rounded) for j in range(len(column_targets))] == column_targets
    for exact_row, rounded_row in zip(cells, rounded, strict=True):
        for exact, whole in zip(exact_row, rounded_row, strict=True):
            assert whole in (math.floor(exact), math.ceil(exact))


@settings(max_examples=200, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_the_order_rows_and_columns_are_passed_in_does_not_matter(table, random):
    cells, row_targets, column_targets = table
    row_keys = [f"{i:03d}" for i in range(len(cells))]
    column_keys = list(range(len(column_targets)))
    rounded = controlled_rounding(cells, row_targets, column_targets, row_keys, column_keys)
    row_order, column_order = list(range(len(cells))), list(range(len(column_targets)))
    random.shuffle(row_order)
    random.shuffle(column_order)
    shuffled = controlled_rounding(
        [[cells[i][j] for j in column_order] for i in row_order],
        [row_targets[i] for i in row_order],
        [column_targets[j] for j in column_order],
        [row_keys[i] for i in row_order],
        [column_keys[j] for j in column_order],
    )
    for new_i, i in enumerate(row_order):
        for new_j, j in enumerate(column_order):
            assert shuffled[new_i][new_j] == rounded[i][j]


@settings(max_examples=200, deadline=None)
@given(tables())
def test_slack_changes_nothing_where_a_rounding_exists(table):
    cells, row_targets, column_targets = table
    keys = list(range(len(cells))), list(range(len(column_targets)))
    assert controlled_rounding(cells, row_targets, column_targets, *keys, slack=1) == controlled_rounding(
        cells, row_targets, column_targets, *keys
    )
