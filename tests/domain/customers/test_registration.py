"""What an operator types becomes a clean registration, or every mistake is named beside its field (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.customers.custom_fields import CustomFieldDefinition, CustomFieldType
from domain.customers.errors import InvalidFields
from domain.customers.model import Customer, CustomerKind, CustomerType
from domain.customers.registration import apply_registration

ADDRESS = {
    "kind": "billing",
    "cep": "01310-100",
    "street": "Av. Paulista",
    "number": "1000",
    "district": "Bela Vista",
    "city": "São Paulo",
    "uf": "sp",
    "ibge_code": "3550308",
}


def register(definitions: list[CustomFieldDefinition] | None = None, **values: Any) -> Customer:
    customer = Customer(emails=[], phones=[], addresses=[], tags=[], custom_fields={})
    data = {"kind": "juridical", "document_number": "12.ABC.345/01DE-35", "name": "Empresa Alfa", **values}
    apply_registration(customer, data, definitions=definitions or [], creating=True)
    return customer


def refusals(**values: Any) -> dict[str, str]:
    with pytest.raises(InvalidFields) as refused:
        register(**values)
    return refused.value.errors


def test_an_alphanumeric_cnpj_is_stored_bare_and_upper_case_and_shown_masked() -> None:
    customer = register(document_number="12.abc.345/01de-35")
    assert customer.document_type == "cnpj" and customer.document_number == "12ABC34501DE35"
    assert customer.document_masked == "12.ABC.345/01DE-35"
    assert customer.customer_type is CustomerType.BUSINESS


def test_a_person_gets_a_cpf_and_is_a_consumer_by_default() -> None:
    customer = register(kind="natural", document_number="529.982.247-25", name="Ana Souza")
    assert (customer.document_type, customer.document_number) == ("cpf", "52998224725")
    assert customer.customer_type is CustomerType.CONSUMER


def test_a_cnpj_with_wrong_check_digits_is_refused_beside_the_document() -> None:
    assert refusals(document_number="12.ABC.345/01DE-36") == {
        "document_number": "CNPJ inválido: dígitos verificadores não conferem."
    }


def test_a_foreign_customer_needs_a_country_and_keeps_its_tax_id_as_typed() -> None:
    assert "country" in refusals(kind="foreign", document_number="DE123456789")
    customer = register(kind="foreign", document_number=" de 123456789 ", country="de")
    assert (customer.kind, customer.country, customer.document_number) == (CustomerKind.FOREIGN, "DE", "DE 123456789")


def test_every_mistake_of_a_form_is_reported_at_once_by_field() -> None:
    errors = refusals(
        name=" ",
        emails=[{"kind": "billing", "address": "financeiro@"}],
        phones=[{"number": "1234"}],
        addresses=[{**ADDRESS, "cep": "0131", "uf": "XX", "ibge_code": "3550308"}],
    )
    assert set(errors) == {"name", "emails.0.address", "phones.0.number", "addresses.0.cep", "addresses.0.uf"}
    assert errors["addresses.0.cep"].startswith("CEP deve ter 8 dígitos")


def test_an_ibge_code_of_another_state_is_refused_but_a_real_code_failing_its_check_digit_is_not() -> None:
    errors = refusals(addresses=[{**ADDRESS, "uf": "RJ"}])
    assert errors == {
        "addresses.0.ibge_code": "O código IBGE 3550308 é de um município de SP, mas a UF informada é RJ."
    }
    piaui = {**ADDRESS, "cep": "64000-000", "city": "Bom Princípio do Piauí", "uf": "PI", "ibge_code": "2201919"}
    assert register(addresses=[piaui]).ibge_code == "2201919"


def test_contacts_are_normalized_and_the_list_columns_follow_the_billing_entries() -> None:
    customer = register(
        name="  São  João Comércio ",
        emails=[{"kind": "work", "address": "Ana@Alfa.com.br"}, {"kind": "billing", "address": "FIN@alfa.com.br"}],
        phones=[{"kind": "mobile", "number": "(11) 98765-4321"}, {"number": "+1 (415) 555-0100"}],
        addresses=[{**ADDRESS, "kind": "work", "city": "Campinas", "ibge_code": "3509502"}, ADDRESS],
        tags="VIP, atacado,  vip ",
    )
    assert customer.name == "São João Comércio" and customer.search_name == "sao joao comercio"
    assert customer.primary_email == "fin@alfa.com.br"
    assert [p["number"] for p in customer.phones] == ["+5511987654321", "+14155550100"]
    assert (customer.city, customer.uf, customer.ibge_code) == ("São Paulo", "SP", "3550308")
    assert customer.addresses[1]["cep"] == "01310100"
    assert customer.tags == ["vip", "atacado"]


def test_typed_custom_fields_are_checked_and_stored_in_their_type() -> None:
    definitions = [
        CustomFieldDefinition(
            key="limite", label="Limite", field_type=CustomFieldType.NUMBER, required=True, is_active=True, choices=[]
        ),
        CustomFieldDefinition(
            key="desde",
            label="Cliente desde",
            field_type=CustomFieldType.DATE,
            is_active=True,
            required=False,
            choices=[],
        ),
        CustomFieldDefinition(
            key="porte",
            label="Porte",
            field_type=CustomFieldType.CHOICE,
            is_active=True,
            required=False,
            choices=["pequeno", "grande"],
        ),
    ]
    customer = register(definitions, custom_fields={"limite": "1.234,50", "desde": "05/03/2024", "porte": "grande"})
    assert customer.custom_fields == {"limite": 1234.5, "desde": "2024-03-05", "porte": "grande"}
    with pytest.raises(InvalidFields) as refused:
        register(definitions, custom_fields={"desde": "2024-13-01", "porte": "médio"})
    assert set(refused.value.errors) == {"custom_fields.limite", "custom_fields.desde", "custom_fields.porte"}


def test_values_of_a_field_the_admin_switched_off_are_kept() -> None:
    retired = CustomFieldDefinition(
        key="legado", label="Legado", field_type=CustomFieldType.TEXT, is_active=False, required=True, choices=[]
    )
    customer = Customer(
        kind=CustomerKind.JURIDICAL,
        document_type="cnpj",
        document_number="12ABC34501DE35",
        name="Alfa",
        country="BR",
        custom_fields={"legado": "X-1"},
        emails=[],
        addresses=[],
    )
    apply_registration(customer, {"name": "Alfa 2", "custom_fields": {}}, definitions=[retired], creating=False)
    assert customer.custom_fields == {"legado": "X-1"} and customer.name == "Alfa 2"


def test_tax_identifiers_and_verifications_follow_the_kontorion_vocabulary() -> None:
    customer = register(
        tax_identifiers={"eu_vat": " de123456789 ", "us_ein": ""},
        verification={"kyc": "approved", "business_documents": "not_started"},
    )
    assert customer.tax_identifiers == {"eu_vat": "DE123456789"}
    assert customer.verification == {"kyc": "approved"}
    assert set(refusals(tax_identifiers={"eu vat!": "1"}, verification={"kyc": "maybe"})) == {
        "tax_identifiers.eu vat!",
        "verification.kyc",
    }
