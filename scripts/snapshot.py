"""Every output costshare makes, over a set of configs, written into one folder to diff before and after a refactor.

    python scripts/snapshot.py OUTDIR

Runs the installed costshare in-process (typer's CliRunner) from a scratch folder per config: each command's
exit code, standard output and standard error, and every file it writes (an XLSX as its cells, with the
time of generation masked; a bundle file by file). Two snapshots of the same code are identical, so
`diff -r before after` shows exactly what a change did to what users see.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from costshare.cli import app

HEAD = """\
alliance: Sjællands Klimaalliance
agreement:
  start: 2023-07-01
  end: 2028-06-30
  note: Slutdato antaget
"""
SOURCE = "  source: Danmarks Statistik, FOLK1A, 1. januar 2023\n"
NOTES = "notes:\n  - Region Sjælland bidrager selv.\n"

CONFIGS = {
    "shipped": None,  # the shipped config, as `costshare init` writes it
    "ore": HEAD
    + "costs:\n  - label: Årsværk\n    yearly: 730000.50\npopulation:\n  file: population.csv\n"
    + SOURCE
    + "  basis: fixed\n  year: 2023\nrounding:\n  unit: 0.01\n"
    + NOTES,
    "indexed": HEAD
    + "costs:\n  - label: Årsværk\n    yearly: 730000\n    indexed: true\n  - label: Analyse\n    one_off: 150000\n    year: 2025\n"
    + "indexation:\n  base_year: 2023\n  rates: {2024: 3.1, 2025: 2.6, 2026: 2.0, 2027: 2.0, 2028: 2.0}\n"
    + "population:\n  file: population.csv\n"
    + SOURCE
    + "  basis: fixed\n  year: 2023\n"
    + NOTES,
    "yearly": HEAD + "costs:\n  - label: Årsværk\n    yearly: 730000\npopulation:\n  file: population.csv\n" + SOURCE + "  basis: latest\n",
    "members": HEAD
    + "costs:\n  - label: Årsværk\n    yearly: 730000\n    to: 2026-12-31\n  - label: Sekretariat\n    yearly: 120000\n    from: 2024-01-01\n"
    + "population:\n  file: population.csv\n  basis: fixed\n  year: 2023\n"
    + "members:\n  - 340\n  - Slagelse\n  - municipality: Lolland\n    leaves: 2026-07-01\n  - municipality: Køge\n    joins: 2025-01-01\n"
    + "rounding:\n  unit: 1000\n"
    + "sender:\n  name: KKR Sjælland\n  address: [Alléen 15, 4180 Sorø]\n  cvr: '12345674'\n  contact: sekretariat@example.dk\n"
    + "billing:\n  payment_terms_days: 30\n  members:\n    340:\n      ean: '5798000000001'\n      reference: Att. Økonomi\n      account: 1.2.3.4\n",
    "keyed": HEAD
    + "weights:\n  timer: timer.csv\n"
    + "costs:\n  - label: Årsværk\n    yearly: 730000\n  - label: Bestyrelse\n    yearly: 170000\n    key: equal\n"
    + "  - label: Linje 400\n    yearly: 2500000\n    key: {blend: {timer: 80, population: 20}}\n    cap: 300000\n"
    + "  - label: Kontingent\n    per_inhabitant:\n      - {up_to: 40000, rate: 2.5}\n      - {rate: 1.25}\n"
    + "    base: 5000\n    max_inhabitants: 90000\n    from: 2024-01-01\n"
    + "  - label: Analyse\n    one_off: 150000\n    year: 2025\n    key: equal\n"
    + "population:\n  file: population.csv\n"
    + SOURCE
    + "  basis: fixed\n  year: 2023\n",
    "nosource": HEAD
    + "costs:\n  - label: Årsværk\n    yearly: 730000\npopulation:\n  file: population.csv\n  basis: fixed\n  year: 2023\n",
}


def next_year(population_csv: str) -> str:
    """2023's rows again as 2024's, Sorø with one inhabitant more, so the `latest` basis has two key years."""
    rows = [line.replace("2023,", "2024,", 1) for line in population_csv.splitlines()[1:] if line.startswith("2023,")]
    return "".join((row[:-5] + "30445" if row.startswith("2024,340,") else row) + "\n" for row in rows)


COMMANDS: list[tuple[str, list[str]]] = [
    ("table-da", ["table"]),
    ("table-en", ["table", "--lang", "en"]),
    ("table-filtered", ["table", "--year", "2024", "--year", "2026", "-m", "soro", "-m", "340", "-m", "Lolland"]),
    ("explain-soro", ["explain", "Sorø"]),
    ("explain-lolland-2026-en", ["explain", "lolland", "--year", "2026", "--lang", "en"]),
    ("validate", ["validate"]),
    ("validate-en", ["validate", "--lang", "en"]),
    ("statement-txt", ["statement", "340"]),
    ("statement-md-en", ["statement", "340", "--format", "md", "--lang", "en"]),
    ("statement-pdf", ["statement", "340", "--out", "out/statement.pdf"]),
    ("export-csv", ["export", "out/wide.csv"]),
    ("export-csv-long-rfc", ["export", "out/long.csv", "--layout", "long", "--dialect", "rfc4180", "--lang", "en"]),
    ("export-json", ["export", "out/budget.json"]),
    ("export-xlsx", ["export", "out/budget.xlsx"]),
    ("export-xlsx-en", ["export", "out/budget-en.xlsx", "--lang", "en"]),
    ("export-stdout", ["export", "-"]),
    ("population-show", ["population", "show"]),
    ("check", ["check", "decided.csv"]),
    ("compare", ["compare", "other.yaml", "--out", "out/compare.csv"]),
    ("compare-json", ["compare", "other.yaml", "--out", "out/compare.json", "--lang", "en"]),
    ("compare-xlsx", ["compare", "other.yaml", "--out", "out/compare.xlsx"]),
    ("bundle", ["bundle", "out/bundle"]),
    ("error-year", ["table", "--year", "2040"]),
    ("error-exists", ["export", "out/wide.csv"]),
    ("error-name", ["explain", "Sorøø"]),
]


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet, with its number format; the time of generation masked."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    lines = []
    for sheet in workbook.worksheets:
        lines.append(f"# {sheet.title} freeze={sheet.freeze_panes} print_titles={sheet.print_title_rows} filter={sheet.auto_filter.ref}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    value = cell.value
                    text = (
                        "<time>" if isinstance(value, str) and value[:2] == "20" and len(value) == 19 and value[10] == " " else repr(value)
                    )
                    if sheet.title in ("Fordeling", "Allocation") and cell.coordinate == "A1":
                        text = repr(str(value)[: str(value).rfind(" ")])  # the title ends with today's date
                    lines.append(f"{cell.coordinate} {text} {cell.number_format} bold={bool(cell.font and cell.font.b)}")
    return "\n".join(lines) + "\n"


def keep(source: Path, target: Path) -> None:
    """A written file into the snapshot: an XLSX as text, anything else as its bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix == ".xlsx":
        target.with_suffix(".xlsx.txt").write_text(xlsx_text(source), encoding="utf-8")
    elif source.name == "SHA256SUMS":  # the workbook records when it was made, so its checksum differs run by run
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        target.write_text(
            "".join("<time-dependent>" + line[64:] if line.endswith("budget.xlsx\n") else line for line in lines), encoding="utf-8"
        )
    else:
        shutil.copyfile(source, target)


