"""Use cases of plans and subscriptions: create and edit a plan; create, change (with proration) and cancel a
subscription. Invoices come from the billing run (domain/billing_runs), including the first one: a new subscription
starts with an empty period [start, start), which the next run invoices; a trial starts with the trial as its period.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.billing_accounts.model import BillingAccount
from domain.calendar import today_in
from domain.catalog import services as catalog
from domain.customers.model import Customer
from domain.invoices.errors import ReasonRequired
from domain.invoices.services import ensure_billable
from domain.money import MINOR_DIGITS
from domain.subscriptions.errors import (
    ChangeOutsidePeriod,
    CurrencyDiffers,
    IntervalDiffers,
    InvalidPlan,
    InvalidQuantity,
    InvalidTrial,
    NothingToChange,
    PlanInactive,
    PlanNameTaken,
    SubscriptionNotLive,
)
from domain.subscriptions.model import Plan, PlanInterval, Subscription, SubscriptionProration, SubscriptionStatus
from domain.subscriptions.ports import SubscriptionUnitOfWork
from domain.subscriptions.proration import PlanTerms, ProrationPreview, prorate

MAX_QUANTITY = 100_000
MAX_TRIAL_DAYS = 365


@dataclass(frozen=True)
class PlanInput:
    name: str
    amount_cents: int
    interval: PlanInterval
    service_item_id: uuid.UUID
    currency: str = "BRL"
    description: str | None = None
    is_active: bool = True


def prepare_catalog(uow: SubscriptionUnitOfWork) -> None:
    """A plan bills a service: an organization without a catalog gets the standard services (as its first invoice
    would), so the plan form has something to offer."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("catalog.installed")
        catalog.install_standard_services(uow)  # type: ignore[arg-type]
        uow.commit()


def create_plan(uow: SubscriptionUnitOfWork, *, values: PlanInput) -> Plan:
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("plan.created")
        catalog.install_standard_services(uow)  # type: ignore[arg-type]
        plan = Plan(organization_id=uow.actor.organization_id)
        _apply_plan(uow, plan, values)
        uow.add(plan)
        uow.commit()
        return plan


