"""The Python API (`costshare.compute`): any iterable of budget years works, and every wrong argument is a
CostShareError that says in one English line what is wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import costshare
from costshare.core.errors import CostShareError


def amounts(result) -> dict[int, int]:
    return {period.year: period.cost for period in result.allocation.periods}


@pytest.mark.parametrize(
    "years",
    [iter([2025, 2026]), [2026, 2025], (2025, 2026), range(2025, 2027), {2025, 2026}, (year for year in (2025, 2026, 2025))],
    ids=["iterator", "list", "tuple", "range", "set", "generator"],
)
def test_any_iterable_of_budget_years_gives_those_years(workspace, years):
    result = costshare.compute("alliance.yaml", years=years)
    assert amounts(result) == {2025: 730000_00, 2026: 730000_00}  # two full years of 730.000 kr.
    assert result.allocation.total() == 2 * 730000_00


def test_numpy_integers_are_whole_numbers_too(workspace):
    numpy = pytest.importorskip("numpy")
    assert amounts(costshare.compute("alliance.yaml", years=numpy.array([2025]))) == {2025: 730000_00}


def test_a_path_may_be_given_as_text_or_as_a_path(workspace):
    assert amounts(costshare.compute(Path("alliance.yaml"), years=[2024])) == amounts(costshare.compute("alliance.yaml", years=[2024]))


class Bytes(os.PathLike[bytes]):  # a path given as bytes
    def __fspath__(self):
        return b"alliance.yaml"


@pytest.mark.parametrize(
    ("config", "years", "line"),
    [
        (None, None, "config must be the path of an alliance.yaml, as a str or an os.PathLike, got None"),
        (123, None, "config must be the path of an alliance.yaml, as a str or an os.PathLike, got 123"),
        (b"alliance.yaml", None, "config must be the path of an alliance.yaml, as a str or an os.PathLike, got b'alliance.yaml'"),
        (Bytes(), None, "config must be the path of an alliance.yaml, as a str or an os.PathLike, got b'alliance.yaml'"),
        ("alliance.yaml", 2025, "years must be a list, tuple or other iterable of budget years, got 2025"),
        ("alliance.yaml", "2025", "years must be a list, tuple or other iterable of budget years, got '2025'"),
        ("alliance.yaml", b"2025", "years must be a list, tuple or other iterable of budget years, got b'2025'"),
        ("alliance.yaml", {2025: "x"}, "years must be a list, tuple or other iterable of budget years, got {2025: 'x'}"),
        ("alliance.yaml", ("2025",), "years must be budget years given as whole numbers, got '2025'"),
        ("alliance.yaml", [2025, 2026.0], "years must be budget years given as whole numbers, got 2026.0"),
        ("alliance.yaml", [True], "years must be budget years given as whole numbers, got True"),
        ("alliance.yaml", [None], "years must be budget years given as whole numbers, got None"),
        ("alliance.yaml", ["x" * 500], "years must be budget years given as whole numbers, got 'xxxxxxxxxxxx...xxxxxxxxxxxxx'"),
    ],
    ids=[
        *("none", "number", "bytes", "bytes-path", "one-year", "text", "bytes-years", "mapping"),
        *("text-year", "float", "bool", "none-year", "long"),
    ],
)
def test_a_wrong_argument_is_one_line_saying_what_is_wrong(workspace, config, years, line):
    with pytest.raises(CostShareError) as caught:
        costshare.compute(config, years=years)
    assert caught.value.lines() == [line]
    assert str(caught.value) == line


def test_years_outside_the_agreement_are_still_named_with_the_agreements_years(workspace):
    with pytest.raises(CostShareError) as caught:
        costshare.compute("alliance.yaml", years=iter([2030]))
    assert caught.value.lines() == ["alliance.yaml: years: 2030 is not a budget year of the agreement (2023–2028)"]


def test_an_empty_iterator_chooses_no_year(workspace):
    with pytest.raises(CostShareError) as caught:
        costshare.compute("alliance.yaml", years=iter([]))
    assert caught.value.lines() == ["alliance.yaml: years: no budget year chosen"]


def test_an_endless_iterator_is_refused_not_followed(workspace):
    """itertools.cycle never ends: the API reads no more than the most budget years an agreement can have, plus one."""
    import itertools

    from costshare.limits import MAX_YEAR, MIN_YEAR

    with pytest.raises(CostShareError) as raised:
        costshare.compute("alliance.yaml", years=itertools.cycle([2025, 2026]))
    assert str(raised.value) == f"years can hold at most {MAX_YEAR - MIN_YEAR + 1} budget years"
