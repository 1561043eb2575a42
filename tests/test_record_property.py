"""Whatever happens to a budget year between its first invoice and its settlement — the cost, the P/L rate, a member
joining or leaving mid-year, the number of instalments, the cap changed between issue runs on any days up to any
day — a member's invoices less credit notes for the year come to its final share, and after a settlement to its
share of the actual cost; and no number is ever issued with two contents.

The shares are worked out here with Fraction (population × months, caps × months / 12, largest remainder), the
register read as a CSV file: nothing of the program's is used to work out what it should say."""

from __future__ import annotations

import csv
import hashlib
import shutil
import tempfile
import textwrap
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.run import Run

from .conftest import SHIPPED_POPULATION
from .test_invoices import ean_for

runner = CliRunner()
POPULATION = {"253": 51507, "265": 90446, "336": 23692, "340": 30444, "360": 39921, "370": 84574}
MOVING = "360"  # the member that may join or leave during the year
FIRST_DAY = date(2025, 12, 1)


@dataclass(frozen=True)
class Terms:
    """What the config says at a moment."""

    yearly: int = 250_000
    rate: str = "2.0"
    instalments: int = 4
    cap: int | None = None
    moving: tuple[str, int] | None = None  # ("joins" | "leaves", the month of 2026 it takes effect)
    actual: int | None = None


def config_text(terms: Terms) -> str:
    cap = f"    cap: {terms.cap}\n" if terms.cap else ""
    members = "".join(
        f"  - municipality: {code}\n    {terms.moving[0]}: 2026-{terms.moving[1]:02d}-01\n"
        if code == MOVING and terms.moving
        else f'  - "{code}"\n'
        for code in POPULATION
    )
    billed = "".join(f'    "{code}":\n      ean: "{ean_for(code)}"\n      reference: "Økonomi {code}"\n' for code in POPULATION)
    actuals = f"actuals:\n  2026: {terms.actual}\n" if terms.actual is not None else ""
    return textwrap.dedent(f"""\
        alliance: Prøvealliancen
        agreement:
          start: 2026-01-01
          end: 2026-12-31
        costs:
          - label: Sekretariat
            yearly: {terms.yearly}
            indexed: true
        CAP
        indexation:
          base_year: 2025
          rates: {{2026: {terms.rate}}}
        population:
          file: population.csv
          basis: fixed
          year: 2023
        sender:
          name: KKR Sjælland
          address: [Alléen 15, 4180 Sorø]
          cvr: "12345674"
          bank: {{registration: "1234", account: "0012345678"}}
        billing:
          instalments: {terms.instalments}
          payment_terms_days: 30
          prefix: KS
          register: register.csv
          members:
        """).replace("CAP\n", cap) + billed + "members:\n" + members + actuals  # fmt: skip


# --- the shares, worked out independently ------------------------------------------------------------------


def months(terms: Terms, code: str) -> int:
    if code != MOVING or terms.moving is None:
        return 12
    how, month = terms.moving
    return month - 1 if how == "leaves" else 13 - month


def shares(total: int, terms: Terms) -> dict[str, int]:
    """`total` shared by population × months, nobody above its cap × months / 12 (the excess shared among the others,
    round after round), split in whole kroner by largest remainder: ties to the larger exact share, then the lower code."""
    weights = {code: POPULATION[code] * months(terms, code) for code in POPULATION if months(terms, code)}
    caps = {code: Fraction(terms.cap * months(terms, code), 12) if terms.cap else None for code in weights}
    exact: dict[str, Fraction] = {}
    free, left = dict(weights), Fraction(total)
    while True:
        quota = {code: left * weight / sum(free.values()) for code, weight in free.items()}
        over = [code for code in free if (cap := caps[code]) is not None and quota[code] > cap]
        if not over:
            exact.update(quota)
            break
        for code in over:
            cap = caps[code]
            assert cap is not None
            exact[code], left = cap, left - cap
            del free[code]
    floors = {code: int(share) for code, share in exact.items()}
    for code in sorted(exact, key=lambda c: (-(exact[c] - floors[c]), -exact[c], c))[: total - sum(floors.values())]:
        floors[code] += 1
    return floors


def cost(terms: Terms) -> int:
    value = terms.yearly * (1 + Fraction(terms.rate) / 100)
    return int(value + Fraction(1, 2))


# --- the steps ---------------------------------------------------------------------------------------------

changes = st.one_of(
    st.builds(lambda v: ("yearly", v), st.sampled_from([90_000, 180_000, 250_000])),
    st.builds(lambda v: ("rate", v), st.sampled_from(["-3.0", "0.5", "2.0", "5.0"])),
    st.builds(lambda v: ("instalments", v), st.sampled_from([1, 2, 4, 12])),
    st.builds(lambda v: ("cap", v), st.sampled_from([None, 60_000])),
    st.builds(lambda v: ("moving", v), st.one_of(st.none(), st.tuples(st.sampled_from(["joins", "leaves"]), st.integers(2, 12)))),
)
runs = st.builds(lambda days, until: ("issue", days, until), st.integers(0, 50), st.one_of(st.none(), st.integers(1, 12)))
steps = st.lists(st.one_of(changes, runs), min_size=1, max_size=7)
# the actual costs settled in turn (a corrected one settles the difference), the config perhaps changed before each
actuals = st.lists(st.tuples(st.integers(60_000, 280_000), st.one_of(st.none(), changes)), min_size=1, max_size=3)


