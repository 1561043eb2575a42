"""The installed console script, run as a new user would: from an empty folder, in a real process."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes: `pytest -m 'not slow'` skips them in the inner loop


def costshare() -> str:
    script = Path(sys.executable).with_name("costshare")
    found = str(script) if script.exists() else shutil.which("costshare")
    if not found:
        pytest.fail("the costshare console script is not installed next to this Python; run: pip install '.[test]'")
    return found


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(Path(sys.executable).parent), "LANG": "C.UTF-8", "HOME": str(tmp_path)}
    return subprocess.run([costshare(), *args], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def editable_install() -> bool:
    """Whether costshare was installed with `pip install -e` (PEP 610's direct_url.json says so)."""
    from importlib.metadata import distribution

    direct_url = distribution("costshare").read_text("direct_url.json")
    return bool(direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"))


def test_the_tests_run_against_the_install_they_were_given():
    """A wheel install: its shipped config and data are in it, and src/ does not stand in for it. An editable
    install (.ci/run runs the tests in both modes): the shipped config and data are the repository's own files."""
    import costshare
    from costshare.io.config import packaged_config

    package = Path(costshare.__file__).resolve().parent
    if editable_install():
        assert package.parts[-2:] == ("src", "costshare")
        assert packaged_config() == package.parent.parent / "config" / "alliance.yaml"
    else:
        assert "site-packages" in package.parts
        assert packaged_config() == package / "defaults" / "config" / "alliance.yaml"
    assert packaged_config().is_file()
    assert (packaged_config().parent.parent / "data" / "population.csv").is_file()


def test_export_from_an_empty_folder_uses_the_packaged_config(tmp_path):
    result = run(tmp_path, "export", "out.json")
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    soro = {p["year"]: next(a["amount"] for a in p["allocations"] if a["code"] == "340") for p in doc["periods"]}
    assert soro == {2023: 13075, 2024: 26150, 2025: 26150, 2026: 26150, 2027: 26150, 2028: 13075}
    for period in doc["periods"]:
        assert len(period["allocations"]) == 17
        assert sum(a["amount"] for a in period["allocations"]) == period["cost"]


def test_table_from_an_empty_folder(tmp_path):
    result = run(tmp_path, "table")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 18  # 17 municipalities and the totals row
    assert "3.650.000" in rows[-1]
    assert "…" not in result.stdout  # no figure cut short when the output is not a terminal


def test_python_dash_m_and_a_clean_error(tmp_path):
    version = subprocess.run([sys.executable, "-m", "costshare", "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("costshare ")
    (tmp_path / "bad.yaml").write_text("alliance: [\n", encoding="utf-8")
    result = run(tmp_path, "table", "--config", "bad.yaml")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("fejl: bad.yaml:")  # Danish unless asked otherwise
    assert "Traceback" not in result.stderr
