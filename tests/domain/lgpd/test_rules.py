"""LGPD rules without a database: what anonymization changes and keeps, the request's states, export links."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from domain.lgpd import anonymization, links
from domain.lgpd.errors import ErasureNotConfirmable, ErasureNotExecutable, ExportLinkInvalid, WindowNotOver
from domain.lgpd.model import ErasureRequest, ErasureStatus

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CUSTOMER_ID = uuid.UUID("01a1fe2d-7537-73c8-818d-5eda5c08a361")


def customer(document_type: str = "cpf", number: str = "52998224725", customer_type: str = "consumer"):  # type: ignore[no-untyped-def]
    return SimpleNamespace(id=CUSTOMER_ID, document_type=document_type, document_number=number,
                           customer_type=SimpleNamespace(value=customer_type))  # fmt: skip


def test_an_individual_loses_name_contacts_and_cpf_but_keeps_a_reference() -> None:
    values = anonymization.customer_values(customer(), NOW)
    assert values["name"] == "Titular anonimizado 5c08a361" and values["search_name"] == "titular anonimizado 5c08a361"
    assert values["document_number"] == "***.982.247-** #5c08a361"
    assert values["emails"] == values["phones"] == values["addresses"] == [] and values["primary_email"] is None
    assert values["legal_name"] is None and values["anonymized_at"] == NOW


def test_a_company_keeps_its_cnpj_and_legal_name_the_fiscal_record() -> None:
    values = anonymization.customer_values(customer("cnpj", "11222333000181", "business"), NOW)
    assert "document_number" not in values and "legal_name" not in values
    assert values["name"].startswith("Titular anonimizado") and values["emails"] == []
    account = SimpleNamespace(tax_id="11222333000181", tax_id_type="cnpj")
    assert anonymization.account_values(account, customer("cnpj", "11222333000181", "business")) == {
        "email": None, "billing_email": None, "billing_address": {},
    }  # fmt: skip


def test_an_individual_s_account_is_renamed_and_its_cpf_masked() -> None:
    account = SimpleNamespace(tax_id="52998224725", tax_id_type="cpf")
    values = anonymization.account_values(account, customer())
    assert values["name"] == "Conta anonimizada" and values["tax_id"] == "***.982.247-** #5c08a361"


def test_history_keeps_which_fields_changed_but_not_their_values() -> None:
    changes = {"name": [None, "Ana"], "status": ["active", "suspended"], "emails": [[], [{"address": "a@b.com"}]]}
    assert anonymization.redact(changes, {"name", "emails"}) == {
        "name": [None, "[anonimizado]"], "status": ["active", "suspended"],
        "emails": ["[anonimizado]", "[anonimizado]"],
    }  # fmt: skip


def request(**kw: object) -> ErasureRequest:
    return ErasureRequest(customer_id=CUSTOMER_ID, status=ErasureStatus.REQUESTED, reason="pedido por e-mail",
                          requested_by_name="Ana", confirm_after=NOW + timedelta(days=7), **kw)  # fmt: skip


def test_a_request_is_confirmed_only_after_its_window_and_executed_only_once_confirmed() -> None:
    pending = request()
    with pytest.raises(ErasureNotExecutable):
        pending.ensure_executable(NOW + timedelta(days=8))
    with pytest.raises(WindowNotOver, match="a partir de 28/11/2026 09:00"):
        pending.confirm(by_id=None, by_name="Bia", now=NOW + timedelta(days=6))
    pending.confirm(by_id=None, by_name="Bia", now=NOW + timedelta(days=7))
    assert pending.status is ErasureStatus.CONFIRMED and pending.confirmed_by_name == "Bia"
    pending.ensure_executable(NOW + timedelta(days=7))
    with pytest.raises(ErasureNotConfirmable):
        pending.confirm(by_id=None, by_name="Bia", now=NOW + timedelta(days=9))


def test_a_cancelled_request_cannot_be_cancelled_or_confirmed_again() -> None:
    cancelled = request()
    cancelled.cancel(by_name="Ana", now=NOW)
    with pytest.raises(ErasureNotConfirmable):
        cancelled.cancel(by_name="Ana", now=NOW)


def test_export_links_expire_and_cannot_be_forged() -> None:
    job_id = uuid.uuid4()
    token = links.sign(job_id, NOW + timedelta(hours=24), "segredo")
    assert links.verify(token, "segredo", now=NOW) == job_id
    with pytest.raises(ExportLinkInvalid, match="expirou"):
        links.verify(token, "segredo", now=NOW + timedelta(hours=24))
    with pytest.raises(ExportLinkInvalid, match="inválido"):
        links.verify(token, "outro-segredo", now=NOW)
    with pytest.raises(ExportLinkInvalid, match="inválido"):
        links.verify(token[:-3] + "abc", "segredo", now=NOW)
