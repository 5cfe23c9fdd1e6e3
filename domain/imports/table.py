"""A source table: the header and the data rows of an uploaded file, as strings, whatever the file format was.

CSV is read here (stdlib only); XLSX is read by reports/spreadsheets.py, which hands over the same shape. Rows come
from a factory so a table can be read twice (preview, then the run) without keeping every row in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from domain.imports.decoding import decode_bytes, detect_separator, iter_csv_rows
from domain.imports.errors import UnreadableFile

RowSource = Callable[[], Iterator[tuple[int, list[str]]]]


@dataclass(frozen=True)
class SourceTable:
    file_format: str  # csv | xlsx
    headers: list[str]
    header_line: int
    estimated_rows: int  # for the progress bar; the run counts the real number
    source: RowSource  # every record after the header, blank ones included
    encoding: str | None = None
    separator: str | None = None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line number in the file, cells) after the header."""
        rows = self.source()
        for line, _cells in rows:
            if line >= self.header_line:
                break
        yield from rows


def csv_table(data: bytes, file_name: str = "arquivo.csv") -> SourceTable:
    """Decode, find the separator and the header; UnreadableFile when any of it would be a guess."""
    decoded = decode_bytes(data, file_name)
    separator = detect_separator(decoded.text, file_name)
    text = decoded.text
    return table_from_source(
        "csv", lambda: iter_csv_rows(text, separator), file_name=file_name,
        estimated_rows=text.count("\n") + (not text.endswith("\n")),
        encoding=decoded.encoding, separator=separator,
    )  # fmt: skip


def table_from_source(
    file_format: str, source: RowSource, *, file_name: str, estimated_rows: int, encoding: str | None = None,
    separator: str | None = None,
) -> SourceTable:  # fmt: skip
    """The first non-blank record is the header; cleaned so every column has a distinct, readable name."""
    header_line, raw = next(((line, cells) for line, cells in source() if not is_blank(cells)), (0, []))
    if not raw:
        raise UnreadableFile(f"O arquivo “{file_name}” não tem linhas.", reason="empty")
    while raw and not raw[-1].strip():
        raw = raw[:-1]  # trailing separators after the last header
    headers: list[str] = []
    for index, cell in enumerate(raw):
        name = " ".join(cell.replace("\ufeff", "").split()) or f"Coluna {index + 1}"
        candidate, n = name, 2
        while candidate in headers:
            candidate, n = f"{name} ({n})", n + 1
        headers.append(candidate)
    if len(headers) < 2:
        raise UnreadableFile(
            f"“{file_name}” tem uma só coluna. O arquivo precisa de ao menos nome e CPF/CNPJ, separados por ponto e "
            "vírgula (;), vírgula (,) ou tabulação.",
            reason="single_column",
        )
    return SourceTable(file_format=file_format, headers=headers, header_line=header_line,
                       estimated_rows=max(estimated_rows - 1, 0), source=source, encoding=encoding,
                       separator=separator)  # fmt: skip


def is_blank(cells: list[str]) -> bool:
    """Empty lines and separator-only lines (";;;;") are skipped, never reported as errors."""
    return not any(cell.strip() for cell in cells)
