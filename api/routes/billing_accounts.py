"""/billing-accounts: CRUD, filters by status and customer, suspend / reactivate / close, statement items."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.billing_accounts import BillingAccountCreate, BillingAccountOut, BillingAccountUpdate, ReasonIn
from api.schemas.statements import StatementItemOut
from domain.access.permissions import Actor, Permission
from domain.billing_accounts import services
from domain.billing_accounts.model import BillingAccount
from domain.statements.model import StatementItem
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(prefix="/billing-accounts", tags=["billing-accounts"], responses=COMMON_RESPONSES)
Status = Literal["active", "suspended", "closed"]


@router.post("", status_code=201, response_model=BillingAccountOut, summary="Criar conta de faturamento")
def create_account(body: BillingAccountCreate, actor: Actor = Depends(current_actor)) -> BillingAccountOut:
    """BILLING_ACCOUNTS_CREATE. 409 when the e-mail already belongs to another account of the organization."""
    account = services.create_billing_account(SqlUnitOfWork(actor), customer_id=body.customer_id, values=body.domain())
    return account_out(actor, account.id)


@router.get("", summary="Listar contas")
def list_accounts(
    request: Request,
    page: PageRequest = Depends(page_params),
    status: Status | None = Query(None, alias="filter[status]"),
    customer_id: uuid.UUID | None = Query(None, alias="filter[customer_id]"),
    email: str | None = Query(None, alias="filter[email]", max_length=254),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.account_conditions(status=status, customer_id=customer_id, email=email)
    result = api_lists.list_entities(actor, Permission.BILLING_ACCOUNTS_READ, BillingAccount, conditions, page)
    return envelope(request, page, result, [BillingAccountOut.model_validate(a) for a in result.rows])


@router.get("/{account_id}", response_model=BillingAccountOut, summary="Obter conta")
def get_account(account_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> BillingAccountOut:
    return account_out(actor, account_id)


@router.patch("/{account_id}", response_model=BillingAccountOut, summary="Atualizar conta")
def update_account(
    account_id: uuid.UUID, body: BillingAccountUpdate, actor: Actor = Depends(current_actor)
) -> BillingAccountOut:
    services.update_billing_account(
        SqlUnitOfWork(actor), account_id=account_id, values=body.domain(), reason=body.reason
    )
    return account_out(actor, account_id)


@router.delete("/{account_id}", status_code=204, summary="Excluir conta")
def delete_account(
    account_id: uuid.UUID,
    reason: str | None = Query(None, max_length=500, description="Motivo (vai para a auditoria)"),
    actor: Actor = Depends(current_actor),
) -> Response:
    """409 BILLING_ACCOUNT_HAS_OPEN_ITEMS while it has open invoices or active subscriptions."""
    services.delete_billing_account(SqlUnitOfWork(actor), account_id=account_id, reason=reason)
    return Response(status_code=204)


@router.post("/{account_id}/suspend", response_model=BillingAccountOut, summary="Suspender conta")
def suspend_account(account_id: uuid.UUID, body: ReasonIn, actor: Actor = Depends(current_actor)) -> BillingAccountOut:
    services.suspend_billing_account(SqlUnitOfWork(actor), account_id=account_id, reason=body.reason)
    return account_out(actor, account_id)


@router.post("/{account_id}/reactivate", response_model=BillingAccountOut, summary="Reativar conta")
def reactivate_account(
    account_id: uuid.UUID, body: ReasonIn, actor: Actor = Depends(current_actor)
) -> BillingAccountOut:
    services.reactivate_billing_account(SqlUnitOfWork(actor), account_id=account_id, reason=body.reason)
    return account_out(actor, account_id)


@router.post("/{account_id}/close", response_model=BillingAccountOut, summary="Encerrar conta (definitivo)")
def close_account(account_id: uuid.UUID, body: ReasonIn, actor: Actor = Depends(current_actor)) -> BillingAccountOut:
    services.close_billing_account(SqlUnitOfWork(actor), account_id=account_id, reason=body.reason)
    return account_out(actor, account_id)


@router.get("/{account_id}/statement-items", summary="Extrato da conta (lançamentos)")
def statement_items(
    request: Request,
    account_id: uuid.UUID,
    page: PageRequest = Depends(page_params),
    date_from: date | None = Query(None, alias="filter[date_from]"),
    date_to: date | None = Query(None, alias="filter[date_to]"),
    actor: Actor = Depends(current_actor),
) -> dict:
    """Oldest first, in posting order; `balance_after_cents` is the account's balance after each item."""
    api_lists.require_account(actor, account_id)
    conditions = api_lists.statement_conditions(billing_account_id=account_id, date_from=date_from, date_to=date_to)
    result = api_lists.list_entities(
        actor, Permission.INVOICES_READ, StatementItem, conditions, page, key=StatementItem.sequence
    )
    return envelope(request, page, result, [StatementItemOut.model_validate(i) for i in result.rows])


def account_out(actor: Actor, account_id: uuid.UUID) -> BillingAccountOut:
    account = api_lists.get_entity(
        actor, Permission.BILLING_ACCOUNTS_READ, BillingAccount, account_id, "Conta de faturamento"
    )
    return BillingAccountOut.model_validate(account)
