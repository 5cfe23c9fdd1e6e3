"""/customers: register (with nested billing accounts), list with filters, read, change, delete."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.billing_accounts import BillingAccountOut
from api.schemas.customers import CustomerCreate, CustomerOut, CustomerUpdate
from domain.access.permissions import Actor, Permission
from domain.billing_accounts.model import BillingAccount
from domain.customers import services
from domain.customers.model import Customer
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(prefix="/customers", tags=["customers"], responses=COMMON_RESPONSES)


@router.post("", status_code=201, response_model=CustomerOut, summary="Cadastrar cliente (com contas)")
def create_customer(body: CustomerCreate, actor: Actor = Depends(current_actor)) -> CustomerOut:
    """CUSTOMERS_WRITE (and BILLING_ACCOUNTS_CREATE when `billing_accounts` is given): one transaction."""
    accounts = []
    for index, account in enumerate(body.billing_accounts):
        values = account.domain()
        values.setdefault("name", "Principal" if index == 0 else f"Conta {index + 1}")
        accounts.append(values)
    values = body.domain()
    values.pop("billing_accounts", None)
    customer = services.create_customer(SqlUnitOfWork(actor), values=values, accounts=accounts)
    return customer_out(actor, customer.id, with_accounts=True)


@router.get("", summary="Listar clientes")
def list_customers(
    request: Request,
    page: PageRequest = Depends(page_params),
    status: Literal["active", "suspended", "churned"] | None = Query(None, alias="filter[status]"),
    kind: Literal["natural", "juridical", "foreign"] | None = Query(None, alias="filter[kind]"),
    external_id: str | None = Query(None, alias="filter[external_id]", max_length=64),
    document_number: str | None = Query(None, alias="filter[document_number]", max_length=40),
    email: str | None = Query(None, alias="filter[email]", max_length=254),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.customer_conditions(
        status=status, kind=kind, external_id=external_id, document_number=document_number, email=email
    )
    result = api_lists.list_entities(actor, Permission.CUSTOMERS_READ, Customer, conditions, page)
    return envelope(request, page, result, [CustomerOut.model_validate(c) for c in result.rows])


@router.get("/{customer_id}", response_model=CustomerOut, summary="Obter cliente (com suas contas)")
def get_customer(customer_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> CustomerOut:
    return customer_out(actor, customer_id, with_accounts=True)


@router.patch("/{customer_id}", response_model=CustomerOut, summary="Alterar dados cadastrais")
def update_customer(customer_id: uuid.UUID, body: CustomerUpdate, actor: Actor = Depends(current_actor)) -> CustomerOut:
    services.update_customer(SqlUnitOfWork(actor), customer_id=customer_id, values=body.domain(), reason=body.reason)
    return customer_out(actor, customer_id, with_accounts=False)


@router.delete("/{customer_id}", status_code=204, summary="Excluir cliente (exclusão lógica)")
def delete_customer(
    customer_id: uuid.UUID,
    reason: str = Query(..., min_length=1, max_length=500, description="Motivo (vai para a auditoria)"),
    actor: Actor = Depends(current_actor),
) -> Response:
    """409 while the customer has open invoices or active subscriptions."""
    services.delete_customer(SqlUnitOfWork(actor), customer_id=customer_id, reason=reason)
    return Response(status_code=204)


def customer_out(actor: Actor, customer_id: uuid.UUID, *, with_accounts: bool) -> CustomerOut:
    customer = api_lists.get_entity(actor, Permission.CUSTOMERS_READ, Customer, customer_id, "Cliente")
    out = CustomerOut.model_validate(customer)
    if with_accounts:
        conditions = api_lists.account_conditions(customer_id=customer_id)
        accounts = api_lists.list_entities(
            actor, Permission.CUSTOMERS_READ, BillingAccount, conditions, PageRequest(1, 100)
        )
        out.billing_accounts = [BillingAccountOut.model_validate(a) for a in accounts.rows]
    return out
