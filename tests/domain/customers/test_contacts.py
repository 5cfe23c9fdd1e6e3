"""Phones, e-mails and addresses as people type them, against the written policy (no database)."""

from __future__ import annotations

import pytest

from domain.customers.contacts import format_address, mask_phone, normalize_email, normalize_phone
from domain.errors import ValidationFailed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("011 3333-4444", "+551133334444"),  # trunk prefix 0 dropped
        ("+55 21 2222-3333", "+552122223333"),
        ("0044 20 7946 0958", "+442079460958"),  # international with 00
        ("+1 (415) 555-0100", "+14155550100"),
    ],
)
def test_phones_are_stored_in_e164(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["9876-4321", "(11) 9876-432A", "+12 34", "(20) 98765-4321", "(11) 88765-4321", ""])
def test_phones_without_a_real_area_code_or_with_letters_are_refused(typed: str) -> None:
    with pytest.raises(ValidationFailed):
        normalize_phone(typed)


def test_brazilian_phones_are_shown_with_the_area_code_mask() -> None:
    assert mask_phone("+5511987654321") == "(11) 98765-4321"
    assert mask_phone("+551133334444") == "(11) 3333-4444"
    assert mask_phone("+14155550100") == "+14155550100"


def test_emails_are_lower_cased_and_checked_without_looking_up_the_domain() -> None:
    assert normalize_email(" Financeiro@ACME.com.br ") == "financeiro@acme.com.br"
    with pytest.raises(ValidationFailed, match="E-mail inválido"):
        normalize_email("financeiro@acme")
    assert normalize_email("", required=False) is None


def test_an_address_reads_on_one_line_with_its_cep_masked() -> None:
    address = {
        "street": "Av. Paulista",
        "number": "1000",
        "complement": "sala 4",
        "district": "Bela Vista",
        "city": "São Paulo",
        "uf": "SP",
        "cep": "01310100",
    }
    assert format_address(address) == "Av. Paulista, 1000, sala 4 - Bela Vista, São Paulo/SP, 01310-100"