def update_plan(uow: SubscriptionUnitOfWork, *, plan_id: uuid.UUID, values: PlanInput) -> Plan:
    """Name, price and service may change; current subscriptions keep their MRR until they change (their next
    invoices use the new price). The interval and currency of a plan in use do not change."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("plan.updated")
        plan = uow.subscriptions.plan(plan_id)
        if plan.interval != PlanInterval(values.interval) or plan.currency != values.currency.upper():
            raise InvalidPlan("A periodicidade e a moeda de um plano não mudam: crie outro plano.", field="interval")
        _apply_plan(uow, plan, values)
        uow.commit()
        return plan


def _apply_plan(uow: SubscriptionUnitOfWork, plan: Plan, values: PlanInput) -> None:
    name = (values.name or "").strip()
    if len(name) < 2:
        raise InvalidPlan("Informe o nome do plano.", field="name")
    if uow.subscriptions.plan_named(name, except_id=plan.id) is not None:
        raise PlanNameTaken(name)
    if type(values.amount_cents) is not int or values.amount_cents <= 0:
        raise InvalidPlan("O valor do plano deve ser maior que zero.", field="amount")
    currency = (values.currency or "").upper()
    if currency not in MINOR_DIGITS:
        raise InvalidPlan(f"Moeda desconhecida: {values.currency}.", field="currency")
    if values.service_item_id not in uow.catalog.service_items_by_id():
        raise InvalidPlan("Escolha o serviço (item da LC 116) que o plano fatura.", field="service_item_id")
    plan.name, plan.amount_cents, plan.currency = name, values.amount_cents, currency
    plan.interval, plan.service_item_id = PlanInterval(values.interval), values.service_item_id
    plan.description, plan.is_active = (values.description or "").strip() or None, bool(values.is_active)


def create_subscription(
    uow: SubscriptionUnitOfWork,
    *,
    billing_account_id: uuid.UUID,
    plan_id: uuid.UUID,
    quantity: int = 1,
    start_on: date | None = None,
    trial_days: int = 0,
) -> Subscription:
    """A subscription of an active account; its first invoice comes from the next billing run (or the trial's end)."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("subscription.created")
        account = uow.get(BillingAccount, billing_account_id, label="Conta de faturamento")
        ensure_billable(account, uow.get(Customer, account.customer_id, label="Cliente"))
        plan = uow.subscriptions.plan(plan_id)
        if not plan.is_active:
            raise PlanInactive(plan.name)
        if plan.currency != account.currency:
            raise CurrencyDiffers(plan.currency, account.currency)
        _check_quantity(quantity)
        if type(trial_days) is not int or not 0 <= trial_days <= MAX_TRIAL_DAYS:
            raise InvalidTrial()
        start = start_on or today_in(uow.organizations.current().timezone)
        trial_end = start + timedelta(days=trial_days) if trial_days else None
        subscription = Subscription(
            organization_id=account.organization_id,
            customer_id=account.customer_id,
            billing_account_id=account.id,
            plan_id=plan.id,
            status=SubscriptionStatus.TRIALING if trial_end else SubscriptionStatus.ACTIVE,
            quantity=quantity,
            started_on=start,
            billing_anchor=trial_end or start,
            current_period_start=start,
            current_period_end=trial_end or start,  # empty period: the next run invoices the first one
            trial_end=trial_end,
            cancel_at_period_end=False,
            mrr_cents=plan.mrr_cents(quantity),
        )
        uow.add(subscription)
        uow.flush()
        uow.subscriptions.refresh_mrr([account.id])
        uow.commit()
        return subscription


def preview_change(
    uow: SubscriptionUnitOfWork,
    *,
    subscription_id: uuid.UUID,
    plan_id: uuid.UUID,
    quantity: int,
    changed_on: date | None = None,
) -> ProrationPreview:
    """The proration lines a change would add to the next invoice (nothing is written)."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_READ)
        subscription = uow.subscriptions.get(subscription_id)
        return _proration(uow, subscription, plan_id, quantity, changed_on)[0]


def change_subscription(
    uow: SubscriptionUnitOfWork,
    *,
    subscription_id: uuid.UUID,
    plan_id: uuid.UUID,
    quantity: int,
    changed_on: date | None = None,
    reason: str | None = None,
) -> ProrationPreview:
    """Upgrade, downgrade or a new quantity from `changed_on`: the proration lines wait for the next invoice."""
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("subscription.changed", reason=(reason or "").strip() or None)
        subscription = uow.subscriptions.get(subscription_id, for_update=True)
        preview, new_plan, on = _proration(uow, subscription, plan_id, quantity, changed_on)
        for line in preview.lines:
            uow.add(
                SubscriptionProration(
                    organization_id=subscription.organization_id,
                    subscription_id=subscription.id,
                    description=line.description[:500],
                    amount_cents=line.amount_cents,
                    currency=preview.currency,
                    service_item_id=line.service_item_id,
                    period_start=line.period_start,
                    period_end=line.period_end,
                    details=line.details,
                    created_on=on,
                    discarded=False,
                )
            )
        subscription.plan_id, subscription.quantity = new_plan.id, quantity
        subscription.mrr_cents = new_plan.mrr_cents(quantity)
        uow.flush()
        uow.subscriptions.refresh_mrr([subscription.billing_account_id])
        uow.commit()
        return preview


def _proration(
    uow: SubscriptionUnitOfWork, subscription: Subscription, plan_id: uuid.UUID, quantity: int, changed_on: date | None
) -> tuple[ProrationPreview, Plan, date]:
    if not subscription.is_live:
        raise SubscriptionNotLive(subscription.status_label)
    _check_quantity(quantity)
    old_plan, new_plan = uow.subscriptions.plan(subscription.plan_id), uow.subscriptions.plan(plan_id)
    if new_plan.id != old_plan.id and not new_plan.is_active:
        raise PlanInactive(new_plan.name)
    if new_plan.currency != old_plan.currency:
        raise CurrencyDiffers(new_plan.currency, old_plan.currency)
    if new_plan.interval != old_plan.interval:
        raise IntervalDiffers()
    if new_plan.id == old_plan.id and quantity == subscription.quantity:
        raise NothingToChange()
    on = changed_on or today_in(uow.organizations.current().timezone)
    start, end = subscription.current_period_start, subscription.current_period_end
    # Nothing was charged yet (a trial, or a period not invoiced yet): the next invoice simply uses the new terms.
    free = subscription.status is SubscriptionStatus.TRIALING or subscription.awaiting_first_invoice
    if free:
        return (
            ProrationPreview((), max((end - start).days, 0), max((end - on).days, 0), new_plan.currency),
            new_plan,
            on,
        )
    if not start <= on < end:
        raise ChangeOutsidePeriod(start, end)
    preview = prorate(
        old_plan=_terms(old_plan), old_quantity=subscription.quantity, new_plan=_terms(new_plan),
        new_quantity=quantity, period_start=start, period_end=end, changed_on=on,
    )  # fmt: skip
    return preview, new_plan, on


def cancel_subscription(
    uow: SubscriptionUnitOfWork,
    *,
    subscription_id: uuid.UUID,
    at_period_end: bool,
    reason: str,
    canceled_on: date | None = None,
) -> Subscription:
    """Now (no further invoices; proration items not invoiced yet are discarded) or at the end of the current period
    (the billing run cancels it instead of invoicing the next period)."""
    text = (reason or "").strip()
    with uow:
        uow.actor.require(Permission.SUBSCRIPTIONS_WRITE)
        uow.describe("subscription.canceled", reason=text or None)
        if len(text) < 3:
            raise ReasonRequired()
        subscription = uow.subscriptions.get(subscription_id, for_update=True)
        if not subscription.is_live:
            raise SubscriptionNotLive(subscription.status_label)
        subscription.cancel_reason = text
        if at_period_end and not subscription.awaiting_first_invoice:
            subscription.cancel_at_period_end = True
        else:
            subscription.status = SubscriptionStatus.CANCELED
            subscription.canceled_at = utcnow()
            subscription.canceled_on = canceled_on or today_in(uow.organizations.current().timezone)
            for pending in uow.subscriptions.pending_prorations(subscription.id):
                pending.discarded = True
        uow.flush()
        uow.subscriptions.refresh_mrr([subscription.billing_account_id])
        uow.commit()
        return subscription


def _terms(plan: Plan) -> PlanTerms:
    return PlanTerms(plan.id, plan.name, plan.amount_cents, plan.currency, plan.interval, plan.service_item_id)


def _check_quantity(quantity: int) -> None:
    if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidQuantity()
