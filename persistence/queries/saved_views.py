"""Saved views an operator may open: the built-in ones, the team's shared ones, and their own private ones."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select

from domain.access.permissions import Actor, Permission
from domain.errors import NotFound
from domain.segments.builtins import builtin_views, find_builtin
from domain.segments.model import SavedView, ViewDefinition, Visibility
from persistence.queries.common import read_session


def list_views(actor: Actor) -> list[ViewDefinition]:
    """Built-in views first, then the shared and private ones by name."""
    with read_session(actor, Permission.SEGMENTS_READ) as session:
        statement = select(SavedView).where(visible_to(actor)).order_by(func.lower(SavedView.name), SavedView.id)
        return [*builtin_views(), *(view.view() for view in session.scalars(statement))]


def open_view(actor: Actor, view_id: uuid.UUID) -> ViewDefinition:
    """Exactly what was saved; another operator's private view does not exist for this actor."""
    builtin = find_builtin(view_id)
    if builtin is not None:
        actor.require(Permission.SEGMENTS_READ)
        return builtin
    with read_session(actor, Permission.SEGMENTS_READ) as session:
        view = session.scalars(select(SavedView).where(SavedView.id == view_id, visible_to(actor))).one_or_none()
        if view is None:
            raise NotFound("Visão", view_id)
        return view.view()


def visible_to(actor: Actor):  # type: ignore[no-untyped-def]
    """Shared views, and the actor's own private ones."""
    return or_(SavedView.visibility == Visibility.SHARED, SavedView.owner_id == actor.id)
