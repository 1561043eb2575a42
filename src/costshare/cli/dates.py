"""The options that take a day: parsed by the one reader of user values (io.values.iso_date), refused as usage errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

import typer

from .base import UsageError, say


def day_of(option: str) -> Callable[[str], date]:
    """The parser of a date option (io.values.iso_date), its refusal a usage error naming `option`."""

    def parse(text: str) -> date:
        from ..core.errors import InvalidValueError
        from ..io.values import iso_date

        try:
            return iso_date(text)
        except InvalidValueError as refusal:
            raise UsageError(say(refusal.key, **refusal.params), param_hint=option) from None

    return parse


# The day a statement or the report names, and on which what is still to be invoiced is planned (None: today).
DocumentDateOption = Annotated[
    date | None, typer.Option("--date", metavar="metavar_date", parser=day_of("--date"), help="help_document_date")
]
