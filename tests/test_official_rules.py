"""The official CEN EN 16931 rules (tests/official_rules.py) hold against the documents the tests break on purpose, and
the Peppol rule the tests restate for a line's net amount (PEPPOL-EN16931-R120) agrees with OpenPEPPOL's own cases."""

from __future__ import annotations

import pytest
from lxml import etree

from .official_rules import official_rules
from .peppol_rules import NS, line_net_holds
from .test_invoices import MORE_MUTATIONS, MUTATIONS, STANDARD_MUTATIONS, sample, standard_sample  # noqa: F401 (fixtures)

CEN_BROKEN = sorted(rule for rule in {**MUTATIONS, **MORE_MUTATIONS} if rule.startswith("BR-"))
# Where the official rules name the same fault by another rule (an empty code is no code in the code list) or the
# restated rule is stricter than the official one: BR-50 asks for an account only of a payment by code 30 or 58.
OFFICIAL_NAME = {"BR-23": "BR-CL-23", "BR-62": "BR-CL-25", "BR-63": "BR-CL-25", "BR-O-11": "BR-O-01", "BR-CO-17": "BR-CO-14"}
STRICTER = {"BR-50"}


def official_ids(xml: bytes, name: str) -> set[str]:
    return {finding.split(" ", 1)[0] for finding in official_rules().fatal(xml, name)}


@pytest.mark.parametrize("rule_id", CEN_BROKEN)
def test_the_official_rules_refuse_what_the_restated_rules_refuse(sample, rule_id):  # noqa: F811
    root = etree.fromstring(sample)
    {**MUTATIONS, **MORE_MUTATIONS}[rule_id](root)
    found = official_ids(etree.tostring(root), rule_id)
    assert found == set() if rule_id in STRICTER else OFFICIAL_NAME.get(rule_id, rule_id) in found, found


@pytest.mark.parametrize("rule_id", sorted(STANDARD_MUTATIONS))
def test_the_official_rules_refuse_what_the_restated_standard_rate_rules_refuse(standard_sample, rule_id):  # noqa: F811
    root = etree.fromstring(standard_sample)
    STANDARD_MUTATIONS[rule_id](root)
    assert OFFICIAL_NAME.get(rule_id, rule_id) in official_ids(etree.tostring(root), rule_id)


def test_the_official_rules_take_the_samples_and_report_nothing_fatal(sample, standard_sample):  # noqa: F811
    assert official_rules().fatal(sample, "sample") == [] and official_rules().fatal(standard_sample, "standard sample") == []


# OpenPEPPOL's unit tests of PEPPOL-EN16931-R120 (peppol-bis-invoice-3, rules/unit-UBL-PEPPOL/PEPPOL-EN16931-R120.xml
# at 78d7f7dfa223f39f8ebd8d35c127f2690e646322), restated as figures: quantity, line net amount, allowances, charges,
# price, base quantity, whether a credit note, and whether the rule holds. Their documents are not copied: they come
# with no licence to keep a copy.
R120_CASES = [
    ("10", "100", (), (), "10", None, False, True),
    ("10", "110", (), ("10",), "10", None, False, True),
    ("10", "90", ("10",), (), "10", None, False, True),
    ("10", "90", ("30",), ("10", "10"), "10", None, False, True),
    ("10", "90.02", ("30",), ("10", "10"), "10", None, False, True),  # within the 0,02 either way
    ("10", "89.98", ("30",), ("10", "10"), "10", None, False, True),
    ("10", "90.03", ("30",), ("10", "10"), "10", None, False, False),
    ("10", "89.97", ("30",), ("10", "10"), "10", None, False, False),
    ("10", "89.97", ("30",), ("10", "10"), "10", None, True, False),
    ("10", "90", ("30",), ("10", "10"), "20", "2", False, True),  # the price is for two
    (None, None, (), (), "20", "2", False, False),  # no quantity (1) and no net amount (0): 0 is not 10
]


def _line(quantity, net, allowances, charges, price, base, credit) -> tuple[etree._Element, str]:
    line_name, quantity_name = ("CreditNoteLine", "CreditedQuantity") if credit else ("InvoiceLine", "InvoicedQuantity")
    cbc, cac = f'xmlns:cbc="{NS["cbc"]}"', f'xmlns:cac="{NS["cac"]}"'
    parts = [f"<cbc:{quantity_name}>{quantity}</cbc:{quantity_name}>" if quantity else ""]
    parts.append(f'<cbc:LineExtensionAmount currencyID="NOK">{net}</cbc:LineExtensionAmount>' if net else "")
    for indicator, amounts in (("false", allowances), ("true", charges)):
        parts += [
            f"<cac:AllowanceCharge><cbc:ChargeIndicator>{indicator}</cbc:ChargeIndicator>"
            f'<cbc:Amount currencyID="NOK">{value}</cbc:Amount></cac:AllowanceCharge>'
            for value in amounts
        ]
    base_quantity = f"<cbc:BaseQuantity>{base}</cbc:BaseQuantity>" if base else ""
    parts.append(f'<cac:Price><cbc:PriceAmount currencyID="NOK">{price}</cbc:PriceAmount>{base_quantity}</cac:Price>')
    return etree.fromstring(f"<cac:{line_name} {cac} {cbc}>{''.join(parts)}</cac:{line_name}>"), f"cbc:{quantity_name}"


@pytest.mark.parametrize("case", R120_CASES)
def test_a_lines_net_amount_is_checked_as_openpeppols_own_cases_expect(case):
    *figures, holds = case
    line, quantity_name = _line(*figures)
    assert line_net_holds(line, quantity_name) is holds
