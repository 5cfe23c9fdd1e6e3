"""Reading uploaded files: every accepted encoding and separator, and a clear refusal instead of broken accents."""

from __future__ import annotations

import codecs

import pytest

from domain.imports.errors import UnreadableFile
from domain.imports.table import csv_table

HEADER = "Nome;CPF/CNPJ;Cidade"
ROW = "Conceição Gonçalves;529.982.247-25;São Paulo"
TEXT = f"{HEADER}\r\n{ROW}\r\n"


def rows_of(data: bytes) -> list[list[str]]:
    return [cells for _, cells in csv_table(data, "clientes.csv").rows()]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp1252"), "cp1252"),
        (TEXT.encode("latin-1"), "cp1252"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its BOM (LE on this machine)
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its NUL bytes
    ],
    ids=["utf8", "utf8-bom", "cp1252", "latin1", "utf16-bom", "utf16be-bom", "utf16le-no-bom"],
)
def test_every_accepted_encoding_reads_the_accents_right(data: bytes, encoding: str) -> None:
    table = csv_table(data, "clientes.csv")
    assert table.encoding == encoding
    assert table.headers == ["Nome", "CPF/CNPJ", "Cidade"]
    assert rows_of(data) == [["Conceição Gonçalves", "529.982.247-25", "São Paulo"]]


def test_windows_1252_punctuation_that_latin_1_lacks_is_read_too() -> None:
    data = "Nome;Observação\r\nAçaí “Bom” – Ltda;€ 10\r\n".encode("cp1252")
    assert rows_of(data) == [["Açaí “Bom” – Ltda", "€ 10"]]


@pytest.mark.parametrize("separator", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_the_separator_is_detected(separator: str) -> None:
    data = separator.join(["Nome", "CPF/CNPJ", "Limite"]).encode() + b"\n"
    data += separator.join(["Ana", "529.982.247-25", '"1.234,56"']).encode() + b"\n"
    table = csv_table(data, "clientes.csv")
    assert table.separator == separator
    assert rows_of(data) == [["Ana", "529.982.247-25", "1.234,56"]]


def test_brazilian_amounts_do_not_fool_the_separator_detection() -> None:
    data = b"Nome;CPF/CNPJ;Limite\nAna;529.982.247-25;1.234,56\nBia;11.222.333/0001-81;10,00\n"
    assert csv_table(data, "clientes.csv").separator == ";"


def test_a_utf8_file_that_was_converted_twice_is_refused_with_the_line_and_a_fix() -> None:
    broken = "Nome;Cidade\nAna;São Paulo\nBia;SÃ£o Paulo\n".encode()  # "São" read as cp1252 and saved as UTF-8
    with pytest.raises(UnreadableFile) as refusal:
        csv_table(broken, "clientes.csv")
    assert refusal.value.reason == "mojibake"
    assert "linha 3" in refusal.value.message and "SÃ£o Paulo" in refusal.value.message
    assert "CSV UTF-8" in refusal.value.message


def test_a_file_whose_accents_were_already_lost_is_refused() -> None:
    with pytest.raises(UnreadableFile) as refusal:
        csv_table("Nome;Cidade\nAna;S\ufffdo Paulo\n".encode(), "clientes.csv")
    assert refusal.value.reason == "replacement_character"


def test_bytes_that_no_accepted_encoding_decodes_are_refused() -> None:
    with pytest.raises(UnreadableFile) as refusal:
        csv_table(b"Nome;Cidade\nAna;S\x81o Paulo\n", "clientes.csv")  # 0x81 is undefined in Windows-1252
    assert refusal.value.reason == "encoding"
    assert "linha 2" in refusal.value.message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\r\n \r\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "xls"),
        (b"Nome;Cidade\nAna;Sao\x00Paulo\x01\n", "binary"),
        (b"apenas uma coluna\nAna\n", "separator"),
    ],
    ids=["empty", "blank-lines", "xls", "binary", "one-column"],
)
def test_files_that_are_not_customer_tables_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile) as refusal:
        csv_table(data, "clientes.csv")
    assert refusal.value.reason == reason
    assert refusal.value.message


def test_headers_are_cleaned_and_made_distinct() -> None:
    table = csv_table(b"\n;;\n Nome ;E-mail;E-mail;;\nAna;a@b.com.br;c@d.com.br;;\n", "clientes.csv")
    assert table.headers == ["Nome", "E-mail", "E-mail (2)"]
    assert table.header_line == 3


def test_line_numbers_are_the_file_s_even_with_a_quoted_line_break() -> None:
    data = b'Nome;Obs\nAna;"linha 1\nlinha 2"\nBia;ok\n'
    assert [line for line, _ in csv_table(data, "clientes.csv").rows()] == [2, 4]
