"""costshare: split a shared cost among municipalities by population, exactly, per budget year.

For analysts:

    import costshare
    result = costshare.compute("config/alliance.yaml")
    frame = result.to_frame()  # one row per budget year and member; money as exact Decimal kroner
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .app.pipeline import Computation

from .version import __version__

__all__ = ["__version__", "compute"]


def compute(config: str | os.PathLike[str], years: tuple[int, ...] | None = None) -> Computation:
    """Load the config and its population file and split every budget year (or only `years`).

    Raises costshare.core.errors.CostShareError, with one English line per problem (`str()`, `lines()`), for bad
    input, a year outside the agreement included."""
    from pathlib import Path

    from .app.pipeline import compute as run
    from .core.errors import ConfigError, CostShareError, error
    from .words.problems import worded

    try:
        if years is not None and not years:
            raise error(ConfigError, "err_no_years", str(config), subject="years")
        return run(Path(config), years)
    except CostShareError as exc:
        raise worded(exc, "en") from None
