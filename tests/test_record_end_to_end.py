"""A budget year from an empty folder to its corrected settlement, through the command line: `init`, billing and P/L
indexation configured, the first quarter issued in January, the P/L rate raised, the rest issued in April, the year
reprinted, settled against an actual cost that the cap binds, and settled again on a corrected actual cost.

Every expected figure is worked out here with Fraction from the population file and the config's numbers; the
program's output is only read to be checked against them."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.run import Run

from .conftest import CODES
from .test_invoices import ean_for

runner = CliRunner()
CAP = 90_000
YEARLY = 730_000


def on_day(today: date) -> Run:
    return Run("en", (), datetime(today.year, today.month, today.day, 12, tzinfo=UTC), today)


def costshare(*args: str, today: date = date(2026, 1, 5)) -> str:
    """One command as a user runs it in the project folder (the config found as `init` laid it out); its stdout."""
    result = runner.invoke(app, [*args, "--lang", "en"], obj=on_day(today), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the figures, worked out independently ---------------------------------------------------------------


def half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def indexed_cost(rates: dict[int, str], year: int) -> int:
    """The item's cost in `year`: the yearly amount in 2023 prices × (1 + rate/100) for each year after 2023."""
    factor = Fraction(1)
    for each in range(2024, year + 1):
        factor *= 1 + Fraction(rates[each]) / 100
    return half_up(YEARLY * factor)


def capped_shares(total: int, weights: dict[str, int], cap: int) -> dict[str, int]:
    """The cost shared by weight, nobody above `cap` (the excess shared among the others by weight, round after round),
    then split in whole kroner by largest remainder: ties to the larger exact share, then the lower code."""
    exact: dict[str, Fraction] = {}
    free = dict(weights)
    left = Fraction(total)
    while True:
        quota = {code: left * weight / sum(free.values()) for code, weight in free.items()}
        over = [code for code, share in quota.items() if share > cap]
        if not over:
            exact.update(quota)
            break
        for code in over:
            exact[code] = Fraction(cap)
            left -= cap
            del free[code]
    floors = {code: int(share) for code, share in exact.items()}
    order = sorted(exact, key=lambda code: (-(exact[code] - floors[code]), -exact[code], code))
    for code in order[: total - sum(floors.values())]:
        floors[code] += 1
    assert sum(floors.values()) == total
    return floors


def first_instalment(amount: int, instalments: int = 4) -> int:
    """The first of `instalments` equal parts in whole kroner, the units left over going to the earliest."""
    return amount // instalments + (1 if amount % instalments else 0)


# --- the project folder ------------------------------------------------------------------------------------


