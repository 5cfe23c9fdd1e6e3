"""What the merge use cases need from storage (persistence/repositories/merges.py provides it)."""

from __future__ import annotations

import uuid
from typing import Protocol

from domain.customers.ports import RegistryUnitOfWork
from domain.merges.plan import MergeInventory


class MergeRepository(Protocol):
    def inventory(self, source_id: uuid.UUID, target_id: uuid.UUID) -> MergeInventory:
        """Everything of the source that would move, the target's accounts, the conflicts storage can see, and a
        digest of every row involved (so MOVE_ALL can tell that nothing changed since the preview)."""

    def move_all(self, source_id: uuid.UUID, target_id: uuid.UUID) -> dict[str, list[uuid.UUID]]:
        """Set-based: point every movable row of the source at the target (billing accounts, invoices, subscriptions,
        payment methods, portal users; only tables that exist). Returns the moved billing account and portal user
        ids, which get an audit event each."""


class MergeUnitOfWork(RegistryUnitOfWork, Protocol):
    merges: MergeRepository
