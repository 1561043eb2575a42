"""Compile the message catalogs (locale/*/LC_MESSAGES/costshare.po → .mo) with babel.

Run after editing a .po file:  python scripts/catalogs.py
The compiled .mo files are committed and ship in the wheel; tests/test_labels.py fails if one is
older than its .po.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "src" / "costshare" / "locale"


def compiled(po: Path) -> bytes:
    """The .mo bytes babel makes of a .po file."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    # babel stamps the header with the time it read the file; a fixed date keeps the .mo reproducible
    catalog.creation_date = catalog.revision_date = datetime(2026, 1, 1, tzinfo=UTC)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def main() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
