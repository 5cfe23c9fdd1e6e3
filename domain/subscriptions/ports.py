"""What the plan and subscription use cases need from storage (persistence/repositories/subscriptions.py)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol

from domain.invoices.ports import CatalogRepository, OrganizationLookup
from domain.ports import UnitOfWork
from domain.subscriptions.model import Plan, Subscription, SubscriptionProration


class SubscriptionRepository(Protocol):
    def plan(self, plan_id: uuid.UUID) -> Plan: ...
    def plan_named(self, name: str, *, except_id: uuid.UUID | None = None) -> Plan | None: ...
    def get(self, subscription_id: uuid.UUID, *, for_update: bool = False) -> Subscription: ...
    def pending_prorations(self, subscription_id: uuid.UUID) -> list[SubscriptionProration]: ...
    def refresh_mrr(self, account_ids: Iterable[uuid.UUID]) -> None: ...


class SubscriptionUnitOfWork(UnitOfWork, Protocol):
    organizations: OrganizationLookup
    subscriptions: SubscriptionRepository
    catalog: CatalogRepository
