"""The one object every writer reads: a run's figures and what the documents say about them.

The figures are always the whole agreement's; `selection` says which budget years a document shows, so a
total "over the agreement" is the agreement's whatever is shown, and a sum of the years shown says so.

The pipeline builds a View from the config, the population file and the core's allocation, with every
budget year's billing (its invoices, or why it cannot be invoiced); every document (table, explanation,
statement, CSV, JSON, XLSX, PDF, HTML, e-invoice) is made from a View alone, so no writer knows the YAML
schema, reads a file or decides whether a year can be billed, and a new output has one place to look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from ..core.allocate import Allocation, PeriodAllocation
from ..core.errors import Problem
from ..core.membership import Membership
from ..core.register import Issued, Purpose


@dataclass(frozen=True)
class Agreement:
    start: date
    end: date
    note: str | None  # what is assumed about the agreement, shown with the figures
    reference: str | None = None  # the decision or contract it rests on, as the e-invoices name it


@dataclass(frozen=True)
class Payment:
    """How a member pays the sender: a bank account (registration and account number) or an FI creditor number."""

    registration: str | None = None
    account: str | None = None
    creditor: str | None = None  # FI-indbetalingskort, kortart 71


@dataclass(frozen=True)
class Sender:
    """Who sends the statements and the invoices."""

    name: str
    address: tuple[str, ...]
    cvr: str | None
    contact: str | None
    payment: Payment | None = None
    legal_name: str | None = None  # the legal owner of the CVR, where it is not `name`
    ean: str | None = None  # the EAN it receives e-invoices on


@dataclass(frozen=True)
class BillingDetails:
    """What one member asks to see on what it is sent."""

    ean: str | None
    reference: str | None
    account: str | None
    order: str | Mapping[int, str] | None = None  # one order number for every budget year, or each year's
    name: str | None = None  # the member's name on invoices, where it is not its official name
    cvr: str | None = None

    def order_in(self, year: int) -> str | None:
        """The order number of budget year `year` (None where none is given for it)."""
        return self.order if self.order is None or isinstance(self.order, str) else self.order.get(year)


@dataclass(frozen=True)
class Invoicing:
    """How the year's amounts are invoiced: instalments a year, days to pay, VAT, the invoice numbers' prefix."""

    instalments: int = 1
    payment_terms_days: int = 30
    vat_category: str = "O"  # O: outside the scope of VAT; S: standard rate
    vat_percent: Decimal | None = None
    vat_reason: str | None = None  # the exemption reason on a category O invoice (the catalog's words when None)
    prefix: str | None = None
    minimum: int = 0  # minor units: a settlement difference smaller than this is not invoiced
    first_year: int | None = None  # the first budget year invoiced here (None: every year); the years before are not
    attach_statement: bool = True  # each e-invoice carries the member's statement for the year as a PDF


@dataclass(frozen=True, slots=True)
class Document:
    """One invoice or credit note to one member: amounts in minor units, always positive (a credit note says
    'money back' by its kind, never by a sign)."""

    kind: Literal["invoice", "credit_note"]
    number: str
    code: str
    year: int
    issued: date
    due: date
    start: date  # the months the document covers
    end: date
    net: int
    vat: int
    instalment: int | None  # 1-based among the year's; None for an adjustment or the settlement
    instalments: int  # an instalment's: how many of the year's have an amount (issued or to come), as its note counts them
    references: tuple[str, ...]  # the issued documents a credit note or a settlement refers to, by number
    payment_id: str | None  # the FI betalings-id (kortart 71), where the sender is paid by FI
    purpose: Purpose = (
        "aconto"  # what the register records it as: an a conto document (an instalment or an adjustment), or one settling the actual cost
    )
    ordinal: int | None = None  # an instalment's place among the `instalments` its note counts

    @property
    def gross(self) -> int:
        return self.net + self.vat

    @property
    def file_name(self) -> str:
        return f"{self.number}.xml"


@dataclass(frozen=True)
class Seller:
    """The sender as an e-invoice names it: everything an e-invoice must carry is there."""

    name: str
    address: tuple[str, ...]
    cvr: str
    contact: str | None
    payment: Payment
    legal_name: str  # the legal owner of the CVR: `name` unless the config says otherwise
    ean: str | None = None  # its endpoint, where it receives on an EAN (else its CVR)


@dataclass(frozen=True)
class Buyer:
    """A paying member as an e-invoice names it in a budget year: its EAN number, its name, its reference or the year's
    order number (one at least, both where given), its kontostreng and its CVR."""

    ean: str
    name: str
    reference: str | None
    order: str | None
    account: str | None = None
    cvr: str | None = None


@dataclass(frozen=True)
class Invoiceable:
    """A budget year that can be invoiced as the config stands: how, from whom, to whom, and every member's a conto
    invoices (by code, each member's by instalment)."""

    year: int
    invoicing: Invoicing
    seller: Seller
    buyers: Mapping[str, Buyer]  # by member code
    by_member: Mapping[str, tuple[Document, ...]]  # by member code, in code order

    @property
    def invoices(self) -> tuple[Document, ...]:
        return tuple(document for documents in self.by_member.values() for document in documents)

    def of(self, code: str) -> tuple[Document, ...]:
        """The member's a conto invoices for the year (none for a member that pays nothing)."""
        return self.by_member.get(code, ())


@dataclass(frozen=True)
class Refused:
    """A budget year that cannot be invoiced as the config stands, and why, in the order a user fixes it."""

    year: int
    problems: tuple[Problem, ...]  # never empty


@dataclass(frozen=True)
class Sources:
    """Where the figures came from: the files as the user reads their names, their checksums, the version."""

    generated_by: str
    config_file: str
    config_sha256: str
    population_file: str
    population_sha256: str
    population_source: str | None  # the config's words for the population figures, if any


@dataclass(frozen=True)
class View:
    """Everything a document shows: the agreement, the cost items, the budget years with every member's
    share (the core's allocation, exact), the key, the sources, the notes, the sender, and each budget year as billed."""

    alliance: str
    currency: str
    rounding_unit: Decimal  # as written in the config, for files
    agreement: Agreement
    allocation: Allocation
    key_year: int | None  # the configured key year of a fixed basis
    notes: tuple[str, ...]
    sources: Sources
    sender: Sender | None = None
    billing: Mapping[str, BillingDetails] = field(default_factory=dict)  # by member code
    selection: tuple[int, ...] | None = None  # the budget years shown (None: all); totals of the agreement stay whole
    changes: Mapping[str, Membership] = field(default_factory=dict)  # members that join or leave during the agreement, by code
    weights_files: Mapping[str, str] = field(default_factory=dict)  # a key's name → its weights file, as the user reads it
    invoicing: Invoicing | None = None  # how the members are invoiced (None: the config bills no one)
    actuals: Mapping[int, Mapping[str, int]] = field(default_factory=dict)  # budget year → each item's actual cost by label, minor units
    billed: Mapping[int, Invoiceable | Refused] = field(default_factory=dict)  # every budget year of the agreement, as billed
    issued: tuple[Issued, ...] = ()  # the register's documents, in the order they were issued: history, never recomputed
    issuing: tuple[Document, ...] = ()  # the documents the run issues: the statement each carries lists them as issued
    record_file: str | None = None  # the agreement's record of decided years, as the user reads its name
    recomputed: Mapping[int, PeriodAllocation | tuple[Problem, ...]] = field(default_factory=dict)  # a decided year as
    # today's config would give it, or why it cannot (given by `explain` only)

    @property
    def settling(self) -> tuple[Document, ...]:
        """The settlement documents the run issues: the statement each carries explains them."""
        return tuple(document for document in self.issuing if document.purpose == "settlement")

    @property
    def unit(self) -> int:
        """The rounding unit in minor units."""
        return self.allocation.unit

    @property
    def codes(self) -> tuple[str, ...]:
        return self.allocation.codes

    @property
    def periods(self) -> tuple[PeriodAllocation, ...]:
        """The budget years shown: the selection, or every year of the agreement."""
        return tuple(p for p in self.allocation.periods if self.selection is None or p.year in self.selection)

    @property
    def years(self) -> tuple[int, ...]:
        """The budget years shown."""
        return tuple(period.year for period in self.periods)

    @property
    def payment_terms_days(self) -> int | None:
        """The days a member has to pay, as its invoices state them; None where the config bills no one."""
        return self.invoicing.payment_terms_days if self.invoicing is not None else None

    @property
    def invoiceable(self) -> tuple[Invoiceable, ...]:
        """The budget years shown that can be invoiced as the config stands, with their invoices."""
        return tuple(billed for year in self.years if isinstance(billed := self.billed.get(year), Invoiceable))

    def period(self, year: int) -> PeriodAllocation:
        """The budget year `year` of the agreement, as allocated."""
        return next(period for period in self.allocation.periods if period.year == year)

    @property
    def whole(self) -> bool:
        """Whether every budget year of the agreement is shown (a sum of the years shown is then the agreement's)."""
        return len(self.periods) == len(self.allocation.periods)

    def name(self, code: str) -> str:
        return self.allocation.name(code)
