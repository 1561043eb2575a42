"""Which fields make which kind of cost item in alliance.yaml: yearly, one-off or per inhabitant.

The schema (schema.py) hands over which fields an item gives and its rate steps' limits; each check returns its
problems, and the first one found is the item's (pydantic reports one per item).
"""

from __future__ import annotations

from collections.abc import Callable, Set

from ..core.errors import InvalidValueError

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
