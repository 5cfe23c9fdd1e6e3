"""The import wizard: upload → map the columns → preview (nothing written) → run with a progress bar → report.

Each step renders into its own card below the previous one, so the operator sees what was detected and decided.
SQL, parsing and validation run off the event loop; the run itself is a Huey job this screen polls.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from itertools import islice

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.customers.custom_fields import CustomFieldDefinition
from domain.imports import services as imports
from domain.imports.columns import CUSTOM_PREFIX, FIELDS, mapping_from_json
from domain.imports.decoding import ENCODING_LABELS, SEPARATOR_LABELS
from domain.imports.errors import UnreadableFile
from domain.imports.model import ImportRun, ImportStatus
from domain.imports.runner import ImportSummary
from domain.imports.table import SourceTable, is_blank
from jobs.imports import analyze_file, report_file, run_import
from persistence import var_files
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork
from reports.spreadsheets import open_table
from ui.components.dialogs import attempt
from ui.components.formats import number

COUNT_LABELS = {"rows": "Linhas lidas", "to_create": "A criar", "created": "Clientes criados",
                "already_present": "Já existentes", "rejected": "Rejeitadas", "skipped": "Ignoradas (vazias)",
                "accounts_created": "Contas criadas"}  # fmt: skip
PROBLEM_COLUMNS = [
    {"name": "line", "label": "Linha", "field": "line", "align": "right"},
    {"name": "column", "label": "Coluna", "field": "column", "align": "left"},
    {"name": "code", "label": "Código", "field": "code", "align": "left", "classes": "font-mono text-xs"},
    {"name": "message", "label": "Problema", "field": "message", "align": "left",
     "style": "white-space: normal; max-width: 560px"},
]  # fmt: skip
POLL_SECONDS = 0.5


class ImportWizard:
    """One operator's import in one browser tab."""

    def __init__(self, actor: Actor, definitions: list[CustomFieldDefinition], on_change: Callable[[], Awaitable]):
        self.actor, self.on_change = actor, on_change
        self.options = {"": "— ignorar —", **{f.key: f.label for f in FIELDS},
                        **{f"{CUSTOM_PREFIX}{d.key}": f"{d.label} (campo personalizado)" for d in definitions
                           if d.is_active}}  # fmt: skip
        self.run: ImportRun | None = None
        self.table: SourceTable | None = None
        self.selects: dict[int, ui.select] = {}
        self.steps = ui.column().classes("w-full gap-2")

    async def receive(self, name: str, data: bytes) -> None:
        """Step 1 done: the file is read (or refused with its reason) and registered as a draft run."""
        self.steps.clear()
        try:
            table = await run.io_bound(open_table, data, name)
        except UnreadableFile as refusal:
            with self.steps, ui.card().classes("w-full bg-red-50"):
                ui.label("Arquivo recusado").classes("font-semibold text-negative")
                ui.label(refusal.message).props("data-testid=import-refused").mark("import-refused")
            return
        ok, registered = await attempt(imports.register_upload, SqlUnitOfWork(self.actor), file_name=name, data=data,
                                       table=table, save=self._save)  # fmt: skip
        if not ok or registered is None:
            return
        self.run, self.table = registered, table
        samples = await run.io_bound(_samples, table)
        self._mapping_step(samples)

    def _save(self, run_id: uuid.UUID, name: str, data: bytes) -> str:
        return var_files.save_bytes(self.actor.organization_id, "imports", f"{run_id}-{name}", data)  # type: ignore[arg-type]

    def _mapping_step(self, samples: list[list[str]]) -> None:
        assert self.run is not None and self.table is not None
        table, guessed = self.table, mapping_from_json(self.run.mapping)
        with self.steps, ui.card().classes("w-full").props("data-testid=import-mapping"):
            ui.label("2. Colunas").classes("font-semibold")
            detected = [f"Formato: {table.file_format.upper()}", f"cerca de {number(table.estimated_rows)} linhas"]
            if table.encoding:
                detected.insert(1, f"codificação {ENCODING_LABELS.get(table.encoding, table.encoding)}")
                detected.insert(2, f"separador {SEPARATOR_LABELS.get(table.separator or '', table.separator)}")
            ui.label(" · ".join(detected)).classes("text-sm text-slate-600").props("data-testid=import-detected")
            self.selects = {}
            with ui.grid(columns="minmax(10rem, 1fr) minmax(12rem, 2fr) 16rem").classes("w-full gap-x-3 gap-y-1"):
                for label in ("Coluna do arquivo", "Exemplos", "Campo no Fatura"):
                    ui.label(label).classes("text-xs font-semibold text-slate-500")
                for index, header in enumerate(table.headers):
                    ui.label(header).classes("self-center font-medium")
                    example = " · ".join(s[index] for s in samples if index < len(s) and s[index].strip())[:90]
                    ui.label(example).classes("self-center text-sm text-slate-500 truncate")
                    self.selects[index] = ui.select(self.options, value=guessed.get(index, "")).props(
                        f"data-testid=map-{index}"
                    )
            ui.button("Pré-visualizar", icon="fact_check", on_click=self._preview).props(
                "color=primary data-testid=import-preview"
            )

    def mapping(self) -> dict[int, str]:
        return {index: select.value for index, select in self.selects.items() if select.value}

    async def _preview(self) -> None:
        assert self.run is not None and self.table is not None
        ok, spec = await attempt(imports.preview_spec, SqlUnitOfWork(self.actor), headers=self.table.headers,
                                 mapping=self.mapping())  # fmt: skip
        if not ok or spec is None:
            return
        notice = ui.notification("Validando o arquivo…", spinner=True, timeout=None)
        summary = await run.io_bound(analyze_file, self.actor, spec, self.table)
        notice.dismiss()
        self._preview_step(summary)

    def _preview_step(self, summary: ImportSummary) -> None:
        _remove_after(self.steps, 1)
        with self.steps, ui.card().classes("w-full").props("data-testid=import-summary"):
            ui.label("3. Pré-visualização (nada foi gravado)").classes("font-semibold")
            counts = {k: summary.counts[k] for k in ("rows", "to_create", "already_present", "rejected", "skipped")}
            _count_chips(counts, "preview")
            if summary.problems:
                shown = min(len(summary.problems), len(summary.first_problems))
                ui.label(f"Primeiros {shown} de {number(len(summary.problems))} problemas:").classes("text-sm")
                ui.table(columns=PROBLEM_COLUMNS, rows=[p._asdict() for p in summary.first_problems],
                         row_key="line").classes("w-full").props("data-testid=import-problems").mark(
                    "import-problems")  # fmt: skip
            label = f"Importar {number(summary.counts['to_create'])} clientes"
            ui.button(label, icon="play_arrow", on_click=self._start).props("color=primary data-testid=import-run")

    async def _start(self) -> None:
        assert self.run is not None
        ok, started = await attempt(imports.start_import, SqlUnitOfWork(self.actor), run_id=self.run.id,
                                    mapping=self.mapping())  # fmt: skip
        if not ok or started is None:
            return
        for select in self.selects.values():
            select.disable()  # the mapping is decided: it is what the run uses
        for button in self.steps.descendants():
            if isinstance(button, ui.button):
                button.disable()
        _remove_after(self.steps, 2)
        with self.steps, ui.card().classes("w-full").props("data-testid=import-progress"):
            ui.label("4. Importação").classes("font-semibold")
            status = ui.label("Na fila…").props("data-testid=import-status").mark("import-status")
            bar = ui.linear_progress(value=0, show_value=False).props("instant-feedback data-testid=import-bar")
            result = ui.column().classes("w-full gap-1")
        run_id, actor = self.run.id, self.actor
        await run.io_bound(run_import, str(actor.organization_id), str(run_id), str(actor.id) if actor.id else None)

        async def poll() -> None:
            view = await run.io_bound(queries.get_run, actor, run_id)
            bar.value = view.percent / 100
            status.text = f"{view.status_label} · {view.percent}% · linha {number(view.counts['rows'])}"
            if view.status in (ImportStatus.DONE, ImportStatus.FAILED):
                timer.deactivate()
                status.text = view.status_label + (f": {view.message}" if view.message else "")
                with result:
                    order = ("rows", "created", "already_present", "rejected", "skipped", "accounts_created")
                    _count_chips({k: view.counts[k] for k in order}, "result")
                    if view.status is ImportStatus.DONE:
                        report_buttons(actor, run_id)
                await self.on_change()

        timer = ui.timer(POLL_SECONDS, poll)


