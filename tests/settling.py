"""A settlement as the app makes it for a config and the documents a register holds: what `settle` shows and writes,
and what `invoices --settlement` writes, without a register file (the rows are given)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from costshare.app.billing import Issue, settled_year, settlement_invoices, with_register
from costshare.app.invoicing import SettledYear
from costshare.app.pipeline import Computation, compute
from costshare.app.view import Document, Invoiceable, View
from costshare.core.register import Issued
from costshare.formats.registry import SETTLEMENT, Options

GENERATED_AT = datetime(2026, 1, 5, 9, 0)
ISSUED_ON = date(2026, 1, 5)  # the day the register's documents are planned again from


def as_issued(view: View, document: Document, purpose: str | None = None) -> Issued:
    """A document as the register records it once issued."""
    return Issued(document.number, document.kind, purpose or document.purpose, document.year, document.code,  # type: ignore[arg-type]
                  view.name(document.code), document.instalment, document.start, document.end, document.issued, document.due,
                  document.net, document.vat, view.currency, document.references, "0" * 64)  # fmt: skip


def aconto_rows(view: View, year: int) -> tuple[Issued, ...]:
    """Every a conto invoice the config plans for `year`, as if all were issued."""
    billed = view.billed[year]
    assert isinstance(billed, Invoiceable), billed
    return tuple(as_issued(view, document) for document in billed.invoices)


def computation(config: Path, rows: Iterable[Issued] = ()) -> Computation:
    """The config's run with a register holding `rows`."""
    return with_register(compute(config), tuple(rows), ISSUED_ON)


def billed_as_planned(config: Path, year: int) -> Computation:
    """The config's run with every a conto invoice of `year` issued as the config plans them."""
    return computation(config, aconto_rows(compute(config).view, year))


def settled(found: Computation, year: int) -> SettledYear:
    return settled_year(found, year, ISSUED_ON)


def settlement_file(settled_year_: SettledYear, suffix: str, lang: str = "en") -> bytes:
    """What `settle --out FILE.suffix` writes."""
    return SETTLEMENT[suffix](settled_year_, Options(lang, GENERATED_AT))  # type: ignore[arg-type]


def issue(found: Computation, year: int, day: date | None = None) -> Issue:
    """What `invoices OUTDIR --settlement --date DAY` issues (by default on the register's last day of issue, as a
    settlement is never dated before it)."""
    last = max((row.issued for row in found.view.issued), default=ISSUED_ON)
    return settlement_invoices(found, year, day or last)


def budget_rows(view: View, year: int) -> tuple[Issued, ...]:
    """One invoice per member paying in `year` for its whole amount of the year, as if issued in one instalment."""
    period = view.period(year)
    start, end = period.period.start, period.period.end
    return tuple(
        Issued(f"{year}-{share.code}-1", "invoice", "aconto", year, share.code, share.municipality, 1, start, end, start, start,
               share.amount, 0, view.currency, (), "0" * 64)
        for share in period.shares
    )  # fmt: skip
