"""Parsing StatBank's CSV reply and building its request, without the network."""

import pytest

from costshare.core.errors import FetchError
from costshare.io.statbank import parse_reply, request_body

from .conftest import english


def test_request_body_asks_for_total_population_in_the_first_quarter():
    body = request_body([2024, 2025], ["340", "085"])
    assert body["table"] == "FOLK1A" and body["format"] == "CSV" and body["valuePresentation"] == "CodeAndValue"
    assert body["variables"][0] == {"code": "OMRÅDE", "values": ["340", "085"]}
    assert body["variables"][-1] == {"code": "Tid", "values": ["2024K1", "2025K1"]}


def test_header_names_match_in_any_case_and_order():
    text = "tid;indhold;område;køn\r\n2024K1;30567;340 Sorø;TOT I alt\r\n2024K1;851000;085 Region Sjælland;TOT I alt\r\n"
    table = parse_reply(text, "stub")
    assert table[2024]["340"].name == "Sorø" and table[2024]["340"].population == 30567
    assert table[2024]["085"].name == "Region Sjælland"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("340 Sorø;2024K2;30567", "stub:2: unexpected area '340 Sorø' or time '2024K2'"),
        ("Sorø;2024K1;30567", "stub:2: unexpected area 'Sorø' or time '2024K1'"),
        (
            "340 Sorø;2024K1;30.567",
            "stub:2: 340 Sorø: population '30.567' is not a whole number (hint: write 30567 without thousands separators)",
        ),
        ("340 Sorø;2024K1", "stub:2: expected 3 fields, found 2"),
    ],
)
def test_malformed_rows(row, message):
    with pytest.raises(FetchError) as caught:
        parse_reply("OMRÅDE;TID;INDHOLD\r\n" + row + "\r\n", "stub")
    assert english(caught.value) == [message]


def test_a_json_body_is_not_csv():
    with pytest.raises(FetchError) as caught:
        parse_reply('{"message": "ok"}', "stub")
    assert "not StatBank CSV" in english(caught.value)[0]
