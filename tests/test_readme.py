"""The README's command table lists exactly the commands, arguments and options that --help shows; the README stays
short; every relative link in it and in docs/ leads somewhere; the examples in docs/ print what they say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from costshare.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


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


def block_after(page: Path, marker: str) -> list[str]:
    """The lines of the first code block after `marker` in `page`."""
    text = page.read_text(encoding="utf-8")
    block = text.split(marker, 1)[1].split("```\n", 2)[1]
    return block.splitlines()


def test_the_check_example_prints_what_the_budget_years_page_says(monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.chdir(ROOT)  # the repository's config/ and data/, as on the page
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    result = CliRunner().invoke(app, ["check", "data/decided.csv"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == block_after(DOCS / "budget-years.md", "`costshare check data/decided.csv` compares")


def test_ci_runs_the_readmes_test_command():
    """.ci/run makes its own venv, $venv, where the README's command makes .venv; every step is the same."""
    (command,) = block_after(README, "(this is what CI runs")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").replace('"', "")
    steps = [step.strip().replace(".venv", "$venv").replace('"', "") for step in command.split("&&")]
    assert len(steps) == 3
    assert [step for step in steps if step not in ci] == []


def test_the_first_run_prints_what_the_readme_says(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)  # an empty folder: the config shipped with costshare
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    monkeypatch.delenv("COSTSHARE_LANG", raising=False)
    result = CliRunner().invoke(app, ["explain", "Sorø", "--year", "2026"], catch_exceptions=False)
    assert result.exit_code == 0
    shown = block_after(README, "## The first run")
    assert shown[0] == "$ costshare explain Sorø --year 2026"
    assert result.stdout.splitlines() == shown[1:]


def test_the_indexation_example_prints_what_the_method_page_says(workspace):
    from typer.testing import CliRunner

    workspace.replace_in_config("    yearly: 730000\n", "    yearly: 730000\n    indexed: true\n")
    rates = "indexation:\n  base_year: 2023\n  rates: {2024: 3.1, 2025: 2.6, 2026: 2.0, 2027: 2.0, 2028: 2.0}\n"
    workspace.replace_in_config("population:\n", rates + "population:\n")
    result = CliRunner().invoke(app, ["explain", "soro", "--year", "2025", "-c", "alliance.yaml"], catch_exceptions=False)
    assert result.stdout.splitlines()[1:6] == block_after(DOCS / "method.md", "`costshare explain soro --year 2025` prints")


def test_the_readme_is_read_in_ten_minutes():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


PAGES = [README, *sorted(DOCS.glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def without_code_blocks(page: Path) -> str:
    return re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.MULTILINE | re.DOTALL)


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", without_code_blocks(page), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def broken_links(page: Path) -> list[str]:
    """The relative links in `page` (outside code) whose file does not exist, or whose #anchor is no heading there."""
    broken = []
    for target in LINK.findall(re.sub(r"`[^`\n]*`", "", without_code_blocks(page))):
        if re.match(r"[a-z][a-z+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in anchors(linked)):
            broken.append(target)
    return broken


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_that_exists(page):
    assert broken_links(page) == []


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "there.md").write_text("# There\n\n## A section: `here`\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    page = tmp_path / "page.md"
    page.write_text(
        "[a](there.md) [b](there.md#a-section-here) [c](folder) [d](https://example.org/x.md) [e](#heading)\n"
        "# Heading\n[f](gone.md) [g](there.md#elsewhere) `[h](gone.md)`\n```\n[i](gone.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["gone.md", "there.md#elsewhere"]
