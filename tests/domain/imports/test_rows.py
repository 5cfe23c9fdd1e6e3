"""Row-by-row validation: the registry's rules, Brazilian formats, and what the error report says."""

from __future__ import annotations

import pytest

from domain.customers.contacts import normalize_email
from domain.customers.custom_fields import CustomFieldDefinition, CustomFieldType
from domain.errors import ValidationFailed
from domain.imports.columns import auto_mapping
from domain.imports.emails import normalize_email_cached
from domain.imports.rows import AcceptedRow, ValidationSpec, spec_for, validate_rows
from domain.imports.runner import FileKeys

HEADERS = ["Nome", "CPF/CNPJ", "E-mail", "Telefone", "CEP", "Logradouro", "Número", "Bairro", "Cidade", "UF",
           "Cód. IBGE", "Limite de crédito", "Cliente desde"]  # fmt: skip
GOOD = ["Conceição Gonçalves", "529.982.247-25", "Conceicao@Exemplo.com.BR", "(11) 98765-4321", "01310-100",
        "Av. Paulista", "1000", "Bela Vista", "São Paulo", "sp", "3550308", "R$ 1.234,56", "15/03/2021"]  # fmt: skip


def spec(headers: list[str] = HEADERS, definitions: list[CustomFieldDefinition] | None = None) -> ValidationSpec:
    definitions = definitions or []
    custom = {d.key: d.label for d in definitions}
    return spec_for(headers, auto_mapping(headers, custom_fields=custom), definitions)


def check(*rows: list[str], headers: list[str] = HEADERS, **kw: object):  # type: ignore[no-untyped-def]
    return validate_rows(spec(headers, **kw), [(n + 2, row) for n, row in enumerate(rows)])  # type: ignore[arg-type]


def with_cell(column: str, value: str, row: list[str] = GOOD) -> list[str]:
    changed = list(row)
    changed[HEADERS.index(column)] = value
    return changed


def test_a_good_row_becomes_exactly_what_the_registry_stores() -> None:
    result = check(GOOD)
    assert result.problems == [] and len(result.accepted) == 1
    row = result.accepted[0]
    assert (row.document_type, row.document_number) == ("cpf", "52998224725")
    customer, account = row.customer, row.account
    assert customer["kind"] == "natural" and customer["customer_type"] == "consumer"
    assert customer["name"] == "Conceição Gonçalves" and customer["search_name"] == "conceicao goncalves"
    assert customer["emails"] == [{"kind": "billing", "address": "conceicao@exemplo.com.br"}]
    assert customer["primary_email"] == "conceicao@exemplo.com.br"
    assert customer["phones"] == [{"kind": "work", "number": "+5511987654321"}]
    assert customer["addresses"][0] == {
        "kind": "billing", "country": "BR", "cep": "01310100", "street": "Av. Paulista", "number": "1000",
        "complement": "", "district": "Bela Vista", "city": "São Paulo", "uf": "SP", "ibge_code": "3550308",
    }  # fmt: skip
    assert (customer["city"], customer["uf"], customer["ibge_code"]) == ("São Paulo", "SP", "3550308")
    assert customer["extra_metadata"] == {"cliente_desde": "2021-03-15"}
    assert account["allowed_negative_balance_cents"] == 123456 and account["name"] == "Principal"
    assert account["customer_tax_type"] == "pessoa_fisica" and account["tax_id"] == "52998224725"


@pytest.mark.parametrize(
    ("document", "kind", "stored"),
    [
        ("52998224725", "natural", "52998224725"),
        ("  529.982.247-25  ", "natural", "52998224725"),
        ("11.222.333/0001-81", "juridical", "11222333000181"),
        ("11222333000181", "juridical", "11222333000181"),
        (" 12.abc.345/01de-35 ", "juridical", "12ABC34501DE35"),  # alphanumeric CNPJ, lower case, spaces around
    ],
)
def test_documents_masked_or_not_alphanumeric_and_padded_by_spaces_are_accepted(document: str, kind: str,
                                                                                stored: str) -> None:  # fmt: skip
    result = check(with_cell("CPF/CNPJ", document))
    assert result.problems == []
    assert (result.accepted[0].customer["kind"], result.accepted[0].document_number) == (kind, stored)


@pytest.mark.parametrize(("cep", "uf"), [("01310100", "SP"), ("01310-100", "sp"), (" 01.310-100 ", " Sp ")])
def test_cep_with_or_without_dash_and_uf_in_any_case_are_accepted(cep: str, uf: str) -> None:
    result = check(with_cell("UF", uf, with_cell("CEP", cep)))
    assert result.problems == []
    assert result.accepted[0].customer["addresses"][0]["cep"] == "01310100"
    assert result.accepted[0].customer["uf"] == "SP"


def test_a_row_stating_its_kind_gets_back_the_leading_zeros_a_spreadsheet_ate() -> None:
    headers = [*HEADERS, "Tipo"]
    result = check([*with_cell("CPF/CNPJ", "1234567890"), "PF"], headers=headers)  # CPF 012.345.678-90
    assert result.problems == [] and result.accepted[0].document_number == "01234567890"
    without_kind = check(with_cell("CPF/CNPJ", "1234567890"))
    assert without_kind.problems[0].code == "invalid_document"


