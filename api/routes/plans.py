"""/plans: the plans subscriptions are made of (SUBSCRIPTIONS_READ to read, SUBSCRIPTIONS_WRITE to create)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.subscriptions import PlanCreate, PlanOut
from api.service_codes import is_uuid, service_ids
from domain.access.permissions import Actor, Permission
from domain.errors import NotFound
from domain.subscriptions import services
from domain.subscriptions.errors import InvalidPlan
from domain.subscriptions.model import Plan, PlanInterval
from domain.subscriptions.services import PlanInput
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(prefix="/plans", tags=["plans"], responses=COMMON_RESPONSES)


@router.post("", status_code=201, response_model=PlanOut, summary="Criar plano")
def create_plan(body: PlanCreate, actor: Actor = Depends(current_actor)) -> PlanOut:
    """409 PLAN_NAME_TAKEN; 422 PLAN_INVALID with `field` (amount_cents, currency, service_item_id)."""
    values = PlanInput(
        name=body.name,
        amount_cents=body.amount_cents,
        interval=PlanInterval(body.interval),
        service_item_id=_service_item_id(actor, body.service_item_id),
        currency=body.currency,
        description=body.description,
        is_active=body.is_active,
    )
    try:
        plan = services.create_plan(SqlUnitOfWork(actor), values=values)
    except InvalidPlan as refusal:
        if refusal.field == "amount":  # the screen's field; the API's is amount_cents
            refusal.field = "amount_cents"
        raise
    return plan_out(actor, plan.id)


@router.get("", summary="Listar planos")
def list_plans(
    request: Request,
    page: PageRequest = Depends(page_params),
    is_active: bool | None = Query(None, alias="filter[is_active]"),
    interval: Literal["month", "year"] | None = Query(None, alias="filter[interval]"),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.plan_conditions(is_active=is_active, interval=interval)
    result = api_lists.list_entities(actor, Permission.SUBSCRIPTIONS_READ, Plan, conditions, page)
    return envelope(request, page, result, [PlanOut.model_validate(p) for p in result.rows])


@router.get("/{plan_id}", response_model=PlanOut, summary="Obter plano")
def get_plan(plan_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> PlanOut:
    return plan_out(actor, plan_id)


def plan_out(actor: Actor, plan_id: uuid.UUID) -> PlanOut:
    return PlanOut.model_validate(api_lists.get_entity(actor, Permission.SUBSCRIPTIONS_READ, Plan, plan_id, "Plano"))


def _service_item_id(actor: Actor, value: str) -> uuid.UUID:
    """An unknown code is a 422 on the field, like an unknown id (which the use case refuses)."""
    if is_uuid(value):
        return uuid.UUID(value)
    actor.require(Permission.SUBSCRIPTIONS_WRITE)  # before installing the standard catalog on the caller's behalf
    try:
        return service_ids(actor, [value])[value]
    except NotFound as error:
        raise InvalidPlan(f"Serviço desconhecido: {value}.", field="service_item_id") from error
