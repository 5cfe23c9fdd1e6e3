"""What use cases need from storage: only what services actually call."""

from __future__ import annotations

import uuid
from typing import Any, Protocol, Self, TypeVar

from domain.access.permissions import Actor

T = TypeVar("T")


class UnitOfWork(Protocol):
    """One business transaction: everything a use case changes commits together with its audit events, or nothing."""

    actor: Actor

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def flush(self) -> None: ...
    def add(self, entity: Any) -> None: ...
    def delete(self, entity: Any) -> None: ...
    def get(self, model: type[T], entity_id: uuid.UUID, *, label: str, for_update: bool = False) -> T: ...
    def find(self, model: type[T], entity_id: uuid.UUID) -> T | None: ...
    def describe(self, action: str, *, reason: str | None = None) -> None: ...
    def record_event(
        self, *, action: str, entity_type: str, entity_id: object, changes: dict[str, Any],
        root_id: object | None = None, reason: str | None = None,
    ) -> None: ...  # fmt: skip