def timetable(population_csv: str) -> str:
    """A weights file of made-up timetable hours: every member in every budget year, some with a half hour."""
    codes = [line.split(",")[1] for line in population_csv.splitlines()[1:] if line.startswith("2023,")]
    rows = [f"{year},{code},{int(code) % 13 * 37 + 100}{'.5' if int(code) % 2 else ''}\n" for year in range(2023, 2029) for code in codes]
    return "year,code,value\n" + "".join(rows)


def snapshot(outdir: Path) -> None:
    runner = CliRunner()
    repository = Path(__file__).resolve().parent.parent
    for name, text in CONFIGS.items():
        with tempfile.TemporaryDirectory() as scratch:
            work = Path(scratch)
            shutil.copytree(repository / "config", work / "config")
            (work / "data").mkdir()
            shutil.copyfile(repository / "data" / "population.csv", work / "data" / "population.csv")
            population = work / "config" / "population.csv"
            shutil.copyfile(repository / "data" / "population.csv", population)
            if name == "yearly":
                with population.open("a", encoding="utf-8") as handle:
                    handle.write(next_year(population.read_text(encoding="utf-8")))
            if name == "keyed":
                (work / "config" / "timer.csv").write_text(timetable(population.read_text(encoding="utf-8")), encoding="utf-8")
            config = work / "config" / "alliance.yaml"
            if text is not None:
                config.write_text(text, encoding="utf-8")
            (work / "decided.csv").write_bytes((repository / "data" / "decided.csv").read_bytes())
            other = config.read_text(encoding="utf-8").replace("730000", "740000", 1)
            (work / "other.yaml").write_text(
                other.replace("file: ../data/", "file: config/../data/")
                .replace("file: population.csv", "file: config/population.csv")
                .replace("timer: timer.csv", "timer: config/timer.csv"),
                encoding="utf-8",
            )
            (work / "out").mkdir()
            target = outdir / name
            target.mkdir(parents=True)
            before = os.getcwd()
            os.chdir(work)
            try:
                for label, args in COMMANDS:
                    result = runner.invoke(app, args, env={"COSTSHARE_CONFIG": str(config), "COLUMNS": "200"})
                    (target / f"{label}.out").write_text(
                        f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}", encoding="utf-8"
                    )
                for path in sorted((work / "out").rglob("*")):
                    if path.is_file():
                        keep(path, target / "files" / path.relative_to(work / "out"))
            finally:
                os.chdir(before)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    destination = Path(sys.argv[1])
    if destination.exists():
        sys.exit(f"{destination} exists")
    snapshot(destination)
    print(textwrap.shorten(f"wrote {destination}", 200))
