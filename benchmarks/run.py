"""costshare benchmarks: startup against bare imports, billing against none, the largest configs against 10 s, and exact apportionment against naive rounding.

Run with the Python that has costshare installed:  python benchmarks/run.py  [--quick]
Every ratio is measured side by side in the same run (runs interleaved), as a median.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

SIZES = (10_000, 100_000, 1_000_000)
TOTAL = 10_000_000_000  # 100 mio. kr. in øre
# What `costshare table` imports: yaml and pydantic (the config and its schema; typer 0.29 also
# builds pydantic adapters for command options), typer, rich (the table) and babel (Danish numbers).
# pandas is in the baseline, not here: the population file is read with the csv module.
TABLE_LIBRARIES = "yaml, typer, typer._adapters, pydantic, rich.console, rich.table, babel.numbers"
rows: list[tuple[str, str, str, str, str, str]] = []


def record(name: str, value: str, baseline: str, ratio: float | None, goal: float | None) -> None:
    met = "" if goal is None or ratio is None else ("yes" if ratio <= goal else "NO")
    rows.append((name, value, baseline, f"{ratio:.2f}" if ratio is not None else "", f"≤ {goal:g}" if goal else "", met))


def wall(command: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def side_by_side(a: list[str], b: list[str], repeats: int, cwd: str, reset: Callable[[], None] = lambda: None) -> tuple[float, float]:
    """Median wall time of a and of b, run alternately after one warm-up each; `reset` (untimed) before each a."""
    reset()
    wall(a, cwd), wall(b, cwd)
    times_a, times_b = [], []
    for _ in range(repeats):
        reset()
        times_a.append(wall(a, cwd))
        times_b.append(wall(b, cwd))
    return statistics.median(times_a), statistics.median(times_b)


def median_call(function: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def billing_config(folder: Path, attach: bool = True) -> Path:
    """The shipped config and population file in `folder`, with a sender, an EAN and a reference for each of the 17
    members and 12 instalments a year: what `invoices` needs to write 204 documents for 2026 (`attach`: each with the
    member's statement for the year attached as a PDF, as by default)."""
    import csv
    import shutil

    from stdnum import ean

    from costshare.io.config import packaged_config

    shipped = packaged_config()
    (folder / "config").mkdir()
    shutil.copytree(shipped.parent.parent / "data", folder / "data")
    with (folder / "data" / "population.csv").open(encoding="utf-8-sig") as handle:
        codes = sorted({row["code"] for row in csv.DictReader(handle)})
    members = "".join(f'    "{code}": {{ean: "{body}{ean.calc_check_digit(body)}", reference: "Økonomi"}}\n'
                      for code in codes for body in [f"579800{int(code):03d}000"])  # fmt: skip
    billing = (
        '\nsender: {name: KKR Sjælland, address: [Alléen 15, 4180 Sorø], cvr: "12345674", bank: {registration: "1234", account: "1"}}\n'
        f"billing:\n  instalments: 12\n  prefix: KS\n  attach_statement: {'true' if attach else 'false'}\n  members:\n{members}"
    )
    config = folder / "config" / "alliance.yaml"
    config.write_text(shipped.read_text(encoding="utf-8") + billing, encoding="utf-8")
    return config


def national_configs(folder: Path, members: int = 98) -> tuple[Path, Path]:
    """Two configs over a population file of `members` municipalities (as many as Denmark has): one without billing,
    and the same with a sender, an EAN and a reference for each member and 12 instalments a year."""
    from stdnum import ean

    codes = [f"{101 + 5 * index:03d}" for index in range(members)]
    rows = "".join(f"2023,{code},Kommune {code},{20_000 + 6_007 * index % 600_000}\n" for index, code in enumerate(codes))
    (folder / "population.csv").write_text("year,code,municipality,population\n" + rows, encoding="utf-8")
    agreement = (
        "alliance: Kommunernes fælles sekretariat\nagreement: {start: 2023-07-01, end: 2028-06-30}\n"
        "costs:\n  - label: Sekretariat\n    yearly: 9800000\npopulation: {file: population.csv, basis: fixed, year: 2023}\n"
    )
    plain = folder / "plain.yaml"
    plain.write_text(agreement, encoding="utf-8")
    billed_members = "".join(f'    "{code}": {{ean: "{body}{ean.calc_check_digit(body)}", reference: "Økonomi"}}\n'
                             for code in codes for body in [f"579800{int(code):03d}000"])  # fmt: skip
    billing = (
        'sender: {name: KL, address: [Weidekampsgade 10, 2300 København S], cvr: "12345674", bank: {registration: "1234", account: "1"}}\n'
        f"billing:\n  instalments: 12\n  members:\n{billed_members}"
    )
    billed = folder / "billed.yaml"
    billed.write_text(agreement + billing, encoding="utf-8")
    return billed, plain


def billing_bundle(repeats: int) -> None:
    """The bundle of 98 members with billing (each statement names the member's e-invoices, the report all of them)
    against the same bundle without."""
    script = str(Path(sys.executable).with_name("costshare"))
    with tempfile.TemporaryDirectory() as empty:
        billed, plain = national_configs(Path(empty))
        out = str(Path(empty) / "bundle")
        with_billing, without = side_by_side(
            [script, "bundle", out, "--force", "--config", str(billed)],
            [script, "bundle", out, "--force", "--config", str(plain)],
            repeats,
            empty,
        )
        record(
            "costshare bundle, 98 members × 12 instalments a year, with billing ÷ without",
            f"{with_billing * 1000:.0f} ms",
            f"{without * 1000:.0f} ms",
            with_billing / without,
            2,
        )


def bound_configs(folder: Path) -> list[tuple[str, Path]]:
    """Configs as large as limits.MAX_SHARES allows (members × budget years × parts), in the shapes that take longest,
    over one population file of 999 made-up municipalities (every three-digit code): 100 items by equal shares over as
    many budget years as the bound leaves (the shape of a config that once took 17 minutes, cut to the bound); one
    capped item over the longest agreement (1900–2199); and billing in 12 instalments a year, every member with an EAN."""
    from stdnum import ean

    from costshare.limits import MAX_SHARES, MAX_YEAR, MIN_YEAR

    codes = [f"{number:03d}" for number in range(1, 1000)]
    rows = "".join(f"{MIN_YEAR},{code},Kommune {code},{1000 + 37 * index}\n" for index, code in enumerate(codes))
    (folder / "population.csv").write_text("year,code,municipality,population\n" + rows, encoding="utf-8")

    def config(name: str, years: int, costs: str, more: str = "") -> Path:
        path = folder / f"{name}.yaml"
        path.write_text(
            f"alliance: Stor aftale\nagreement: {{start: {MIN_YEAR}-01-01, end: {MIN_YEAR + years - 1}-12-31}}\ncosts:\n{costs}"
            f"population: {{file: population.csv, basis: fixed, year: {MIN_YEAR}}}\n{more}",
            encoding="utf-8",
        )
        return path

    equal = "".join(f"  - label: Post {number}\n    yearly: 1000000\n    key: equal\n" for number in range(1, 101))
    years = MAX_SHARES // (len(codes) * 100)
    shapes = [(f"{len(codes)} members × {years} budget years × 100 items by equal shares", config("equal", years, equal))]
    years = min(MAX_YEAR - MIN_YEAR + 1, MAX_SHARES // len(codes))
    capped = "  - label: Drift\n    yearly: 1000000\n    cap: 1500\n"  # reached by about 300 members, in three rounds
    shapes.append((f"{len(codes)} members × {years} budget years × 1 capped item", config("capped", years, capped)))
    billed = "".join(f'    "{code}": {{ean: "{body}{ean.calc_check_digit(body)}", reference: "Økonomi"}}\n'
                     for code in codes for body in [f"579800{int(code):03d}000"])  # fmt: skip
    billing = (
        'sender: {name: KL, address: [Weidekampsgade 10, 2300 København S], cvr: "12345674", bank: {registration: "1234", account: "1"}}\n'
        f"billing:\n  instalments: 12\n  members:\n{billed}"
    )
    years = MAX_SHARES // (len(codes) * 13)
    sekretariat = "  - label: Sekretariat\n    yearly: 9800000\n    key: equal\n"
    shapes.append(
        (f"{len(codes)} members × {years} budget years × (1 item + 12 instalments)", config("billed", years, sekretariat, billing))
    )
    return shapes


def largest(repeats: int) -> None:
    """`validate` on the largest configs the bound on shares accepts, each on its own: the time a user waits, in seconds
    (and the CPU time it took, which a busy machine does not stretch)."""
    import resource

    script = str(Path(sys.executable).with_name("costshare"))
    with tempfile.TemporaryDirectory() as empty:
        for shape, config in bound_configs(Path(empty)):
            times, cpu = [], []
            for _ in range(repeats):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                times.append(wall([script, "validate", "--config", str(config)], empty))
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            seconds = statistics.median(times)
            record(
                f"costshare validate, {shape}, seconds",
                f"{seconds * 1000:,.0f} ms (CPU {statistics.median(cpu) * 1000:,.0f} ms)",
                "",
                seconds,
                10,
            )


def startup(repeats: int) -> None:
    from costshare.io.config import packaged_config

    script = str(Path(sys.executable).with_name("costshare"))
    python = sys.executable
    with tempfile.TemporaryDirectory() as empty:
        version, typer_only = side_by_side([script, "--version"], [python, "-c", "import typer"], repeats, empty)
        record(
            "costshare --version ÷ python -c 'import typer'",
            f"{version * 1000:.0f} ms",
            f"{typer_only * 1000:.0f} ms",
            version / typer_only,
            1.5,
        )
        table, imports = side_by_side(
            [script, "table", "--config", str(packaged_config())], [python, "-c", "import pandas, yaml, typer"], repeats, empty
        )
        record(
            "costshare table ÷ python -c 'import pandas, yaml, typer'",
            f"{table * 1000:.0f} ms",
            f"{imports * 1000:.0f} ms",
            table / imports,
            1.25,
        )
        out = str(Path(empty) / "bundle")
        bundle, table_again = side_by_side(
            [script, "bundle", out, "--force", "--config", str(packaged_config())],
            [script, "table", "--config", str(packaged_config())],
            repeats,
            empty,
        )
        record("costshare bundle ÷ costshare table", f"{bundle * 1000:.0f} ms", f"{table_again * 1000:.0f} ms", bundle / table_again, 2)
        invoicing(repeats, Path(empty))
        # Not a goal: what importing every library `table` needs costs before it does any work.
        floor, imports = side_by_side(
            [python, "-c", f"import {TABLE_LIBRARIES}"], [python, "-c", "import pandas, yaml, typer"], repeats, empty
        )
        record(
            f"  floor: python -c 'import {TABLE_LIBRARIES}' ÷ the same",
            f"{floor * 1000:.0f} ms",
            f"{imports * 1000:.0f} ms",
            floor / imports,
            None,
        )


def invoicing(repeats: int, folder: Path) -> None:
    """`invoices` for 2026 (17 members × 12 instalments, 204 documents issued and appended to the register) against
    `table` on the same config, side by side: with each member's statement attached as a PDF (the default), and without."""
    script = str(Path(sys.executable).with_name("costshare"))
    for attach, goal in ((True, 3), (False, 2)):
        root = folder / ("attached" if attach else "bare")
        root.mkdir()
        config, out, data = billing_config(root, attach), str(root / "invoices"), root / "data"

        def unissued(out: str = out, data: Path = data) -> None:  # every run issues the year's 204 documents afresh
            for made in (Path(out), data / "register"):
                shutil.rmtree(made, ignore_errors=True)
            (data / "register.csv").unlink(missing_ok=True)

        invoices, table = side_by_side(
            [script, "invoices", out, "--year", "2026", "--date", "2026-01-02", "--config", str(config)],
            [script, "table", "--config", str(config)],
            repeats,
            str(root),
            unissued,
        )
        shown = "statements attached" if attach else "attach_statement: false"
        record(
            f"costshare invoices (17 members × 12 instalments, 204 documents issued and appended to the register, {shown}) ÷ costshare table",
            f"{invoices * 1000:.0f} ms",
            f"{table * 1000:.0f} ms",
            invoices / table,
            goal,
        )


def register_rows(count: int) -> bytes:
    """A register of `count` issued documents, chained as costshare chains it: 17 members' a conto invoices by year."""
    import hashlib
    from datetime import date

    from costshare.core.register import Issued
    from costshare.io.register import EMPTY, appended

    rows = []
    for index in range(count):
        year, member, instalment = 2000 + index // 204, index // 12 % 17, index % 12 + 1
        code = f"{253 + member * 8:03d}"
        start = date(year, instalment, 1)
        rows.append(Issued(f"KS-{year}-{code}-{instalment}", "invoice", "aconto", year, code, f"Kommune {code}", instalment, start,
                           start, start, start, 654_321, 0, "DKK", (), hashlib.sha256(str(index).encode()).hexdigest()))  # fmt: skip
    return appended(EMPTY, rows)[0]


def register_check(repeats: int) -> None:
    """Reading a register of 10,000 rows: every field checked and the chain of hashes verified."""
    from costshare.io.register import read_register

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.csv"
        path.write_bytes(register_rows(10_000))
        assert len(read_register(path, "register.csv").rows) == 10_000
        seconds = median_call(lambda: read_register(path, "register.csv"), repeats)
    record("register of 10,000 rows read and its chain verified, seconds", f"{seconds * 1000:,.0f} ms", "", seconds, 1)


def register_verify(repeats: int) -> None:
    """What `validate` does with a register of about 10.000 issued documents: the rows read and chained, and each
    row held to the e-invoice kept beside it (its SHA-256 and what it says). The documents are really issued: a
    50-year agreement of 17 members and 12 instalments a year, each year issued by `costshare invoices`."""
    from costshare.io.kept import copies_folder, copy_problems
    from costshare.io.register import read_register

    script = str(Path(sys.executable).with_name("costshare"))
    with tempfile.TemporaryDirectory() as empty:
        folder = Path(empty)
        config = billing_config(folder)
        config.write_text(config.read_text(encoding="utf-8").replace("end: 2028-06-30", "end: 2072-12-31"), encoding="utf-8")
        for year in range(2023, 2073):
            subprocess.run([script, "invoices", str(folder / f"out{year}"), "--year", str(year), "--date", f"{year}-01-02",
                            "--config", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # fmt: skip
        path = folder / "data" / "register.csv"

        def verified() -> int:
            register = read_register(path, "register.csv")
            assert not copy_problems(register, copies_folder(path), "register.csv")
            return len(register.rows)

        count = verified()
        seconds = median_call(verified, repeats)
    record(f"register of {count:,} issued documents verified: chain and kept copies, seconds", f"{seconds * 1000:,.0f} ms", "", seconds, 1)


def apportionment(repeats: int) -> None:
    import numpy as np
    import pandas as pd

    from costshare.core.apportion import largest_remainder

    # The product's own entry point, as allocate calls it: Python ints in, the whole Apportionment out
    # (from 1.000 weights its floors, remainders and queue are made by numpy in apportion_fast.split_parts).
    rng = np.random.default_rng(2023)
    per_element = {}
    for size in SIZES:
        populations = pd.Series(rng.integers(1, 100_000, size, dtype=np.int64))
        weights = populations.tolist()
        ranks = list(range(size))  # ties to the lower position, stated rather than implied
        exact = largest_remainder(TOTAL, weights, ranks)
        assert sum(exact.amounts) == TOTAL
        runs = repeats if size < 1_000_000 else max(repeats // 2, 5)

        # default arguments bind this size's arrays, not whatever the loop variables hold later
        def naive(populations: pd.Series = populations) -> None:
            (populations * TOTAL / populations.sum()).round()

        def ours_call(weights: list[int] = weights, ranks: list[int] = ranks) -> None:
            largest_remainder(TOTAL, weights, ranks)

        ours = median_call(ours_call, runs)
        theirs = median_call(naive, runs)
        per_element[size] = ours / size
        record(
            f"largest_remainder, {size:,} weights ÷ naive pandas round",
            f"{ours * 1000:.2f} ms ({ours / size * 1e9:.1f} ns/el)",
            f"{theirs * 1000:.2f} ms",
            ours / theirs,
            None,
        )
    for small, large in itertools.pairwise(SIZES):
        growth = per_element[large] * large / (per_element[small] * small)
        record(f"time growth {small:,} → {large:,} weights (10× input)", f"{growth:.1f}×", "", growth, 12)

    weights = rng.integers(1, 100_000, SIZES[-1], dtype=np.int64).tolist()
    ranks = list(range(SIZES[-1]))
    tracemalloc.start()
    largest_remainder(TOTAL, weights, ranks)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    record(
        "peak memory, 1,000,000 weights ÷ 8 bytes per weight",
        f"{peak / 2**20:.1f} MiB",
        f"{len(weights) * 8 / 2**20:.1f} MiB",
        peak / (len(weights) * 8),
        None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, for a first look")
    args = parser.parse_args()
    repeats = 5 if args.quick else 21
    import numpy
    import pandas

    from costshare import __version__

    print(
        f"costshare {__version__} · Python {platform.python_version()} · {os.cpu_count()} CPUs · {platform.machine()} · numpy {numpy.__version__} · pandas {pandas.__version__}"
    )
    print(
        f"median of {repeats} runs (startup; {max(repeats // 3, 3)} of the bundles of 98 members; 3 of the largest configs) / {repeats} calls (apportionment; at least 5 at 1,000,000)\n"
    )
    startup(repeats)
    billing_bundle(max(repeats // 3, 3))
    largest(3)
    register_check(repeats)
    register_verify(max(repeats // 3, 3))
    apportionment(repeats)
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    header = ("measure", "costshare", "baseline", "ratio", "goal", "met")
    widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
    for row in (header, *rows):
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))))
    missed = [row[0] for row in rows if row[5] == "NO"]
    print(f"\n{'all goals met' if not missed else 'goals missed: ' + '; '.join(missed)}")


if __name__ == "__main__":
    main()
