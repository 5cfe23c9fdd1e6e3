"""Relatórios' exports: receivables aging per account and MRR movements, as CSV (`;`, pt-BR numbers, UTF-8 with BOM
so Excel opens the accents right) or XLSX (real dates and amounts with the R$ format), streamed to a file."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from domain.access.permissions import Actor
from domain.documents.tax_ids import detect_document_type, mask_document
from domain.revenue.model import MOVEMENT_LABELS
from persistence.queries import reports as queries
from persistence.queries.receivables import AGE_BUCKETS
from reports.formats import cents_to_decimal, day, number
from reports.xlsx_stream import BOLD, DAY, MONEY, PLAIN, SheetWriter

MONEY_FORMAT = '"R$" #,##0.00;[Red]-"R$" #,##0.00'
AGING_HEADERS = ["Cliente", "CPF/CNPJ", "Conta", *[label for label, _first, _last in AGE_BUCKETS], "Total"]
MOVEMENT_HEADERS = ["Data", "Cliente", "Conta", "Movimento", "Variação", "MRR da conta depois"]


def aging_file(actor: Actor, today: date, fmt: str, out: Path) -> int:
    rows = ([r.customer_name, _document(r.document), r.account_name, *r.buckets, r.total_cents]
            for r in queries.aging_by_account(actor, today))  # fmt: skip
    money_columns = set(range(3, 3 + len(AGE_BUCKETS) + 1))
    return _write(fmt, out, "Contas a receber", AGING_HEADERS, rows, money_columns, set())


def movements_file(actor: Actor, date_from: date, date_to: date, fmt: str, out: Path) -> int:
    rows = ([m.occurred_on, m.customer_name, m.account_name, MOVEMENT_LABELS[m.kind], m.delta_cents, m.mrr_after_cents]
            for m in queries.mrr_movements(actor, date_from, date_to))  # fmt: skip
    return _write(fmt, out, "Movimentos de MRR", MOVEMENT_HEADERS, rows, {4, 5}, {0})


def _write(fmt: str, out: Path, title: str, headers: list[str], rows: Iterable[list], money_columns: set[int],
           date_columns: set[int]) -> int:  # type: ignore[type-arg]  # fmt: skip
    written = 0
    if fmt == "xlsx":
        styles = [MONEY if i in money_columns else DAY if i in date_columns else PLAIN for i in range(len(headers))]
        widths = [14 if i in money_columns or i in date_columns else 32 for i in range(len(headers))]
        with SheetWriter(out, title, widths, MONEY_FORMAT, freeze_rows=1) as sheet:  # (no "/" in sheet names)
            sheet.row(headers, [BOLD] * len(headers))
            for row in rows:
                sheet.row([v / 100 if i in money_columns else v for i, v in enumerate(row)], styles)
                written += 1
        return written
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_money(v) if i in money_columns else day(v) if i in date_columns else v
                             for i, v in enumerate(row)])  # fmt: skip
            written += 1
    return written


def _csv_money(cents: int) -> str:
    """1.234,56 or -250,00 without the symbol: a number a spreadsheet in pt-BR reads as one (a churn too)."""
    return number(cents_to_decimal(cents), digits=2)


def _document(document: str) -> str:
    kind = detect_document_type(document)
    return mask_document(kind, document) if kind else document
