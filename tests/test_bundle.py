"""The secretariat's yearly run: init, bundle, PDF statements, the HTML report, billing details.

The PDF is read back with pdftotext and the report rendered by headless Chromium with the network
off; each of those tests is skipped only where the tool cannot be installed (.ci/run installs them).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app

from .conftest import CODES, REGION_2023, flat, installed_command_as_a_user
from .test_apportion import oracle

runner = CliRunner()
PDFTOTEXT = shutil.which("pdftotext")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

BILLING = """
sender:
  name: KKR Sjælland
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  contact: sekretariat@example.dk
billing:
  payment_terms_days: 30
  members:
    340:
      ean: "5798000000001"
      reference: "Att. Økonomi, Sorø Kommune"
      account: "1.2.3.4"
"""


def costshare(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = str(Path(sys.executable).with_name("costshare"))
    return subprocess.run([script, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def checksums_hold(folder: Path) -> bool:
    lines = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in lines:
        digest, name = line.split("  ", 1)
        if hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            return False
    listed = {line.split("  ", 1)[1] for line in lines}
    on_disk = {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()} - {"SHA256SUMS"}
    return listed == on_disk


@pytest.mark.slow
def test_init_then_bundle_from_an_empty_folder(tmp_path):
    init = costshare("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "config" / "alliance.yaml").read_text(encoding="utf-8").startswith("# Sjællands Klimaalliance")
    assert "  costshare bundle ud" in init.stdout
    first = costshare("bundle", "ud", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "ud"
    names = sorted(str(path.relative_to(out)) for path in out.rglob("*") if path.is_file())
    statements = [name for name in names if name.startswith("statements/")]
    assert {"budget.xlsx", "budget.csv", "budget.json", "report.html", "SHA256SUMS"} <= set(names)
    assert len(statements) == 34 and "statements/340-Sorø.pdf" in statements and "statements/340-Sorø.md" in statements
    assert checksums_hold(out)
    assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=out, capture_output=True).returncode == 0  # coreutils
    before = {name: (out / name).read_bytes() for name in names}
    again = costshare("bundle", "ud", cwd=tmp_path)
    assert again.returncode == 1
    assert (
        again.stderr
        == "fejl: ud: mappen findes og er ikke tom (tip: brug --force for at erstatte det, som costshare har skrevet i mappen)\n"
    )  # Danish by default
    assert {name: (out / name).read_bytes() for name in names} == before
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".ud")] == []
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF statements are not read back; .ci/run installs it")
    text = subprocess.run([PDFTOTEXT, "statements/340-Sorø.pdf", "-"], cwd=out, capture_output=True, text=True, check=True).stdout
    assert all(figure in text for figure in ("Sorø", "13.075", "26.150", "130.750"))


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed; .ci/run installs it")
def test_the_pdf_statement_reads_back_with_the_figures_and_danish_letters(workspace):
    with workspace.config.open("a", encoding="utf-8") as handle:
        handle.write(BILLING)
    result = runner.invoke(app, ["statement", "soro", "-c", "alliance.yaml", "--out", "s.pdf"], catch_exceptions=False)
    assert result.exit_code == 0
    data = (workspace.root / "s.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    assert PDFTOTEXT is not None  # the test is skipped without it
    text = subprocess.run([PDFTOTEXT, "-layout", "s.pdf", "-"], cwd=workspace.root, capture_output=True, text=True, check=True).stdout
    for expected in ("Sorø Kommune", "EAN: 5798000000001", "Kontostreng: 1.2.3.4", "KKR Sjælland", "CVR 12345674", "Opgørelse for Sorø (kommunekode 340)",
                     "13.075 kr.", "26.150 kr.", "130.750 kr.", "Betalingsfrist: 30 dage fra fakturadato", "ikke en faktura", "2023 (jul–dec)"):  # fmt: skip
        assert expected in text, expected
    assert text.count("26.150 kr.") == 4
    runner.invoke(app, ["statement", "soro", "-c", "alliance.yaml", "--out", "t.pdf"], catch_exceptions=False)
    assert (workspace.root / "t.pdf").read_bytes() == data  # reproducible


def test_bundle_statement_markdown_matches_the_statement_command_and_the_json_matches_export(workspace):
    """The bundle's figures against the Sorø decision and a split worked out here (Hamilton, by Fraction)."""
    assert runner.invoke(app, ["bundle", "ud", "-c", "alliance.yaml"], catch_exceptions=False).exit_code == 0
    markdown = (workspace.root / "ud" / "statements" / "340-Sorø.md").read_text(encoding="utf-8")
    assert "| 2023 (jul–dec) | 13.075 kr. |" in markdown and "| 2024 | 26.150 kr. |" in markdown and "**130.750 kr.**" in markdown
    document = json.loads((workspace.root / "ud" / "budget.json").read_text(encoding="utf-8"))
    full, half = oracle(730000, REGION_2023, CODES)[2], oracle(365000, REGION_2023, CODES)[2]
    for period in document["periods"]:
        expected = full if period["months"] == 12 else half
        assert [a["amount"] for a in period["allocations"]] == expected
    assert checksums_hold(workspace.root / "ud")
    # --force replaces the bundle costshare wrote, whole
    before = (workspace.root / "ud" / "SHA256SUMS").stat().st_ino
    assert runner.invoke(app, ["bundle", "ud", "-c", "alliance.yaml", "--force"], catch_exceptions=False).exit_code == 0
    assert (workspace.root / "ud" / "SHA256SUMS").stat().st_ino != before and checksums_hold(workspace.root / "ud")


