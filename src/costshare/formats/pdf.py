"""A municipality's statement as a one-page A4 PDF, drawn with reportlab's canvas.

The text is set in Noto Sans (the fontpkg-noto-sans wheel, OFL), embedded as a subset: it has every
letter of Danish, the other Latin alphabets (Polish, Czech, …), Greek and Cyrillic, and the text stays
selectable and searchable. Bold is the same font drawn filled and stroked, as the wheel ships the
variable font, whose default instance reportlab reads. A text with a character the font lacks is
refused with its name, never drawn as a box. Every text is wrapped inside its own box, so a long
sender, address or note never runs into another field. The page is drawn directly (no flowable layout
engine), which keeps 17 statements quick. `invariant` leaves out the creation time and random ID: the
same input gives the same bytes.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

from ..core.errors import ExportError, error

if TYPE_CHECKING:
    from ..documents.statement import StatementParts

FONT = "CostshareNotoSans"
_BOLD_STROKE = 0.035  # of the font size: the stroke that makes the regular face read as bold

_MM = 72 / 25.4
_WIDTH, _HEIGHT = 210 * _MM, 297 * _MM
_LEFT, _RIGHT, _TOP, _BOTTOM = 20 * _MM, 190 * _MM, 279 * _MM, 18 * _MM
# Column right edges (figures) or left edges (text) of the year table, in points from the left.
_COLUMNS = ((_LEFT, "left"), (_LEFT + 55 * _MM, "right"), (_LEFT + 84 * _MM, "right"), (_LEFT + 88 * _MM, "left"), (_RIGHT, "right"))
# The widths of its text columns (the year or item, and the basis or key), by position: a longer text wraps.
_TEXT_WIDTHS = {0: 31 * _MM, 3: _RIGHT - 17 * _MM - (_LEFT + 88 * _MM)}
_ITEM_INDENT = 3 * _MM  # an item's row under its year's
_PAIR_AMOUNT = _LEFT + 110 * _MM  # the right edge of the amounts of a settlement's rows


class _Page:
    """A cursor down an A4 page that wraps text to the width and starts a new page when it runs out."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.y = _TOP

    def need(self, height: float) -> None:
        if self.y - height < _BOTTOM:
            self.canvas.showPage()
            self.y = _TOP

    def draw(self, x: float, value: str, size: float, bold: bool, align: str = "left") -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if align == "right":
            x -= stringWidth(value, FONT, size)
        self.canvas.saveState()  # the render mode and line width outlast the text object: kept inside q … Q
        text = self.canvas.beginText(x, self.y)
        text.setFont(FONT, size)
        if bold:
            self.canvas.setLineWidth(size * _BOLD_STROKE)
            text.setTextRenderMode(2)  # fill, then stroke
        text.textOut(value)
        self.canvas.drawText(text)
        self.canvas.restoreState()

    def text(
        self, value: str, size: float = 9, bold: bool = False, x: float = _LEFT, width: float = _RIGHT - _LEFT, gap: float = 2
    ) -> None:
        from reportlab.lib.utils import simpleSplit

        leading = size * 1.3
        for line in _wrapped(simpleSplit(value, FONT, size, width), size, width):
            self.need(leading)
            self.y -= leading
            self.draw(x, line, size, bold)
        self.y -= gap

    def row(self, cells: list[str], bold: bool = False, size: float = 8.5, indent: float = 0) -> None:
        """One row of the year table, its first cell `indent` further in; a text too long for its column (a label,
        a key in words) wraps inside it."""
        from reportlab.lib.utils import simpleSplit

        leading, line_height = size * 1.5, size * 1.25
        shifts = [indent if index == 0 else 0 for index in range(len(cells))]
        lines = [
            _wrapped(simpleSplit(cell, FONT, size, _TEXT_WIDTHS[index] - shift), size, _TEXT_WIDTHS[index] - shift)
            if index in _TEXT_WIDTHS
            else [cell]
            for index, (cell, shift) in enumerate(zip(cells, shifts, strict=True))
        ]
        extra = line_height * (max(len(cell_lines) for cell_lines in lines) - 1)
        self.need(leading + extra)
        self.y -= leading
        top = self.y
        for cell_lines, (x, align), shift in zip(lines, _COLUMNS, shifts, strict=True):
            for number, line in enumerate(cell_lines):
                self.y = top - number * line_height
                self.draw(x + shift, line, size, bold, align)
        self.y = top - extra

    def pair(self, name: str, amount: str, size: float = 9) -> None:
        """A label and its amount, right-aligned in a column of its own; a label too long for its room wraps."""
        from reportlab.lib.utils import simpleSplit

        width = _PAIR_AMOUNT - _LEFT - 30 * _MM
        lines = _wrapped(simpleSplit(name, FONT, size, width), size, width)
        leading = size * 1.3
        self.need(leading * len(lines))
        self.y -= leading
        self.draw(_PAIR_AMOUNT, amount, size, False, "right")
        for number, line in enumerate(lines):
            if number:
                self.y -= leading
            self.draw(_LEFT, line, size, False)

    def rule(self, weight: float = 0.6) -> None:
        self.y -= 3
        self.canvas.setLineWidth(weight)
        self.canvas.line(_LEFT, self.y, _RIGHT, self.y)


