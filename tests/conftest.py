"""Shared fixtures: a working folder with a real config and the real population file."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from costshare.core.errors import CostShareError
from costshare.io.config import packaged_config
from costshare.words.problems import problem_line

from .statbank_stub import StatBankStub

SHIPPED_CONFIG = packaged_config()

# The tests run on machines shared with other work: an example is never failed for the time it took alone.
settings.register_profile("costshare", deadline=None)
settings.load_profile("costshare")

# Region Sjælland's 17 municipalities on 1 January 2023 (Danmarks Statistik, FOLK1A), in code order.
CODES = ["253", "259", "265", "269", "306", "316", "320", "326", "329", "330", "336", "340", "350", "360", "370", "376", "390"]
REGION_2023 = [51507, 62458, 90446, 24216, 32977, 73440, 37344, 48602, 35906, 79728, 23692, 30444, 28930, 39921, 84574, 60231, 45441]
SHIPPED_POPULATION = SHIPPED_CONFIG.parent.parent / "data" / "population.csv"

CONFIG_TEXT = textwrap.dedent(
    """\
    alliance: Sjællands Klimaalliance
    agreement:
      start: 2023-07-01
      end: 2028-06-30
    costs:
      - label: KKR Sjællands årsværk (Gate21)
        yearly: 730000
    population:
      file: population.csv
      source: Danmarks Statistik, FOLK1A, 1. januar 2023
      basis: fixed
      year: 2023
    rounding:
      unit: 1
    notes:
      - Region Sjælland bidrager selv.
    """
)


# Root may write into a folder whatever its mode says, because it has CAP_DAC_OVERRIDE (and reads past modes by
# CAP_DAC_READ_SEARCH). Dropped from the bounding set by util-linux's setpriv, the command runs as root still (so it
# reads the tests' and the virtual environment's files, wherever they are) but is refused by permissions like anyone.
NO_ROOT_POWERS = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@functools.cache
def why_root_powers_stay() -> str | None:
    """None where a command can be run without root's power over permissions; else why it cannot."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        return "running as root, and setpriv (util-linux) is not installed to run a command without root's power over permissions"
    probe = subprocess.run([*NO_ROOT_POWERS, "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"running as root, and setpriv cannot drop root's power over permissions here: {probe.stderr.strip()}"
    return None


def installed_command_as_a_user(*args: str) -> list[str]:
    """The installed `costshare` with `args`, run so that a folder's mode holds for it: as it is for a user, and for
    root (CI runs as root) under setpriv without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH."""
    reason = why_root_powers_stay()
    if reason is not None:
        pytest.skip(reason)
    command = [str(Path(sys.executable).with_name("costshare")), *args]
    return [*NO_ROOT_POWERS, *command] if os.geteuid() == 0 else command


def english(error: CostShareError) -> list[str]:
    """The problems of an error as the CLI prints them in English, one line each."""
    return [problem_line(item, "en") for item in error.problems]


def flat(text: str) -> str:
    """Usage errors come in a rich box that may wrap: drop the frame and join the words."""
    return " ".join(text.replace("│", " ").split())


def usage_line(output: str) -> str:
    """The one line of a usage error: the text inside typer's error box, unwrapped."""
    inside = [line.strip("│ ") for line in output.splitlines() if line.startswith("│")]
    return " ".join(part for part in inside if part)


class Workspace:
    """A temporary folder holding alliance.yaml and population.csv that a test may rewrite."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = root / "alliance.yaml"
        self.population = root / "population.csv"
        self.config.write_text(CONFIG_TEXT, encoding="utf-8")
        shutil.copyfile(SHIPPED_POPULATION, self.population)

    def write_config(self, text: str) -> Path:
        self.config.write_text(textwrap.dedent(text), encoding="utf-8")
        return self.config

    def replace_in_config(self, old: str, new: str) -> Path:
        text = self.config.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in config"
        self.config.write_text(text.replace(old, new), encoding="utf-8")
        return self.config

    def write_population(self, text: str | bytes) -> Path:
        if isinstance(text, str):
            text = text.encode("utf-8")
        self.population.write_bytes(text)
        return self.population

    def population_lines(self) -> list[str]:
        return self.population.read_text(encoding="utf-8").splitlines()


@pytest.fixture(autouse=True)
def no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outputs are Danish unless a test asks otherwise, whatever locale the machine running the tests has."""
    for variable in ("COSTSHARE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    return Workspace(tmp_path)


@pytest.fixture
def stub():
    """A local server that answers like StatBank's /v1/data (statbank_stub.py)."""
    with StatBankStub() as server:
        yield server


@pytest.fixture
def fetch_workspace(workspace: Workspace) -> Workspace:
    """The workspace with population.region set, as the shipped config has it, so a fetch checks the region total."""
    workspace.replace_in_config("  year: 2023\n", "  year: 2023\n  region: '085'\n")
    return workspace


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many documents the official e-invoice rules checked, and the warnings they gave (a fatal finding fails its
    test where it is found)."""
    from .official_rules import summary

    for line in summary():
        terminalreporter.write_line(line)
