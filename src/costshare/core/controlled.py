"""Controlled rounding of a two-way table: every cell to the whole unit just below or just above its exact value, so
that every row adds up to its given total and every column to its own.

costshare's table is members × cost items in one budget year: a member's row must add up to its amount as the year's
one ranked split made it (core/allocate.py) and an item's column to the item's cost. Rounding the cells one by one
would not add up either way; this finds whole cells that add up both ways, each within one unit of its exact value.

The rule, in two steps, so that the result never depends on the order rows or columns are passed in:

1. Column by column (by column key), the units the column still needs after every cell got its floor go one each to
   its largest fractional parts; ties to the lower row key.
2. While a row holds more units than its total asks, one unit moves along a chain of cells to a row that holds too
   few: the row gives up a unit in one column, a row there takes it, and, if that row is not short of one, it gives
   up a unit in another column, and so on. The rows over their total are served by row key; the chain is searched
   from the row outwards, rows and columns each visited by key. Each move keeps every column exact and every cell
   within one unit of its exact value.

Where no such rounding exists, the targets do not fit the table and `TableRoundingError` says so.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison as Key  # any keys that sort: codes, positions


class TableRoundingError(ValueError):
    """The targets do not fit the table: they differ in sum, or no cell-by-cell rounding reaches them."""


def controlled_rounding(
    cells: Sequence[Sequence[Fraction]],
    row_targets: Sequence[int],
    column_targets: Sequence[int],
    row_keys: Sequence[Key],
    column_keys: Sequence[Key],
    slack: int = 0,
) -> tuple[tuple[int, ...], ...]:
    """Whole cells, row for row and column for column with `cells` (exact, in units): each the floor or the ceiling of
    its exact value (an integer cell stays as it is), row i adding up to `row_targets[i]` and column j to
    `column_targets[j]`. Ties go by `row_keys` and `column_keys` (distinct each), never by the order passed.

    With `slack`, a table that has no such rounding may take cells up to `slack` units further (never below 0 for a
    cell that is not negative), as few as a chain can: its rows and columns still add up exactly."""
    floors, fractional = _checked(cells, row_targets, column_targets, row_keys, column_keys)
    rows, columns = _order(row_keys), _order(column_keys)
    taken = _columns_first(floors, fractional, column_targets, rows, columns, column_keys)
    row_need = [target - sum(row) for target, row in zip(row_targets, floors, strict=True)]
    excess = [sum(units) - need for units, need in zip(taken, row_need, strict=True)]
    bounds = _Bounds(floors, fractional, slack)
    for row in rows:
        while excess[row] > 0:
            end = _chain_end(row, taken, bounds, excess, rows, columns)
            if end is None:
                raise TableRoundingError(f"row {row_keys[row]!r} cannot reach its total with every cell rounded down or up")
            excess[row] -= 1
            excess[end] += 1
    return tuple(tuple(floor + units for floor, units in zip(low, row, strict=True)) for low, row in zip(floors, taken, strict=True))


def _columns_first(
    floors: list[list[int]], fractional: list[list[Fraction]], column_targets: Sequence[int], rows: list[int], columns: list[int],
    column_keys: Sequence[Key],
) -> list[list[int]]:  # fmt: skip
    """Units above the floor, cell by cell, after step 1: each column's leftover units to its largest fractional parts."""
    taken = [[0] * len(column_targets) for _ in floors]
    for column in columns:
        need = column_targets[column] - sum(row[column] for row in floors)
        candidates = [row for row in rows if fractional[row][column]]
        if not 0 <= need <= len(candidates):
            raise TableRoundingError(f"column {column_keys[column]!r} cannot reach {column_targets[column]}")
        ranked = sorted(candidates, key=lambda row: -fractional[row][column])  # stable: ties stay in row-key order
        for row in ranked[:need]:
            taken[row][column] = 1
    return taken


class _Bounds:
    """How far each cell may go from its floor: 0 to 1 (0 to 0 for a whole cell), and `slack` further either way."""

    def __init__(self, floors: list[list[int]], fractional: list[list[Fraction]], slack: int) -> None:
        self.high = [[(1 if part else 0) for part in row] for row in fractional]
        self.low = [[-min(slack, floor) if floor >= 0 else -slack for floor in row] for row in floors]
        self.slack = slack

    def cost_down(self, taken: int, row: int, column: int) -> int | None:
        """What giving up a unit of the cell costs: 0 within floor and ceiling, 1 past them, None where it cannot."""
        if taken - 1 < self.low[row][column]:
            return None
        return 0 if taken - 1 >= 0 else 1

    def cost_up(self, taken: int, row: int, column: int) -> int | None:
        """What taking a unit into the cell costs: 0 within floor and ceiling, 1 past them, None where it cannot."""
        if taken + 1 > self.high[row][column] + self.slack:
            return None
        return 0 if taken + 1 <= self.high[row][column] else 1


