"""Append-only tables (statement items, payments): the ORM refuses to UPDATE or DELETE their rows.

Entities opt in with `__append_only__ = True`. On PostgreSQL a trigger (migration 0003) also refuses it to any SQL.
Test cleanup empties tables with TRUNCATE / Core DELETE, which is deliberate and bypasses the ORM.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session


class AppendOnlyViolation(RuntimeError):
    """A programming error: a ledger row was about to be changed or deleted. Corrections are new rows."""


def _is_append_only(obj_or_class: object) -> bool:
    cls = obj_or_class if isinstance(obj_or_class, type) else type(obj_or_class)
    return bool(getattr(cls, "__append_only__", False))


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    for obj in session.deleted:
        if _is_append_only(obj):
            raise AppendOnlyViolation(f"{type(obj).__name__} é somente inclusão: não pode ser excluído")
    for obj in session.dirty:
        if _is_append_only(obj) and session.is_modified(obj, include_collections=False):
            raise AppendOnlyViolation(f"{type(obj).__name__} é somente inclusão: não pode ser alterado")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and _is_append_only(mapper.class_):
        raise AppendOnlyViolation(f"{mapper.class_.__name__} é somente inclusão")
