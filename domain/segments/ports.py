"""What the segment use cases need from storage (persistence/repositories/segments.py provides it)."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from domain.background_jobs.model import BackgroundJob
from domain.ports import UnitOfWork
from domain.segments.model import SavedView


class SavedViewRepository(Protocol):
    def get_visible(self, view_id: uuid.UUID, *, for_update: bool = False) -> SavedView:
        """A shared view, or a private one of the actor; NotFound otherwise (others' private views do not exist)."""

    def name_taken(self, name: str, *, except_id: uuid.UUID | None) -> bool:
        """Whether a view the actor sees (shared, or their own) already has this name (case-insensitive)."""


class SegmentSelection(Protocol):
    """Set-based work over the customers a filter tree selects (never rows filtered in Python)."""

    def count_for(self, tree: dict[str, Any], action: str, params: dict[str, Any]) -> int:
        """How many rows the action would change now (customers; billing accounts for a suspension)."""

    def apply_batch(
        self, tree: dict[str, Any], action: str, params: dict[str, Any], *, after_id: uuid.UUID | None, size: int
    ) -> tuple[int, uuid.UUID | None]:
        """Apply the action to the next `size` customers (by id, after `after_id`) it would still change, writing one
        audit event per changed row. Returns (rows changed, the last customer id, or None when none was left)."""


class JobRepository(Protocol):
    def get(self, job_id: uuid.UUID, *, for_update: bool = False) -> BackgroundJob: ...


class SegmentsUnitOfWork(UnitOfWork, Protocol):
    saved_views: SavedViewRepository
    segment_selection: SegmentSelection
    background_jobs: JobRepository
