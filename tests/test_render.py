from fractions import Fraction

from costshare.core.periods import Period
from costshare.words.display import format_amount, format_count, format_money, format_percent, period_label, unit_text


def test_danish_and_english_amounts():
    assert format_amount(2615000, 100, "da") == "26.150"
    assert format_amount(2615000, 100, "en") == "26,150"
    assert format_amount(2615050, 1, "da") == "26.150,50"
    assert format_amount(365000000, 100, "da") == "3.650.000"
    assert format_money(1307500, 100, "da", "DKK") == "13.075 kr."
    assert format_money(1307500, 100, "en", "DKK") == "13,075 DKK"


def test_exact_quota_is_shown_to_the_ore_rounded_half_up():
    assert format_amount(Fraction(2615042295, 1000), 100, "da", decimals=2) == "26.150,42"
    assert format_amount(Fraction(1250, 1000), 100, "da", decimals=2) == "0,01"  # 1,25 øre → 0,01 kr.


def test_counts_percent_and_unit():
    assert format_count(849857, "da") == "849.857"
    assert format_percent(Fraction(30444, 849857), "da") == "3,58 %"
    assert format_percent(Fraction(30444, 849857), "en", 4) == "3.5822 %"
    assert unit_text(100, "da", "DKK") == "1 kr."
    assert unit_text(1, "da", "DKK") == "0,01 kr."


def test_period_labels():
    assert period_label(Period(2023, 7, 12), "da") == "2023 (jul–dec)"
    assert period_label(Period(2028, 1, 6), "en") == "2028 (Jan–Jun)"
    assert period_label(Period(2024, 1, 12), "da") == "2024"
