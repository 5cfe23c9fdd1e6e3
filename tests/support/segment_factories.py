"""Customers with exactly the fields segment and merge tests filter on, written with the ORM (fast, every column
under the test's control), plus invoices due on a given day for the overdue fields."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from typing import Any

from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer, CustomerKind
from domain.documents.tax_ids import generate_cnpj, generate_cpf
from domain.invoices.model import Invoice, InvoiceStatus
from domain.organizations.model import Organization
from domain.text import fold
from persistence.unit_of_work import SqlUnitOfWork

_seq = itertools.count(5000)


def make_customer(
    org: Organization, name: str, *, kind: str = "juridical", document: str | None = None, city: str | None = None,
    uf: str | None = None, ibge_code: str | None = None, email: str | None = None, tags: list[str] | None = None,
    custom_data: dict[str, Any] | None = None, status: str = "active", balance_cents: int = 0, mrr_cents: int = 0,
    created_at: datetime | None = None, accounts: list[dict[str, Any]] | None = None, **extra: Any,
) -> Customer:  # fmt: skip
    """A customer with one account unless `accounts` says otherwise (each dict: BillingAccount fields)."""
    n = next(_seq)
    person = kind == "natural"
    email = email if email is not None else f"financeiro{n}@{fold(name).replace(' ', '')[:20]}.com.br"
    address = {"kind": "billing", "city": city, "uf": uf, "ibge_code": ibge_code} if city or uf else None
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        customer = Customer(
            organization_id=org.id, kind=CustomerKind(kind), document_type="cpf" if person else "cnpj",
            document_number=document or (generate_cpf(n) if person else generate_cnpj(n)), name=name,
            legal_name=extra.pop("legal_name", name), search_name=fold(name), primary_email=email or None,
            emails=[{"kind": "billing", "address": email}] if email else [], phones=[],
            addresses=[address] if address else [], city=city, uf=uf, ibge_code=ibge_code, tags=list(tags or []),
            custom_data=dict(custom_data or {}), extra_metadata={}, custom_fields={}, tax_identifiers={},
            verification={}, status=status, balance_cents=balance_cents, mrr_cents=mrr_cents,
            created_at=created_at or datetime.now(UTC), **extra,
        )  # fmt: skip
        uow.add(customer)
        uow.flush()
        for index, values in enumerate(accounts if accounts is not None else [{}]):
            uow.add(BillingAccount(
                organization_id=org.id, customer_id=customer.id, name=values.pop("name", f"Conta {index + 1}"),
                email=values.pop("email", f"conta{n}.{index}@cliente.com.br"), currency="BRL",
                billing_address={}, tax_id=customer.document_number, tax_id_type=customer.document_type, **values,
            ))  # fmt: skip
        customer.accounts_count = len(accounts) if accounts is not None else 1
        uow.commit()
        return customer


def make_invoice(
    org: Organization, customer: Customer, *, due_on: date, status: str = "open", total_cents: int = 10_000,
    number: str | None = None,
) -> Invoice:  # fmt: skip
    """An invoice row as finalization leaves it (number, amounts, snapshot), without the invoicing use cases."""
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        account_id = uow.session.query(BillingAccount.id).filter(BillingAccount.customer_id == customer.id).first()[0]
        invoice = Invoice(
            organization_id=org.id, customer_id=customer.id, billing_account_id=account_id,
            status=InvoiceStatus(status), currency="BRL", due_on=due_on, issued_on=due_on,
            number=number or f"INV-{uuid.uuid4().hex[:8].upper()}", subtotal_cents=total_cents,
            total_cents=total_cents, net_value_cents=total_cents, withholding_notes=[],
            snapshot={"customer": {"name": customer.name, "document": customer.document_number}}, revision=1, lines=[],
        )  # fmt: skip
        uow.add(invoice)
        uow.commit()
        return invoice