def _chain_end(start: int, taken: list[list[int]], bounds: _Bounds, excess: list[int], rows: list[int], columns: list[int]) -> int | None:
    """Moves one unit from row `start` (over its total) along a chain of cells to a row under its total, and returns
    that row (None: no chain reaches one). The chain takes as few cells past their floor or ceiling as any can, then
    is found breadth first, rows and columns by key."""
    came_from: dict[tuple[int, int], tuple[int, int]] = {}
    best = {(0, start): 0}
    done: set[tuple[int, int]] = set()
    layer, cost = deque([(0, start)]), 0  # nodes (0 row / 1 column, position) reached at `cost`, first in first out
    later: deque[tuple[int, int]] = deque()  # those reached at `cost` + 1
    while layer or later:
        if not layer:
            layer, later, cost = later, deque(), cost + 1
        node = layer.popleft()
        if node in done:
            continue
        done.add(node)
        if node[0] == 0 and excess[node[1]] < 0:
            _flip(node, came_from, taken)
            return node[1]
        for step, following in _steps(node, taken, bounds, rows, columns):
            if _improves(following, cost + step, best):  # a node done was reached at no more than `cost`
                came_from[following] = node
                (later if step else layer).append(following)
    return None


def _improves(node: tuple[int, int], cost: int, best: dict[tuple[int, int], int]) -> bool:
    """Whether `cost` is the cheapest way to `node` found yet (then it is kept as such)."""
    if node in best and best[node] <= cost:
        return False
    best[node] = cost
    return True


def _steps(
    node: tuple[int, int], taken: list[list[int]], bounds: _Bounds, rows: list[int], columns: list[int]
) -> list[tuple[int, tuple[int, int]]]:
    """From a row: the columns where it can give up a unit; from a column: the rows that can take one there; each
    with its cost."""
    kind, position = node
    if kind == 0:
        found = ((bounds.cost_down(taken[position][column], position, column), (1, column)) for column in columns)
    else:
        found = ((bounds.cost_up(taken[row][position], row, position), (0, row)) for row in rows)
    return [(cost, following) for cost, following in found if cost is not None]


def _flip(end: tuple[int, int], came_from: dict[tuple[int, int], tuple[int, int]], taken: list[list[int]]) -> None:
    """Along the chain ending at `end`: each row → column step gives up the row's unit there, each column → row step
    takes it."""
    node = end
    while node in came_from:
        previous = came_from[node]
        if previous[0] == 0:
            taken[previous[1]][node[1]] -= 1
        else:
            taken[node[1]][previous[1]] += 1
        node = previous


def _checked(
    cells: Sequence[Sequence[Fraction]],
    row_targets: Sequence[int],
    column_targets: Sequence[int],
    row_keys: Sequence[Key],
    column_keys: Sequence[Key],
) -> tuple[list[list[int]], list[list[Fraction]]]:
    """Each cell's floor and fractional part, once the shapes, keys and sums are known to fit."""
    _check_shapes(cells, row_targets, column_targets, row_keys, column_keys)
    if sum(row_targets) != sum(column_targets):
        raise TableRoundingError(f"the rows add up to {sum(row_targets)}, the columns to {sum(column_targets)}")
    floors = [[math.floor(cell) for cell in row] for row in cells]
    fractional = [[Fraction(cell) - floor for cell, floor in zip(row, low, strict=True)] for row, low in zip(cells, floors, strict=True)]
    return floors, fractional


def _check_shapes(
    cells: Sequence[Sequence[Fraction]],
    row_targets: Sequence[int],
    column_targets: Sequence[int],
    row_keys: Sequence[Key],
    column_keys: Sequence[Key],
) -> None:
    if len(row_keys) != len(row_targets) or len(cells) != len(row_targets) or len(column_keys) != len(column_targets):
        raise TableRoundingError("expected one row target and key per row, one column target and key per column")
    if any(len(row) != len(column_targets) for row in cells):
        raise TableRoundingError("every row must have one cell per column")
    if len(set(row_keys)) != len(row_keys) or len(set(column_keys)) != len(column_keys):
        raise TableRoundingError("keys must be distinct, or the order passed would decide ties")


def _order(keys: Sequence[Key]) -> list[int]:
    """Positions by key."""
    return sorted(range(len(keys)), key=keys.__getitem__)
