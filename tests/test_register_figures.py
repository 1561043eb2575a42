"""What the register's rows say: a member's year is what it was invoiced less credited, by purpose."""

from datetime import date

from costshare.core.register import Issued, issued_numbers, net_invoiced


def row(number: str, kind: str, code: str, net: int, year: int = 2026, purpose: str = "aconto") -> Issued:
    start = date(year, 1, 1)
    return Issued(number, kind, purpose, year, code, f"Kommune {code}", None, start, start, start, start, net, 0, "DKK", (), "0" * 64)  # type: ignore[arg-type]


def test_a_members_year_is_its_invoices_less_its_credit_notes_and_other_years_and_members_apart():
    rows = [
        row("A-2026-340-1", "invoice", "340", 6_538_00),
        row("A-2026-340-2", "invoice", "340", 6_538_00),
        row("A-2026-340-90", "credit_note", "340", 1_057_00),
        row("A-2026-253-1", "invoice", "253", 10_000_00),
        row("A-2025-340-1", "invoice", "340", 99_00, year=2025),
        row("A-2026-340-99", "invoice", "340", 264_00, purpose="settlement"),
    ]
    assert net_invoiced(rows, 2026) == {"340": 6_538_00 * 2 - 1_057_00 + 264_00, "253": 10_000_00}
    assert net_invoiced(rows, 2026, ("aconto",)) == {"340": 6_538_00 * 2 - 1_057_00, "253": 10_000_00}
    assert net_invoiced(rows, 2025) == {"340": 99_00}
    assert net_invoiced(rows, 2024) == {}
    assert issued_numbers(rows) == {r.number for r in rows} and len(issued_numbers(rows * 2)) == 6
