"""Spreadsheets in and out of imports: reading an uploaded .xlsx into rows of strings, the error report (CSV and
Excel) and the template to start from. CSV decoding itself is domain logic (domain/imports/decoding.py).

Cells of an .xlsx become the strings a person would have typed in a pt-BR spreadsheet, so the rest of the import
reads CSV and Excel the same way: numbers 1234,56 (decimal comma), dates dd/mm/aaaa, and numbers shown with leading
zeros (format "00000000000", a CPF column) keep them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from domain.imports.columns import FIELDS
from domain.imports.errors import UnreadableFile
from domain.imports.rows import Problem
from domain.imports.table import SourceTable, csv_table, table_from_source

REPORT_HEADERS = ["Linha", "Coluna", "Código", "Mensagem"]
_ZERO_PADDED = re.compile(r"0+")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def open_table(data: bytes, file_name: str) -> SourceTable:
    """CSV (any accepted encoding and separator) or XLSX, chosen by the content, not only the extension."""
    if data.startswith(b"PK\x03\x04") or file_name.lower().endswith((".xlsx", ".xlsm")):
        return xlsx_table(data, file_name)
    return csv_table(data, file_name)


def xlsx_table(data: bytes, file_name: str) -> SourceTable:
    """The first sheet of a workbook, as rows of strings."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(
            f"Não foi possível abrir “{file_name}” como planilha .xlsx ({type(error).__name__}). Salve-a de novo no "
            "Excel (formato .xlsx) ou como “CSV UTF-8”.",
            reason="xlsx",
        ) from None
    sheet = workbook.worksheets[0]
    estimated = sheet.max_row or 0
    workbook.close()

    def source() -> Iterator[tuple[int, list[str]]]:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for number, row in enumerate(book.worksheets[0].iter_rows(), start=1):
                yield number, [_cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
        finally:
            book.close()

    return table_from_source("xlsx", source, file_name=file_name, estimated_rows=estimated)


def _cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | Decimal):
        if (isinstance(value, float) and value.is_integer()) or isinstance(value, int):
            text = str(int(value))
            if number_format and _ZERO_PADDED.fullmatch(number_format):
                text = text.zfill(len(number_format))  # shown with its leading zeros (a CPF column): keep them
            return text
        return format(Decimal(str(value)), "f").replace(".", ",")
    return str(value)


def report_csv(headers: list[str], problems: Iterable[Problem]) -> bytes:
    """UTF-8 with BOM and `;`: opens with accents right in a pt-BR Excel; one line per problem, with the row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([*REPORT_HEADERS, *headers])
    for p in problems:
        writer.writerow([p.line, p.column, p.code, p.message, *p.values])
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(headers: list[str], problems: Iterable[Problem]) -> bytes:
    """The same report as an Excel workbook (write-only: thousands of lines stay fast)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Erros")
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, [*REPORT_HEADERS, *headers]))
    for p in problems:
        sheet.append([p.line, p.column, p.code, p.message, *p.values])
    return _save(workbook)


def template_csv() -> bytes:
    headers = [f.label for f in FIELDS]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow([f.example_pf for f in FIELDS])
    writer.writerow([f.example_pj for f in FIELDS])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The template as a workbook; every column is text, so CPFs and CEPs keep their leading zeros."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Clientes")
    sheet.append(_header_cells(sheet, [f.label for f in FIELDS]))
    sheet.append([f.example_pf for f in FIELDS])
    sheet.append([f.example_pj for f in FIELDS])
    help_sheet = workbook.create_sheet("Instruções")
    for line in TEMPLATE_HELP:
        help_sheet.append([line])
    return _save(workbook)


TEMPLATE_HELP = [
    "Uma linha por cliente. Obrigatórios: Nome e CPF/CNPJ (com ou sem máscara; CNPJ alfanumérico aceito).",
    "Tipo de pessoa (PF, PJ ou Estrangeiro) é opcional: sem ele, o tipo vem do documento.",
    "Valores no formato 1.234,56 (com ou sem R$); datas dd/mm/aaaa; CEP com ou sem traço; UF em qualquer caixa.",
    "Colunas de conta (Nome da conta, E-mail de cobrança, Forma de pagamento, Limite de crédito, Enquadramento) "
    "criam uma conta de faturamento por cliente.",
    "Vários e-mails ou etiquetas numa célula: separe com ponto e vírgula ou vírgula.",
    "Reimportar o mesmo arquivo não cria nada duas vezes: clientes com documento já cadastrado são contados como "
    "“já existentes”.",
]


def _header_cells(sheet, names: list[str]) -> list:  # type: ignore[no-untyped-def]
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cells.append(cell)
    return cells


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
