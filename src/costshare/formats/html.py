"""HTML: report.html, the report for a committee in one self-contained page any browser opens.

No script, no external font, image or stylesheet: the chart is inline SVG written from the
numbers, and the page prints on A4 and reads on a phone. Every text is escaped.
"""

from __future__ import annotations

from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from ..core.money import round_fraction

if TYPE_CHECKING:
    from ..documents.report import Bar, Grid, Report

_STYLE = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #ddd; }
thead th { border-bottom: 2px solid #333; text-align: right; } thead th:first-child { text-align: left; }
td { text-align: right; } td.text, thead th.text { text-align: left; } .scroll + .scroll { margin-top: 1rem; } th[scope=row] { text-align: left; font-weight: normal; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #333; }
svg text { font-size: 12px; fill: #1a1a1a; } .bar { fill: #2f6f9f; }
.small { font-size: .8rem; color: #444; word-break: break-all; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; } .scroll { overflow: visible; } section { break-inside: avoid; } }
"""


def _chart(bars: list[Bar], title: str) -> str:
    """A horizontal bar per municipality: its share of the whole agreement's cost."""
    bar_height, gap, label_width, bar_width = 16, 6, 150, 360
    height = len(bars) * (bar_height + gap)
    largest = max((bar.share for bar in bars), default=Fraction(1)) or Fraction(1)
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {label_width + bar_width + 80} {height}" width="100%" '
        f'style="max-width:{label_width + bar_width + 80}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = index * (bar_height + gap)
        width = round_fraction(bar.share / largest * bar_width, 1)
        parts.append(
            f'<g><text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{escape(bar.name)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{width}" height="{bar_height}"/>'
            f'<text x="{label_width + float(width) + 6:.1f}" y="{y + 12}">{escape(bar.said)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _row(cells: list[str], text_columns: tuple[int, ...] = ()) -> str:
    """The first cell heads the row; the others are data (words, in `text_columns`, set to the left)."""
    data = "".join(
        f'<td class="text">{escape(cell)}</td>' if index in text_columns else f"<td>{escape(cell)}</td>"
        for index, cell in enumerate(cells[1:], 1)
    )
    return f'<tr><th scope="row">{escape(cells[0])}</th>' + data + "</tr>"


def _table(grid: Grid, caption: str = "") -> str:
    head = "".join(
        f'<th scope="col" class="text">{escape(heading)}</th>' if index in grid.text_columns else f'<th scope="col">{escape(heading)}</th>'
        for index, heading in enumerate(grid.header)
    )
    foot = f"<tfoot>{_row(grid.totals)}{''.join(_row(row) for row in grid.below)}</tfoot>" if grid.totals is not None else ""
    return (
        f"<table>{f'<caption>{escape(caption)}</caption>' if caption else ''}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(_row(row, grid.text_columns) for row in grid.rows)}</tbody>{foot}</table>"
    )


def _invoices(report: Report) -> str:
    """The e-invoices section, when any budget year shown can be invoiced."""
    if report.invoices is None:
        return ""
    heading = escape(report.invoices_heading)
    return f'<section aria-labelledby="invoices"><h2 id="invoices">{heading}</h2><div class="scroll">{_table(report.invoices)}</div></section>\n'


def report_html(report: Report) -> bytes:
    """The whole report as UTF-8 HTML bytes."""
    title = escape(report.title)
    table = f'<div class="scroll">{_table(report.amounts, report.amounts_caption)}</div>'
    if report.items is not None:
        table += f'\n<div class="scroll">{_table(report.items, report.items_caption)}</div>'
    page = f"""<!DOCTYPE html>
<html lang="{report.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="{escape(report.generated_by)}">
<title>{title}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<header><h1>{title}</h1>{"".join(f"<p>{escape(fact)}</p>" for fact in report.facts)}</header>
<section aria-labelledby="amounts"><h2 id="amounts">{escape(report.amounts_heading)}</h2>{table}
<p>{escape(report.method_line)}</p></section>
{_invoices(report)}<section aria-labelledby="chart"><h2 id="chart">{escape(report.chart_title)}</h2><figure>{_chart(report.bars, report.chart_title)}
<figcaption>{escape(report.chart_caption)}</figcaption></figure></section>
<section aria-labelledby="method"><h2 id="method">{escape(report.method_heading)}</h2><p>{escape(report.method_short)}</p>
<p>{escape(report.example_heading)}</p><ol>{"".join(f"<li>{escape(line)}</li>" for line in report.example)}</ol></section>
<section aria-labelledby="source"><h2 id="source">{escape(report.source_heading)}</h2><p>{escape(report.source_line)}</p>
{f"<p>{escape(report.price_level)}</p>" if report.price_level else ""}{"".join(f"<p>{escape(note)}</p>" for note in report.notes)}
<p class="small">{escape(report.checksums)}</p></section>
</main>
</body>
</html>
"""
    return page.encode("utf-8")
