"""The README's command table lists exactly the commands, arguments and options that --help shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from costshare.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def documented() -> dict[tuple[str, ...], tuple[set[str], set[str]]]:
    """{command path: (options, ARGUMENTS)} from the first cell of each row of the README's Commands table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    for cell in re.findall(r"^\| `(costshare[^`]*)`", section, flags=re.MULTILINE):
        words = cell.replace("\\|", "|").split()[1:]
        path = tuple(word for word in words if re.fullmatch(r"[a-z]+", word))
        options = set(re.findall(r"--[a-z][a-z-]*", cell))
        after_option = {words[i + 1] for i, word in enumerate(words[:-1]) if word.startswith("--")}  # --year Y: Y is the option's value
        arguments = {
            word.strip("[]") for word in words if re.fullmatch(r"[A-Z]+|\[[A-Z]+\]", word) and word not in after_option
        }  # OUT, or [FOLDER]
        rows[path] = (options, arguments)
    return rows


def shown() -> dict[tuple[str, ...], tuple[set[str], set[str]]]:
    """The same, from the click command that typer builds and --help prints."""
    rows: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}

    def walk(command, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", {})
        options = {name for param in command.params for name in param.opts if name.startswith("--")}
        arguments = {param.name.upper() for param in command.params if param.param_type_name == "argument"}
        if options or arguments or not subcommands:
            rows[path] = (options, arguments)
        for name, sub in subcommands.items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return rows


def test_the_readme_documents_every_command_and_nothing_else():
    assert sorted(documented()) == sorted(shown())


@pytest.mark.parametrize("path", sorted(shown()), ids=lambda path: " ".join(path) or "costshare")
def test_the_readme_lists_each_commands_options_and_arguments(path):
    assert documented().get(path) == shown()[path]


def readme_block_after(marker: str) -> list[str]:
    """The lines of the first code block after `marker` in the README."""
    text = README.read_text(encoding="utf-8")
    block = text.split(marker, 1)[1].split("```\n", 2)[1]
    return block.splitlines()


def test_the_readme_check_example_prints_what_the_readme_says(monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.chdir(README.parent)  # the repository's config/ and data/, as in the README
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["check", "data/decided.csv"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == readme_block_after("`costshare check data/decided.csv` compares")


def test_the_readme_indexation_example_prints_what_the_readme_says(workspace):
    from typer.testing import CliRunner

    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n    indexed: true\n")
    rates = "indexation:\n  base_year: 2023\n  rates: {2024: 3.1, 2025: 2.6, 2026: 2.0, 2027: 2.0, 2028: 2.0}\n"
    workspace.replace_in_config("population:\n", rates + "population:\n")
    result = CliRunner().invoke(app, ["explain", "soro", "--year", "2025", "-c", "alliance.yaml"], catch_exceptions=False)
    assert result.stdout.splitlines()[1:6] == readme_block_after("`costshare explain soro --year 2025` prints")
