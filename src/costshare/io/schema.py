"""The schema of alliance.yaml as strict, frozen pydantic models: what each key may hold, field by field.

Money and units are read as Decimal from their text (yamlsource gives them as written), never through
float; every refusal is an InvalidValueError by catalog id, so config.py can word it at its line.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from ..core.errors import InvalidValueError
from ..core.key_years import Basis
from ..core.money import ROUNDING_UNITS
from ..core.periods import is_month_end, is_month_start
from ..limits import MAX_POPULATION, MAX_YEAR, MIN_YEAR
from .datatext import shown, text_problem
from .itemkinds import kind_problems
from .values import code_of, money_in_range, plain_number, whole_number

Code = Annotated[str, BeforeValidator(code_of)]


def _data_text(value: str) -> str:
    """Names, labels, notes and sources: text that stays text in every output (datatext.py)."""
    problem = text_problem(value)
    if problem:
        raise problem
    return value


def _plain_date(value: Any) -> date:
    """Dates only as YYYY-MM-DD, within the years costshare handles."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise InvalidValueError("err_date_form", value=shown(value))
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidValueError("err_date_calendar", value=value) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidValueError("err_date_years", value=value, first=MIN_YEAR, last=MAX_YEAR)
    return day


Text = Annotated[str, Field(min_length=1), AfterValidator(_data_text)]
Year = Annotated[int, Field(strict=True, ge=MIN_YEAR, le=MAX_YEAR)]
PlainDate = Annotated[date, BeforeValidator(_plain_date)]
Amount = Annotated[Decimal, BeforeValidator(plain_number)]
Whole = Annotated[int, BeforeValidator(whole_number)]  # inhabitants, days: never a boolean, a decimal or text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _first_of_month(value: date | None) -> date | None:
    if value is not None and not is_month_start(value):
        raise InvalidValueError("err_not_month_start", value=value)
    return value


def _last_of_month(value: date | None) -> date | None:
    if value is not None and not is_month_end(value):
        raise InvalidValueError("err_not_month_end", value=value)
    return value


Money = Annotated[Amount, AfterValidator(money_in_range)]
MonthStart = Annotated[PlainDate, AfterValidator(_first_of_month)]
MonthEnd = Annotated[PlainDate, AfterValidator(_last_of_month)]


class BlendModel(_Strict):
    """`{blend: {equal: 30, population: 70}}`: percents per base, adding up to 100 (checked with the config's lines)."""

    blend: dict[Text, Annotated[Decimal, BeforeValidator(plain_number), Field(gt=0, le=100)]] = Field(min_length=1, max_length=10)


Rate = Annotated[Decimal, BeforeValidator(plain_number), Field(ge=0, le=1_000_000)]  # kroner per inhabitant


class StepModel(_Strict):
    """One step of a stepped rate: `rate` per inhabitant up to `up_to` inhabitants (the last step: all the rest)."""

    up_to: Annotated[Whole, Field(gt=0, le=MAX_POPULATION)] | None = None
    rate: Rate