class Project:
    """A folder with the config, the population file and the register, and every file an issue run wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "alliance.yaml"
        shutil.copyfile(SHIPPED_POPULATION, root / "population.csv")
        self.written: dict[str, bytes] = {}
        self.runs = 0
        self.day = FIRST_DAY

    def write(self, terms: Terms) -> None:
        self.config.write_text(config_text(terms), encoding="utf-8")

    def invoices(self, day: date, *args: str) -> None:
        self.runs += 1
        out = self.root / f"ud{self.runs}"
        run = Run("en", (), datetime(day.year, day.month, day.day, 12, tzinfo=UTC), day)
        command = ["invoices", str(out), "--year", "2026", "--date", day.isoformat(), *args, "-c", str(self.config), "--lang", "en"]
        result = runner.invoke(app, command, obj=run, catch_exceptions=False)
        assert result.exit_code == 0, (self.config.read_text(encoding="utf-8"), command, result.output)
        for path in out.glob("*.xml") if out.exists() else ():
            assert self.written.setdefault(path.name, path.read_bytes()) == path.read_bytes(), f"{path.name} issued twice"

    def rows(self) -> list[dict[str, str]]:
        with (self.root / "register.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def billed(self) -> dict[str, Decimal]:
        found = {code: Decimal(0) for code in POPULATION}
        for row in self.rows():
            found[row["code"]] += (1 if row["kind"] == "invoice" else -1) * Decimal(row["net"])
        return found

    def check_issued_once(self) -> None:
        """Every number once in the register, its kept copy the bytes its SHA-256 says, the files written the same."""
        rows = self.rows()
        assert len({row["number"] for row in rows}) == len(rows)
        kept = {path.name: path.read_bytes() for path in (self.root / "register").glob("*.xml")}
        assert sorted(kept) == sorted(f"{row['number']}.xml" for row in rows)
        assert all(hashlib.sha256(kept[f"{row['number']}.xml"]).hexdigest() == row["sha256"] for row in rows)
        assert kept == self.written
        for code in POPULATION:  # a month is billed by one instalment at most, whatever the instalments were then
            spans = sorted((row["start"], row["end"]) for row in rows if row["code"] == code and row["instalment"])
            assert all(end < start for (_, end), (start, _) in pairwise(spans)), spans


def play(sequence: list[tuple[Any, ...]], settled_at: list[tuple[int, tuple[Any, ...] | None]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project, terms = Project(Path(folder)), Terms()
        day = FIRST_DAY
        for step in [*sequence, ("issue", 0, None)]:  # a last run issues the rest of the year
            if step[0] == "issue":
                _, days, until = step
                day += timedelta(days=days)
                project.write(terms)
                last = date(2026, until + 1, 1) - timedelta(days=1) if until and until < 12 else None
                project.invoices(day, *(["--until", last.isoformat()] if last else []))
            else:
                terms = replace(terms, **{step[0]: step[1]})
        expected = shares(cost(terms), terms)
        assert project.billed() == {code: Decimal(expected.get(code, 0)) for code in POPULATION}
        project.check_issued_once()

        for number, (actual, change) in enumerate(settled_at):
            terms = replace(terms, actual=actual, **({change[0]: change[1]} if change else {}))
            project.write(terms)
            if number == 0 and change:  # a year is settled once its instalments, as they stand now, are issued
                project.invoices(day)
            project.invoices(max(day, date(2027, 1, 15)) + timedelta(days=number), "--settlement")
            share = shares(actual, terms)
            assert project.billed() == {code: Decimal(share.get(code, 0)) for code in POPULATION}
            project.check_issued_once()


FAST = settings(max_examples=3, suppress_health_check=[HealthCheck.too_slow], database=None)


@FAST
@given(steps, actuals)
@example([("issue", 35, 3), ("rate", "5.0"), ("issue", 90, None)], [(200_000, None)])
@example([("yearly", 90_000), ("issue", 0, None), ("yearly", 180_000), ("instalments", 12)], [(60_000, None)])
@example([("issue", 5, 3), ("instalments", 12), ("issue", 1, 5), ("instalments", 2)], [(150_000, None)])
@example([("issue", 0, 6), ("moving", ("leaves", 2)), ("instalments", 12), ("yearly", 90_000)], [(60_000, None), (61_000, ("cap", 60_000))])
@example(
    [("cap", 60_000), ("issue", 10, 1), ("moving", ("joins", 7)), ("instalments", 2), ("issue", 1, 9)],
    [(280_000, None), (280_000, ("moving", ("leaves", 3)))],
)
def test_invoices_less_credit_notes_come_to_the_final_share_and_the_actual_a_fast_sample(sequence, settled_at):
    play(sequence, settled_at)


@pytest.mark.slow
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(steps, actuals)
def test_invoices_less_credit_notes_come_to_the_final_share_and_the_actual(sequence, settled_at):
    play(sequence, settled_at)
