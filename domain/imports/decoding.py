"""Bytes of an uploaded CSV → text → rows of strings, refusing anything that would import broken accents.

Encoding policy (in this order; the first that decodes the whole file cleanly wins):
- a BOM decides: UTF-8 (EF BB BF), UTF-16 LE (FF FE) or BE (FE FF);
- UTF-16 without a BOM is recognised by its NUL bytes (every other byte of ASCII text is zero);
- strict UTF-8 (a Windows-1252 file almost never is valid UTF-8 once it has an accent);
- Windows-1252, which is Latin-1 for every printable character and also has €, “ ” and – in 0x80-0x9F.
Then the text itself is checked: control characters (a binary file, an .xls renamed .csv), the replacement character
U+FFFD and "mojibake" such as “SÃ£o Paulo” (UTF-8 read as Windows-1252 and saved again somewhere before us) refuse
the file with a message that says how to fix it. Guessing past any of these would write broken names for good.

Separators: `;` (Excel in pt-BR), `,` and tab, chosen by which one splits the header and the first lines into the
same number of columns (Brazilian amounts like 1.234,56 break the comma, so `;` wins there).
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from domain.imports.errors import UnreadableFile

SEPARATORS = (";", "\t", ",")  # ties go to the first: `;` is what a pt-BR Excel writes
SEPARATOR_LABELS = {";": "ponto e vírgula (;)", ",": "vírgula (,)", "\t": "tabulação"}
ENCODING_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 com BOM", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE",
                   "utf-16-be": "UTF-16 BE", "cp1252": "Windows-1252 (Latin-1)"}  # fmt: skip
_SAMPLE_LINES = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# UTF-8 bytes of accented letters read as Windows-1252: "Ã" + a continuation byte, "Â" + a Latin-1 sign.
_MOJIBAKE = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
    "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]"
)
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # a key of ENCODING_LABELS


def decode_bytes(data: bytes, file_name: str = "arquivo") -> DecodedText:
    """The file's text, or UnreadableFile saying why it cannot be imported as it is."""
    if not data.strip(b" \t\r\n\x00"):
        raise UnreadableFile(f"O arquivo “{file_name}” está vazio.", reason="empty")
    if data.startswith(_XLS_MAGIC):
        raise UnreadableFile(
            f"“{file_name}” é uma planilha do Excel 97-2003 (.xls), que não é aceita. "
            "Abra-a no Excel e salve como .xlsx ou como “CSV UTF-8”.",
            reason="xls",
        )
    if data.startswith(_ZIP_MAGIC):
        raise UnreadableFile(f"“{file_name}” parece uma planilha .xlsx: envie-a com a extensão .xlsx.", reason="zip")
    encoding, text = _decode(data, file_name)
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac line ends; CRLF is read as it is
    _check_text(text, file_name)
    return DecodedText(text=text, encoding=encoding)


def _decode(data: bytes, file_name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _strict(data, "utf-8-sig", file_name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", _strict(data, "utf-16", file_name)
    head = data[:4096]
    nuls = head.count(0)
    if nuls > len(head) // 4:  # ASCII text in UTF-16 has one NUL per character, all on the same side
        at_odd = head[1::2].count(0)
        if max(at_odd, nuls - at_odd) >= 0.9 * nuls:
            encoding = "utf-16-le" if at_odd > nuls - at_odd else "utf-16-be"
            return encoding, _strict(data, encoding, file_name)
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return "cp1252", _strict(data, "cp1252", file_name)


def _strict(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            f"Não foi possível ler “{file_name}”: a codificação não é UTF-8, UTF-16 nem Windows-1252/Latin-1 "
            f"(byte 0x{data[error.start]:02X} inválido na linha {line}). Salve a planilha como “CSV UTF-8” e "
            "envie de novo.",
            reason="encoding",
        ) from None


def _check_text(text: str, file_name: str) -> None:
    if match := _CONTROL.search(text):
        raise UnreadableFile(
            f"“{file_name}” não parece um arquivo de texto (caractere de controle na linha "
            f"{_line_of(text, match.start())}). Envie um CSV ou uma planilha .xlsx.",
            reason="binary",
        )
    if (position := text.find("\ufffd")) >= 0:
        raise UnreadableFile(
            f"“{file_name}” tem caracteres corrompidos (“\ufffd”) na linha {_line_of(text, position)}: os acentos "
            "foram perdidos antes do arquivo chegar aqui. Exporte de novo a partir da planilha original.",
            reason="replacement_character",
        )
    if match := _MOJIBAKE.search(text):
        start = max(text.rfind("\n", 0, match.start()) + 1, match.start() - 20)
        sample = text[start : match.end() + 20].split("\n")[0].strip()
        raise UnreadableFile(
            f"“{file_name}” tem acentos corrompidos na linha {_line_of(text, match.start())} (“{sample}”): o arquivo "
            "foi convertido com a codificação errada antes de chegar aqui. Abra a planilha original e salve como "
            "“CSV UTF-8”.",
            reason="mojibake",
        )


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def detect_separator(text: str, file_name: str = "arquivo") -> str:
    """The separator that splits the header and the first lines into the same number (≥ 2) of columns."""
    lines = [line.rstrip("\r\n") for line in islice(_lines(text), _SAMPLE_LINES * 2) if line.strip()][:_SAMPLE_LINES]
    best: tuple[float, int, int] | None = None
    chosen = None
    for rank, separator in enumerate(SEPARATORS):
        counts = [len(row) for row in csv.reader(lines, delimiter=separator)]
        if not counts or counts[0] < 2:
            continue
        agreement = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = (agreement, counts[0], -rank)
        if best is None or score > best:
            best, chosen = score, separator
    if chosen is None:
        raise UnreadableFile(
            f"Não foi possível identificar as colunas de “{file_name}”: use ponto e vírgula (;), vírgula (,) ou "
            "tabulação entre as colunas, com um cabeçalho na primeira linha.",
            reason="separator",
        )
    return chosen


def iter_csv_rows(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(line number in the file, cells) for every record, blank ones included (the caller counts them as skipped)."""
    reader = csv.reader(_lines(text), delimiter=separator)
    line = 1
    for cells in reader:
        yield line, cells
        line = reader.line_num + 1


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, one at a time (io.StringIO would hold 4 bytes per character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1
