"""Importações: upload a CSV or Excel file of customers, map its columns, preview, run it with a progress bar, and
download its error report; the organization's history of imports below, with who, when, counts and reports."""

from __future__ import annotations

import uuid

from nicegui import APIRouter, events, run, ui

from domain.access.permissions import Actor, Permission
from domain.imports import services as imports
from domain.imports.model import ImportStatus
from jobs.imports import run_import
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork
from reports.spreadsheets import template_csv, template_xlsx
from ui.components.dialogs import attempt
from ui.components.formats import moment, number
from ui.components.frame import page_actor, page_frame
from ui.components.import_wizard import ImportWizard, download_report

router = APIRouter()

TITLE = "Importações"
MAX_BYTES = 100 * 1024 * 1024
HISTORY_COLUMNS = [
    {"name": "created_at", "label": "Quando", "field": "created_at", "align": "left"},
    {"name": "who", "label": "Quem", "field": "who", "align": "left"},
    {"name": "file", "label": "Arquivo", "field": "file", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "rows", "label": "Linhas", "field": "rows", "align": "right"},
    {"name": "created", "label": "Criados", "field": "created", "align": "right"},
    {"name": "already_present", "label": "Já existentes", "field": "already_present", "align": "right"},
    {"name": "rejected", "label": "Rejeitadas", "field": "rejected", "align": "right"},
    {"name": "actions", "label": "Relatório", "field": "id", "align": "left"},
]
ACTIONS_SLOT = r"""
<q-td :props="props">
  <template v-if="props.row.has_report">
    <q-btn dense flat size="sm" label="CSV" icon="download"
           @click="$parent.$emit('report', [props.row.id, 'csv'])" />
    <q-btn dense flat size="sm" label="Excel" icon="download"
           @click="$parent.$emit('report', [props.row.id, 'xlsx'])" />
  </template>
  <q-btn v-if="props.row.resumable" dense flat size="sm" color="primary" label="Retomar" icon="replay"
         @click="$parent.$emit('resume', props.row.id)" />
</q-td>
"""


@router.page("/importacoes")
async def imports_page() -> None:
    actor = await page_actor(TITLE, Permission.IMPORTS_RUN)
    if actor is None:
        return
    definitions = await run.io_bound(queries.custom_fields, actor)
    with page_frame(TITLE, actor):
        with ui.row().classes("items-center gap-2 text-sm text-slate-600"):
            ui.label("Clientes (e contas de faturamento) a partir de CSV ou Excel. Comece pelo modelo:")
            ui.button("Modelo CSV", icon="description", on_click=lambda: _template("csv")).props(
                "outline dense data-testid=template-csv"
            )
            ui.button("Modelo Excel", icon="grid_on", on_click=lambda: _template("xlsx")).props(
                "outline dense data-testid=template-xlsx"
            )

        async def refresh() -> None:
            runs = await run.io_bound(queries.list_runs, actor)
            history.rows = [_row(r) for r in runs]
            history.update()

        with ui.card().classes("w-full"):
            ui.label("1. Arquivo").classes("font-semibold")

            async def received(e: events.UploadEventArguments) -> None:
                await wizard.receive(e.file.name, await e.file.read())
                upload.reset()

            upload = (
                ui.upload(on_upload=received, auto_upload=True, max_file_size=MAX_BYTES,
                          label="Arraste um arquivo .csv ou .xlsx (até 100 MB) ou clique para escolher")
                .props('accept=".csv,.txt,.xlsx" flat bordered data-testid=import-upload').classes("w-full max-w-3xl")
            )  # fmt: skip
        wizard = ImportWizard(actor, definitions, refresh)
        ui.label("Histórico").classes("text-lg font-semibold mt-2")
        history = ui.table(columns=HISTORY_COLUMNS, rows=[], row_key="id").classes("w-full")
        history.props("data-testid=import-history").mark("import-history")
        history.add_slot("body-cell-actions", ACTIONS_SLOT)
        history.on("report", lambda e: download_report(actor, uuid.UUID(e.args[0]), e.args[1]))
        history.on("resume", lambda e: _resume(actor, uuid.UUID(e.args), refresh))
        await refresh()


def _template(fmt: str) -> None:
    if fmt == "csv":
        ui.download.content(template_csv(), "modelo-importacao-clientes.csv", "text/csv")
    else:
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ui.download.content(template_xlsx(), "modelo-importacao-clientes.xlsx", media)


async def _resume(actor: Actor, run_id: uuid.UUID, refresh) -> None:  # type: ignore[no-untyped-def]
    ok, _ = await attempt(imports.resume_import, SqlUnitOfWork(actor), run_id=run_id,
                          success="Importação retomada: ela continua do último lote gravado.")  # fmt: skip
    if ok:
        await run.io_bound(run_import, str(actor.organization_id), str(run_id), str(actor.id) if actor.id else None)
        await refresh()


def _row(r: queries.RunView) -> dict:
    return {
        "id": str(r.id), "created_at": moment(r.created_at), "who": r.created_by_name, "file": r.file_name,
        "status": r.status_label if r.status is not ImportStatus.RUNNING else f"{r.status_label} ({r.percent}%)",
        "rows": number(r.counts["rows"]), "created": number(r.counts["created"]),
        "already_present": number(r.counts["already_present"]), "rejected": number(r.counts["rejected"]),
        "has_report": r.has_report, "resumable": r.status is ImportStatus.FAILED,
    }  # fmt: skip
