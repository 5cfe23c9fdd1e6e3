"""Progress of a background job (any area's): a dialog that polls the job row and offers its file when done."""

from __future__ import annotations

import uuid

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.background_jobs.model import JOB_STATUS_LABELS, JobStatus
from persistence.queries import files as file_queries
from ui.components.formats import number

POLL_SECONDS = 0.5


async def watch_job(actor: Actor, job_id: uuid.UUID, *, title: str) -> None:
    """Opens the dialog; the operator may close it and keep working, the job goes on in the worker."""
    with ui.dialog() as dialog, ui.card().classes("w-[28rem]").props("data-testid=job-dialog").mark("job-dialog"):
        ui.label(title).classes("text-lg font-semibold")
        status = ui.label("Na fila…").props("data-testid=job-status").mark("job-status")
        bar = ui.linear_progress(value=0, show_value=False).props("instant-feedback")
        result = ui.row().classes("items-center gap-2")
        with ui.row().classes("w-full justify-end"):
            ui.button("Fechar", on_click=dialog.close).props("flat")

    async def poll() -> None:
        job = await run.io_bound(file_queries.background_job, actor, job_id)
        if job is None:
            timer.deactivate()
            return
        bar.value = job.percent / 100
        label = JOB_STATUS_LABELS[job.status]
        status.text = f"{label}: {number(job.progress)} de {number(job.total)}" if job.total else label
        if job.is_finished:
            timer.deactivate()
            result.clear()
            with result:
                if job.status is JobStatus.DONE and job.result_file_id is not None:
                    status.text = f"{label}. {job.message or ''}".strip()
                    ui.button(
                        "Baixar arquivo",
                        icon="download",
                        on_click=lambda: ui.download.from_url(f"/arquivos/{job.result_file_id}"),
                    ).props("color=primary data-testid=job-download").mark("job-download")
                else:
                    ui.label(job.message or "A tarefa falhou.").classes("text-negative")

    timer = ui.timer(POLL_SECONDS, poll)
    dialog.open()
    await poll()
