"""The worked example of docs/year.md runs as shown: from an empty folder, each `$ costshare …` line in turn, each
YAML block written into config/alliance.yaml as the page says, and each command prints what the page shows under it.
Sorø's figures on the page are also derived here by hand, so the page cannot agree with a wrong program."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from costshare.cli import app

from .conftest import REGION_2023

PAGE = Path(__file__).resolve().parent.parent / "docs" / "year.md"
ELIDED = "…"


@dataclass(frozen=True)
class Step:
    """A command and the lines the page shows it printing, or a YAML block for the config (command empty)."""

    command: str
    shown: tuple[str, ...]


def steps(page: Path = PAGE) -> list[Step]:
    """The fenced blocks after the page's '## Worked example' heading, in order."""
    text = page.read_text(encoding="utf-8").split("\n## Worked example", 1)[1]
    found: list[Step] = []
    for language, body in re.findall(r"^```(\w*)\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL):
        lines = body.splitlines()
        if language == "yaml":
            found.append(Step("", tuple(lines)))
            continue
        for line in lines:
            if line.startswith("$ "):
                found.append(Step(line[2:], ()))
            else:
                found[-1] = Step(found[-1].command, (*found[-1].shown, line))
    return found


def edited(config: str, snippet: str) -> str:
    """`config` with each top-level key of `snippet` replacing that key's block (the key's line and the indented lines
    under it), or added at the end where the config does not set the key yet: what a user does in an editor."""
    for block in re.findall(r"^[a-z_]+:.*\n(?:[ #].*\n|\n(?= ))*", snippet + "\n", flags=re.MULTILINE):
        key = block.split(":", 1)[0]
        pattern = re.compile(rf"^{key}:.*\n(?: .*\n)*", flags=re.MULTILINE)
        found = pattern.search(config)
        config = config[: found.start()] + block + config[found.end() :] if found else config + block
    return config


def matches(shown: tuple[str, ...], printed: list[str]) -> bool:
    """Whether `printed` is `shown`, where a line '…' on the page stands for lines left out."""
    shown_lines = [line.rstrip() for line in shown]
    printed_lines = [line.rstrip() for line in printed]
    if ELIDED not in shown_lines:
        return shown_lines == printed_lines
    chunks: list[list[str]] = [[]]
    for line in shown_lines:
        chunks.append([]) if line == ELIDED else chunks[-1].append(line)
    at = 0
    for number, chunk in enumerate(chunks):
        if number == 0:
            if printed_lines[: len(chunk)] != chunk:
                return False
            at = len(chunk)
            continue
        found = next((i for i in range(at, len(printed_lines) - len(chunk) + 1) if printed_lines[i : i + len(chunk)] == chunk), None)
        if found is None:
            return False
        at = found + len(chunk)
    return not chunks[-1] or printed_lines[-len(chunks[-1]) :] == chunks[-1]


def test_the_elision_holds_what_is_shown_to_its_place():
    printed = ["a", "b", "c", "d"]
    assert matches(("a", "…", "d"), printed) and matches(("…", "b", "c", "…"), printed)
    assert not matches(("a", "…", "c"), printed) and not matches(("b", "…"), printed) and not matches(("…", "c", "b", "…"), printed)
    assert not matches(("a", "b"), printed)


def test_an_edit_replaces_a_key_and_adds_one_that_is_not_set():
    config = "costs:\n  - yearly: 1\n# billing:\n#   prefix: X\nrounding:\n  unit: 1\n"
    snippet = "costs:\n  - yearly: 2\n\n  - one_off: 3\nbilling:\n  prefix: KS  # the prefix\n"
    assert edited(config, snippet) == (
        "costs:\n  - yearly: 2\n\n  - one_off: 3\n# billing:\n#   prefix: X\nrounding:\n  unit: 1\nbilling:\n  prefix: KS  # the prefix\n"
    )


def sorø(cost: int) -> tuple[int, Fraction]:
    """Sorø's exact share of `cost` by the population on 1 January 2023, and the amount the largest remainder gives it."""
    total = sum(REGION_2023)
    quotas = [Fraction(cost * people, total) for people in REGION_2023]
    floors = [quota.numerator // quota.denominator for quota in quotas]
    left = cost - sum(floors)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), -REGION_2023[i], i))
    index = 11  # Sorø, 340, in code order
    return floors[index] + (1 if index in order[:left] else 0), quotas[index]


def test_the_page_gives_sorøs_figures_as_the_rules_do():
    text = PAGE.read_text(encoding="utf-8")
    budget, _ = sorø(730000)
    changed, _ = sorø(770000)
    actual, _ = sorø(773000)
    assert (budget, changed, actual) == (26150, 27583, 27691)
    first = -(-budget // 4)  # 26.150 in four: the units left over go to the first instalments
    rest = changed - first
    assert (first, rest, rest % 3) == (6538, 21045, 0)
    for figure in (budget, changed, actual, first, rest // 3, actual - changed):
        assert f"{figure:,}".replace(",", ".") in text


def test_the_worked_example_runs_as_the_page_shows(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    for name in ("COSTSHARE_CONFIG", "COSTSHARE_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    walked = steps()
    assert sum(1 for step in walked if step.command) >= 15
    for step in walked:
        if not step.command:
            config = tmp_path / "config" / "alliance.yaml"
            config.write_text(edited(config.read_text(encoding="utf-8"), "\n".join(step.shown) + "\n"), encoding="utf-8")
            continue
        words = shlex.split(step.command)
        assert words[0] == "costshare"
        result = CliRunner().invoke(app, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, (step.command, result.output)
        assert matches(step.shown, result.output.splitlines()), (step.command, result.output)