class CostItemModel(_Strict):
    """A yearly item (yearly, optionally indexed, from, to) or a one-off item (one_off, year), split by its `key`
    (population unless given: equal, a weights file's name, or a blend) with an optional `cap`; or a rate item
    (per_inhabitant, optionally base, max_inhabitants, cap, indexed, from, to) that each member pays on its own."""

    label: Text
    yearly: Money | None = None
    indexed: Annotated[bool, Field(strict=True)] = False
    from_: MonthStart | None = Field(default=None, alias="from")
    to: MonthEnd | None = None
    one_off: Money | None = None
    year: Year | None = None
    key: Text | BlendModel | None = None
    cap: Money | None = None
    per_inhabitant: Rate | Annotated[list[StepModel], Field(min_length=1, max_length=20)] | None = None
    base: Money | None = None
    max_inhabitants: Annotated[Whole, Field(gt=0, le=MAX_POPULATION)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> CostItemModel:
        """The fields of exactly one kind of item (itemkinds.py)."""
        written = {
            "yearly": self.yearly,
            "one_off": self.one_off,
            "per_inhabitant": self.per_inhabitant,
            "key": self.key,
            "year": self.year,
            "base": self.base,
            "max_inhabitants": self.max_inhabitants,
            "indexed": self.indexed or None,
            "from": self.from_,
            "to": self.to,
        }
        limits = [step.up_to for step in self.per_inhabitant] if isinstance(self.per_inhabitant, list) else []
        for found in kind_problems({name for name, value in written.items() if value is not None}, limits):
            raise found
        return self


_DECIMAL_COMMA = re.compile(r"\s*(-?\d+),(\d+)\s*")
_PERCENT = re.compile(r"\s*(-?\d+(?:[.,]\d+)?)\s*%\s*")


def _rate(value: Any) -> Any:
    value = plain_number(value)
    if isinstance(value, (int, Decimal)) and not Decimal(value) > -100:
        raise InvalidValueError("err_rate_low", value=value)
    if isinstance(value, (int, Decimal)) and Decimal(value) > 1000:
        raise InvalidValueError("err_rate_high", value=value)
    return value


class IndexationModel(_Strict):
    base_year: Year
    rates: dict[Year, Annotated[Decimal, BeforeValidator(_rate)]] = {}

    @field_validator("rates", mode="before")
    @classmethod
    def _as_a_finance_officer_writes_them(cls, value: Any) -> Any:
        """A decimal comma (`2025: 2,6`; in a flow mapping `{2025: 2,6}` reads as {2025: 2, 6: None}) or a percent sign
        (`3.1%`), refused with the right spelling."""
        if not isinstance(value, dict):
            return value
        items = list(value.items())
        for (year, whole), (decimals, nothing) in itertools.pairwise(items):
            if isinstance(whole, int) and isinstance(decimals, int) and nothing is None and 0 <= decimals < MIN_YEAR:
                raise InvalidValueError("err_rate_comma", written=f"{year}: {whole},{decimals}", right=f"{year}: {whole}.{decimals}")
        for year, rate in items:
            if isinstance(rate, str) and (comma := _DECIMAL_COMMA.fullmatch(rate)):
                raise InvalidValueError("err_rate_comma", written=f"{year}: {rate.strip()}", right=f"{year}: {comma[1]}.{comma[2]}")
            if isinstance(rate, str) and (percent := _PERCENT.fullmatch(rate)):
                raise InvalidValueError(
                    "err_rate_percent", written=f"{year}: {rate.strip()}", right=f"{year}: {percent[1].replace(',', '.')}"
                )
        return value


def _member_entry(value: Any) -> Any:
    """`340`, `Sorø` or a mapping {municipality: …, joins: …, leaves: …}: all become the mapping."""
    return value if isinstance(value, dict) else {"municipality": value}


def _code_or_name(value: Any) -> str:
    if isinstance(value, bool):
        raise InvalidValueError("err_member_bool", value=repr(value))
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return code_of(value if isinstance(value, int) else value.strip())
    if isinstance(value, str):
        return _data_text(value.strip())
    raise InvalidValueError("err_member_kind", value=shown(value))


class MemberModel(_Strict):
    municipality: Annotated[str, BeforeValidator(_code_or_name)]
    joins: MonthStart | None = None
    leaves: MonthStart | None = None

    @model_validator(mode="after")
    def _in_order(self) -> MemberModel:
        if self.joins is not None and self.leaves is not None and self.leaves <= self.joins:
            raise InvalidValueError("err_leaves_joins", leaves=self.leaves, joins=self.joins)
        return self


class AgreementModel(_Strict):
    start: MonthStart
    end: MonthEnd
    note: Text | None = None  # what is assumed about the agreement, shown with the figures


class PopulationModel(_Strict):
    file: Text
    source: Text | None = None
    basis: Basis = "fixed"
    year: Year | None = None
    region: Code | None = None  # the area whose total the members must add up to when fetching


class RoundingModel(_Strict):
    unit: Amount = Decimal(1)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: Decimal) -> Decimal:
        """Compared by value, and returned as written in ROUNDING_UNITS, so 1.0 means 1 and 0.010 means 0.01."""
        for unit in ROUNDING_UNITS:
            if value == unit:
                return unit
        raise InvalidValueError("err_unit", value=value)


def _digits(count: int, what: str) -> Any:
    def check(value: Any) -> str:
        text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        if not (text.isascii() and text.isdigit() and len(text) == count):
            raise InvalidValueError(f"err_digits_{what}", count=count, value=shown(value))
        return text

    return check


def _gln(value: str) -> str:
    """A 13-digit EAN/GLN location number whose last digit is its GS1 check digit (python-stdnum computes it)."""
    from stdnum import ean

    check = int(ean.calc_check_digit(value[:12]))
    if int(value[12]) != check:
        raise InvalidValueError("err_ean_check", value=value, digit=value[12], check=check)
    return value