@pytest.mark.slow
def test_a_failed_bundle_leaves_nothing_behind(workspace):
    """The installed command, run so that the folder's mode holds for it even where the tests run as root."""
    command = installed_command_as_a_user("bundle", "ud", "-c", "alliance.yaml", "--lang", "en")
    os.chmod(workspace.root, 0o555)  # no folder can be made here
    try:
        result = subprocess.run(command, cwd=workspace.root, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(workspace.root, 0o755)
    assert result.returncode == 1 and result.stderr.startswith("error: ud: cannot write in ")
    assert result.stderr.count("\n") == 1 and "Permission denied" in result.stderr
    assert not (workspace.root / "ud").exists()
    assert [p.name for p in workspace.root.iterdir() if p.name.startswith(".ud")] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('ean: "5798000000001"', 'ean: "5798000000002"', "billing.members[340].ean: EAN 5798000000002 has check digit 2, but its first twelve digits give 1; check the number"),
        ('cvr: "12345674"', 'cvr: "1234567"', "sender.cvr: a CVR number must be 8 digits, got '1234567'"),
        ("    340:", "    999:", "billing.members.999: 999 is not a member that pays in the agreement"),
    ],
    ids=["ean-check-digit", "cvr-7-digits", "not-a-member"],
)  # fmt: skip
def test_bad_billing_details_are_one_line_with_the_field(workspace, old, new, expected):
    text = workspace.config.read_text(encoding="utf-8") + BILLING.replace(old, new)
    workspace.config.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if new in content)
    result = runner.invoke(app, ["table", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: alliance.yaml:{line}: {expected}"]


def test_statement_format_and_suffix_must_agree(workspace):
    result = runner.invoke(app, ["statement", "soro", "-c", "alliance.yaml", "--out", "s.pdf", "-f", "txt", "--lang", "en"])
    assert result.exit_code == 2
    assert "'s.pdf' ends in .pdf, but the format is txt" in flat(result.output)
    assert not (workspace.root / "s.pdf").exists()


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed; .ci/run installs it")
def test_the_report_renders_in_a_browser_with_the_table_totals_and_chart_and_no_network(workspace, tmp_path):
    assert runner.invoke(app, ["bundle", "ud", "-c", "alliance.yaml"], catch_exceptions=False).exit_code == 0
    report = workspace.root / "ud" / "report.html"
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html
    assert "default-src 'none'" in html  # the page itself forbids every fetch
    log = tmp_path / "netlog.json"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-pings", f"--user-data-dir={tmp_path / 'profile'}",
        "--proxy-server=127.0.0.1:9", f"--log-net-log={log}", "--dump-dom", report.as_uri(),
    ]  # fmt: skip
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        command = ["unshare", "-n", *command]  # no network at all, not just none configured
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    assert "<table>" in dom and dom.count('<th scope="row">') == 18  # 17 municipalities and the totals row
    assert "I alt (17 kommuner)" in dom and "3.650.000" in dom
    assert "<svg" in dom and dom.count('class="bar"') == 17
    assert "Sorø" in dom and "130.750" in dom
    # Chromium asks its own update and account services in the background whatever the page does;
    # every other address in the log would have come from the page
    own = ("://update.googleapis.com/", "://accounts.google.com/", "://clients2.google.com/")
    urls = re.findall(r'"url":"(https?://[^"]*)"', log.read_text(encoding="utf-8", errors="replace"))
    assert [url for url in urls if not any(host in url for host in own)] == []


@pytest.mark.slow
@pytest.mark.parametrize("args", [["export", "-", "-f", "xlsx"], ["statement", "soro", "-f", "pdf"]])
def test_a_binary_format_is_not_written_to_a_terminal(workspace, args):
    """Standard output a real terminal (a pseudo-terminal here): the command asks for a file instead."""
    import pty

    script = str(Path(sys.executable).with_name("costshare"))
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [script, *args, "-c", "alliance.yaml", "--lang", "en"],
            cwd=workspace.root,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert "is a binary format; give a file name, or redirect standard output to a file" in " ".join(
        result.stderr.replace("│", " ").split()
    )
