"""Ações em lote: over the WHOLE selection of the segment (not only the page on screen). Each action shows a preview
("Esta ação vai alterar 12.430 clientes"), runs after the operator confirms it (right away when small, on the queue
when large) and shows its progress; exports end with a download."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.background_jobs.model import JOB_STATUS_LABELS, JobStatus
from domain.segments import bulk
from domain.segments.bulk import BULK_SPECS, BulkAction
from jobs import segments as segment_jobs
from persistence.queries.files import background_job
from persistence.unit_of_work import SqlUnitOfWork
from reports import segment_export
from ui.components.dialogs import attempt
from ui.components.formats import number

ICONS = {
    BulkAction.ADD_TAG: "sell", BulkAction.REMOVE_TAG: "label_off", BulkAction.SUSPEND_ACCOUNTS: "pause_circle",
    BulkAction.EXPORT_CSV: "download", BulkAction.EXPORT_XLSX: "table_view", BulkAction.LGPD_EXPORT: "privacy_tip",
}  # fmt: skip
POLL_SECONDS = 0.5


class BulkActionsBar:
    """`selection()` returns (tree, columns, sort) of what the screen shows now; `after()` runs when a change ends."""

    def __init__(self, actor: Actor, selection: Callable[[], tuple[dict, list[str], dict]],
                 after: Callable[[], Any]) -> None:  # fmt: skip
        self.actor, self.selection, self.after = actor, selection, after
        lgpd_ready = segment_jobs.lgpd_bulk_available()
        with ui.row().classes("items-center gap-1").props("data-testid=bulk-actions"):
            ui.label("Em lote:").classes("text-sm text-slate-600")
            for action, spec in BULK_SPECS.items():
                button = ui.button(spec.label, icon=ICONS[action], on_click=lambda a=action: self.open(a)).props(
                    f"outline dense size=sm data-testid=bulk-{action.value}"
                )
                allowed = all(actor.can(p) for p in spec.permissions)
                if not allowed:
                    button.disable()
                    button.tooltip("Sem permissão: " + ", ".join(p.value for p in spec.permissions))
                elif action is BulkAction.LGPD_EXPORT and not lgpd_ready:
                    button.disable()
                    button.tooltip("Depende da área de LGPD (exportação por cliente), ainda não instalada.")

    async def open(self, action: BulkAction) -> None:
        tree, columns, sort = self.selection()
        spec = BULK_SPECS[action]
        state: dict[str, Any] = {"rows": None}
        with ui.dialog() as dialog, ui.card().classes("w-[30rem]"):
            ui.label(spec.label).classes("text-lg font-semibold")
            ui.label("Vale para todos os clientes do segmento, não só para a página exibida.").classes(
                "text-xs text-slate-500"
            )
            params: dict[str, Any] = {"columns": columns, "sort": sort}
            if action in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG):
                ui.input("Etiqueta", on_change=lambda e: params.update(tag=e.value)).classes("w-full").props(
                    "autofocus data-testid=bulk-tag"
                )
            if action is BulkAction.SUSPEND_ACCOUNTS:
                ui.textarea("Motivo da suspensão", on_change=lambda e: params.update(reason=e.value)).classes(
                    "w-full"
                ).props("data-testid=bulk-reason")
            preview = ui.label("").classes("text-base font-medium").props("data-testid=bulk-preview")
            progress = ui.linear_progress(value=0, show_value=False).classes("w-full").props("instant-feedback")
            progress.set_visibility(False)
            status = ui.label("").classes("text-sm").props("data-testid=bulk-status")
            with ui.row().classes("w-full justify-end") as buttons:
                ui.button("Fechar", on_click=dialog.close).props("flat")
                ui.button(
                    "Prévia", icon="visibility", on_click=lambda: self._preview(action, tree, params, state, preview)
                ).props("outline data-testid=bulk-preview-button")
                confirm = ui.button("Confirmar", icon="check",
                                    on_click=lambda: self._run(action, tree, params, state, progress, status, buttons)
                                    ).props("color=primary data-testid=bulk-confirm")  # fmt: skip
                confirm.disable()
                state["confirm"] = confirm
        if action not in (BulkAction.ADD_TAG, BulkAction.REMOVE_TAG, BulkAction.SUSPEND_ACCOUNTS):
            await self._preview(action, tree, params, state, preview)  # nothing to type: preview at once
        dialog.open()

    async def _preview(self, action: BulkAction, tree: dict, params: dict, state: dict, label: ui.label) -> None:
        ok, result = await attempt(bulk.preview_bulk_action, SqlUnitOfWork(self.actor), action=action, tree=tree,
                                   params=params)  # fmt: skip
        state["rows"] = result.rows if ok and result is not None else None
        state["confirm"].set_enabled(bool(state["rows"]))
        if result is None:
            label.text = ""
            return
        spec = result.spec
        label.text = f"Esta ação vai {spec.verb} {number(result.rows)} {spec.unit}."

    async def _run(self, action: BulkAction, tree: dict, params: dict, state: dict, progress: ui.linear_progress,
                   status: ui.label, buttons: ui.row) -> None:  # fmt: skip
        ok, job = await attempt(bulk.request_bulk_action, SqlUnitOfWork(self.actor), action=action, tree=tree,
                                params=params, expected=state["rows"])  # fmt: skip
        if not ok or job is None:
            return
        state["rows"] = None  # one confirmation, one job
        state["confirm"].disable()
        progress.set_visibility(True)
        status.text = "Na fila…"
        await run.io_bound(segment_jobs.dispatch, self.actor.organization_id, job)
        while True:
            current = await run.io_bound(background_job, self.actor, job.id)
            if current is None:
                return
            progress.value = current.percent / 100
            status.text = f"{JOB_STATUS_LABELS[current.status]}: {number(current.progress)} de {number(current.total)}"
            if current.is_finished:
                break
            await asyncio.sleep(POLL_SECONDS)
        status.text = current.message or JOB_STATUS_LABELS[current.status]
        if current.status is JobStatus.DONE and current.result_file_id is not None:
            with buttons:
                ui.button("Baixar arquivo", icon="download", on_click=lambda: self._download(current.result_file_id)
                          ).props("color=primary data-testid=bulk-download")  # fmt: skip
        result = self.after()
        if asyncio.iscoroutine(result):
            await result

    async def _download(self, file_id: uuid.UUID) -> None:
        name, data = await run.io_bound(segment_export.export_file, self.actor, file_id)
        ui.download.content(data, name)
