"""/subscriptions: create, change with proration (preview first), cancel: the Assinaturas screen's use cases."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.subscriptions import (
    CancelIn,
    ChangeIn,
    ChangeOut,
    PeriodOut,
    ProrationLineOut,
    ProrationOut,
    SubscriptionCreate,
    SubscriptionOut,
    SubscriptionStatusIn,
)
from domain.access.permissions import Actor, Permission
from domain.subscriptions import services
from domain.subscriptions.model import Subscription
from domain.subscriptions.proration import ProrationPreview
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"], responses=COMMON_RESPONSES)


@router.post("", status_code=201, response_model=SubscriptionOut, summary="Criar assinatura")
def create_subscription(body: SubscriptionCreate, actor: Actor = Depends(current_actor)) -> SubscriptionOut:
    """The first invoice comes from the next billing run (or when the trial ends). 409 PLAN_INACTIVE or
    SUBSCRIPTION_CURRENCY_DIFFERS on `plan_id`; 422 SUBSCRIPTION_QUANTITY_INVALID / SUBSCRIPTION_TRIAL_INVALID."""
    subscription = services.create_subscription(
        SqlUnitOfWork(actor),
        billing_account_id=body.billing_account_id,
        plan_id=body.plan_id,
        quantity=body.quantity,
        start_on=body.start_on,
        trial_days=body.trial_days,
    )
    return subscription_out(actor, subscription.id)


@router.get("", summary="Listar assinaturas")
def list_subscriptions(
    request: Request,
    page: PageRequest = Depends(page_params),
    status: SubscriptionStatusIn | None = Query(None, alias="filter[status]"),
    billing_account_id: uuid.UUID | None = Query(None, alias="filter[billing_account_id]"),
    customer_id: uuid.UUID | None = Query(None, alias="filter[customer_id]"),
    plan_id: uuid.UUID | None = Query(None, alias="filter[plan_id]"),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.subscription_conditions(
        status=status, billing_account_id=billing_account_id, customer_id=customer_id, plan_id=plan_id
    )
    result = api_lists.list_entities(actor, Permission.SUBSCRIPTIONS_READ, Subscription, conditions, page)
    return envelope(request, page, result, [SubscriptionOut.model_validate(s) for s in result.rows])


@router.get("/{subscription_id}", response_model=SubscriptionOut, summary="Obter assinatura")
def get_subscription(subscription_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> SubscriptionOut:
    return subscription_out(actor, subscription_id)


@router.post("/{subscription_id}/change-preview", response_model=ProrationOut, summary="Prévia da troca (proporcional)")
def preview_change(subscription_id: uuid.UUID, body: ChangeIn, actor: Actor = Depends(current_actor)) -> ProrationOut:
    """What `/change` with the same body would store for the next invoice; nothing is written (SUBSCRIPTIONS_READ)."""
    preview = services.preview_change(
        SqlUnitOfWork(actor),
        subscription_id=subscription_id,
        plan_id=body.plan_id,
        quantity=body.quantity,
        changed_on=body.changed_on,
    )
    return proration_out(preview)


@router.post("/{subscription_id}/change", response_model=ChangeOut, summary="Trocar plano ou quantidade")
def change_subscription(subscription_id: uuid.UUID, body: ChangeIn, actor: Actor = Depends(current_actor)) -> ChangeOut:
    """Upgrade, downgrade or a new quantity from `changed_on`; the proration lines wait for the next invoice.
    409 SUBSCRIPTION_INTERVAL_DIFFERS or SUBSCRIPTION_NOT_LIVE; 422 SUBSCRIPTION_CHANGE_OUTSIDE_PERIOD (changed_on)."""
    stored = services.change_subscription(
        SqlUnitOfWork(actor),
        subscription_id=subscription_id,
        plan_id=body.plan_id,
        quantity=body.quantity,
        changed_on=body.changed_on,
        reason=body.reason,
    )
    return ChangeOut(subscription=subscription_out(actor, subscription_id), proration=proration_out(stored))


@router.post("/{subscription_id}/cancel", response_model=SubscriptionOut, summary="Cancelar assinatura")
def cancel_subscription(
    subscription_id: uuid.UUID, body: CancelIn, actor: Actor = Depends(current_actor)
) -> SubscriptionOut:
    """Now, or at the end of the current period (`cancel_at_period_end`; a subscription not invoiced yet ends now)."""
    services.cancel_subscription(
        SqlUnitOfWork(actor), subscription_id=subscription_id, at_period_end=body.at_period_end, reason=body.reason
    )
    return subscription_out(actor, subscription_id)


def subscription_out(actor: Actor, subscription_id: uuid.UUID) -> SubscriptionOut:
    found = api_lists.get_entity(actor, Permission.SUBSCRIPTIONS_READ, Subscription, subscription_id, "Assinatura")
    return SubscriptionOut.model_validate(found)


def proration_out(preview: ProrationPreview) -> ProrationOut:
    return ProrationOut(
        currency=preview.currency,
        total_cents=preview.total_cents,
        days_in_period=preview.days_in_period,
        days_remaining=preview.days_remaining,
        lines=[
            ProrationLineOut(
                amount_cents=line.amount_cents,
                description=line.description,
                period=PeriodOut(start=line.period_start, end=line.period_end),
                service_item_id=line.service_item_id,
                details=line.details,
            )
            for line in preview.lines
        ],
    )
