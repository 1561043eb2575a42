"""Who an e-invoice is from and to, as a municipality's ERP books it: the member's kontostreng (BT-19), its reference and
its order number (one, or one per budget year) both, the seller's legal name and endpoint, the buyer's official name
and CVR; and the identifiers and currencies that are refused before anything is written.

Every document is read back with lxml and held to the UBL 2.1 schema and tests/peppol_rules.py. The expected names,
numbers and strings are written out here, never taken from costshare.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from costshare.cli import app
from costshare.core.currencies import ISO_4217
from costshare.core.official_names import OFFICIAL_NAMES, official_name

from .conftest import CODES, Workspace
from .peppol_rules import NS
from .test_invoices import billing, ean_for, valid

runner = CliRunner()

# Region Sjælland's 17 municipalities by their official names (as each is registered; borger.dk lists them so)
OFFICIAL = {"253": "Greve Kommune", "259": "Køge Kommune", "265": "Roskilde Kommune", "269": "Solrød Kommune",
            "306": "Odsherred Kommune", "316": "Holbæk Kommune", "320": "Faxe Kommune", "326": "Kalundborg Kommune",
            "329": "Ringsted Kommune", "330": "Slagelse Kommune", "336": "Stevns Kommune", "340": "Sorø Kommune",
            "350": "Lejre Kommune", "360": "Lolland Kommune", "370": "Næstved Kommune", "376": "Guldborgsund Kommune",
            "390": "Vordingborg Kommune"}  # fmt: skip
GIVEN_NAME = {"336": "Stevns Kommune, Center for Økonomi"}  # a member that gives the name it is invoiced by
SENDER_EAN = "5798000000100"
SUPPLIER, CUSTOMER = "cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"

SENDER = f"""
sender:
  name: KKR Sjælland
  legal_name: Sorø Kommune
  address: [Alléen 15, 4180 Sorø]
  cvr: "12345674"
  ean: "{SENDER_EAN}"
  contact: sekretariat@example.dk
  bank: {{registration: "1234", account: "0012345678"}}
