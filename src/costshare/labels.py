"""Words shown to users, in Danish and English. Amount formatting lives in render.py."""

from __future__ import annotations

from typing import Literal

from .periods import Period

Lang = Literal["da", "en"]

LABELS: dict[str, dict[Lang, str]] = {
    "code": {"da": "Kode", "en": "Code"},
    "municipality": {"da": "Kommune", "en": "Municipality"},
    "population": {"da": "Indbyggere", "en": "Population"},
    "share": {"da": "Andel", "en": "Share"},
    "total": {"da": "I alt", "en": "Total"},
    "year": {"da": "År", "en": "Year"},
    "period": {"da": "Periode", "en": "Period"},
    "start": {"da": "Fra", "en": "Start"},
    "end": {"da": "Til", "en": "End"},
    "months": {"da": "Måneder", "en": "Months"},
    "cost": {"da": "Udgift", "en": "Cost"},
    "population_year": {"da": "Befolkningsår", "en": "Population year"},
    "population_total": {"da": "Indbyggere i alt", "en": "Population total"},
    "amount": {"da": "Beløb", "en": "Amount"},
    "source": {"da": "Kilde", "en": "Source"},
    "method": {
        "da": "Fordelt efter indbyggertal med største brøks metode (Hamilton), afrundet til {unit}; hvert års beløb summerer præcist til årets udgift.",
        "en": "Split by population with the largest remainder method (Hamilton), rounded to {unit}; each year's amounts add up exactly to its cost.",
    },
    "all_members": {"da": "I alt ({count} kommuner)", "en": "Total ({count} municipalities)"},
    "per_year_population": {"da": "Indbyggertal 1. januar i hvert budgetår", "en": "Population on 1 January of each budget year"},
    "population_on": {"da": "Indbyggere 1.1.{year}", "en": "Population 1 Jan {year}"},
}

# Month abbreviations without babel's trailing dots: "jul–dec" reads better in a column header.
MONTHS: dict[Lang, tuple[str, ...]] = {
    "da": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    return LABELS[key][lang].format(**values)


def lang_of(locale: str) -> Lang:
    """Config locale (da_DK or en) → label language."""
    return "en" if locale.startswith("en") else "da"


def month_span(period: Period, lang: Lang) -> str:
    return f"{MONTHS[lang][period.first_month - 1]}–{MONTHS[lang][period.last_month - 1]}"


def period_label(period: Period, lang: Lang) -> str:
    """'2024' for a full budget year, '2023 (jul–dec)' for a part year."""
    return str(period.year) if period.is_full_year else f"{period.year} ({month_span(period, lang)})"
