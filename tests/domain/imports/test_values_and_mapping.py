"""Brazilian formats in cells, and how columns are recognised and mapped."""

from __future__ import annotations

from datetime import date

import pytest

from domain.imports.columns import auto_mapping, check_mapping, header_key
from domain.imports.errors import MappingIncomplete
from domain.imports.values import parse_choice, parse_date, parse_money_cents


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.234,56", 123456), ("R$ 1.234,56", 123456), ("R$1.234,56", 123456), ("R$\xa01.234,56", 123456),
        ("1234,5", 123450), ("0,99", 99), ("1.234", 123400), ("12.345.678,90", 1234567890), ("1234", 123400),
        ("1234.56", 123456), ("-R$ 10,00", -1000), ("(10,00)", -1000), (" 7 ", 700),
    ],
)  # fmt: skip
def test_amounts_are_read_the_brazilian_way(text: str, cents: int) -> None:
    assert parse_money_cents(text) == cents


@pytest.mark.parametrize("text", ["1,234.56", "1.23.4,00", "12,345", "abc", "1,2,3", "1.234,567", "R$"])
def test_ambiguous_or_malformed_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"1\.234,56"):
        parse_money_cents(text)


@pytest.mark.parametrize(
    ("text", "day"),
    [("31/12/2024", date(2024, 12, 31)), ("1/2/2024", date(2024, 2, 1)), ("05-03-2021", date(2021, 3, 5)),
     ("05.03.2021", date(2021, 3, 5)), ("2024-12-31", date(2024, 12, 31))],
)  # fmt: skip
def test_dates_are_read_day_first(text: str, day: date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2024", "12/31/2024", "2024/12/31", "31/12/24", "ontem"])
def test_impossible_or_ambiguous_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="dd/mm/aaaa"):
        parse_date(text)


def test_choices_are_recognised_as_people_write_them() -> None:
    assert parse_choice("kind", "Pessoa Jurídica") == "juridical"
    assert parse_choice("kind", " pf ") == "natural"
    assert parse_choice("payment_method", "Cartão de crédito") == "card"
    assert parse_choice("tax", "Lucro Presumido") == "lucro_presumido"
    with pytest.raises(ValueError, match="PF, PJ ou Estrangeiro"):
        parse_choice("kind", "ONG")


def test_portuguese_and_english_headers_are_mapped_automatically() -> None:
    headers = ["Razão Social", "CNPJ", "E-mail", "Telefone", "CEP", "Logradouro", "Nº", "Complemento", "Bairro",
               "Município", "Estado", "Cód. IBGE", "Nome", "Observações"]  # fmt: skip
    mapping = auto_mapping(headers)
    assert [mapping.get(i) for i in range(len(headers))] == [
        "legal_name", "document", "email", "phone", "cep", "street", "number", "complement", "district", "city", "uf",
        "ibge_code", "name", None,
    ]  # fmt: skip
    english = auto_mapping(["Customer name", "Tax ID", "Email address", "Zip code", "State", "City", "Credit limit"])
    assert list(english.values()) == ["name", "document", "email", "cep", "uf", "city", "credit_limit"]


def test_the_organization_s_saved_choice_wins_and_custom_fields_are_offered() -> None:
    headers = ["Cliente", "Doc. Fiscal", "Centro de custo", "Tipo"]
    saved = {header_key("Doc. Fiscal"): "document", header_key("Tipo"): ""}  # "Tipo" was ignored last time
    mapping = auto_mapping(headers, saved=saved, custom_fields={"centro_custo": "Centro de custo"})
    assert mapping == {0: "name", 1: "document", 2: "custom:centro_custo"}


def test_a_mapping_needs_name_and_document_and_each_field_once() -> None:
    headers = ["Nome", "CPF", "Outro nome"]
    with pytest.raises(MappingIncomplete, match="CPF/CNPJ"):
        check_mapping({0: "name"}, headers, set())
    with pytest.raises(MappingIncomplete, match="duas colunas"):
        check_mapping({0: "name", 1: "document", 2: "name"}, headers, set())
    with pytest.raises(MappingIncomplete, match="desconhecido"):
        check_mapping({0: "name", 1: "document", 2: "custom:nao_existe"}, headers, set())
    assert check_mapping({"0": "name", "1": "document", "2": ""}, headers, set()) == {0: "name", 1: "document"}
