"""Customers, billing accounts and portal users for tests, through the registry's own use cases (so audited)."""

from __future__ import annotations

import itertools
from typing import Any

from domain.access.permissions import Actor
from domain.billing_accounts import services as accounts
from domain.billing_accounts.model import BillingAccount
from domain.customers import services as customers
from domain.customers.model import Customer
from domain.documents.tax_ids import generate_cnpj, generate_cpf, mask_document
from persistence.queries import customer_page
from persistence.unit_of_work import SqlUnitOfWork

ALNUM_CNPJ = "12.ABC.345/01DE-35"  # the Receita's example of the alphanumeric CNPJ (valid from July 2026)
PAULISTA = {
    "kind": "billing",
    "cep": "01310-100",
    "street": "Av. Paulista",
    "number": "1000",
    "district": "Bela Vista",
    "city": "São Paulo",
    "uf": "SP",
    "ibge_code": "3550308",
}
_seq = itertools.count(7000)


def company_values(name: str | None = None, **values: Any) -> dict[str, Any]:
    n = next(_seq)
    name = name or f"Empresa {n}"
    return {
        "kind": "juridical",
        "document_number": mask_document("cnpj", generate_cnpj(n)),
        "name": name,
        "legal_name": f"{name} Ltda",
        "emails": [{"kind": "billing", "address": f"financeiro{n}@empresa.com.br"}],
        "addresses": [PAULISTA],
        **values,
    }


def person_values(name: str | None = None, **values: Any) -> dict[str, Any]:
    n = next(_seq)
    return {"kind": "natural", "document_number": generate_cpf(n), "name": name or f"Pessoa {n}", **values}


def make_customer(actor: Actor, *, accounts: int = 0, **values: Any) -> Customer:
    """A company (or whatever `values` say) with `accounts` billing accounts named Conta 1, Conta 2, ..."""
    data = company_values(**values) if values.get("kind", "juridical") == "juridical" else values
    n = next(_seq)
    opened = [{"name": f"Conta {i + 1}", "email": f"conta{i + 1}.{n}@empresa.com.br"} for i in range(accounts)]
    return customers.create_customer(SqlUnitOfWork(actor), values=data, accounts=opened)


def make_account(actor: Actor, customer: Customer, name: str = "Filial", **values: Any) -> BillingAccount:
    n = next(_seq)
    return accounts.create_billing_account(
        SqlUnitOfWork(actor),
        customer_id=customer.id,
        values={"name": name, "email": f"filial{n}@empresa.com.br", **values},
    )


def reload_customer(actor: Actor, customer_id: Any) -> Customer:
    """The customer as stored now (a read view: the unit of work expires what it loaded when it ends)."""
    return customer_page.customer(actor, customer_id)


def account_views(actor: Actor, customer_id: Any) -> list[customer_page.AccountView]:
    return customer_page.accounts(actor, customer_id)
