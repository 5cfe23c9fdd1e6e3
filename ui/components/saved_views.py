"""Visões salvas: the list an operator may open (built-in, the team's shared ones, their own private ones) and the
dialogs to save a segment as a new view or update the open one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.segments import services
from domain.segments.model import VISIBILITY_LABELS, ViewDefinition, Visibility
from persistence.queries import saved_views as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt

ICONS = {"builtin": "star", Visibility.SHARED: "groups", Visibility.PRIVATE: "lock"}


class SavedViewsPanel:
    def __init__(self, actor: Actor, on_open: Callable[[ViewDefinition], Awaitable[None]]) -> None:
        self.actor, self.on_open = actor, on_open
        self.current: ViewDefinition | None = None
        ui.label("Visões").classes("text-sm font-semibold text-slate-600")
        self.list = ui.list().props("dense separator data-testid=saved-views").classes("w-full")

    async def refresh(self) -> None:
        views = await run.io_bound(queries.list_views, self.actor)
        self.list.clear()
        with self.list:
            for view in views:
                icon = ICONS["builtin"] if view.is_builtin else ICONS[view.visibility]
                active = self.current is not None and self.current.id == view.id
                item = ui.item(on_click=lambda v=view: self.on_open(v))
                with item.props(f"clickable dense {'active' if active else ''} data-testid=view-{view.id}"):
                    with ui.item_section().props("avatar").classes("min-w-0"):
                        ui.icon(icon, size="xs").classes("text-slate-500")
                    with ui.item_section():
                        ui.item_label(view.name)
                        if not view.is_builtin:
                            ui.item_label(f"{VISIBILITY_LABELS[view.visibility]} · {view.owner_name}").props("caption")

    def can_update(self) -> bool:
        view = self.current
        if view is None or view.is_builtin or not self.actor.can(Permission.SEGMENTS_WRITE):
            return False
        return view.visibility is Visibility.PRIVATE or self.actor.can(Permission.SEGMENTS_SHARE)

    async def save_as(self, tree: dict[str, Any], columns: list[str], sort: dict[str, Any]) -> None:
        """Dialog: a name and private/shared (shared only with SEGMENTS_SHARE)."""
        can_share = self.actor.can(Permission.SEGMENTS_SHARE)
        with ui.dialog() as dialog, ui.card().classes("w-96"):
            ui.label("Salvar visão").classes("text-lg font-semibold")
            name = ui.input("Nome da visão").classes("w-full").props("autofocus data-testid=view-name")
            options = {v.value: VISIBILITY_LABELS[v] for v in Visibility}
            visibility = ui.radio(options, value=Visibility.PRIVATE.value).props("inline data-testid=view-visibility")
            if not can_share:
                visibility.disable()
                ui.label("Compartilhar exige a permissão SEGMENTS_SHARE.").classes("text-xs text-slate-500")
            with ui.row().classes("w-full justify-end"):
                ui.button("Cancelar", on_click=dialog.close).props("flat")
                ui.button("Salvar", icon="save", on_click=lambda: dialog.submit(True)).props(
                    "color=primary data-testid=confirm-save-view"
                )
        if not await dialog:
            return
        ok, view = await attempt(services.create_saved_view, SqlUnitOfWork(self.actor), name=name.value or "",
                                 tree=tree, columns=columns, sort=sort, visibility=visibility.value,
                                 success="Visão salva.")  # fmt: skip
        if ok and view is not None:
            self.current = view.view()
            await self.refresh()

    async def update(self, tree: dict[str, Any], columns: list[str], sort: dict[str, Any]) -> None:
        if self.current is None:
            return
        ok, view = await attempt(services.update_saved_view, SqlUnitOfWork(self.actor), view_id=self.current.id,
                                 tree=tree, columns=columns, sort=sort, success="Visão atualizada.")  # fmt: skip
        if ok and view is not None:
            self.current = view.view()
            await self.refresh()

    async def delete(self) -> None:
        if self.current is None:
            return
        ok, _ = await attempt(services.delete_saved_view, SqlUnitOfWork(self.actor), view_id=self.current.id,
                              success="Visão excluída.")  # fmt: skip
        if ok:
            self.current = None
            await self.refresh()
