"""SqlUnitOfWork: a session scoped to one actor's organization, with repositories and the audit hook."""

from __future__ import annotations

import uuid
from typing import Any, Self, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

import persistence.audit
import persistence.tenancy
from domain.access.permissions import Actor
from domain.errors import NotFound
from persistence import database
from persistence.repositories import Repositories

T = TypeVar("T")


class SqlUnitOfWork(Repositories):
    """`with uow:` opens a transaction; `commit()` keeps it; leaving the block without commit rolls it back."""

    def __init__(self, actor: Actor, *, database_url: str | None = None) -> None:
        self.actor = actor
        self._database_url = database_url
        self._session: Session | None = None

    def __enter__(self) -> Self:
        self._session = database.open_session(self.actor, self._database_url)
        return self

    def __exit__(self, *exc: object) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
        finally:
            session.close()

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._session

    def commit(self) -> None:
        self.session.commit()

    def flush(self) -> None:
        self.session.flush()

    def add(self, entity: Any) -> None:
        self.session.add(entity)

    def delete(self, entity: Any) -> None:
        self.session.delete(entity)

    def get(self, model: type[T], entity_id: uuid.UUID, *, label: str, for_update: bool = False) -> T:
        """Load by id within the organization; another organization's row is simply not found."""
        found = self.find(model, entity_id, for_update=for_update)
        if found is None:
            raise NotFound(label, entity_id)
        return found

    def find(self, model: type[T], entity_id: uuid.UUID, *, for_update: bool = False) -> T | None:
        if not isinstance(entity_id, uuid.UUID):
            try:
                entity_id = uuid.UUID(str(entity_id))
            except ValueError:
                return None
        statement = select(model).where(model.id == entity_id)  # type: ignore[attr-defined]
        if for_update:
            statement = statement.with_for_update()
        return self.session.scalars(statement).unique().one_or_none()

    def describe(self, action: str, *, reason: str | None = None) -> None:
        """Name the use case (and the operator's reason) for the audit events this transaction writes."""
        self.session.info["audit_action"] = action
        self.session.info["audit_reason"] = reason

    def record_event(self, **kwargs: Any) -> None:
        persistence.audit.record_event(self.session, **kwargs)
