"""Segmentos: build a filter over customers (nested AND/OR groups), see the live count as it changes, page through
the customers it selects, save it as a view (private or shared), open views, and act on the whole selection."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.errors import BillingError, NotFound
from domain.segments.model import COLUMNS, DEFAULT_COLUMNS, DEFAULT_SORT, SORTS, ViewDefinition
from domain.segments.tree import empty_tree, validate_tree
from persistence.queries import saved_views
from persistence.queries import segments as queries
from ui.components.bulk_actions import BulkActionsBar
from ui.components.formats import number
from ui.components.frame import page_actor, page_frame
from ui.components.saved_views import SavedViewsPanel
from ui.components.segment_builder import SegmentBuilder
from ui.components.segment_results import SegmentResults

router = APIRouter()
DEBOUNCE_SECONDS = 0.35


@router.page("/segmentos")
async def segments_page(visao: str = "") -> None:
    actor = await page_actor("Segmentos", Permission.SEGMENTS_READ)
    if actor is None:
        return
    with page_frame("Segmentos", actor):
        screen = SegmentScreen(actor)
        await screen.views.refresh()
        view = await _view_of(actor, visao)
        if view is not None:
            await screen.open(view)
        else:
            await screen.refresh()


class SegmentScreen:
    """The state of one operator's segment screen: the tree being edited, the columns, the sort."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.tree: dict[str, Any] = empty_tree()
        self.columns, self.sort = list(DEFAULT_COLUMNS), dict(DEFAULT_SORT)
        self.edits = 0
        self.loading = False  # while a view is being opened, its own widgets' change events are not edits
        with ui.row().classes("w-full no-wrap items-start gap-4"):
            with ui.column().classes("w-60 shrink-0 gap-1"):
                self.views = SavedViewsPanel(actor, self.open)
                ui.button("Duplicados", icon="merge", on_click=lambda: ui.navigate.to("/segmentos/duplicados")).props(
                    "flat dense no-caps data-testid=open-duplicates"
                ).set_visibility(actor.can(Permission.MERGES_RUN))
            with ui.column().classes("grow gap-2 min-w-0"):
                self._toolbar()
                self.builder = SegmentBuilder(self.edited)
                self.problem = ui.label("").classes("text-sm text-negative").props("data-testid=segment-problem")
                self._display_options()
                BulkActionsBar(actor, lambda: (self.tree, self.columns, self.sort), self.refresh)
                self.results = SegmentResults(actor)

    def _toolbar(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            self.title = ui.label("Novo segmento").classes("text-lg font-medium").props("data-testid=segment-title")
            self.count = ui.label("…").classes("text-lg text-blue-9 font-semibold").props("data-testid=segment-count")
            ui.space()
            can_write = self.actor.can(Permission.SEGMENTS_WRITE)
            ui.button("Novo", icon="add", on_click=self.new).props("flat dense")
            self.update_button = ui.button("Atualizar visão", icon="save", on_click=self._update).props(
                "flat dense data-testid=update-view"
            )
            save = ui.button("Salvar como…", icon="bookmark_add",
                             on_click=lambda: self.views.save_as(self.tree, self.columns, self.sort)).props(
                "outline dense data-testid=save-view")  # fmt: skip
            self.delete_button = ui.button(icon="delete", on_click=self._delete).props(
                "flat dense round color=negative aria-label='Excluir visão'"
            )
            save.set_enabled(can_write)
        self._sync_buttons()

    def _display_options(self) -> None:
        with ui.row().classes("items-center gap-2"):
            self.column_select = ui.select(COLUMNS, value=self.columns, multiple=True, label="Colunas",
                      on_change=lambda e: self._set_display(columns=list(e.value))).classes("min-w-96").props(
                "use-chips data-testid=segment-columns")  # fmt: skip
            self.sort_key = ui.select(SORTS, value=self.sort["key"], label="Ordenar por",
                                      on_change=lambda e: self._set_display(key=e.value)).classes("w-44")  # fmt: skip
            self.descending = ui.switch("Decrescente", value=self.sort["descending"],
                                        on_change=lambda e: self._set_display(descending=e.value))  # fmt: skip

    async def open(self, view: ViewDefinition) -> None:
        """Exactly what was saved: the tree, the columns, the sort."""
        self.views.current = view
        self.tree, self.columns, self.sort = view.tree, list(view.columns), dict(view.sort)
        self.title.text = view.name
        self.builder.load(view.tree)
        self.loading = True
        self.column_select.value = list(view.columns)
        self.sort_key.value, self.descending.value = self.sort["key"], self.sort["descending"]
        self.loading = False
        self._sync_buttons()
        await self.views.refresh()
        await self.refresh()

    async def new(self) -> None:
        self.views.current = None
        self.title.text = "Novo segmento"
        self.tree = empty_tree()
        self.builder.load(self.tree)
        self._sync_buttons()
        await self.views.refresh()
        await self.refresh()

    async def edited(self, tree: dict[str, Any]) -> None:
        """Every edit: debounced, so the count runs once the operator pauses, never for a stale tree."""
        self.tree = tree
        self.edits += 1
        mine = self.edits
        await asyncio.sleep(DEBOUNCE_SECONDS)
        if mine == self.edits:
            await self.refresh()

    async def refresh(self) -> None:
        try:
            tree = validate_tree(self.tree)
        except BillingError as problem:
            self.problem.text = problem.message
            self.count.text = "—"
            return
        self.problem.text = ""
        self.count.text = "contando…"
        await self.results.show(tree, self.columns, self.sort)
        count = await run.io_bound(queries.count_segment, self.actor, tree)
        self.count.text = f"{'≈ ' if count.is_estimate else ''}{number(count.value)} clientes"

    async def _set_display(self, **changes: Any) -> None:
        if self.loading:
            return
        if "columns" in changes:
            self.columns = changes["columns"] or list(DEFAULT_COLUMNS)
        if "key" in changes or "descending" in changes:
            self.sort = {"key": changes.get("key", self.sort["key"]),
                         "descending": changes.get("descending", self.sort["descending"])}  # fmt: skip
        await self.refresh()

    async def _update(self) -> None:
        await self.views.update(self.tree, self.columns, self.sort)

    async def _delete(self) -> None:
        await self.views.delete()
        await self.new()

    def _sync_buttons(self) -> None:
        editable = self.views.can_update()
        self.update_button.set_visibility(editable)
        self.delete_button.set_visibility(editable)


async def _view_of(actor: Actor, view_id: str) -> ViewDefinition | None:
    if not view_id:
        return None
    try:
        return await run.io_bound(saved_views.open_view, actor, uuid.UUID(view_id))
    except (NotFound, ValueError):
        ui.notify("Visão não encontrada.", type="warning")
        return None
