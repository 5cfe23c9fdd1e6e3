"""The streaming XLSX writer produces files Excel (and openpyxl) read with the right types and formats."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from reports.xlsx_stream import BOLD, DAY, MONEY, Cell, SheetWriter


def test_values_types_formats_and_layout_survive_the_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "planilha.xlsx"
    with SheetWriter(path, "Extrato de teste", (12, 40, 16), '"R$" #,##0.00', freeze_rows=1) as sheet:
        sheet.row(["Data", "Descrição", "Valor"], (BOLD, BOLD, BOLD))
        sheet.row([date(2026, 11, 20), "Fatura <INV-000001> & cia \x01", -1234.56], (DAY, 0, MONEY))
        sheet.row([None, Cell("  espaços  ", BOLD), 0])
    book = load_workbook(path)
    ws = book["Extrato de teste"]
    assert ws["A1"].value == "Data" and ws["A1"].font.bold
    assert ws["A2"].value.date() == date(2026, 11, 20) and ws["A2"].number_format == "dd/mm/yyyy"
    assert ws["B2"].value == "Fatura <INV-000001> & cia "
    assert ws["C2"].value == -1234.56 and ws["C2"].number_format == '"R$" #,##0.00'
    assert ws["A3"].value is None and ws["B3"].value == "  espaços  " and ws["B3"].font.bold and ws["C3"].value == 0
    assert ws.freeze_panes == "A2" and ws.column_dimensions["B"].width == 40
