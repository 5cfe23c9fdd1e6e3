"""The LGPD panel and page with NiceGUI's user fixture: export with an expiring link, erasure request, refusal,
confirmation after the window and the anonymized result; the list of requests."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nicegui.testing import User

from domain.customers import services as customers
from domain.lgpd import services as lgpd
from domain.organizations.model import Organization
from persistence import files
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account, open_invoice
from tests.ui.conftest import sign_in


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    files.configure(None)
    yield tmp_path


def person(actor):  # type: ignore[no-untyped-def]
    return customers.create_customer(
        SqlUnitOfWork(actor),
        values={"kind": "natural", "document_number": "529.982.247-25", "name": "Conceição Gonçalves",
                "emails": [{"address": "conceicao@exemplo.com.br"}]},
    )  # fmt: skip


async def test_a_manager_exports_a_titular_s_data_and_downloads_the_zip(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    manager, email = operator_of("finance_manager")
    customer = person(manager)
    await sign_in(user, email)
    await user.open(f"/lgpd/{customer.id}")
    await user.should_see("LGPD: dados do titular")
    user.find("Exportar dados").click()
    await user.should_see("Baixar ZIP", retries=50)
    await user.should_see("link válido até")
    user.find("Baixar ZIP").click()
    download = await user.download.next(timeout=5)
    assert download.status_code == 200
    data = json.loads(zipfile.ZipFile(io.BytesIO(download.content)).read("dados.json"))
    assert data["cliente"]["name"] == "Conceição Gonçalves"


async def test_a_forged_or_expired_link_is_refused(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    await sign_in(user, email)
    response = await user.http_client.get("/lgpd/exportacoes/bm9wZQ")
    assert response.status_code == 410 and "inválido" in response.text


async def test_an_erasure_is_requested_confirmed_and_shown_anonymized(user: User, operator_of, acme) -> None:  # type: ignore[no-untyped-def]
    admin, _ = operator_of("admin")
    lgpd.set_erasure_window(SqlUnitOfWork(admin), days=0)
    manager, email = operator_of("finance_manager")
    customer = person(manager)
    await sign_in(user, email)
    await user.open(f"/lgpd/{customer.id}")
    await user.should_see("Nenhuma solicitação.")
    user.find("Solicitar eliminação").click()
    user.find(marker="reason-input").type("Pedido por e-mail, protocolo 42")
    user.find(marker="reason-confirm").click()
    await user.should_see(marker="erasure-status", content="Solicitada", retries=50)
    user.find("Confirmar eliminação").click()
    await user.should_see(marker="erasure-status", content="Executada", retries=80)
    await user.should_see("Anonimizado em")
    await user.should_see("Titular anonimizado")  # the panel reads the customer again
    await user.open("/lgpd")
    rows = user.find(marker="lgpd-requests").elements.pop().rows
    assert [(r["customer"], r["status"]) for r in rows] == [(f"Titular anonimizado {customer.id.hex[-8:]}",
                                                              "Executada")]  # fmt: skip


async def test_a_request_for_a_customer_with_an_open_invoice_is_refused_with_the_reason(
    user: User, operator_of: Callable, acme: Organization
) -> None:
    admin, _ = operator_of("admin")
    account = make_account(acme)
    open_invoice(admin, account)
    _, email = operator_of("finance_manager")
    await sign_in(user, email)
    await user.open(f"/lgpd/{account.customer_id}")
    user.find("Solicitar eliminação").click()
    user.find(marker="reason-input").type("pedido")
    user.find(marker="reason-confirm").click()
    await user.should_see(marker="erasure-status", content="Recusada", retries=50)
    await user.should_see("1 fatura em aberto")


async def test_an_operator_exports_but_does_not_erase(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    operator, email = operator_of("finance_operator")
    customer = person(operator)
    await sign_in(user, email)
    await user.open(f"/lgpd/{customer.id}")
    await user.should_see("Exportar dados")
    await user.should_not_see("Solicitar eliminação")
