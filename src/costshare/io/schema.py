"""The schema of alliance.yaml as strict, frozen pydantic models: what each key may hold, field by field.

The kinds of value its fields share are fields.py's, and a cost item's model is items.py's, with the kinds of
item; every refusal is an InvalidValueError by catalog id, so config.py can word it at its line.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag, field_validator, model_validator

from ..core.currencies import is_currency
from ..core.errors import InvalidValueError
from ..core.key_years import Basis
from ..core.money import ROUNDING_UNITS
from ..limits import MIN_YEAR
from .datatext import shown
from .fields import Amount, Code, Money, MonthEnd, MonthStart, Strict, Text, Whole, Year, data_text
from .items import CostItemModel
from .values import code_of, plain_number, whole_number

_DECIMAL_COMMA = re.compile(r"\s*(-?\d+),(\d+)\s*")
_PERCENT = re.compile(r"\s*(-?\d+(?:[.,]\d+)?)\s*%\s*")


def _rate(value: Any) -> Any:
    value = plain_number(value)
    if isinstance(value, (int, Decimal)) and not Decimal(value) > -100:
        raise InvalidValueError("err_rate_low", value=value)
    if isinstance(value, (int, Decimal)) and Decimal(value) > 1000:
        raise InvalidValueError("err_rate_high", value=value)
    return value


class IndexationModel(Strict):
    base_year: Year
    rates: dict[Year, Annotated[Decimal, BeforeValidator(_rate)]] = Field(default={})

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
        return data_text(value.strip())
    raise InvalidValueError("err_member_kind", value=shown(value))


class MemberModel(Strict):
    municipality: Annotated[str, BeforeValidator(_code_or_name)]
    joins: MonthStart | None = None
    leaves: MonthStart | None = None

    @model_validator(mode="after")
    def _in_order(self) -> MemberModel:
        if self.joins is not None and self.leaves is not None and self.leaves <= self.joins:
            raise InvalidValueError("err_leaves_joins", leaves=self.leaves, joins=self.joins)
        return self


class AgreementModel(Strict):
    start: MonthStart
    end: MonthEnd
    note: Text | None = None  # what is assumed about the agreement, shown with the figures
    reference: Text | None = None  # the decision or contract the agreement rests on, on every e-invoice (BT-12)


class PopulationModel(Strict):
    file: Text
    source: Text | None = None
    basis: Basis = "fixed"
    year: Year | None = None
    region: Code | None = None  # the area whose total the members must add up to when fetching


class RoundingModel(Strict):
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
    """A 13-digit EAN/GLN location number whose last digit is its GS1 check digit (python-stdnum computes it); thirteen
    zeros pass the check but are no one's number."""
    from stdnum import ean

    if not value.strip("0"):
        raise InvalidValueError("err_ean_zero", value=value)
    check = int(ean.calc_check_digit(value[:12]))
    if int(value[12]) != check:
        raise InvalidValueError("err_ean_check", value=value, digit=value[12], check=check)
    return value


def _cvr(value: str) -> str:
    """An 8-digit CVR number that passes the modulus-11 check (weights 2, 7, 6, 5, 4, 3, 2, 1; python-stdnum); eight
    zeros pass the check but are no one's number."""
    from stdnum.dk import cvr

    if not value.strip("0"):
        raise InvalidValueError("err_cvr_zero", value=value)
    if cvr.checksum(value) != 0:
        raise InvalidValueError("err_cvr_check", value=value)
    return value


Cvr = Annotated[str, BeforeValidator(_digits(8, "cvr")), AfterValidator(_cvr)]
Ean = Annotated[str, BeforeValidator(_digits(13, "ean")), AfterValidator(_gln)]


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


class BankModel(Strict):
    """A Danish bank account: registration number (4 digits) and account number (up to 10 digits)."""

    registration: Annotated[str, BeforeValidator(_digits(4, "registration"))]
    account: Annotated[str, BeforeValidator(_account)]


class FikModel(Strict):
    """A creditor number for FI-indbetalingskort (kortart 71): 8 digits."""

    creditor: Annotated[str, BeforeValidator(_digits(8, "creditor"))]