def _cvr(value: str) -> str:
    """An 8-digit CVR number that passes the modulus-11 check (weights 2, 7, 6, 5, 4, 3, 2, 1; python-stdnum)."""
    from stdnum.dk import cvr

    if cvr.checksum(value) != 0:
        raise InvalidValueError("err_cvr_check", value=value)
    return value


def _account(value: Any) -> str:
    """A bank account number of up to 10 digits, written with its leading zeros (0012345678) as Danish banks show it."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit() and 1 <= len(text) <= 10):
        raise InvalidValueError("err_bank_account", value=shown(value))
    return text.rjust(10, "0")


def _prefix(value: Any) -> str:
    if not (isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9]{1,10}", value)):
        raise InvalidValueError("err_invoice_prefix", value=shown(value))
    return value


class BankModel(_Strict):
    """A Danish bank account: registration number (4 digits) and account number (up to 10 digits)."""

    registration: Annotated[str, BeforeValidator(_digits(4, "registration"))]
    account: Annotated[str, BeforeValidator(_account)]


class FikModel(_Strict):
    """A creditor number for FI-indbetalingskort (kortart 71): 8 digits."""

    creditor: Annotated[str, BeforeValidator(_digits(8, "creditor"))]


class SenderModel(_Strict):
    name: Text
    address: list[Text] = Field(default=[], max_length=6)
    cvr: Annotated[str, BeforeValidator(_digits(8, "cvr")), AfterValidator(_cvr)] | None = None
    contact: Text | None = None
    bank: BankModel | None = None
    fik: FikModel | None = None

    @model_validator(mode="after")
    def _one_way_to_pay(self) -> SenderModel:
        if self.bank is not None and self.fik is not None:
            raise InvalidValueError("err_bank_and_fik")
        return self


class BillingMemberModel(_Strict):
    ean: Annotated[str, BeforeValidator(_digits(13, "ean")), AfterValidator(_gln)] | None = None
    reference: Text | None = None
    order: Text | None = None
    account: Text | None = None
    name: Text | None = None  # the member's name on invoices, e.g. "Sorø Kommune" (default: its name in the data)


BillingKey = Annotated[str, BeforeValidator(_code_or_name)]


class VatModel(_Strict):
    """Contributions are outside the scope of VAT (category O) unless the config says `category: S` (25 %)."""

    category: Literal["O", "S"] = "O"
    percent: Annotated[Decimal, BeforeValidator(plain_number), Field(gt=0, le=100)] | None = None
    reason: Text | None = None  # the exemption reason printed on a category O invoice

    @model_validator(mode="after")
    def _fits_category(self) -> VatModel:
        if self.category == "O" and self.percent is not None:
            raise InvalidValueError("err_vat_o_percent")
        if self.category == "S" and self.reason is not None:
            raise InvalidValueError("err_vat_s_reason")
        return self


class BillingModel(_Strict):
    payment_terms_days: Annotated[Whole, Field(ge=0, le=365)] | None = None
    instalments: Literal[1, 2, 4, 12] = 1
    prefix: Annotated[str, BeforeValidator(_prefix)] | None = None  # put before every invoice number
    vat: VatModel = VatModel()
    members: dict[BillingKey, BillingMemberModel] = Field(default={}, max_length=1000)


class AllianceConfig(_Strict):
    alliance: Text
    currency: str = Field(default="DKK", pattern=r"^[A-Z]{3}$")
    locale: Literal["da", "da_DK", "en"] | None = None  # None: COSTSHARE_LANG or the system's language
    agreement: AgreementModel
    costs: list[CostItemModel] = Field(min_length=1, max_length=100)
    indexation: IndexationModel | None = None
    population: PopulationModel
    members: list[Annotated[MemberModel, BeforeValidator(_member_entry)]] | None = Field(default=None, min_length=1, max_length=1000)
    rounding: RoundingModel = RoundingModel()
    notes: list[Text] = Field(default=[], max_length=100)
    sender: SenderModel | None = None
    billing: BillingModel | None = None
    actuals: dict[Year, Money] = Field(default={}, max_length=100)  # the actual total cost of a finished budget year
    weights: dict[Text, Text] = Field(default={}, max_length=20)  # key name → CSV of year,code,value, relative to the config