"""


def cvr_for(code: str) -> str:
    """An 8-digit CVR number that passes modulus 11 (weights 2, 7, 6, 5, 4, 3, 2, 1), made in the test."""
    for tail in range(100):
        body = f"29{int(code):03d}{tail:02d}"
        check = -sum(int(digit) * weight for digit, weight in zip(body, (2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if check < 10:
            return body + str(check)
    raise AssertionError


def by_year(code: str) -> bool:
    """Every other member gives its order number per budget year; the rest one for every year."""
    return CODES.index(code) % 2 == 1


def order_for(code: str, year: int) -> str:
    return f"4500{code}{year % 100:02d}" if by_year(code) else f"PO-{code}"


def account_for(code: str) -> str:
    return f"6.45.01.{code}-{int(code) % 7}"


def member_lines(code: str, years: tuple[int, ...] = (2024, 2025, 2026)) -> str:
    order = "{" + ", ".join(f'{year}: "{order_for(code, year)}"' for year in years) + "}" if by_year(code) else f'"PO-{code}"'
    name = f"      name: {GIVEN_NAME[code]}\n" if code in GIVEN_NAME else ""
    return (f'    "{code}":\n      ean: "{ean_for(code)}"\n      cvr: "{cvr_for(code)}"\n      reference: "Økonomi {code}"\n'
            f"      order: {order}\n      account: \"{account_for(code)}\"\n{name}")  # fmt: skip


def config_text(workspace: Workspace, years: tuple[int, ...] = (2024, 2025, 2026)) -> str:
    head = billing().split("  members:\n")[0]
    members = "".join(member_lines(code, years) for code in CODES)
    return workspace.config.read_text(encoding="utf-8") + SENDER + head + "  members:\n" + members


def invoke(*args: str):
    return runner.invoke(app, [*args, "-c", "alliance.yaml", "--lang", "en"], catch_exceptions=False)


def one(root: etree._Element, path: str) -> str | None:
    hits = root.xpath(path, namespaces=NS)
    assert isinstance(hits, list) and len(hits) <= 1, path
    if not hits:
        return None
    hit = hits[0]
    if isinstance(hit, etree._Element):
        return hit.text
    assert isinstance(hit, str), path
    return str(hit)


# --- what every document carries ---------------------------------------------------------------------------


def test_every_invoice_and_credit_note_carries_the_kontostreng_both_references_and_the_legal_names(workspace):
    workspace.config.write_text(config_text(workspace) + "actuals: {2024: 721000}\n", encoding="utf-8")
    for args in (("a", "--year", "2024"), ("b", "--year", "2024", "--settlement"), ("c", "--year", "2026")):
        result = invoke("invoices", *args)
        assert result.exit_code == 0, result.output
    documents = sorted(path for folder in ("a", "b", "c") for path in (workspace.root / folder).glob("*.xml"))
    kinds = {etree.QName(etree.parse(str(path)).getroot()).localname for path in documents}
    assert kinds == {"Invoice", "CreditNote"} and len(documents) > 2 * 68
    for path in documents:
        xml = path.read_bytes()
        assert valid(xml) == [], path.name
        root = etree.fromstring(xml)
        _, year, code, _ = (one(root, "cbc:ID") or "").split("-")
        assert one(root, "cbc:AccountingCost") == account_for(code)
        assert one(root, "cbc:BuyerReference") == f"Økonomi {code}"
        assert one(root, "cac:OrderReference/cbc:ID") == order_for(code, int(year))
        assert one(root, f"{SUPPLIER}/cac:PartyName/cbc:Name") == "KKR Sjælland"
        assert one(root, f"{SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName") == "Sorø Kommune"
        assert one(root, f"{SUPPLIER}/cac:PartyLegalEntity/cbc:CompanyID") == "12345674"
        assert (one(root, f"{SUPPLIER}/cbc:EndpointID"), one(root, f"{SUPPLIER}/cbc:EndpointID/@schemeID")) == (SENDER_EAN, "0088")
        name = GIVEN_NAME.get(code, OFFICIAL[code])
        assert one(root, f"{CUSTOMER}/cac:PartyName/cbc:Name") == name
        assert one(root, f"{CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName") == name
        assert one(root, f"{CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID") == cvr_for(code)
        assert one(root, f"{CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID/@schemeID") == "0184"
    register = (workspace.root / "register.csv").read_text(encoding="utf-8")
    assert ",265,Roskilde Kommune," in register and ',336,"Stevns Kommune, Center for Økonomi",' in register


def test_without_them_the_document_holds_none_of_them_and_the_seller_is_addressed_by_its_cvr(workspace):
    plain = "".join(f'    "{code}":\n      ean: "{ean_for(code)}"\n      reference: "Økonomi {code}"\n' for code in CODES)
    sender = SENDER.replace("  legal_name: Sorø Kommune\n", "").replace(f'  ean: "{SENDER_EAN}"\n', "")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + sender + billing().split("  members:\n")[0]
                                + "  members:\n" + plain, encoding="utf-8")  # fmt: skip
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    root = etree.fromstring((workspace.root / "ud" / "KS-2026-340-1.xml").read_bytes())
    assert one(root, "cbc:AccountingCost") is None and one(root, "cac:OrderReference/cbc:ID") is None
    assert (one(root, f"{SUPPLIER}/cbc:EndpointID"), one(root, f"{SUPPLIER}/cbc:EndpointID/@schemeID")) == ("12345674", "0184")
    assert one(root, f"{SUPPLIER}/cac:PartyLegalEntity/cbc:RegistrationName") == "KKR Sjælland"
    assert one(root, f"{CUSTOMER}/cac:PartyLegalEntity/cbc:RegistrationName") == "Sorø Kommune"
    assert one(root, f"{CUSTOMER}/cac:PartyLegalEntity/cbc:CompanyID") is None


def test_an_order_number_alone_is_enough_and_a_year_without_one_is_refused_naming_the_year(workspace):
    text = config_text(workspace, years=(2024, 2026)).replace('      reference: "Økonomi 259"\n', "")  # 259 gives orders by year
    workspace.config.write_text(text, encoding="utf-8")
    assert invoke("invoices", "ud", "--year", "2026").exit_code == 0
    root = etree.fromstring((workspace.root / "ud" / "KS-2026-259-1.xml").read_bytes())
    assert one(root, "cbc:BuyerReference") is None and one(root, "cac:OrderReference/cbc:ID") == "450025926"
    result = invoke("invoices", "ud2025", "--year", "2025")
    assert result.exit_code == 1 and not (workspace.root / "ud2025").exists()
    assert result.stderr.splitlines() == [
        f"error: alliance.yaml:{text.splitlines().index('billing:') + 1}: billing: 1 paying member has neither reference nor order for budget year 2025, one of which an e-invoice "
        "must carry: Køge (259) (hint: add under billing.members reference (the person or department the municipality asks "
        "for) or order (its order number, one for every year or one per budget year))"
    ]


# --- refused before anything is written ----------------------------------------------------------------------


def written(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


REFUSED = [
    ('  cvr: "12345674"\n', '  cvr: "00000000"\n',
     "sender.cvr: 00000000 is all zeros and no CVR number; write the CVR number the business is registered by"),
    (f'  ean: "{SENDER_EAN}"\n', '  ean: "0000000000000"\n',
     "sender.ean: 0000000000000 is all zeros and no EAN number; write the EAN number that receives e-invoices in NemHandel"),
    (f'      cvr: "{cvr_for("340")}"\n', '      cvr: "00000000"\n',
     "billing.members.340.cvr: 00000000 is all zeros and no CVR number; write the CVR number the business is registered by"),
    (f'      ean: "{ean_for("340")}"\n', '      ean: "0000000000000"\n',
     "billing.members.340.ean: 0000000000000 is all zeros and no EAN number; write the EAN number that receives e-invoices in NemHandel"),
    ("alliance: Sjællands Klimaalliance\n", "alliance: Sjællands Klimaalliance\ncurrency: ABC\n",
     "currency: ABC is not a currency code of ISO 4217 (hint: write the currency's ISO 4217 code, e.g. DKK for Danish kroner "
     "or EUR for euro)"),
    ("alliance: Sjællands Klimaalliance\n", "alliance: Sjællands Klimaalliance\ncurrency: DEM\n",
     "currency: DEM is not a currency code of ISO 4217 (hint: write the currency's ISO 4217 code, e.g. DKK for Danish kroner "
     "or EUR for euro)"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line"), REFUSED,
                         ids=["sender-cvr", "sender-ean", "member-cvr", "member-ean", "currency-abc", "currency-withdrawn"])  # fmt: skip
def test_an_identifier_of_zeros_or_an_unknown_currency_is_one_line_and_nothing_is_written(workspace, old, new, line):
    workspace.config.write_text(config_text(workspace).replace(old, new, 1), encoding="utf-8")
    before = written(workspace.root)
    for command in (["validate"], ["invoices", "ud", "--year", "2026"]):
        result = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", "en"])
        assert result.exit_code == 1, result.output
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error: alliance.yaml:") and result.stderr.rstrip("\n").endswith(line), result.stderr
        assert written(workspace.root) == before


def test_standard_rated_vat_in_another_currency_than_kroner_is_refused_at_the_category(workspace):
    text = config_text(workspace).replace("alliance: Sjællands Klimaalliance\n", "alliance: Sjællands Klimaalliance\ncurrency: EUR\n")
    workspace.config.write_text(text.replace("  members:\n", "  vat: {category: S}\n  members:\n", 1), encoding="utf-8")
    before = written(workspace.root)
    for command in (["validate"], ["invoices", "ud", "--year", "2026"]):
        result = runner.invoke(app, [*command, "-c", "alliance.yaml", "--lang", "en"])
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines() == [
            f"error: alliance.yaml:{text.splitlines().index('  members:') + 1}: billing.vat.category: VAT at the standard rate "
            "(category S) is invoiced in Danish kroner, but currency is EUR (hint: write currency: DKK, or invoice outside the scope "
            "of VAT with category: O)"
        ]
        assert written(workspace.root) == before
    workspace.config.write_text(text, encoding="utf-8")  # outside the scope of VAT (category O), EUR is fine
    assert runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"]).exit_code == 0


def test_the_danish_lines_name_the_same_fields(workspace):
    text = config_text(workspace).replace('  cvr: "12345674"\n', '  cvr: "00000000"\n', 1)
    workspace.config.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "da"])
    assert result.exit_code == 1
    line = text.splitlines().index('  cvr: "00000000"') + 1
    assert result.stderr.splitlines() == [
        f"fejl: alliance.yaml:{line}: sender.cvr: 00000000 er kun nuller og intet "
        "CVR-nummer; skriv det CVR-nummer, virksomheden er registreret med"
    ]


def test_an_order_number_for_a_year_outside_the_agreement_is_refused_at_its_line(workspace):
    text = config_text(workspace).replace('2026: "450025926"', '2026: "450025926", 2031: "450025931"')
    workspace.config.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "-c", "alliance.yaml", "--lang", "en"])
    assert result.exit_code == 1
    line = next(number for number, said in enumerate(text.splitlines(), 1) if "2031" in said)
    assert result.stderr.splitlines() == [
        f"error: alliance.yaml:{line}: billing.members.259.order[2031]: 2031 is not a budget year of the agreement (2023–2028)"
    ]


# --- the tables in the package ---------------------------------------------------------------------------------


def test_the_98_municipalities_have_their_official_names():
    assert len(OFFICIAL_NAMES) == 98 and "411" not in OFFICIAL_NAMES  # Christiansø belongs to no municipality
    assert {code: official_name(code) for code in CODES} == OFFICIAL
    assert official_name("101") == "Københavns Kommune" and official_name("400") == "Bornholms Regionskommune"
    assert (official_name("147"), official_name("173"), official_name("492")) == (
        "Frederiksberg Kommune", "Lyngby-Taarbæk Kommune", "Ærø Kommune")  # fmt: skip
    assert (official_name("480"), official_name("820")) == ("Nordfyns Kommune", "Vesthimmerlands Kommune")
    assert official_name("999") is None
    others = {name for code, name in OFFICIAL_NAMES.items() if code != "400"}
    assert all(name.endswith(" Kommune") for name in others) and len(set(OFFICIAL_NAMES.values())) == 98
    # the codes of the five regions' municipalities, as Danmarks Statistik numbers them: 101 to 860
    assert all(code.isdigit() and len(code) == 3 and 101 <= int(code) <= 860 for code in OFFICIAL_NAMES)


def test_the_currencies_are_iso_4217_codes_that_babel_knows_and_none_withdrawn():
    from babel.numbers import list_currencies

    assert {"DKK", "EUR", "SEK", "NOK", "USD", "GBP", "ISK"} <= ISO_4217
    assert list_currencies() >= ISO_4217  # CLDR knows every one of them
    assert not {"DEM", "FRF", "ITL", "ESP", "NLG", "HRK", "LTL", "ABC", "dkk"} & ISO_4217  # withdrawn, or never one
    assert all(len(code) == 3 and code.isascii() and code.isupper() for code in ISO_4217)


def test_the_billing_fields_init_writes_commented_out_are_a_valid_config_once_uncommented(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSTSHARE_CONFIG", raising=False)
    assert runner.invoke(app, ["init"], catch_exceptions=False).exit_code == 0
    config = tmp_path / "config" / "alliance.yaml"
    lines, inside = [], False
    for line in config.read_text(encoding="utf-8").splitlines(keepends=True):
        inside = (inside or line.startswith("# sender:")) and not line.startswith("# Faktisk udgift")
        lines.append(line.removeprefix("# ") if inside else line)
    text = "".join(lines)
    for field in ("legal_name:", "ean:", "order:", "account:", "cvr:"):
        assert f"\n  {field}" in text or f"\n      {field}" in text, field
    config.write_text(text, encoding="utf-8")
    assert runner.invoke(app, ["validate"], catch_exceptions=False).exit_code == 0
    config.write_text(text.replace('order: "4500012345"', 'order: {2026: "4500012345"}'), encoding="utf-8")
    assert runner.invoke(app, ["validate"], catch_exceptions=False).exit_code == 0


def test_the_statement_is_addressed_as_the_e_invoices_are(workspace):
    """Stevns by the name its config gives it, Roskilde (in Danish) by its official name, as their e-invoices."""
    workspace.config.write_text(config_text(workspace), encoding="utf-8")

    def recipient(code: str, lang: str) -> str:
        result = runner.invoke(app, ["statement", code, "-c", "alliance.yaml", "--lang", lang], catch_exceptions=False)
        return next(line for line in result.stdout.splitlines() if line.startswith(("Modtager:", "To:")))

    assert recipient("336", "da") == f"Modtager: {GIVEN_NAME['336']}"
    assert recipient("265", "da") == f"Modtager: {OFFICIAL['265']}"
    assert recipient("336", "en") == f"To: {GIVEN_NAME['336']}"
