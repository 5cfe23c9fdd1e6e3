"""Customers and billing accounts for invoice tests, written with the ORM directly (the registry's use cases are
built in parallel), plus shortcuts to the invoice use cases with the values tests usually need."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.catalog import services as catalog
from domain.customers.model import Customer, CustomerKind
from domain.documents.tax_ids import generate_cnpj
from domain.invoices import services as invoices
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import Invoice
from domain.invoices.services import LineInput
from domain.organizations.model import Organization
from domain.text import fold
from persistence.unit_of_work import SqlUnitOfWork

_seq = itertools.count(1000)
DUE = date(2026, 12, 10)  # under the CSRF rule of Lei 13.137/2015 (valid until 31/12/2026)
ISSUED = date(2026, 11, 20)


def make_account(
    org: Organization,
    *,
    name: str | None = None,
    withhold_ir: bool = False,
    withhold_csrf: bool = False,
    withhold_inss: bool = False,
    withhold_iss: bool = False,
    iss_rate: Decimal | None = None,
    iss_municipality_code: str | None = None,
    customer_tax_type: str = "lucro_real",
    currency: str = "BRL",
    balance_cents: int = 0,
    allowed_negative_balance_cents: int = 0,
    billing_model: str = "postpaid",
    customer_status: str = "active",
    account_status: str = "active",
    billing_address: dict[str, Any] | None = None,
) -> BillingAccount:
    """A juridical customer with one billing account; flags say which taxes this customer withholds."""
    n = next(_seq)
    name = name or f"Cliente {n} Ltda"
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        customer = Customer(
            organization_id=org.id,
            kind=CustomerKind.JURIDICAL,
            document_type="cnpj",
            document_number=generate_cnpj(n),
            name=name,
            legal_name=name,
            search_name=fold(name),
            primary_email=f"financeiro{n}@cliente.com.br",
            status=customer_status,
            billing_model=billing_model,
            balance_cents=balance_cents,
            accounts_count=1,
        )
        uow.add(customer)
        uow.flush()
        account = BillingAccount(
            organization_id=org.id,
            customer_id=customer.id,
            name=f"{name} — Matriz",
            email=f"conta{n}@cliente.com.br",
            billing_email=f"faturas{n}@cliente.com.br",
            currency=currency,
            tax_id=customer.document_number,
            tax_id_type="cnpj",
            customer_tax_type=customer_tax_type,
            withhold_ir=withhold_ir,
            withhold_csrf=withhold_csrf,
            withhold_inss=withhold_inss,
            withhold_iss=withhold_iss,
            iss_rate=iss_rate,
            iss_municipality_code=iss_municipality_code,
            balance_cents=balance_cents,
            allowed_negative_balance_cents=allowed_negative_balance_cents,
            status=account_status,
            billing_address=billing_address
            or {
                "street": "Av. Paulista",
                "number": "1000",
                "district": "Bela Vista",
                "city": "São Paulo",
                "uf": "SP",
                "cep": "01310100",
                "ibge_code": "3550308",
            },
        )
        uow.add(account)
        uow.commit()
        return account


def service_id(actor: Actor, code: str = "consultoria") -> uuid.UUID:
    """The id of a standard service (installing the catalog when the organization has none yet)."""
    with SqlUnitOfWork(actor) as uow:
        catalog.install_standard_services(uow)
        item = uow.catalog.service_item_by_code(code)
        assert item is not None
        uow.commit()
        return item.id


def consulting(actor: Actor, reais: str = "1000.00", quantity: str = "10", **kw: Any) -> LineInput:
    return LineInput(
        description=kw.pop("description", "Consultoria em gestão financeira"),
        quantity=Decimal(quantity),
        unit_amount_cents=int(Decimal(reais) * 100),
        service_item_id=service_id(actor),
        **kw,
    )


def draft(actor: Actor, account: BillingAccount, *lines: LineInput, due_on: date = DUE, **kw: Any) -> Invoice:
    return invoices.create_invoice(
        SqlUnitOfWork(actor),
        billing_account_id=account.id,
        lines=list(lines) or [consulting(actor)],
        due_on=due_on,
        **kw,
    )


def open_invoice(actor: Actor, account: BillingAccount, *lines: LineInput, **kw: Any) -> Invoice:
    invoice = draft(actor, account, *lines, **kw)
    return finalize_invoice(SqlUnitOfWork(actor), invoice_id=invoice.id, issued_on=ISSUED)