def test_every_problem_of_a_bad_row_is_reported_with_its_column_code_and_message() -> None:
    bad = ["", "529.982.247-26", "ana@@exemplo", "123", "0131", "", "", "", "", "XX", "99", "1,234.56", "31/02/2021"]
    result = check(bad)
    assert result.accepted == [] and result.rejected == 1
    found = {(p.column, p.code) for p in result.problems}
    assert found >= {
        ("Nome", "missing_name"), ("CPF/CNPJ", "invalid_document"), ("E-mail", "invalid_email"),
        ("Telefone", "invalid_phone"), ("CEP", "invalid_cep"), ("UF", "invalid_uf"), ("Logradouro", "missing_street"),
        ("Cidade", "missing_city"), ("Cód. IBGE", "invalid_ibge_code"), ("Limite de crédito", "invalid_number"),
        ("Cliente desde", "invalid_date"),
    }  # fmt: skip
    document = next(p for p in result.problems if p.column == "CPF/CNPJ")
    assert document.message == "CPF inválido: dígitos verificadores não conferem."
    assert all(p.line == 2 and p.values == tuple(bad) for p in result.problems)


def test_empty_and_separator_only_lines_are_skipped_not_errors() -> None:
    result = check(GOOD, [], [""] * len(HEADERS), ["  ", "", " "])
    assert (len(result.accepted), result.rejected, result.skipped) == (1, 0, 3)


def test_a_row_with_more_cells_than_the_header_is_refused_as_a_whole() -> None:
    result = check([*GOOD, "sobrou"])
    assert [(p.column, p.code) for p in result.problems] == [("", "column_count")]


def test_custom_fields_are_checked_with_their_definitions_brazilian_formats_included() -> None:
    definitions = [
        CustomFieldDefinition(key="contrato", label="Início do contrato", field_type=CustomFieldType.DATE,
                              choices=[], required=True, is_active=True, position=0),
        CustomFieldDefinition(key="faturamento", label="Faturamento anual", field_type=CustomFieldType.NUMBER,
                              choices=[], required=False, is_active=True, position=1),
    ]  # fmt: skip
    headers = [*HEADERS, "Início do contrato", "Faturamento anual"]
    good = check([*GOOD, "01/02/2023", "1.500.000,50"], headers=headers, definitions=definitions)
    assert good.accepted[0].customer["custom_fields"] == {"contrato": "2023-02-01", "faturamento": 1500000.5}
    missing = check([*GOOD, "", ""], headers=headers, definitions=definitions)
    assert [(p.column, p.code) for p in missing.problems] == [("Início do contrato", "missing_custom_contrato")]


def test_the_same_document_twice_in_a_file_keeps_the_first_and_points_to_it() -> None:
    other_email = with_cell("E-mail", "outra@exemplo.com.br")
    result = check(GOOD, with_cell("CPF/CNPJ", "52998224725", other_email))
    keys = FileKeys(spec())
    fresh, duplicates = keys.take(result.accepted)
    assert [r.line for r in fresh] == [2]
    assert [(p.line, p.column, p.code) for p in duplicates] == [(3, "CPF/CNPJ", "duplicate_in_file")]
    assert "linha 2" in duplicates[0].message


def test_checking_a_chunk_twice_gives_the_same_verdicts() -> None:
    rows = [GOOD, with_cell("UF", "XX"), []]
    first, second = check(*rows), check(*rows)
    assert (first.rejected, first.skipped, first.problems) == (second.rejected, second.skipped, second.problems)
    assert isinstance(first.accepted[0], AcceptedRow)


@pytest.mark.parametrize(
    "email",
    [
        "Ana.Souza@Exemplo.com.br", "ana+financeiro@exemplo.com.br", "o'brien@exemplo.ie", "ana@exemplo",
        "ana@@exemplo.com", "ana..souza@exemplo.com", ".ana@exemplo.com", "ana.@exemplo.com", "ana@-exemplo.com",
        "ana@exemplo..com", "ana@localhost", "ana@exemplo.local", "joão@exemplo.com.br", "ana@exemplo.com.br.",
        '"ana souza"@exemplo.com', "ana@[10.0.0.1]", "a" * 65 + "@exemplo.com", "ana@" + "b" * 64 + ".com",
        "ana@exemplo.c", "ana@123.456", "ana@exémplo.com.br", "ana souza@exemplo.com", "ana@exemplo.com ",
    ],
)  # fmt: skip
def test_the_memoized_e_mail_check_gives_exactly_the_registry_s_verdict(email: str) -> None:
    try:
        expected: str | None = normalize_email(email)
    except ValidationFailed as error:
        expected = error.message
    try:
        got: str | None = normalize_email_cached(email)
    except ValidationFailed as error:
        got = error.message
    assert got == expected
