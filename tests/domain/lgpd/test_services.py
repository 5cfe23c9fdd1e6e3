"""LGPD on SQLite and PostgreSQL: erasure requested, refused, confirmed after the window, executed and audited;
the titular's export as one ZIP."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.access.permissions import Actor
from domain.audit.model import AuditEvent
from domain.background_jobs.model import BackgroundJob
from domain.billing_accounts.model import BillingAccount
from domain.customers import services as customers
from domain.customers.model import Customer
from domain.errors import PermissionDenied
from domain.files.model import StoredFile
from domain.invoices.closing import void_invoice
from domain.invoices.model import Invoice
from domain.lgpd import services as lgpd
from domain.lgpd.errors import ErasureBlocked, ErasurePending, InvalidWindow, WindowNotOver
from domain.lgpd.model import ErasureRequest, ErasureStatus
from domain.portal_users import services as portal
from domain.portal_users.model import PortalUser
from persistence import files
from persistence.unit_of_work import SqlUnitOfWork
from reports.lgpd_export import build_export
from tests.support.billing_factories import make_account, open_invoice
from tests.support.factories import make_operator

NOW = datetime.now(UTC)
LATER = NOW + timedelta(days=8)
PERSONAL = ("Conceição", "conceicao@exemplo.com.br", "52998224725", "98765-4321", "Paulista", "portal.conceicao")


def register_person(actor: Actor) -> Customer:
    customer = customers.create_customer(
        SqlUnitOfWork(actor),
        values={"kind": "natural", "document_number": "529.982.247-25", "name": "Conceição Gonçalves",
                "emails": [{"address": "conceicao@exemplo.com.br"}], "phones": [{"number": "(11) 98765-4321"}],
                "addresses": [{"kind": "billing", "cep": "01310-100", "street": "Av. Paulista", "number": "1000",
                               "district": "Bela Vista", "city": "São Paulo", "uf": "SP"}]},
        accounts=[{"name": "Conceição", "email": "conceicao@exemplo.com.br"}],
    )  # fmt: skip
    with SqlUnitOfWork(actor) as uow:
        account_id = uow.billing_accounts.list_for_customer(customer.id)[0].id
    portal.invite_portal_user(SqlUnitOfWork(actor), billing_account_id=account_id, name="Conceição G.",
                              email="portal.conceicao@exemplo.com.br", now=NOW)  # fmt: skip
    return customer


def load(actor: Actor, model: type, **where: object) -> list:
    with SqlUnitOfWork(actor) as uow:
        found = list(uow.session.scalars(select(model).filter_by(**where)))
        uow.session.expunge_all()  # detached with their values (leaving the unit rolls back and would expire them)
        return found


def audit_text(actor: Actor) -> str:
    with SqlUnitOfWork(actor) as uow:
        events = uow.session.scalars(select(AuditEvent)).all()
        return json.dumps([[e.action, e.changes] for e in events], ensure_ascii=False)


def test_an_erasure_waits_for_its_window_then_anonymizes_everything_personal_and_keeps_it_auditable(
    admin: Actor,
) -> None:
    customer = register_person(admin)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=customer.id, reason="E-mail do titular, prot. 42",
                                   now=NOW)  # fmt: skip
    assert request.confirm_after == NOW + timedelta(days=7)  # the default window
    with pytest.raises(WindowNotOver):
        lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id, now=NOW + timedelta(days=1))
    lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id, now=LATER)
    done = lgpd.execute_erasure(SqlUnitOfWork(admin), request_id=request.id, now=LATER)
    assert done.status is ErasureStatus.EXECUTED

    erased = load(admin, Customer, id=customer.id)[0]
    reference = customer.id.hex[-8:]
    assert erased.name == f"Titular anonimizado {reference}" and erased.anonymized_at is not None
    assert erased.document_number == f"***.982.247-** #{reference}" and erased.document_masked.startswith("***")
    assert (erased.emails, erased.phones, erased.addresses, erased.primary_email, erased.city) == ([], [], [], None,
                                                                                                   None)  # fmt: skip
    account = load(admin, BillingAccount, customer_id=customer.id)[0]
    assert (account.name, account.email, account.billing_address) == ("Conta anonimizada", None, {})
    assert load(admin, PortalUser, customer_id=customer.id) == []
    history = audit_text(admin)
    assert not [value for value in PERSONAL if value in history]  # not in the live data, not in the history
    actions = [e.action for e in load(admin, AuditEvent, root_id=str(customer.id))]
    assert {"lgpd.erasure_requested", "lgpd.erasure_confirmed", "lgpd.erasure_executed", "customer.created"} <= set(
        actions
    )
    # The person may come back: the CPF is free for a new registration.
    again = customers.create_customer(SqlUnitOfWork(admin), values={"kind": "natural", "name": "Conceição",
                                                                    "document_number": "52998224725"})  # fmt: skip
    assert again.document_number == "52998224725"


def test_a_company_keeps_its_cnpj_legal_name_invoices_and_amounts(admin: Actor, org) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, name="Horizonte Ltda")
    invoice = open_invoice(admin, account)
    with pytest.raises(ErasureBlocked, match="1 fatura em aberto"):
        lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=account.customer_id, reason="pedido", now=NOW)
    refused = load(admin, ErasureRequest, customer_id=account.customer_id)
    assert [r.status for r in refused] == [ErasureStatus.REFUSED] and "fatura" in (refused[0].refusal_reason or "")
    assert "lgpd.erasure_refused" in [e.action for e in load(admin, AuditEvent, root_id=str(account.customer_id))]

    void_invoice(SqlUnitOfWork(admin), invoice_id=invoice.id, reason="emitida por engano")  # nothing open any more
    lgpd.set_erasure_window(SqlUnitOfWork(admin), days=0)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=account.customer_id, reason="pedido")
    lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id)
    lgpd.execute_erasure(SqlUnitOfWork(admin), request_id=request.id)
    company = load(admin, Customer, id=account.customer_id)[0]
    assert company.document_number == load(admin, BillingAccount, id=account.id)[0].tax_id  # CNPJ kept
    assert company.legal_name == "Horizonte Ltda" and company.name.startswith("Titular anonimizado")
    kept = load(admin, Invoice, id=invoice.id)[0]
    assert (kept.total_cents, kept.number) == (invoice.total_cents, invoice.number)


def test_an_invoice_opened_during_the_window_refuses_the_execution(admin: Actor, org) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=account.customer_id, reason="pedido", now=NOW)
    lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id, now=LATER)
    open_invoice(admin, account)
    result = lgpd.execute_erasure(SqlUnitOfWork(admin), request_id=request.id, now=LATER)
    assert result.status is ErasureStatus.REFUSED
    assert load(admin, Customer, id=account.customer_id)[0].anonymized_at is None


def test_a_pending_request_blocks_another_and_can_be_cancelled_with_a_reason(admin: Actor) -> None:
    customer = register_person(admin)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=customer.id, reason="pedido")
    with pytest.raises(ErasurePending):
        lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=customer.id, reason="de novo")
    cancelled = lgpd.cancel_erasure(SqlUnitOfWork(admin), request_id=request.id, reason="o titular desistiu")
    assert cancelled.status is ErasureStatus.CANCELLED
    lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=customer.id, reason="pediu outra vez")


def test_only_managers_erase_and_only_admins_change_the_window(org, admin: Actor) -> None:  # type: ignore[no-untyped-def]
    customer = register_person(admin)
    operator = make_operator(org, "finance_operator")
    with pytest.raises(PermissionDenied):
        lgpd.request_erasure(SqlUnitOfWork(operator), customer_id=customer.id, reason="pedido")
    manager = make_operator(org, "finance_manager")
    lgpd.request_erasure(SqlUnitOfWork(manager), customer_id=customer.id, reason="pedido")
    with pytest.raises(PermissionDenied):
        lgpd.set_erasure_window(SqlUnitOfWork(manager), days=1)
    with pytest.raises(InvalidWindow):
        lgpd.set_erasure_window(SqlUnitOfWork(admin), days=91)


def test_the_titular_s_export_is_one_zip_with_data_invoices_statement_and_payments(admin: Actor, org) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org, name="Horizonte Ltda")
    invoice = open_invoice(admin, account)
    job = lgpd.request_export(SqlUnitOfWork(admin), customer_ids=[account.customer_id])
    file_id = build_export(Actor.system("lgpd", org.id), job.id)
    assert file_id is not None and build_export(Actor.system("lgpd", org.id), job.id) is None  # ran once
    stored = load(admin, StoredFile, id=file_id)[0]
    archive = zipfile.ZipFile(io.BytesIO(files.path_of(stored).read_bytes()))
    names = archive.namelist()
    data = json.loads(archive.read("dados.json"))
    assert data["cliente"]["name"] == "Horizonte Ltda" and data["contas_de_faturamento"][0]["id"] == str(account.id)
    pdfs = [n for n in names if n.startswith("faturas/")]
    assert len(pdfs) == 1 and archive.read(pdfs[0]).startswith(b"%PDF") and invoice.number in pdfs[0]
    statement = next(n for n in names if n.startswith("extratos/"))
    assert archive.read(statement).decode("utf-8-sig").startswith("Data;Tipo;Descrição;Valor;Saldo")
    assert "pagamentos.csv" in names and "LEIA-ME.txt" in names
    actions = [e.action for e in load(admin, AuditEvent, root_id=str(account.customer_id))]
    assert {"lgpd.export_requested", "lgpd.export_generated"} <= set(actions)
    assert lgpd.record_export_download(SqlUnitOfWork(admin), job_id=job.id) == [str(account.customer_id)]


def test_an_export_of_several_customers_has_a_folder_each(admin: Actor, org) -> None:  # type: ignore[no-untyped-def]
    first, second = make_account(org, name="Alfa Ltda"), make_account(org, name="Beta Ltda")
    job = lgpd.request_export(SqlUnitOfWork(admin), customer_ids=[first.customer_id, second.customer_id])
    file_id = build_export(Actor.system("lgpd", org.id), job.id)
    stored = load(admin, StoredFile, id=file_id)[0]
    names = zipfile.ZipFile(files.path_of(stored)).namelist()
    folders = sorted(n.split("/")[0] for n in names if n.endswith("dados.json"))
    assert [f.endswith(("-Alfa-Ltda", "-Beta-Ltda")) for f in folders] == [True, True]
    assert stored.filename == "lgpd-2-clientes.zip"
    with pytest.raises(Exception, match="Escolha de 1 a 500"):
        lgpd.request_export(SqlUnitOfWork(admin), customer_ids=[])
    assert uuid.UUID(str(job.id))


def test_an_erasure_deletes_the_exports_that_still_hold_the_titular_s_data(admin: Actor, org) -> None:  # type: ignore[no-untyped-def]
    customer = register_person(admin)
    job = lgpd.request_export(SqlUnitOfWork(admin), customer_ids=[customer.id])
    stored = load(admin, StoredFile, id=build_export(Actor.system("lgpd", org.id), job.id))[0]
    assert files.path_of(stored).is_file()
    lgpd.set_erasure_window(SqlUnitOfWork(admin), days=0)
    request = lgpd.request_erasure(SqlUnitOfWork(admin), customer_id=customer.id, reason="pedido")
    lgpd.confirm_erasure(SqlUnitOfWork(admin), request_id=request.id)
    lgpd.execute_erasure(SqlUnitOfWork(admin), request_id=request.id)
    assert not files.path_of(stored).exists() and load(admin, StoredFile, id=stored.id) == []
    assert load(admin, BackgroundJob, id=job.id)[0].result_file_id is None
