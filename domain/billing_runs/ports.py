"""What the billing run needs from storage: set-based reads and writes (persistence/repositories/billing_runs.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Protocol

from domain.billing_runs.compose import AccountState, DueSubscription, Outcome, RunContext
from domain.billing_runs.model import BillingRun
from domain.ports import UnitOfWork


class BillingRunRepository(Protocol):
    def start_or_join(self, run_date: date, *, trigger: str, started_by: str) -> tuple[BillingRun, bool]: ...
    def context(self, run_date: date) -> RunContext: ...
    def due_batch(
        self, run: uuid.UUID, run_date: date, *, after: tuple[uuid.UUID, uuid.UUID] | None, limit: int,
        only: list[uuid.UUID] | None = None,
    ) -> tuple[list[DueSubscription], dict[uuid.UUID, AccountState]]:  # fmt: skip
        """The due subscriptions after `after` (locked; among `only` when given), and those of their accounts this
        worker could lock: a subscription whose account is missing is another worker's for now."""
        ...

    def take_numbers(self, count: int) -> list[str]: ...
    def write_batch(
        self, run: uuid.UUID, outcomes: list[Outcome], *, cursor: tuple | None, ctx: RunContext | None = None,
        before_invoices: Callable[[], None] | None = None,
    ) -> dict[str, int]: ...  # fmt: skip
    def record_failures(self, run: uuid.UUID, failures: list[tuple[uuid.UUID, date, str, str]]) -> None: ...
    def set_cursor(self, run: uuid.UUID, cursor: tuple | None) -> None: ...
    def finish(self, run: uuid.UUID, *, message: str | None = None) -> BillingRun: ...
    def get(self, run: uuid.UUID) -> BillingRun: ...


class BillingRunUnitOfWork(UnitOfWork, Protocol):
    billing_runs: BillingRunRepository
