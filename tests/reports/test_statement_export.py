"""The statement by period (opening, running and closing balances) and its CSV and Excel exports."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from domain.errors import PermissionDenied, ValidationFailed
from domain.payments.services import record_payment
from persistence.queries import statements
from persistence.unit_of_work import SqlUnitOfWork
from reports import statement_export
from tests.support.billing_factories import consulting, make_account, open_invoice
from tests.support.factories import make_operator
from tests.support.live_server import ROOT

NOV_1, NOV_10, NOV_20 = date(2026, 11, 1), date(2026, 11, 10), date(2026, 11, 20)


@pytest.fixture
def account(org, admin):  # type: ignore[no-untyped-def]
    """Finalized on 20/11 (issued) for 1.000,00 and 500,00; payments dated 01/11 and 10/11 (recorded later)."""
    account = make_account(org)
    first = open_invoice(admin, account, consulting(admin, "1000.00", "1"))
    second = open_invoice(admin, account, consulting(admin, "500.00", "1"))
    record_payment(SqlUnitOfWork(admin), invoice_id=first.id, amount_cents=300_00, paid_on=NOV_1)
    record_payment(SqlUnitOfWork(admin), invoice_id=second.id, amount_cents=500_00, paid_on=NOV_10)
    return account


def test_the_statement_runs_by_date_whatever_the_order_movements_were_recorded(account, admin) -> None:  # type: ignore[no-untyped-def]
    page = statements.statement_page(admin, account.id, None, None)
    assert [(r.occurred_on, r.amount_cents, r.balance_cents) for r in page.rows] == [
        (NOV_1, 300_00, 300_00),
        (NOV_10, 500_00, 800_00),
        (NOV_20, -1000_00, -200_00),
        (NOV_20, -500_00, -700_00),
    ]
    header = statements.statement_header(admin, account.id, None, None)
    assert header.balance_cents == header.closing_cents == -700_00


def test_a_period_has_an_opening_and_a_closing_balance(account, admin) -> None:  # type: ignore[no-untyped-def]
    header = statements.statement_header(admin, account.id, NOV_10, NOV_10)
    assert (header.opening_cents, header.closing_cents, header.items_in_period) == (300_00, 800_00, 1)
    page = statements.statement_page(admin, account.id, NOV_10, NOV_10)
    assert [r.balance_cents for r in page.rows] == [800_00]


def test_pages_carry_the_running_balance(account, admin) -> None:  # type: ignore[no-untyped-def]
    first = statements.statement_page(admin, account.id, None, None, limit=3)
    second = statements.statement_page(admin, account.id, None, None, cursor=first.next_cursor, limit=3)
    assert len(first.rows) == 3 and first.next_cursor and second.next_cursor is None
    assert [r.balance_cents for r in second.rows] == [-700_00]


def test_the_csv_has_pt_br_dates_and_plain_numbers(account, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "extrato.csv"
    assert statement_export.export_statement(admin, account.id, NOV_1, None, "csv", out) == 4
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Data", "Tipo", "Descrição", "Valor", "Saldo"]
    assert rows[1] == ["01/11/2026", "", "Saldo anterior", "", "0,00"]
    assert rows[2][:2] == ["01/11/2026", "Crédito"] and rows[2][3:] == ["300,00", "300,00"]
    assert rows[-1][0] == "20/11/2026" and rows[-1][3:] == ["-500,00", "-700,00"]
    streamed = b"".join(statement_export.stream_csv(admin, account.id, NOV_1, None))
    assert streamed == raw


def test_the_excel_file_has_real_dates_and_numbers_in_reais(account, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "extrato.xlsx"
    assert statement_export.export_statement(admin, account.id, None, None, "xlsx", out) == 4
    sheet = load_workbook(out)["Extrato"]
    assert [c.value for c in sheet[2]] == ["Data", "Tipo", "Descrição", "Valor", "Saldo"]
    first = sheet[4]
    assert first[0].value.date() == NOV_1 and first[0].number_format == "dd/mm/yyyy"
    assert first[3].value == 300.0 and first[3].number_format == statement_export.BRL_FORMAT
    assert sheet[7][4].value == -700.0


def test_exporting_needs_exports_run(account, org) -> None:  # type: ignore[no-untyped-def]
    auditor = make_operator(org, "auditor")
    assert statements.statement_page(auditor, account.id, None, None).rows  # reading is allowed
    with pytest.raises(PermissionDenied, match="EXPORTS_RUN"):
        statement_export.export_statement(auditor, account.id, None, None, "csv", ROOT / "var" / "never.csv")


def test_the_command_line_exports_a_statement(account, database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "extrato.xlsx"
    env = {**os.environ, "DATABASE_URL": database_url, "FATURA_VAR_DIR": str(tmp_path), "FATURA_SEED_DEMO": "0"}
    done = subprocess.run(
        [
            sys.executable,
            "run.py",
            "export",
            "statement",
            "--account",
            str(account.id),
            "--from",
            "10/11/2026",
            "--to",
            (NOV_20 + timedelta(days=1)).isoformat(),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert '"items": 3' in done.stdout and out.exists()


def test_the_command_line_refuses_an_impossible_date() -> None:
    from cli.exports import parse_day

    with pytest.raises(ValidationFailed, match="--from: data inválida"):
        parse_day("31/02/2026", "--from")
    assert parse_day("2026-11-10", "--to") == parse_day("10/11/2026", "--to") == NOV_10
