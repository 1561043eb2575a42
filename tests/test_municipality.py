import pytest

from costshare.core.municipality import NoSuchMunicipalityError, find_code, find_codes, normalise_code
from costshare.words.problems import municipality_text

NAMES = {"340": "Sorø", "259": "Køge", "316": "Holbæk", "370": "Næstved", "269": "Solrød", "085": "Region Sjælland"}


@pytest.mark.parametrize("query", ["Sorø", "sorø", "SORØ", "soro", "soroe", "340", " Soro "])
def test_finds_soro_however_it_is_typed(query):
    assert find_code(query, NAMES) == "340"


@pytest.mark.parametrize(("query", "code"), [("koge", "259"), ("holbaek", "316"), ("naestved", "370"), ("solrod", "269"), ("85", "085")])
def test_danish_letters_and_short_codes(query, code):
    assert find_code(query, NAMES) == code


def test_unknown_name_suggests_a_close_one():
    with pytest.raises(NoSuchMunicipalityError) as caught:
        find_code("Sorr", NAMES)
    names = caught.value.values["names"]
    assert isinstance(names, tuple)
    assert (caught.value.kind, caught.value.values["query"], names[0]) == ("no_name_close", "'Sorr'", "Sorø")
    assert municipality_text(caught.value, "en").startswith("no municipality named 'Sorr'; did you mean Sorø")
    assert municipality_text(caught.value, "da").startswith("ingen kommune hedder 'Sorr'; mente du Sorø")
    with pytest.raises(NoSuchMunicipalityError) as caught:
        find_code("999", NAMES)
    assert municipality_text(caught.value, "en") == "no municipality with code 999"


def test_several_queries_give_sorted_unique_codes():
    assert find_codes(["soro", "340", "koge"], NAMES) == ("259", "340")


def test_ambiguous_name():
    with pytest.raises(NoSuchMunicipalityError) as caught:
        find_code("aa", {"101": "Aa", "102": "Å"})
    assert municipality_text(caught.value, "en") == "'aa' matches more than one municipality: Aa (101), Å (102)"


@pytest.mark.parametrize(("value", "code"), [(340, "340"), ("85", "085"), (1, "001")])
def test_codes_are_three_digits(value, code):
    assert normalise_code(value) == code


@pytest.mark.parametrize("value", [True, 3400, "34a", "", "٣٤٠", 3.4])
def test_bad_codes(value):
    with pytest.raises(ValueError, match="expected a municipality code"):
        normalise_code(value)
