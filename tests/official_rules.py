"""The official CEN EN 16931 business rules for UBL, run as an access point runs them: the Schematron CEN TC 434
publishes (tests/en16931/CEN-EN16931-UBL.sch; its source, version and licence in tests/en16931/NOTE.md), compiled to
XSLT 2 by SchXslt and run by Saxon (saxonche). The rules OpenPEPPOL adds (PEPPOL-EN16931-*, DK-R-*) come with no
licence to keep a copy, so tests/peppol_rules.py restates them.

The Schematron is compiled once a test session, at the first document checked. Every finding flagged "fatal" is an
error the document must not have; the others (warnings) are gathered and reported at the end of the session.
Nothing here calls costshare.
"""

from __future__ import annotations

import locale
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

FOLDER = Path(__file__).with_name("en16931")
SCHEMATRON = FOLDER / "CEN-EN16931-UBL.sch"
SCHXSLT = FOLDER / "schxslt" / "pipeline-for-svrl.xsl"  # Schematron → XSLT 2, all of SchXslt's steps in one
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


@contextmanager
def locale_kept() -> Iterator[None]:
    """Saxon's native library sets the C locale from the environment when it starts, and the tests run without LANG:
    the process's locale (and so the encoding a subprocess's text is read in) is put back as it was."""
    kept = locale.setlocale(locale.LC_ALL)
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, kept)


@dataclass(frozen=True)
class Finding:
    """One failed assertion of the official rules: its id, its flag (fatal or warning), where, and the rule's text."""

    rule: str
    flag: str
    location: str
    text: str


@dataclass
class Checked:
    """What the session's documents met: how many were checked and every warning (a fatal finding fails its test)."""

    documents: int = 0
    warnings: list[tuple[str, Finding]] = field(default_factory=list)
    compiling: float = 0.0  # seconds
    checking: float = 0.0


class OfficialRules:
    """The CEN rules compiled once: `findings(xml)` runs them over one document."""

    def __init__(self) -> None:
        from saxonche import PySaxonProcessor

        started = time.perf_counter()
        with locale_kept():
            self._processor: Any = PySaxonProcessor(license=False)
            compiler = self._processor.new_xslt30_processor()
            pipeline = compiler.compile_stylesheet(stylesheet_file=str(SCHXSLT))
            compiled = pipeline.transform_to_string(xdm_node=self._processor.parse_xml(xml_file_name=str(SCHEMATRON)))
            self._rules: Any = compiler.compile_stylesheet(stylesheet_text=compiled)
        self.checked = Checked(compiling=time.perf_counter() - started)

    def findings(self, xml: bytes) -> list[Finding]:
        """Every failed assertion of the rules over `xml`, in the order the rules report them."""
        with locale_kept():
            document = self._processor.parse_xml(xml_text=xml.decode("utf-8"))
            report = etree.fromstring(self._rules.transform_to_string(xdm_node=document).encode("utf-8"))
        found = []
        for failed in report.iterfind("svrl:failed-assert", SVRL):
            text = failed.findtext("svrl:text", default="", namespaces=SVRL)
            found.append(Finding(failed.get("id", ""), failed.get("flag", "fatal"), failed.get("location", ""), " ".join(text.split())))
        return found

    def fatal(self, xml: bytes, name: str = "") -> list[str]:
        """The ids of the fatal findings over `xml` (empty: the rules take it); its warnings are kept for the report."""
        started = time.perf_counter()
        found = self.findings(xml)
        self.checked.checking += time.perf_counter() - started
        self.checked.documents += 1
        self.checked.warnings.extend((name, finding) for finding in found if finding.flag != "fatal")
        return [f"{finding.rule} at {finding.location}" for finding in found if finding.flag == "fatal"]


@cache
def official_rules() -> OfficialRules:
    """The rules, compiled at the first call of the session."""
    return OfficialRules()


def summary() -> list[str]:
    """Lines for the end of the session: documents checked, warnings by rule (nothing where no document was checked)."""
    if official_rules.cache_info().currsize == 0:
        return []
    checked = official_rules().checked
    warnings = checked.warnings
    lines = [f"official CEN EN 16931 rules: {checked.documents} documents checked in {checked.checking:.1f} s "
             f"(compiled in {checked.compiling:.1f} s), {len(warnings)} warnings"]  # fmt: skip
    by_rule: dict[str, list[str]] = {}
    for name, finding in warnings:
        by_rule.setdefault(finding.rule, []).append(name)
    lines += [f"  {rule}: {len(names)} ({', '.join(sorted(set(names))[:3])})" for rule, names in sorted(by_rule.items())]
    return lines
