"""A municipality's statement as a one-page A4 PDF, drawn with reportlab's canvas.

reportlab is a maintained, pure-Python wheel; its built-in Helvetica is encoded WinAnsi, which
holds æ, ø, å, the en dash and ×, so the text is selectable and searchable without embedding a
font. The page is drawn directly (no flowable layout engine), which keeps 17 statements quick.
`invariant` leaves out the creation time and random ID: the same input gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .statement import StatementParts

_MM = 72 / 25.4
_WIDTH, _HEIGHT = 210 * _MM, 297 * _MM
_LEFT, _RIGHT, _TOP, _BOTTOM = 20 * _MM, 190 * _MM, 279 * _MM, 18 * _MM
# Column right edges (figures) or left edges (text) of the year table, in points from the left.
_COLUMNS = ((_LEFT, "left"), (_LEFT + 55 * _MM, "right"), (_LEFT + 84 * _MM, "right"), (_LEFT + 88 * _MM, "left"), (_RIGHT, "right"))


class _Page:
    """A cursor down an A4 page that wraps text to the width and starts a new page when it runs out."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.y = _TOP

    def need(self, height: float) -> None:
        if self.y - height < _BOTTOM:
            self.canvas.showPage()
            self.y = _TOP

    def text(
        self, value: str, size: float = 9, bold: bool = False, x: float = _LEFT, width: float = _RIGHT - _LEFT, gap: float = 2
    ) -> None:
        from reportlab.lib.utils import simpleSplit

        font = "Helvetica-Bold" if bold else "Helvetica"
        leading = size * 1.3
        for line in simpleSplit(value, font, size, width) or [""]:
            self.need(leading)
            self.y -= leading
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, self.y, line)
        self.y -= gap

    def row(self, cells: list[str], bold: bool = False, size: float = 8.5) -> None:
        leading = size * 1.5
        self.need(leading)
        self.y -= leading
        self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        for cell, (x, align) in zip(cells, _COLUMNS, strict=True):
            if align == "right":
                self.canvas.drawRightString(x, self.y, cell)
            else:
                self.canvas.drawString(x, self.y, cell)

    def rule(self, weight: float = 0.6) -> None:
        self.y -= 3
        self.canvas.setLineWidth(weight)
        self.canvas.line(_LEFT, self.y, _RIGHT, self.y)


def statement_pdf(parts: StatementParts, author: str) -> bytes:
    """The statement laid out on one A4 page (it runs onto a second only for very long agreements)."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(_WIDTH, _HEIGHT), invariant=1, pageCompression=1)
    canvas.setTitle(parts.title)
    canvas.setAuthor(author)
    page = _Page(canvas)
    top = page.y
    for line in parts.sender:
        page.text(line, gap=0)
    sender_bottom = page.y
    page.y = top
    recipient_x = _LEFT + 90 * _MM
    for line in [parts.recipient, *(f"{name}: {value}" for name, value in parts.billing)]:
        page.text(line, x=recipient_x, width=_RIGHT - recipient_x, gap=0)
    page.y = min(page.y, sender_bottom) - 8 * _MM
    page.text(parts.alliance, bold=True, gap=0)
    page.text(parts.title, size=14, bold=True, gap=4)
    for name, value in parts.facts:
        page.text(f"{name}: {value}", gap=1)
    page.y -= 3 * _MM
    page.row(parts.header, bold=True)
    page.rule()
    for row in parts.rows[:-1]:
        page.row(row)
    page.rule()
    page.row(parts.rows[-1], bold=True)
    page.y -= 4 * _MM
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
