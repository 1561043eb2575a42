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
        arguments = {word for word in words if re.fullmatch(r"[A-Z]+", word)}
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
