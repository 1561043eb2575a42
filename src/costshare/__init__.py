"""costshare: split a shared cost among municipalities by population, exactly, per budget year.

For analysts:

    import costshare
    result = costshare.compute("config/alliance.yaml")
    frame = result.to_frame()  # one row per budget year and member; money as exact Decimal kroner
"""

from __future__ import annotations

import os
import reprlib
from collections.abc import Iterable, Mapping
from numbers import Integral
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app.pipeline import Computation

from .version import __version__

__all__ = ["__version__", "compute"]


def compute(config: str | os.PathLike[str], years: Iterable[int] | None = None) -> Computation:
    """Load the config and its population file and split every budget year (or only `years`: any iterable of
    budget years as whole numbers, a list, a tuple, a range or an iterator).

    Raises costshare.core.errors.CostShareError, with one English line per problem (`str()`, `lines()`), for bad
    input, a wrong argument and a year outside the agreement included."""
    from pathlib import Path

    from .app.pipeline import compute as run
    from .core.errors import ConfigError, CostShareError, error
    from .words.problems import worded

    try:
        path = _config_path(config)
        chosen = _budget_years(years)
        if chosen is not None and not chosen:
            raise error(ConfigError, "err_no_years", path, subject="years")
        return run(Path(path), chosen)
    except CostShareError as exc:
        raise worded(exc, "en") from None


def _config_path(config: object) -> str:
    """The config's path as text, or the error that says what was given instead."""
    from .core.errors import ConfigError, error

    path = os.fspath(config) if isinstance(config, (str, os.PathLike)) else config
    if not isinstance(path, str):
        raise error(ConfigError, "err_api_config", value=reprlib.repr(path))
    return path


def _budget_years(years: object) -> tuple[int, ...] | None:
    """`years` as a tuple of whole numbers (read once, so an iterator works), or the error that says what is wrong."""
    from .core.errors import ConfigError, error

    if years is None:
        return None
    if isinstance(years, (str, bytes, Mapping)) or not isinstance(years, Iterable):
        raise error(ConfigError, "err_api_years", value=reprlib.repr(years))
    from itertools import islice

    from .limits import MAX_YEAR, MIN_YEAR

    most = MAX_YEAR - MIN_YEAR + 1  # no agreement has more budget years; an endless iterator stops here
    chosen = tuple(islice(years, most + 1))
    if len(chosen) > most:
        raise error(ConfigError, "err_api_too_many_years", limit=most)
    for year in chosen:
        if isinstance(year, bool) or not isinstance(year, Integral):
            raise error(ConfigError, "err_api_year", value=reprlib.repr(year))
    return tuple(int(year) for year in chosen)
