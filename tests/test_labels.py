"""Every word exists in both languages, with the same placeholders, so no output can miss a word or a figure."""

import string

from costshare.labels import da, en


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_both_languages_have_the_same_keys():
    assert sorted(set(da.TEXTS) ^ set(en.TEXTS)) == []


def test_each_text_takes_the_same_placeholders_in_both_languages():
    differing = {
        key: (placeholders(da.TEXTS[key]), placeholders(en.TEXTS[key]))
        for key in da.TEXTS
        if placeholders(da.TEXTS[key]) != placeholders(en.TEXTS[key])
    }
    assert differing == {}


def test_twelve_months_each():
    assert len(da.MONTHS) == len(en.MONTHS) == 12 and da.MONTHS[6] == "jul" and en.MONTHS[6] == "Jul"
