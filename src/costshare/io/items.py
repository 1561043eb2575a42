"""How alliance.yaml writes a cost item: its fields (CostItemModel), which fields make which kind (yearly, one-off,
per inhabitant), and the item the core takes from them, one class per kind, keys and rates in exact minor units.

A new kind of item is its fields here, the checks of which go together (KIND_CHECKS), and a case in `cost_item`.
Each check returns its problems, and the first one found is the item's (pydantic reports one per item).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from ..core.errors import InvalidValueError
from ..core.items import CostItem, Key, OneOffItem, RateItem, YearlyItem
from ..core.keys import POPULATION
from ..core.money import MINOR_PER_MAJOR, to_minor
from ..core.periods import Period
from ..limits import MAX_POPULATION
from .fields import Money, MonthEnd, MonthStart, Strict, Text, Whole, Year
from .values import plain_number


class BlendModel(Strict):
    """`{blend: {equal: 30, population: 70}}`: percents per base, adding up to 100 (checked with the config's lines)."""

    blend: dict[Text, Annotated[Decimal, BeforeValidator(plain_number), Field(gt=0, le=100)]] = Field(min_length=1, max_length=10)


def _key_form(value: Any) -> str | None:
    """A key is a base's name (text) or a blend (a mapping); anything else is neither, refused as err_key_form."""
    return "name" if isinstance(value, str) else "blend" if isinstance(value, dict) else None


# Each union chooses its member by the value's form, so a wrong value is refused once, by the member it is meant for;
# a value of neither form is refused by the catalog id the Discriminator names as its error type.
KeyForm = Annotated[
    Annotated[Text, Tag("name")] | Annotated[BlendModel, Tag("blend")],
    Discriminator(_key_form, custom_error_type="err_key_form", custom_error_message="err_key_form"),
]

Rate = Annotated[Decimal, BeforeValidator(plain_number), Field(ge=0, le=1_000_000)]  # kroner per inhabitant


class StepModel(Strict):
    """One step of a stepped rate: `rate` per inhabitant up to `up_to` inhabitants (the last step: all the rest)."""

    up_to: Annotated[Whole, Field(gt=0, le=MAX_POPULATION)] | None = None
    rate: Rate


def _rate_form(value: Any) -> str | None:
    """A list is a rate's steps; a number, or text for the reader to read or refuse, is one rate; anything else is
    neither, refused as err_rate_form."""
    return "steps" if isinstance(value, list) else "rate" if isinstance(value, (int, Decimal, str)) else None


Steps = Annotated[list[StepModel], Field(min_length=1, max_length=20)]
RateForm = Annotated[
    Annotated[Rate, Tag("rate")] | Annotated[Steps, Tag("steps")],
    Discriminator(_rate_form, custom_error_type="err_rate_form", custom_error_message="err_rate_form"),
]


class CostItemModel(Strict):
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
    key: KeyForm | None = None
    cap: Money | None = None
    per_inhabitant: RateForm | None = None
    base: Money | None = None
    max_inhabitants: Annotated[Whole, Field(gt=0, le=MAX_POPULATION)] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> CostItemModel:
        """The fields of exactly one kind of item (KIND_CHECKS)."""
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


# ---- which fields make which kind

KINDS = ("yearly", "one_off", "per_inhabitant")  # the fields that say an item's kind: exactly one is given

Check = Callable[[Set[str], list[int | None]], list[InvalidValueError]]


def kind_problems(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """Every problem with the item's fields: `given` names the fields written (a flag only where true), `limits`
    the `up_to` of each rate step."""
    return [found for check in KIND_CHECKS for found in check(given, limits)]


def one_kind(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """Exactly one of yearly, one_off and per_inhabitant."""
    return [] if len(given & set(KINDS)) == 1 else [InvalidValueError("err_item_kind")]


def rate_alone(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """A rate item has no key (each member pays by its own inhabitants) and no year."""
    extra = [name for name in ("key", "year") if name in given]
    return [InvalidValueError("err_rate_extra", keys=extra[0])] if "per_inhabitant" in given and extra else []


def rate_steps(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """Rate steps go up in order, and only the last is open (no `up_to`)."""
    inner = [limit for limit in limits[:-1] if limit is not None]
    if limits and (limits[-1] is not None or len(inner) < len(limits) - 1 or inner != sorted(set(inner))):
        return [InvalidValueError("err_rate_steps")]
    return []


def rate_fields(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """`base` and `max_inhabitants` belong to a rate item."""
    extra = [name for name in ("base", "max_inhabitants") if name in given]
    return [InvalidValueError("err_rate_only", keys=extra[0])] if "per_inhabitant" not in given and extra else []


def one_off_alone(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """A one-off amount has no span and no P/L indexing: it is charged whole in its year's prices."""
    extra = [name for name in ("indexed", "from", "to") if name in given]
    return [InvalidValueError("err_one_off_extra", keys=", ".join(extra))] if "one_off" in given and extra else []


def one_off_year(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """A one-off amount says its budget year."""
    return [InvalidValueError("err_one_off_year")] if "one_off" in given and "year" not in given else []


def year_only_one_off(given: Set[str], limits: list[int | None]) -> list[InvalidValueError]:
    """`year` belongs to a one-off amount."""
    return [InvalidValueError("err_year_on_yearly")] if "yearly" in given and "year" in given else []


KIND_CHECKS: tuple[Check, ...] = (one_kind, rate_alone, rate_steps, rate_fields, one_off_alone, one_off_year, year_only_one_off)


# ---- the item the core takes


def cost_item(item: CostItemModel) -> CostItem:
    """The item in minor units, as the kind the config gives: `per_inhabitant`, `yearly` or `one_off` (the checks
    above let exactly one through)."""
    if item.per_inhabitant is not None:
        return rate_item(item)
    if item.yearly is not None:
        return YearlyItem(item.label, to_minor(item.yearly), item.indexed, item.from_, item.to, item_key(item), _cap(item))
    if item.one_off is None or item.year is None:
        raise ValueError(f"cost item {item.label!r} is neither yearly, one-off nor per inhabitant")
    return OneOffItem(item.label, to_minor(item.one_off), item.year, item_key(item), _cap(item))


def running_labels(costs: Sequence[CostItemModel], period: Period) -> list[str]:
    """The labels of the cost items that run in budget year `period`, in the config's order."""
    return [item.label for item in map(cost_item, costs) if item.cost_in(period, 1) is not None]


def rate_item(item: CostItemModel) -> RateItem:
    """A per-inhabitant item in minor units: its steps (one open step for a flat rate), base, cap and count."""
    given = item.per_inhabitant
    steps = [(None, given)] if isinstance(given, Decimal) else [(step.up_to, step.rate) for step in given or ()]
    return RateItem(
        item.label,
        steps=tuple((up_to, Fraction(rate) * MINOR_PER_MAJOR) for up_to, rate in steps),
        base=to_minor(item.base) if item.base is not None else 0,
        cap=_cap(item),
        max_inhabitants=item.max_inhabitants,
        indexed=item.indexed,
        start=item.from_,
        end=item.to,
    )


def written_amount(item: CostItemModel) -> tuple[str, Decimal]:
    """The field that holds the item's fixed amount (yearly, one-off, or a rate item's base), and the amount written
    there (0 where a rate item has no base): what the config's decimals check reads."""
    if item.yearly is not None:
        return "yearly", item.yearly
    if item.one_off is not None:
        return "one_off", item.one_off
    return "base", item.base or Decimal(0)


def _cap(item: CostItemModel) -> int | None:
    return to_minor(item.cap) if item.cap is not None else None


def item_key(item: CostItemModel) -> Key:
    return tuple((base, Fraction(percent)) for base, percent in item_bases(item))


def item_bases(item: CostItemModel) -> tuple[tuple[str, Decimal], ...]:
    """The key as written, as (base, percent) pairs: population 100 unless the item says otherwise."""
    if item.key is None:
        return ((POPULATION, Decimal(100)),)
    if isinstance(item.key, str):
        return ((item.key, Decimal(100)),)
    return tuple(item.key.blend.items())
