"""Export of a segment's whole selection to CSV or Excel, streamed page by page (keyset) into a stored file.

CSV: UTF-8 with BOM, `;` separator, amounts as pt-BR numbers (1234,56) so Excel in Brazil opens it right.
Excel: write-only workbook, amounts as numbers with the BRL format, one row per customer.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select

from domain.access.permissions import Actor, Permission
from domain.customers.model import KIND_LABELS, STATUS_LABELS, CustomerKind, CustomerStatus
from domain.errors import NotFound
from domain.files.model import StoredFile
from domain.segments.model import COLUMNS
from persistence import files
from persistence.queries.common import read_session
from persistence.queries.customers import CustomerRow
from persistence.queries.segments import list_segment
from persistence.unit_of_work import SqlUnitOfWork
from reports.formats import cents_to_decimal

PAGE = 1000
MONEY_COLUMNS = ("balance_cents", "mrr_cents")
BRL_FORMAT = '"R$" #,##0.00;[Red]-"R$" #,##0.00'
KIND = "segment_export"


def export_selection(
    actor: Actor, *, tree: dict[str, Any], columns: list[str], sort: dict[str, Any], fmt: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[uuid.UUID, int]:  # fmt: skip
    """Write the file and its StoredFile row; returns (file id, rows written)."""
    suffix = ".xlsx" if fmt == "xlsx" else ".csv"
    file_id, relative, path = files.new_path(actor.organization_id, KIND, suffix)  # type: ignore[arg-type]
    partial = path.with_name(path.name + ".part")
    rows = _rows(actor, tree, sort, progress)
    count = _write_xlsx(partial, columns, rows) if fmt == "xlsx" else _write_csv(partial, columns, rows)
    os.replace(partial, path)
    content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                    else "text/csv; charset=utf-8")  # fmt: skip
    with SqlUnitOfWork(actor) as uow:
        stored = files.register(uow, file_id=file_id, organization_id=actor.organization_id, kind=KIND,  # type: ignore[arg-type]
                                relative_path=relative, filename=f"segmento-{str(file_id)[-8:]}{suffix}",
                                content_type=content_type, path=path)  # fmt: skip
        uow.commit()
    return stored.id, count


def export_file(actor: Actor, file_id: uuid.UUID) -> tuple[str, bytes]:
    """The name and bytes of an export of the actor's organization (EXPORTS_RUN), for the screen's download."""
    actor.require(Permission.EXPORTS_RUN)
    with read_session(actor) as session:
        stored = session.scalars(
            select(StoredFile).where(StoredFile.id == file_id, StoredFile.kind == KIND)
        ).one_or_none()
    if stored is None:
        raise NotFound("Arquivo", file_id)
    return stored.filename, files.path_of(stored).read_bytes()


def _rows(actor: Actor, tree: dict[str, Any], sort: dict[str, Any], progress: Callable[[int], None] | None
          ) -> Iterator[CustomerRow]:  # fmt: skip
    cursor, done = None, 0
    while True:
        page = list_segment(actor, tree, sort=sort, cursor=cursor, limit=PAGE)
        yield from page.rows
        done += len(page.rows)
        if progress is not None:
            progress(done)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _write_csv(path: os.PathLike, columns: list[str], rows: Iterator[CustomerRow]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([COLUMNS[c] for c in columns])
        for row in rows:
            writer.writerow([_csv_value(c, _value(row, c)) for c in columns])
            count += 1
    return count


def _write_xlsx(path: os.PathLike, columns: list[str], rows: Iterator[CustomerRow]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Clientes")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=COLUMNS[column])
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=_value(row, column))
            if column in MONEY_COLUMNS:
                cell.number_format = BRL_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def _value(row: CustomerRow, column: str) -> Any:
    if column in MONEY_COLUMNS:
        return cents_to_decimal(getattr(row, column), row.currency)
    if column == "status":
        return STATUS_LABELS[CustomerStatus(row.status)]
    if column == "kind":
        return KIND_LABELS[CustomerKind(row.kind)]
    if column == "tags":
        return ", ".join(row.tags)
    value = getattr(row, column)
    return "" if value is None else value


def _csv_value(column: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return value
