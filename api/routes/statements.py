"""/statement-items: the ledger across accounts, by account or by customer (the per-account route stays in
billing_accounts.py)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, Request

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.statements import StatementItemOut
from domain.access.permissions import Actor, Permission
from domain.errors import ValidationFailed
from domain.statements.model import StatementItem
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest

router = APIRouter(prefix="/statement-items", tags=["statement-items"], responses=COMMON_RESPONSES)


class ScopeRequired(ValidationFailed):
    code = "statement_scope_required"

    def __init__(self) -> None:
        super().__init__(
            "Informe filter[billing_account_id] ou filter[customer_id]: o extrato é de uma conta ou de um cliente.",
            field="filter[billing_account_id]",
        )


@router.get("", summary="Lançamentos do extrato (por conta ou cliente)")
def list_statement_items(
    request: Request,
    page: PageRequest = Depends(page_params),
    billing_account_id: uuid.UUID | None = Query(None, alias="filter[billing_account_id]"),
    customer_id: uuid.UUID | None = Query(None, alias="filter[customer_id]"),
    date_from: date | None = Query(None, alias="filter[from]", description="occurred_on ≥ (ISO date)"),
    date_to: date | None = Query(None, alias="filter[to]", description="occurred_on ≤ (ISO date)"),
    actor: Actor = Depends(current_actor),
) -> dict:
    """One of filter[billing_account_id] or filter[customer_id] is required (422 STATEMENT_SCOPE_REQUIRED): a
    statement belongs to an account; a customer's spans its accounts. Posting order: an account's `sequence`, across
    accounts the creation order. A filter on another organization's account or customer finds nothing."""
    if billing_account_id is None and customer_id is None:
        raise ScopeRequired()
    conditions = api_lists.statement_conditions(
        billing_account_id=billing_account_id, customer_id=customer_id, date_from=date_from, date_to=date_to
    )
    key = StatementItem.sequence if billing_account_id else StatementItem.id  # sequence counts within one account
    result = api_lists.list_entities(actor, Permission.INVOICES_READ, StatementItem, conditions, page, key=key)
    return envelope(request, page, result, [StatementItemOut.model_validate(i) for i in result.rows])