def _wrapped(lines: list[str], size: float, width: float) -> list[str]:
    """simpleSplit's lines, with a word longer than the width (it leaves those whole) cut to fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for line in lines or [""]:
        while stringWidth(line, FONT, size) > width:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], FONT, size) > width:
                cut -= 1
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


@functools.cache
def _font() -> frozenset[int]:
    """Register the embedded font once; the code points it has a letter for."""
    from fontpkg_noto_sans import ROOT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT, str(ROOT / "files" / "NotoSans[wdth,wght].ttf"))
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


def _every_letter_drawn(parts: StatementParts) -> None:
    """Refuse a text with a character the font has no letter for, naming it, rather than draw a box."""
    letters = _font()
    texts = [parts.alliance, parts.title, *parts.sender, parts.recipient, *(f"{n}: {v}" for n, v in [*parts.billing, *parts.facts]),
             *parts.header, *(cell for row in [*parts.rows, *parts.below] for cell in row), *parts.closing, parts.notice,
             *(text for section in parts.settlements for text in (section.title, section.note, *(t for row in section.rows for t in row)))]  # fmt: skip
    for text in texts:
        for character in text:
            if ord(character) not in letters and not character.isspace():
                raise error(ExportError, "err_pdf_no_letter", None, None, "hint_pdf_no_letter", character=character,
                            codepoint=f"{ord(character):04X}", text=text[:60])  # fmt: skip


def statement_pdf(parts: StatementParts, author: str) -> bytes:
    """The statement laid out on one A4 page (it runs onto a second only for very long agreements)."""
    from reportlab.pdfgen.canvas import Canvas

    _every_letter_drawn(parts)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(_WIDTH, _HEIGHT), invariant=1, pageCompression=1, initialFontName=FONT)
    canvas.setTitle(parts.title)
    canvas.setAuthor(author)
    page = _Page(canvas)
    _letterhead(page, parts)
    page.text(parts.alliance, bold=True, gap=0)
    page.text(parts.title, size=14, bold=True, gap=4)
    for name, value in parts.facts:
        page.text(f"{name}: {value}", gap=1)
    page.y -= 3 * _MM
    _year_table(page, parts)
    page.y -= 4 * _MM
    for section in parts.settlements:
        page.text(section.title, bold=True, gap=1)
        for name, amount in section.rows:
            page.pair(name, amount)
        page.y -= 1 * _MM
        page.text(section.note, size=8)
        page.y -= 3 * _MM
    for paragraph in parts.closing:
        if not paragraph:
            page.y -= 2 * _MM
        elif paragraph.startswith("costshare"):
            page.text(paragraph, size=7)
        else:
            page.text(paragraph)
    page.y -= 3 * _MM
    page.text(parts.notice, bold=True)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _letterhead(page: _Page, parts: StatementParts) -> None:
    """The sender in its own box on the left, the recipient with its billing details on the right, side by side."""
    top = page.y
    recipient_x = _LEFT + 90 * _MM
    for line in parts.sender:
        page.text(line, x=_LEFT, width=recipient_x - _LEFT - 6 * _MM, gap=0)
    sender_bottom = page.y
    page.y = top
    for line in [parts.recipient, *(f"{name}: {value}" for name, value in parts.billing)]:
        page.text(line, x=recipient_x, width=_RIGHT - recipient_x, gap=0)
    page.y = min(page.y, sender_bottom) - 8 * _MM


def _year_table(page: _Page, parts: StatementParts) -> None:
    """The budget years under their header, the totals row in bold under a rule, and what it says more under it."""
    page.row(parts.header, bold=True)
    page.rule()
    for index, row in enumerate(parts.rows[:-1]):
        page.row(row, indent=_ITEM_INDENT if index in parts.item_rows else 0)
    page.rule()
    page.row(parts.rows[-1], bold=True)
    for row in parts.below:
        page.row(row)
