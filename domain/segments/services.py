"""Use cases of saved views: create, update, delete, share. Shared views belong to the team (SEGMENTS_SHARE)."""

from __future__ import annotations

import uuid
from typing import Any

from domain.access.permissions import Permission
from domain.errors import ValidationFailed
from domain.segments.builtins import builtin_views, find_builtin
from domain.segments.errors import BuiltinViewReadOnly, SharedViewNeedsPermission, ViewNameInUse
from domain.segments.model import COLUMNS, DEFAULT_COLUMNS, DEFAULT_SORT, SORTS, SavedView, Visibility
from domain.segments.ports import SegmentsUnitOfWork
from domain.segments.tree import validate_tree

MAX_NAME = 80


def create_saved_view(
    uow: SegmentsUnitOfWork, *, name: str, tree: dict[str, Any], columns: list[str] | None = None,
    sort: dict[str, Any] | None = None, visibility: Visibility | str = Visibility.PRIVATE,
) -> SavedView:  # fmt: skip
    """Save a segment as a view of its owner; saving it shared with the organization takes SEGMENTS_SHARE."""
    with uow:
        uow.actor.require(Permission.SEGMENTS_WRITE)
        visibility = Visibility(visibility)
        if visibility is Visibility.SHARED:
            uow.actor.require(Permission.SEGMENTS_SHARE)
        uow.describe("saved_view.created")
        view = SavedView(organization_id=uow.actor.organization_id, entity="customer", visibility=visibility,
                         owner_id=uow.actor.id, owner_name=uow.actor.name)  # fmt: skip
        _apply(uow, view, name=name, tree=tree, columns=columns, sort=sort)
        uow.add(view)
        uow.commit()
        return view


def update_saved_view(
    uow: SegmentsUnitOfWork, *, view_id: uuid.UUID, name: str | None = None, tree: dict[str, Any] | None = None,
    columns: list[str] | None = None, sort: dict[str, Any] | None = None,
) -> SavedView:  # fmt: skip
    """Change a view's name, filter, columns or sort: one's own private view, or a shared one with SEGMENTS_SHARE."""
    with uow:
        view = _editable(uow, view_id)
        uow.describe("saved_view.updated")
        _apply(
            uow, view, name=view.name if name is None else name, tree=view.tree if tree is None else tree,
            columns=view.columns if columns is None else columns, sort=view.sort if sort is None else sort,
        )  # fmt: skip
        uow.commit()
        return view


def share_saved_view(uow: SegmentsUnitOfWork, *, view_id: uuid.UUID, visibility: Visibility | str) -> SavedView:
    """Share a view with the organization, or make a shared one private to its owner again (SEGMENTS_SHARE)."""
    with uow:
        uow.actor.require(Permission.SEGMENTS_SHARE)
        view = _editable(uow, view_id)
        uow.describe("saved_view.shared" if Visibility(visibility) is Visibility.SHARED else "saved_view.unshared")
        view.visibility = Visibility(visibility)
        uow.commit()
        return view


def delete_saved_view(uow: SegmentsUnitOfWork, *, view_id: uuid.UUID) -> None:
    """Delete a view: one's own private view, or a shared one with SEGMENTS_SHARE. Built-in views stay."""
    with uow:
        view = _editable(uow, view_id)
        uow.describe("saved_view.deleted")
        uow.delete(view)
        uow.commit()


def _editable(uow: SegmentsUnitOfWork, view_id: uuid.UUID) -> SavedView:
    uow.actor.require(Permission.SEGMENTS_WRITE)
    builtin = find_builtin(view_id)
    if builtin is not None:
        raise BuiltinViewReadOnly(builtin.name)
    view = uow.saved_views.get_visible(view_id, for_update=True)
    if view.visibility is Visibility.SHARED and not uow.actor.can(Permission.SEGMENTS_SHARE):
        raise SharedViewNeedsPermission(view.name)
    return view


def _apply(uow: SegmentsUnitOfWork, view: SavedView, *, name: str, tree: dict[str, Any],
           columns: list[str] | None, sort: dict[str, Any] | None) -> None:  # fmt: skip
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed("Dê um nome à visão.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"O nome da visão tem no máximo {MAX_NAME} caracteres.", field="name")
    if any(b.name.lower() == name.lower() for b in builtin_views()) or uow.saved_views.name_taken(
        name, except_id=view.id
    ):
        raise ViewNameInUse(name)
    view.name = name
    view.tree = validate_tree(tree)  # reassigned, never mutated in place (JSON column)
    view.columns = check_columns(columns)
    view.sort = check_sort(sort)


def check_columns(columns: list[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(columns or DEFAULT_COLUMNS))
    unknown = [c for c in chosen if c not in COLUMNS]
    if unknown:
        raise ValidationFailed(f"Coluna desconhecida: {', '.join(unknown)}.", field="columns")
    return chosen


def check_sort(sort: dict[str, Any] | None) -> dict[str, Any]:
    sort = sort or DEFAULT_SORT
    if sort.get("key") not in SORTS:
        raise ValidationFailed("Ordenação desconhecida.", field="sort")
    return {"key": sort["key"], "descending": bool(sort.get("descending", False))}
