"""What the import use cases need from storage (persistence/repositories/imports.py provides it)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from domain.customers.ports import CustomerRepository
from domain.imports.model import ImportRun
from domain.imports.rows import AcceptedRow, Problem
from domain.ports import UnitOfWork

# Stores an uploaded file for a run and returns its path relative to the organization's folder.
FileSaver = Callable[[uuid.UUID, str, bytes], str]


@dataclass
class Existing:
    """What storage already holds for a batch's keys (live rows only)."""

    documents: set[tuple[str, str]] = field(default_factory=set)  # (document type, number)
    external_ids: dict[str, str] = field(default_factory=dict)  # external id -> owner's name
    account_emails: dict[str, tuple[str, str]] = field(default_factory=dict)  # e-mail -> (account, owner)


class ImportRepository(Protocol):
    def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> ImportRun: ...
    def find_active_for_file(self, sha256: str, *, except_id: uuid.UUID) -> ImportRun | None: ...
    def saved_choices(self) -> dict[str, str]: ...
    def save_choices(self, choices: dict[str, str]) -> None: ...
    def lock_for_writing(self) -> None:
        """Serialize the writing batches of one organization's imports (two runs of one file create nothing twice)."""

    def existing(self, rows: list[AcceptedRow]) -> Existing: ...
    def refresh_statistics(self) -> None:
        """After a bulk insert: let the database plan the next batches' lookups from the grown tables."""

    def insert_accepted(self, rows: list[AcceptedRow]) -> tuple[int, int]:
        """Set-based insert of customers (and accounts); returns (customers, accounts) created."""

    def add_problems(self, run: ImportRun, problems: list[Problem]) -> None: ...


class ImportUnitOfWork(UnitOfWork, Protocol):
    imports: ImportRepository
    customers: CustomerRepository
