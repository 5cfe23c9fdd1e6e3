"""Statement exports: CSV and Excel, streamed row by row (constant memory for millions of items).

CSV follows what a Brazilian Excel opens without a wizard: UTF-8 with BOM, `;` between fields, dates dd/mm/aaaa and
amounts as plain numbers with a decimal comma (no currency symbol, no thousands separator: `-1234,56`); on PostgreSQL
the server writes the rows itself (COPY). The Excel file has real dates and real numbers formatted `R$ #,##0.00`,
streamed by reports/xlsx_stream.py (see there why not openpyxl's write-only mode).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import TextIO

from domain.access.permissions import Actor
from domain.money import MINOR_DIGITS
from domain.statements.model import STATEMENT_KIND_LABELS, StatementKind
from persistence import database
from persistence.queries.statements import ExportRow, StatementHeader, copy_statement_csv, iter_statement
from reports.xlsx_stream import BOLD, DAY, MONEY, PLAIN, SheetWriter

HEADERS = ["Data", "Tipo", "Descrição", "Valor", "Saldo"]
LINE_END = "\n"  # what PostgreSQL's COPY writes too: the file is the same on both databases
BRL_FORMAT = '"R$" #,##0.00;-"R$" #,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
FORMATS = ("csv", "xlsx")
KIND_TEXT: dict[StatementKind, str] = dict(STATEMENT_KIND_LABELS)


def export_statement(
    actor: Actor, account_id: uuid.UUID, date_from: date | None, date_to: date | None, fmt: str, out: Path
) -> int:
    """Write the account's statement for the period to `out`; returns how many items were written."""
    if fmt not in FORMATS:
        raise ValueError(f"formato desconhecido: {fmt}")
    header, rows = iter_statement(actor, account_id, date_from, date_to)
    with closing(rows):  # on any error the read transaction ends here, not whenever the generator is collected
        if fmt == "xlsx":
            return write_xlsx(header, rows, out)
        if not database.is_sqlite():
            rows.close()  # PostgreSQL writes the CSV itself, a lot faster (see copy_statement_csv)
            with out.open("wb", buffering=1 << 20) as binary:
                for chunk in _server_csv(actor, header):
                    binary.write(chunk)
            return header.items_in_period
        with out.open("w", encoding="utf-8-sig", newline="", buffering=1 << 20) as handle:
            return write_csv(header, rows, handle)


def write_csv(header: StatementHeader, rows: Iterable[ExportRow], handle: TextIO) -> int:
    writer = csv.writer(handle, delimiter=";", lineterminator=LINE_END)
    writer.writerow(HEADERS)
    writer.writerow(_csv_opening(header))
    counter = _Counter()
    writer.writerows(_csv_rows(rows, counter))  # the loop runs in C; formatting is the only Python per row
    return counter.count


def stream_csv(actor: Actor, account_id: uuid.UUID, date_from: date | None, date_to: date | None) -> Iterator[bytes]:
    """The CSV as chunks for an HTTP response (the browser download starts at once, memory stays flat)."""
    header, rows = iter_statement(actor, account_id, date_from, date_to)
    with closing(rows):
        if not database.is_sqlite():
            rows.close()
            yield from _server_csv(actor, header)
            return
        yield from _stream(header, rows)


def _server_csv(actor: Actor, header: StatementHeader) -> Iterator[bytes]:
    """The BOM and header lines from here, the rows from PostgreSQL's COPY."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator=LINE_END)
    writer.writerow(HEADERS)
    writer.writerow(_csv_opening(header))
    yield _take(buffer)
    labels = {str(kind): label for kind, label in KIND_TEXT.items()}
    yield from copy_statement_csv(actor, header, labels)


def _stream(header: StatementHeader, rows: Iterator[ExportRow]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=LINE_END)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    writer.writerow(_csv_opening(header))
    for n, row in enumerate(_csv_rows(rows, _Counter()), start=1):
        writer.writerow(row)
        if n % 5000 == 0:
            yield _take(buffer)
    yield _take(buffer)


def _csv_opening(header: StatementHeader) -> tuple[str, ...]:
    return (_day(header.date_from) if header.date_from else "", "", "Saldo anterior", "", _number(header.opening_cents))


class _Counter:
    count = 0


def _csv_rows(rows: Iterable[ExportRow], counter: _Counter) -> Iterator[tuple[str, ...]]:
    days: dict[date, str] = {}
    kinds = {str(kind): label for kind, label in KIND_TEXT.items()}
    for occurred_on, kind, description, amount, balance in rows:
        day = days.get(occurred_on)
        if day is None:
            day = days[occurred_on] = _day(occurred_on)
        counter.count += 1
        yield day, kinds[kind], description, _number(amount), _number(balance)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def write_xlsx(header: StatementHeader, rows: Iterable[ExportRow], out: Path) -> int:
    money_format = BRL_FORMAT if header.currency == "BRL" else f'#,##0.00 "{header.currency}"'
    divisor = 10 ** MINOR_DIGITS.get(header.currency, 2)
    kinds = {str(kind): label for kind, label in KIND_TEXT.items()}
    styles = (DAY, PLAIN, PLAIN, MONEY, MONEY)
    count = 0
    with SheetWriter(out, "Extrato", (12, 10, 60, 16, 16), money_format, freeze_rows=2) as sheet:
        sheet.row([f"Extrato — {header.customer_name} · {header.account_name}"], (BOLD,))
        sheet.row(HEADERS, (BOLD,) * len(HEADERS))
        sheet.row([header.date_from, None, "Saldo anterior", None, header.opening_cents / divisor], styles)
        for occurred_on, kind, description, amount, balance in rows:
            sheet.row((occurred_on, kinds[kind], description, amount / divisor, balance / divisor), styles)
            count += 1
    return count


def _day(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _number(cents: int) -> str:
    """`-123456` → `-1234,56`: a number Excel pt-BR reads as such (no symbol, no thousands separator). Exact: any
    cents below 2⁵³ divided by 100 prints back to the same two decimals. (Two-decimal currencies; the statement of a
    zero-decimal currency is printed in its units by the Excel export.)"""
    return format(cents / 100, ".2f").replace(".", ",")