def report_buttons(actor: Actor, run_id: uuid.UUID) -> None:
    with ui.row().classes("gap-2"):
        for fmt, label in (("csv", "Relatório de erros (CSV)"), ("xlsx", "Relatório de erros (Excel)")):
            ui.button(label, icon="download", on_click=lambda f=fmt: download_report(actor, run_id, f)).props(
                f"outline dense data-testid=report-{fmt}"
            )


async def download_report(actor: Actor, run_id: uuid.UUID, fmt: str) -> None:
    found = await run.io_bound(report_file, actor, run_id, fmt)
    if found is None:
        ui.notify("O relatório fica pronto ao fim da importação.", type="warning")
        return
    media = "text/csv" if fmt == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ui.download.content(found[1], found[0], media)


def _count_chips(counts: dict[str, int], prefix: str) -> None:
    with ui.row().classes("gap-2"):
        for key, value in counts.items():
            if key in COUNT_LABELS:
                with (
                    ui.element("div")
                    .classes("rounded border px-3 py-1 bg-slate-50")
                    .props(f"data-testid={prefix}-{key}")
                ):
                    ui.label(number(value)).classes("text-lg font-semibold leading-tight")
                    ui.label(COUNT_LABELS[key]).classes("text-xs text-slate-500")


def _samples(table: SourceTable) -> list[list[str]]:
    return [cells for _, cells in islice((r for r in table.rows() if not is_blank(r[1])), 3)]


def _remove_after(container: ui.column, keep: int) -> None:
    for child in list(container.default_slot.children)[keep:]:
        container.remove(child)
