"""The record of decided years as a file: what `decide` writes reads back as it was, and a hand-edited file is read
strictly, every problem at its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from costshare.core.errors import DataError, ExportError
from costshare.core.record import DecidedYear
from costshare.io.record import append_record, read_record, record_rows

from .conftest import english

YEAR = DecidedYear(2027, {"253": 4424300, "340": 2615000}, {"253": "Greve", "340": "Sorø"}, 'KKR "Sjælland", pkt. 4', True,
                   date(2026, 10, 15))  # fmt: skip


def test_what_is_appended_reads_back_as_it_was(tmp_path: Path):
    path = tmp_path / "vedtaget.csv"
    append_record(path, "vedtaget.csv", read_record(path, "vedtaget.csv", 100), YEAR)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "year,code,municipality,amount,reference,provisional,decided_on",
        '2027,253,Greve,44243.00,"KKR ""Sjælland"", pkt. 4",yes,2026-10-15',
        '2027,340,Sorø,26150.00,"KKR ""Sjælland"", pkt. 4",yes,2026-10-15',
    ]
    assert read_record(path, "vedtaget.csv", 100).years == {2027: YEAR}


def test_a_record_changed_since_it_was_read_is_not_written(tmp_path: Path):
    path = tmp_path / "vedtaget.csv"
    path.write_bytes(record_rows(YEAR, header=True))
    read = read_record(path, "vedtaget.csv", 100)
    path.write_bytes(path.read_bytes() + b"\n")
    before = path.read_bytes()
    other = DecidedYear(2028, {"253": 100, "340": 200}, YEAR.names, "", False, date(2027, 10, 1))
    with pytest.raises(ExportError) as caught:
        append_record(path, "vedtaget.csv", read, other)
    assert english(caught.value) == [
        "vedtaget.csv: the file changed while costshare read it; nothing written (hint: run the command again)"
    ]
    assert path.read_bytes() == before


def test_every_line_that_cannot_be_read_is_named_at_once(tmp_path: Path):
    path = tmp_path / "vedtaget.csv"
    path.write_text(
        "year,code,municipality,amount,reference,provisional,decided_on\n"
        "2027,253,Greve,-5.00,,no,2026-10-15\n"
        "2027,340,Sorø,26150.00,,no,2026-10-15\n"
        "2027,340,Sorø,26150.00,,no,2026-10-15\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        read_record(path, "vedtaget.csv", 100)
    assert english(caught.value) == [
        "vedtaget.csv:2: amount '-5.00' is negative",
        "vedtaget.csv:4: municipality 340 appears again for 2027 (first on line 3)",
    ]


def test_no_file_yet_is_no_decided_year(tmp_path: Path):
    read = read_record(tmp_path / "vedtaget.csv", "vedtaget.csv", 100)
    assert read.years == {} and read.data is None