class SenderModel(Strict):
    name: Text  # the name shown on statements and e-invoices
    legal_name: Text | None = None  # the legal owner of the CVR (a host municipality), where it is not `name`
    address: list[Text] = Field(default=[], max_length=6)
    cvr: Cvr | None = None
    ean: Ean | None = None  # the EAN the sender receives e-invoices on (its endpoint; default: its CVR)
    contact: Text | None = None
    bank: BankModel | None = None
    fik: FikModel | None = None

    @model_validator(mode="after")
    def _one_way_to_pay(self) -> SenderModel:
        if self.bank is not None and self.fik is not None:
            raise InvalidValueError("err_bank_and_fik")
        return self


def _order_form(value: Any) -> str | None:
    """An order number is one text for every year or one per budget year (a mapping); a list is neither, and a number
    or true is refused as text is."""
    return "years" if isinstance(value, dict) else None if isinstance(value, list) else "one"


# the member's order number: one for every budget year, or each year's by the year
Order = Annotated[
    Annotated[Text, Tag("one")] | Annotated[dict[Year, Text], Tag("years"), Field(min_length=1, max_length=100)],
    Discriminator(_order_form, custom_error_type="err_order_form", custom_error_message="err_order_form"),
]


class BillingMemberModel(Strict):
    ean: Ean | None = None
    cvr: Cvr | None = None  # the member's own CVR, its legal registration on the e-invoice
    reference: Text | None = None  # the person or department the e-invoice is for (BuyerReference)
    order: Order | None = None  # its order number (OrderReference)
    account: Text | None = None  # its kontostreng, which books the e-invoice (AccountingCost)
    name: Text | None = None  # the member's name on invoices (default: its official name, "Sorø Kommune")


BillingKey = Annotated[str, BeforeValidator(_code_or_name)]


class VatModel(Strict):
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


class BillingModel(Strict):
    payment_terms_days: Annotated[Whole, Field(ge=0, le=365)] | None = None
    instalments: Annotated[Literal[1, 2, 4, 12], BeforeValidator(whole_number)] = 1  # a count: never true or 4.000
    prefix: Annotated[str, BeforeValidator(_prefix)] | None = None  # put before every invoice number
    # the register of issued documents, relative to the config (default: ../data/register.csv); `register` is a name
    # every pydantic model has already (ABCMeta's), so the field has another name and reads the key by its alias
    register_file: Text | None = Field(default=None, alias="register")
    vat: VatModel = VatModel()
    members: dict[BillingKey, BillingMemberModel] = Field(default={}, max_length=1000)
    minimum: Money | None = None  # a settlement difference smaller than this is not invoiced
    first_year: Year | None = None  # the first budget year costshare invoices: those before were invoiced outside it
    attach_statement: Annotated[bool, Field(strict=True)] = True  # each e-invoice carries the member's statement PDF


def _iso_4217(value: str) -> str:
    """Three capitals that are a currency code of ISO 4217 (core/currencies.py)."""
    if not is_currency(value):
        raise InvalidValueError("err_currency_unknown", "hint_currency", value=value)
    return value


def _actual_form(value: Any) -> str | None:
    """A year's actual cost is one figure (a number, or text for the reader to read or refuse) or each item's by its
    label (a mapping); anything else is neither, refused as err_actual_form."""
    return "items" if isinstance(value, dict) else "total" if isinstance(value, (int, Decimal, str)) else None


# budget year → its actual cost: one figure where the year has one cost item, else each item's by its label
Actual = Annotated[
    Annotated[Money, Tag("total")] | Annotated[dict[Text, Money], Tag("items"), Field(min_length=1, max_length=100)],
    Discriminator(_actual_form, custom_error_type="err_actual_form", custom_error_message="err_actual_form"),
]


class AllianceConfig(Strict):
    alliance: Text
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_iso_4217)] = "DKK"
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
    actuals: dict[Year, Actual] = Field(default={}, max_length=100)  # the actual cost of a finished budget year
    weights: dict[Text, Text] = Field(default={}, max_length=20)  # key name → CSV of year,code,value, relative to the config
    decided: Text | None = None  # the agreement's record of decided years (CSV), relative to the config
