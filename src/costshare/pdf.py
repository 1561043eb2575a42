"""A municipality's statement as a one-page A4 PDF, with reportlab.

reportlab is a maintained, pure-Python wheel; its built-in Helvetica is encoded WinAnsi, which
holds æ, ø, å, the en dash and ×, so the text is selectable and searchable without embedding a
font. `invariant` leaves out the creation time and random ID: the same input gives the same bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from .statement import StatementParts


def statement_pdf(parts: StatementParts, author: str) -> bytes:
    """The statement laid out on one A4 page (it flows onto a second only for very long agreements)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=12)
    figure = ParagraphStyle("figure", parent=body, alignment=2)  # right-aligned, as figures are read
    figure_bold = ParagraphStyle("figure_bold", parent=figure, fontName="Helvetica-Bold")
    small = ParagraphStyle("small", parent=body, fontSize=7, leading=9, textColor=colors.HexColor("#444444"))
    heading = ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceAfter=2)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(value), style)  # data is text: no markup from a name reaches the layout

    def lines(values: list[str]) -> Paragraph:
        return Paragraph("<br/>".join(escape(value) for value in values), body)

    story: list[object] = []
    recipient = [parts.recipient, *(f"{name}: {value}" for name, value in parts.billing)]
    address_table = Table([[lines(parts.sender), lines(recipient)]], colWidths=[85 * mm, 85 * mm])
    address_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [address_table, Spacer(1, 6 * mm), text(parts.alliance, bold), text(parts.title, heading), Spacer(1, 2 * mm)]
    story += [Paragraph(f"<b>{escape(name)}:</b> {escape(value)}", body) for name, value in parts.facts]
    story.append(Spacer(1, 4 * mm))
    numeric = {1, 2, 4}  # amount, the year's cost, share

    def cell(value: str, column: int, strong: bool) -> Paragraph:
        if column in numeric:
            return text(value, figure_bold if strong else figure)
        return text(value, bold if strong else body)

    rows = [[cell(value, column, True) for column, value in enumerate(parts.header)]]
    rows += [
        [cell(value, column, index == len(parts.rows) - 1) for column, value in enumerate(row)] for index, row in enumerate(parts.rows)
    ]
    table = Table(rows, colWidths=[28 * mm, 27 * mm, 29 * mm, 62 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    for paragraph in parts.closing:
        story.append(Spacer(1, 2 * mm) if not paragraph else text(paragraph, small if paragraph.startswith("costshare") else body))
    story += [Spacer(1, 3 * mm), text(parts.notice, bold)]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=parts.title,
        author=author,
        invariant=1,
    )
    document.build(story)
    return buffer.getvalue()
