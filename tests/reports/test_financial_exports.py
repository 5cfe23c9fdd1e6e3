"""Relatórios' exports: the receivables aging per account (most overdue first) and the MRR movements of a period, in
CSV a pt-BR spreadsheet reads and in Excel with real amounts and dates."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from openpyxl import load_workbook

from domain.invoices.finalize import finalize_invoice
from domain.subscriptions.services import cancel_subscription
from persistence.queries.reports import aging_by_account
from persistence.unit_of_work import SqlUnitOfWork
from reports.financial_exports import aging_file, movements_file
from tests.support.billing_factories import draft, make_account
from tests.support.subscription_factories import make_plan, subscribe

TODAY = date(2026, 11, 21)


def owed(admin, account, days_late: int):  # type: ignore[no-untyped-def]
    due_on = TODAY - timedelta(days=days_late)
    invoice = draft(admin, account, due_on=due_on)
    return finalize_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, issued_on=due_on - timedelta(days=10))


def test_the_aging_lists_accounts_most_overdue_first_with_each_bucket(org, admin) -> None:  # type: ignore[no-untyped-def]
    punctual, late = make_account(org, name="Pontual Ltda"), make_account(org, name="Atrasada Ltda")
    not_due = owed(admin, punctual, -5)
    first, second = owed(admin, late, 10), owed(admin, late, 95)
    rows = list(aging_by_account(admin, TODAY))
    assert [r.customer_name for r in rows] == ["Atrasada Ltda", "Pontual Ltda"]
    assert rows[0].buckets == (0, first.net_value_cents, 0, 0, second.net_value_cents)
    assert rows[1].buckets == (not_due.net_value_cents, 0, 0, 0, 0) and rows[1].overdue_cents == 0


def test_the_aging_exports_to_csv_and_excel(org, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, name="Atrasada Ltda")
    invoice = owed(admin, account, 40)
    assert aging_file(admin, TODAY, "csv", tmp_path / "a.csv") == 1
    with (tmp_path / "a.csv").open(encoding="utf-8-sig") as handle:
        header, row = list(csv.reader(handle, delimiter=";"))
    assert header[:4] == ["Cliente", "CPF/CNPJ", "Conta", "A vencer"] and row[0] == "Atrasada Ltda"
    reais = f"{invoice.net_value_cents // 100:,}".replace(",", ".") + f",{invoice.net_value_cents % 100:02d}"
    assert row[5] == reais and row[-1] == reais  # the 31–60 days column, and the total
    assert aging_file(admin, TODAY, "xlsx", tmp_path / "a.xlsx") == 1
    sheet = load_workbook(tmp_path / "a.xlsx").active
    assert sheet.cell(2, 6).value == invoice.net_value_cents / 100 and "R$" in sheet.cell(2, 6).number_format


def test_mrr_movements_of_a_period_export_with_their_kind(org, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    subscribe(admin, make_account(org, name="Nova Assinante Ltda"), make_plan(admin, "Pro", "250.00"))
    today = date.today()
    assert movements_file(admin, today - timedelta(days=1), today, "csv", tmp_path / "m.csv") == 1
    with (tmp_path / "m.csv").open(encoding="utf-8-sig") as handle:
        _header, row = list(csv.reader(handle, delimiter=";"))
    assert row[1] == "Nova Assinante Ltda" and row[3:] == ["Novo", "250,00", "250,00"]
    assert (
        movements_file(admin, today - timedelta(days=30), today - timedelta(days=2), "xlsx", tmp_path / "m.xlsx") == 0
    )


def test_a_churn_exports_as_a_negative_number_a_spreadsheet_reads(org, admin, tmp_path) -> None:  # type: ignore[no-untyped-def]
    subscription = subscribe(admin, make_account(org, name="Saiu Ltda"), make_plan(admin, "Pro", "1250.00"))
    cancel_subscription(SqlUnitOfWork(admin), subscription_id=subscription.id, at_period_end=False,
                        reason="cliente encerrou")  # fmt: skip
    today = date.today()
    assert movements_file(admin, today - timedelta(days=1), today, "csv", tmp_path / "m.csv") == 2
    with (tmp_path / "m.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    assert [row[3:] for row in rows] == [["Novo", "1.250,00", "1.250,00"], ["Cancelamento", "-1.250,00", "0,00"]]