def register_rows(root: Path) -> list[dict[str, str]]:
    with (root / "data" / "register.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def billed_by_register(rows: list[dict[str, str]], year: int) -> dict[str, Decimal]:
    """Per member, what the register says it was invoiced less credited for `year`."""
    found: dict[str, Decimal] = {}
    for row in rows:
        if int(row["year"]) == year:
            sign = 1 if row["kind"] == "invoice" else -1
            found[row["code"]] = found.get(row["code"], Decimal(0)) + sign * Decimal(row["net"])
    return found


def edit(config: Path, old: str, new: str) -> None:
    text = config.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    config.write_text(text.replace(old, new), encoding="utf-8")


BILLING = (
    "indexation:\n  base_year: 2023\n  rates: {2024: 3.1, 2025: 2.6, 2026: 2.0}\n"
    'sender:\n  name: KKR Sjælland\n  address: [Alléen 15, 4180 Sorø]\n  cvr: "12345674"\n'
    '  contact: sekretariat@example.dk\n  bank: {registration: "1234", account: "0012345678"}\n'
    "billing:\n  instalments: 4\n  payment_terms_days: 30\n  prefix: KS\n  members:\n"
    + "".join(f'    "{code}":\n      ean: "{ean_for(code)}"\n      reference: "Økonomi {code}"\n' for code in CODES)
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder after `costshare init`, billing configured: an indexed cost item with a cap, a sender with bank
    details, an EAN and a reference for each of the 17 members, a prefix and four instalments."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    costshare("init")
    config = tmp_path / "config" / "alliance.yaml"
    edit(config, "    yearly: 730000\n", f"    yearly: {YEARLY}\n    indexed: true\n    cap: {CAP}\n")
    config.write_text(config.read_text(encoding="utf-8") + BILLING, encoding="utf-8")
    costshare("validate")
    return tmp_path


def key_2023(root: Path) -> dict[str, int]:
    with (root / "data" / "population.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: int(row["population"]) for row in csv.DictReader(handle) if row["year"] == "2023"}


def amounts_2026(export: Path) -> dict[str, Decimal]:
    period = next(p for p in json.loads(export.read_text(encoding="utf-8"))["periods"] if p["year"] == 2026)
    return {a["code"]: Decimal(str(a["amount"])) for a in period["allocations"]}


def issued_files(folder: Path) -> dict[str, bytes]:
    return {path.stem: path.read_bytes() for path in folder.glob("*.xml")}


def test_a_year_from_an_empty_folder_to_its_corrected_settlement(project: Path) -> None:
    config = project / "config" / "alliance.yaml"
    key = key_2023(project)
    assert sorted(key) == CODES
    old = capped_shares(indexed_cost({2024: "3.1", 2025: "2.6", 2026: "2.0"}, 2026), key, CAP)

    # the first quarter on 5 January
    costshare("invoices", "ud1", "--year", "2026", "--date", "2026-01-05", "--until", "2026-03-31")
    first = issued_files(project / "ud1")
    assert sorted(first) == [f"KS-2026-{code}-1" for code in CODES]
    rows = register_rows(project)
    assert {row["number"]: Decimal(row["net"]) for row in rows} == {f"KS-2026-{c}-1": first_instalment(old[c]) for c in CODES}

    # KL raises the 2026 rate; the rest is issued in April
    edit(config, "2026: 2.0}", "2026: 5.0}")
    new = capped_shares(indexed_cost({2024: "3.1", 2025: "2.6", 2026: "5.0"}, 2026), key, CAP)
    assert max(new.values()) < CAP  # the cap does not bind in the budget
    costshare("invoices", "ud2", "--year", "2026", "--date", "2026-04-01", today=date(2026, 4, 1))
    second = issued_files(project / "ud2")
    assert not set(first) & set(second)
    assert sorted(second) == sorted(f"KS-2026-{code}-{n}" for code in CODES for n in (2, 3, 4))
    rows = register_rows(project)
    numbers = [row["number"] for row in rows]
    assert len(numbers) == len(set(numbers)) == 68
    costshare("export", "x.json", today=date(2026, 4, 1))
    exported = amounts_2026(project / "x.json")
    assert exported == {code: Decimal(new[code]) for code in CODES}
    assert billed_by_register(rows, 2026) == exported

    # run again: nothing new is issued, nothing written
    said = costshare("invoices", "ud-again", "--year", "2026", "--date", "2026-04-02", today=date(2026, 4, 2))
    assert "Nothing new to issue" in said and not (project / "ud-again").exists()
    assert register_rows(project) == rows

    # --reprint: the same bytes, their SHA-256 as in the register
    costshare("invoices", "again", "--year", "2026", "--reprint", today=date(2026, 6, 1))
    reprinted = issued_files(project / "again")
    assert reprinted == {**first, **second}
    assert {name: hashlib.sha256(data).hexdigest() for name, data in reprinted.items()} == {r["number"]: r["sha256"] for r in rows}

    # an actual cost the cap binds for some members
    config.write_text(config.read_text(encoding="utf-8") + "actuals:\n  2026: 1000000\n", encoding="utf-8")
    share = capped_shares(1_000_000, key, CAP)
    assert sum(1 for code in CODES if share[code] == CAP) >= 3
    costshare("settle", "--year", "2026", "--out", "before.json", today=date(2027, 1, 15))
    invoiced = billed_by_register(rows, 2026)
    settled = json.loads((project / "before.json").read_text(encoding="utf-8"))
    differences = {m["code"]: Decimal(str(m["difference"])) for m in settled["members"]}
    assert differences == {code: share[code] - invoiced[code] for code in CODES}

    costshare("invoices", "ud3", "--year", "2026", "--settlement", "--date", "2027-01-15", today=date(2027, 1, 15))
    rows = register_rows(project)
    settlement = {row["code"]: row for row in rows if row["purpose"] == "settlement"}
    assert sorted(settlement) == CODES and sorted(issued_files(project / "ud3")) == [f"KS-2026-{c}-99" for c in CODES]
    for code in CODES:
        row = settlement[code]
        assert (row["number"], row["kind"]) == (f"KS-2026-{code}-99", "invoice" if differences[code] > 0 else "credit_note")
        assert Decimal(row["net"]) == abs(differences[code])
        assert set(row["references"].split()) == {f"KS-2026-{code}-{n}" for n in (1, 2, 3, 4)}
    assert billed_by_register(rows, 2026) == {code: Decimal(share[code]) for code in CODES}

    costshare("settle", "--year", "2026", "--out", "s.json", today=date(2027, 1, 16))
    settled = json.loads((project / "s.json").read_text(encoding="utf-8"))
    after = {m["code"]: Decimal(str(m["difference"])) for m in settled["members"]}
    assert after == {code: share[code] - billed_by_register(rows, 2026)[code] for code in CODES} == dict.fromkeys(CODES, 0)

    # a settled year's a conto invoicing is closed: a P/L rate revised now is not invoiced
    edit(config, "2026: 5.0}", "2026: 6.0}")
    said = costshare("invoices", "late", "--year", "2026", "--date", "2027-01-20", today=date(2027, 1, 20))
    assert "Nothing new to issue" in said and not (project / "late").exists()
    assert register_rows(project) == rows

    # a corrected actual cost: only the difference is issued, referring to the first settlement
    edit(config, "2026: 1000000\n", "2026: 1000500\n")
    corrected = capped_shares(1_000_500, key, CAP)
    change = {code: corrected[code] - share[code] for code in CODES if corrected[code] != share[code]}
    assert change and len(change) < len(CODES)  # the capped members pay no more
    costshare("invoices", "ud4", "--year", "2026", "--settlement", "--date", "2027-02-01", today=date(2027, 2, 1))
    later = register_rows(project)[len(rows) :]
    assert sorted(issued_files(project / "ud4")) == sorted(row["number"] for row in later)
    assert {row["code"]: (row["number"], row["kind"], Decimal(row["net"]), row["references"]) for row in later} == {
        code: (f"KS-2026-{code}-98", "invoice" if amount > 0 else "credit_note", Decimal(abs(amount)), f"KS-2026-{code}-99")
        for code, amount in change.items()
    }
    every = register_rows(project)
    assert len({row["number"] for row in every}) == len(every)
    assert billed_by_register(every, 2026) == {code: Decimal(corrected[code]) for code in CODES}
    costshare("validate", today=date(2027, 2, 1))


# --- what a run meets on the way ---------------------------------------------------------------------------


def test_a_register_in_a_folder_that_does_not_exist_is_one_line_naming_it_and_nothing_is_made(project: Path) -> None:
    config = project / "config" / "alliance.yaml"
    edit(config, "  prefix: KS\n", "  prefix: KS\n  register: ../arkiv/register.csv\n")
    result = runner.invoke(app, ["invoices", "ud", "--year", "2026", "--date", "2026-01-05", "--lang", "en"], obj=on_day(date(2026, 1, 5)))
    assert result.exit_code == 1
    line = config.read_text(encoding="utf-8").splitlines().index("  register: ../arkiv/register.csv") + 1
    assert result.stderr.splitlines() == [
        f"error: config/alliance.yaml:{line}: billing.register: the register arkiv/register.csv cannot be created: the folder arkiv "
        "does not exist (hint: create the folder, or give billing.register a file in a folder that exists)"
    ]
    assert not (project / "arkiv").exists() and not (project / "ud").exists()
    (project / "arkiv").mkdir()
    costshare("invoices", "ud", "--year", "2026", "--date", "2026-01-05", "--until", "2026-03-31")
    assert len(list((project / "arkiv" / "register").glob("*.xml"))) == 17


def test_a_member_that_no_longer_pays_in_the_year_is_credited_what_it_was_invoiced(project: Path) -> None:
    from lxml import etree

    config = project / "config" / "alliance.yaml"
    costshare("invoices", "ud1", "--year", "2026", "--date", "2026-01-05", "--until", "2026-06-30")
    invoiced = billed_by_register(register_rows(project), 2026)["360"]
    assert invoiced > 0
    members = "".join(f"  - {code}\n" if code != "360" else "  - municipality: 360\n    leaves: 2026-01-01\n" for code in CODES)
    config.write_text(config.read_text(encoding="utf-8") + "members:\n" + members, encoding="utf-8")
    costshare("invoices", "ud2", "--year", "2026", "--date", "2026-04-01", today=date(2026, 4, 1))
    rows = [row for row in register_rows(project) if row["code"] == "360"]
    assert [(row["number"], row["kind"], Decimal(row["net"]), row["references"]) for row in rows[2:]] == [
        ("KS-2026-360-50", "credit_note", invoiced, "KS-2026-360-1 KS-2026-360-2")
    ]
    root = etree.fromstring((project / "ud2" / "KS-2026-360-50.xml").read_bytes())
    assert root.tag.endswith("}CreditNote")
    ns = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
          "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}  # fmt: skip
    assert root.xpath("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID/text()", namespaces=ns) == [ean_for("360")]
    assert billed_by_register(register_rows(project), 2026)["360"] == 0


def test_a_credit_note_planned_from_a_register_given_to_the_view_names_its_buyer(project: Path) -> None:
    """The year's invoices planned on a View given the register's rows (as a program using costshare gives them): a
    member that pays nothing in the year now, credited what it was invoiced, is invoiced by its billing details like
    the paying members."""
    from costshare.app.billing import year_invoices
    from costshare.formats.bundle import invoice_files
    from costshare.io.register import read_register

    from .settling import computation

    config = project / "config" / "alliance.yaml"
    costshare("invoices", "ud1", "--year", "2026", "--date", "2026-01-05", "--until", "2026-03-31")
    rows = read_register(project / "data" / "register.csv", "register.csv").rows
    for name in ("register.csv", "register"):  # the View is given the rows, not the register's file
        shutil.move(project / "data" / name, project / name)
    members = "".join(f"  - {code}\n" if code != "360" else "  - municipality: 360\n    leaves: 2026-01-01\n" for code in CODES)
    config.write_text(config.read_text(encoding="utf-8") + "members:\n" + members, encoding="utf-8")
    issue = year_invoices(computation(config, rows), 2026, date(2026, 4, 1))
    credit = next(d for d in issue.documents if d.code == "360")
    assert (credit.kind, credit.number, credit.net) == ("credit_note", "KS-2026-360-50", next(r.net for r in rows if r.code == "360"))
    assert issue.billed.buyers["360"].ean == ean_for("360")
    assert "KS-2026-360-50.xml" in invoice_files(issue.view, issue.billed, issue.documents, "en")
