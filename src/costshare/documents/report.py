"""report.html: the split for a committee, in one self-contained page any browser opens.

No script, no external font, image or stylesheet: the chart is inline SVG written from the
numbers, and the page prints on A4 and reads on a phone. Every text from the data is escaped.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from html import escape
from typing import TYPE_CHECKING

from ..core.money import round_fraction
from ..words import Lang, label
from ..words.display import NOT_A_MEMBER, format_amount, format_long_date, format_money, format_percent, period_label
from .explanation import explain_period
from .facts import (
    invoice_texts,
    key_lines,
    key_text,
    listed_amount,
    made_line,
    membership_lines,
    method_line,
    price_level_line,
    projection_lines,
    source_line,
    total_label,
)

if TYPE_CHECKING:
    from ..app.view import View

_STYLE = """
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1a1a1a; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #ddd; }
thead th { border-bottom: 2px solid #333; text-align: right; } thead th:first-child { text-align: left; }
td { text-align: right; } th[scope=row] { text-align: left; font-weight: normal; }
tfoot th, tfoot td { font-weight: 700; border-top: 2px solid #333; }
svg text { font-size: 12px; fill: #1a1a1a; } .bar { fill: #2f6f9f; }
.small { font-size: .8rem; color: #444; word-break: break-all; }
@page { size: A4; margin: 15mm; }
@media print { body { max-width: none; padding: 0; } .scroll { overflow: visible; } section { break-inside: avoid; } }
"""


def _chart(rows: list[tuple[str, Fraction]], lang: Lang, title: str) -> str:
    """A horizontal bar per municipality: its share of the whole agreement's cost."""
    bar_height, gap, label_width, bar_width = 16, 6, 150, 360
    height = len(rows) * (bar_height + gap)
    largest = max((share for _, share in rows), default=Fraction(1)) or Fraction(1)
    parts = [
        f'<svg role="img" aria-labelledby="chart-title" viewBox="0 0 {label_width + bar_width + 80} {height}" width="100%" '
        f'style="max-width:{label_width + bar_width + 80}px" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
    ]
    for index, (name, share) in enumerate(rows):
        y = index * (bar_height + gap)
        width = round_fraction(share / largest * bar_width, 1)
        parts.append(
            f'<g><text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{escape(name)}</text>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{width}" height="{bar_height}"/>'
            f'<text x="{label_width + float(width) + 6:.1f}" y="{y + 12}">{escape(format_percent(share, lang))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _invoices(view: View, lang: Lang) -> str:
    """The e-invoices each member gets for the budget years shown that can be invoiced: numbers, amounts, due dates."""
    texts = invoice_texts(view, lang)
    rows = [
        f'<tr><th scope="row">{escape(view.name(code))}</th><td>{year}</td><td>{escape(said)}</td></tr>'
        for code in view.codes
        for year, said in texts.get(code, [])
    ]
    if not rows:
        return ""
    return (
        f'<section aria-labelledby="invoices"><h2 id="invoices">{escape(label("report_invoices", lang))}</h2><div class="scroll"><table>'
        f'<thead><tr><th scope="col">{label("municipality", lang)}</th><th scope="col">{label("budget_year", lang)}</th>'
        f'<th scope="col">{escape(label("report_invoice_numbers", lang))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>\n'
    )


def report_html(view: View, lang: Lang, today: date) -> bytes:
    """The whole report as UTF-8 HTML bytes."""
    allocation = view.allocation
    unit, currency = allocation.unit, view.currency
    periods, years = view.periods, view.years
    title = label("report_title", lang, alliance=view.alliance)

    head = "".join(f'<th scope="col">{escape(period_label(p.period, lang, p.projected))}</th>' for p in periods)
    body_rows = []
    for code in allocation.codes:
        cells = "".join(f"<td>{format_amount(p.share_of(code).amount, unit, lang) if p.has(code) else NOT_A_MEMBER}</td>" for p in periods)
        body_rows.append(
            f'<tr><th scope="row">{escape(allocation.name(code))}</th><td>{code}</td>{cells}'
            f"<td>{format_amount(allocation.total_of(code, years), unit, lang)}</td></tr>"
        )
    totals = "".join(f"<td>{format_amount(p.cost, unit, lang)}</td>" for p in periods)
    members = label("all_members", lang, count=len(allocation.codes))
    table = (
        f'<div class="scroll"><table><caption>{escape(label("report_table_caption", lang, currency=label("currency_word", lang) if currency == "DKK" else currency))}</caption>'
        f'<thead><tr><th scope="col">{label("municipality", lang)}</th><th scope="col">{label("code", lang)}</th>{head}'
        f'<th scope="col">{total_label(view, lang)}</th></tr></thead><tbody>{"".join(body_rows)}</tbody>'
        f'<tfoot><tr><th scope="row">{escape(members)}</th><td></td>{totals}<td>{format_amount(allocation.total(years), unit, lang)}</td></tr></tfoot>'
        "</table></div>"
    )
    grand_total = allocation.total()
    shares = [
        (allocation.name(code), Fraction(allocation.total_of(code), grand_total) if grand_total else Fraction(0))
        for code in allocation.codes
    ]
    chart_title = label("report_chart", lang)
    shown_codes = sorted({share.code for p in periods for share in p.shares})
    example_code = "340" if "340" in shown_codes else shown_codes[0]
    paying = [p for p in periods if p.has(example_code)]
    example_period = next((p for p in paying if p.period.is_full_year), paying[0])
    example = "".join(f"<li>{escape(line.strip())}</li>" for line in explain_period(view, example_period, example_code, lang)[1:])
    price_level = price_level_line(allocation, lang)
    facts = [
        label("report_agreement", lang, start=format_long_date(view.agreement.start, lang), end=format_long_date(view.agreement.end, lang))
        + (f" ({view.agreement.note})" if view.agreement.note else ""),
        *(
            f"{name}: {format_money(amount, unit, lang, currency)}"
            + (f" ({label('one_off_in', lang, year=year)})" if year is not None else f" {label('per_full_year', lang)}")
            for name, amount, year in ((item.label, *listed_amount(item)) for item in allocation.items)
        ),
        f"{label('key_name', lang)}: {key_text(allocation, lang)}",
        *key_lines(view, lang),
        *membership_lines(view, lang),
        *projection_lines(view, lang, today),
        made_line(view, lang, today),
    ]
    sources = view.sources
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="{escape(sources.generated_by)}">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<header><h1>{escape(title)}</h1>{"".join(f"<p>{escape(fact)}</p>" for fact in facts)}</header>
<section aria-labelledby="amounts"><h2 id="amounts">{label("report_amounts", lang)}</h2>{table}
<p>{escape(method_line(view, lang))}</p></section>
{_invoices(view, lang)}<section aria-labelledby="chart"><h2 id="chart">{escape(chart_title)}</h2><figure>{_chart(shares, lang, chart_title)}
<figcaption>{escape(label("report_chart_caption", lang, total=format_money(grand_total, unit, lang, currency)))}</figcaption></figure></section>
<section aria-labelledby="method"><h2 id="method">{label("report_method", lang)}</h2><p>{escape(label("method_short", lang))}</p>
<p>{escape(label("report_example", lang, name=allocation.name(example_code), period=period_label(example_period.period, lang, example_period.projected)))}</p><ol>{example}</ol></section>
<section aria-labelledby="source"><h2 id="source">{label("source", lang)}</h2><p>{escape(source_line(view, lang))}</p>
{f"<p>{escape(price_level)}</p>" if price_level else ""}{"".join(f"<p>{escape(note)}</p>" for note in view.notes)}
<p class="small">{escape(sources.generated_by)} · {escape(label("checksums", lang, config=sources.config_sha256, population=sources.population_sha256))}</p></section>
</main>
</body>
</html>
"""
    return page.encode("utf-8")
