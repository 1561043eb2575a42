"""The kinds of value alliance.yaml's models share, field by field: text, years, dates, amounts, whole numbers.

Money and units are read as Decimal from their text (yamlsource gives them as written), never through float;
every refusal is an InvalidValueError by catalog id, so config.py can word it at its line.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from ..core.errors import InvalidValueError
from ..core.periods import is_month_end, is_month_start
from ..limits import MAX_YEAR, MIN_YEAR
from .datatext import shown, text_problem
from .values import code_of, money_in_range, plain_number, whole_number

Code = Annotated[str, BeforeValidator(code_of)]


def data_text(value: str) -> str:
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


Text = Annotated[str, Field(min_length=1), AfterValidator(data_text)]
Year = Annotated[int, Field(strict=True, ge=MIN_YEAR, le=MAX_YEAR)]
PlainDate = Annotated[date, BeforeValidator(_plain_date)]
Amount = Annotated[Decimal, BeforeValidator(plain_number)]
Whole = Annotated[int, BeforeValidator(whole_number)]  # inhabitants, days: never a boolean, a decimal or text


class Strict(BaseModel):
    """A model that refuses keys it does not know and never changes once read."""

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
