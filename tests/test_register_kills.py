"""A run of `invoices` killed (SIGKILL) at a random moment leaves the register and its kept documents consistent:
every row has its kept copy with the SHA-256 the row gives, no kept copy under its own name lacks its row, the chain
holds, and no number has two contents anywhere (in the register, beside it, or in any folder written). The config's
cost changes before every run, so a document left over from a killed run would differ from the one issued later.

The fast sample kills a few runs; the slow test 200 (marked slow: real processes, a few minutes).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_invoices import SENDER, billing

START = "0" * 64
YEARS = ("2024", "2025", "2026", "2027")


def command(outdir: str, year: str) -> list[str]:
    return [sys.executable, "-m", "costshare", "invoices", outdir, "--year", year, "-c", "alliance.yaml", "--lang", "en"]


def write_config(workspace, cost: int, register: str) -> None:
    text = workspace.config.read_text(encoding="utf-8").split("sender:")[0].replace("yearly: 730000", f"yearly: {cost}")
    text += SENDER + billing().replace("register: register.csv", f"register: {register}.csv")
    workspace.config.write_text(text, encoding="utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def consistent(root: Path, register: str) -> dict[str, str]:
    """Check a register, its kept copies and every folder written from it against each other (its number → SHA-256)."""
    path, kept = root / f"{register}.csv", root / register
    rows = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
    head, issued = START, {}
    for fields in rows:
        head = hashlib.sha256(json.dumps([head, *fields[:-1]], ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()
        assert fields[-1] == head, fields[0]  # the chain holds
        number, sha = fields[0], fields[-2]
        assert number not in issued, number  # a number once
        issued[number] = sha
        copies = [kept / f"{number}.xml", kept / f".pending-{number}.xml"]  # a run killed after the row: named by the next
        assert any(copy.exists() and digest(copy.read_bytes()) == sha for copy in copies), number
    names = os.listdir(kept) if kept.exists() else []
    assert sorted(name[:-4] for name in names if name.endswith(".xml") and not name.startswith(".")) == sorted(
        number for number in issued if (kept / f"{number}.xml").exists()
    )  # no copy under its own name without its row
    for folder in root.iterdir():
        if folder.is_dir() and folder.name.startswith(f"out-{register}-"):
            for document in folder.glob("*.xml"):
                assert digest(document.read_bytes()) == issued[document.stem], document  # what was written was issued, as issued
    return issued


def pending(kept: Path, year: str, wait: float) -> None:
    """Wait (at most `wait` seconds) until a run has begun to keep a document of `year` beside the register."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if kept.exists() and any(name.startswith(f".pending-KS-{year}-") for name in os.listdir(kept)):
            return
        time.sleep(0.001)


def issue(root: Path, register: str, outdir: str, year: str) -> None:
    result = subprocess.run(command(f"out-{register}-{outdir}", year), cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def killed_runs(workspace, runs: int, seed: int) -> None:
    """`runs` runs killed, each issuing a year its register does not hold yet (four years to a register), then runs that
    end take up what the kills left in the first register and the last."""
    chance = random.Random(seed)
    root = workspace.root
    write_config(workspace, 730_000, "reg-0")
    started = time.monotonic()
    issue(root, "reg-0", "first", "2023")
    whole = time.monotonic() - started  # how long a run takes here: the kills fall across it, most near its end
    consistent(root, "reg-0")
    for run in range(runs):
        register = f"reg-{run // len(YEARS)}"
        write_config(workspace, 730_000 + chance.randrange(1, 100_000), register)
        process = subprocess.Popen(command(f"out-{register}-{run}", YEARS[run % len(YEARS)]), cwd=root,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        if run % 2:
            time.sleep(chance.uniform(0.3, 1.1) * whole)
        else:  # the moments that matter most: from the first copy kept to the folder written, some 100 ms
            pending(root / register, YEARS[run % len(YEARS)], whole * 2)
            time.sleep(chance.uniform(0, 0.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        consistent(root, register)
    for register in dict.fromkeys(("reg-0", f"reg-{(runs - 1) // len(YEARS)}")):
        write_config(workspace, 812_345, register)
        for year in YEARS:  # runs that end: whatever a killed run left is taken up, and the year is issued whole
            issue(root, register, f"last-{year}", year)
        issued = consistent(root, register)
        assert not [name for name in os.listdir(root / register) if name.startswith(".")]  # nothing pending any more
        for year in YEARS:  # each instalment once, whatever the kills (a change in the cost is carried by numbers from 50)
            assert sum(1 for number in issued if number.split("-")[1] == year and int(number.split("-")[3]) <= 4) == 68
        validated = subprocess.run([sys.executable, "-m", "costshare", "validate", "-c", "alliance.yaml", "--lang", "en"],
                                   cwd=root, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert validated.returncode == 0, validated.stderr


def test_a_few_runs_killed_at_random_moments_leave_register_and_documents_consistent(workspace):
    killed_runs(workspace, 6, seed=26)


@pytest.mark.slow
def test_200_runs_killed_at_random_moments_leave_register_and_documents_consistent(workspace):
    killed_runs(workspace, 200, seed=2026)
