"""Every message exists in both languages with the same placeholders, the Danish catalog reads as Danish,
and the compiled catalogs that ship are those of the .po files."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import costshare

LOCALE = Path(__file__).resolve().parent.parent / "src" / "costshare" / "locale"
# English words that must not appear in a Danish message (whole words, case-insensitive)
ENGLISH = ("should", "expected", "file not found", "the", "and", "must", "not", "with", "of", "is", "was", "error")


def messages(lang: str) -> dict[str, str]:
    with (LOCALE / lang / "LC_MESSAGES" / "costshare.po").open("rb") as handle:
        catalog = read_po(handle)
    found: dict[str, str] = {}
    for message in catalog:
        if message.id:
            assert isinstance(message.id, str) and isinstance(message.string, str), message.id  # gettext only, no plural forms
            found[message.id] = message.string
    return found


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_both_languages_have_every_message():
    da, en = messages("da"), messages("en")
    assert sorted(set(da) ^ set(en)) == []
    assert [key for key, text in {**da, **en}.items() if not text] == []


def test_each_message_takes_the_same_placeholders_in_both_languages():
    da, en = messages("da"), messages("en")
    assert {key: (placeholders(da[key]), placeholders(en[key])) for key in da if placeholders(da[key]) != placeholders(en[key])} == {}


def test_the_danish_catalog_has_no_english_words():
    pattern = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b", re.IGNORECASE)
    english = {key: pattern.findall(re.sub(r"\{[^}]*\}", "", text)) for key, text in messages("da").items()}
    assert {key: words for key, words in english.items() if words} == {}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_compiled_catalogs_are_those_of_the_po_files(lang):
    spec = importlib.util.spec_from_file_location("catalogs", LOCALE.parent.parent.parent / "scripts" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    po = LOCALE / lang / "LC_MESSAGES" / "costshare.po"
    assert po.with_suffix(".mo").read_bytes() == module.compiled(po)
    shipped = Path(costshare.__file__).parent / "locale" / lang / "LC_MESSAGES" / "costshare.mo"
    assert shipped.read_bytes() == po.with_suffix(".mo").read_bytes()  # the wheel holds them
