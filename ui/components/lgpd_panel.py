"""The LGPD panel of a customer: the titular's export (ZIP, expiring link) and erasure with its status and actions.

Mount it anywhere a customer is shown: `await lgpd_panel(actor, customer_id)`. It renders itself again after each
action and, while an export or an execution is under way, polls until it is done.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from nicegui import run, ui

from config import load_settings
from domain.access.permissions import Actor, Permission
from domain.background_jobs.model import JOB_STATUS_LABELS, JobStatus
from domain.base import utcnow
from domain.lgpd import links
from domain.lgpd import services as lgpd
from domain.lgpd.model import ErasureStatus
from jobs.lgpd import build_lgpd_export, execute_lgpd_erasure
from persistence.queries import lgpd as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment

POLL_SECONDS = 1.0
STATUS_COLORS = {ErasureStatus.REQUESTED: "orange-8", ErasureStatus.CONFIRMED: "deep-orange-8",
                 ErasureStatus.EXECUTED: "grey-8", ErasureStatus.REFUSED: "red-8",
                 ErasureStatus.CANCELLED: "grey-6"}  # fmt: skip


async def lgpd_panel(actor: Actor, customer_id: uuid.UUID) -> None:
    card = ui.card().classes("w-full gap-2").props("data-testid=lgpd-panel")
    state: dict[str, bool] = {"busy": False}

    async def render() -> None:
        view = await run.io_bound(queries.panel, actor, customer_id)
        card.clear()
        with card:
            with ui.row().classes("items-center gap-2"):
                ui.icon("privacy_tip", color="primary")
                ui.label("LGPD: dados do titular").classes("text-base font-semibold")
                ui.label(f"{view.customer_name} · {view.document}").classes("text-sm text-slate-600").props(
                    "data-testid=lgpd-titular"
                )
                if view.anonymized_at:
                    ui.badge(f"Anonimizado em {moment(view.anonymized_at)}", color="grey-8").props(
                        "data-testid=lgpd-anonymized"
                    )
            _exports(actor, view, request_export)
            ui.separator()
            _erasure(actor, view, request_erasure, confirm, cancel, execute_now)
        busy = any(e.status not in (JobStatus.DONE, JobStatus.FAILED) for e in view.exports)
        state["busy"] = busy or bool(view.latest and view.latest.status is ErasureStatus.CONFIRMED
                                     and view.latest.confirm_after <= utcnow())  # fmt: skip

    async def request_export() -> None:
        ok, job = await attempt(lgpd.request_export, SqlUnitOfWork(actor), customer_ids=[customer_id],
                                success="Exportação pedida: o arquivo fica pronto em instantes.")  # fmt: skip
        if ok and job is not None:
            await run.io_bound(build_lgpd_export, str(actor.organization_id), str(job.id))
            await render()

    async def request_erasure(reason: str) -> None:
        await attempt(lgpd.request_erasure, SqlUnitOfWork(actor), customer_id=customer_id, reason=reason,
                      success="Eliminação solicitada.")  # fmt: skip
        await render()  # a refusal is recorded too: show it

    async def confirm(request_id: uuid.UUID) -> None:
        ok, _ = await attempt(lgpd.confirm_erasure, SqlUnitOfWork(actor), request_id=request_id,
                                    success="Eliminação confirmada: os dados serão anonimizados.")  # fmt: skip
        if ok:
            await run.io_bound(execute_lgpd_erasure, str(actor.organization_id), str(request_id))
            await render()

    async def execute_now(request_id: uuid.UUID) -> None:
        await run.io_bound(execute_lgpd_erasure, str(actor.organization_id), str(request_id))
        await render()

    async def cancel(request_id: uuid.UUID, reason: str) -> None:
        await attempt(lgpd.cancel_erasure, SqlUnitOfWork(actor), request_id=request_id, reason=reason,
                      success="Solicitação cancelada.")  # fmt: skip
        await render()

    async def poll() -> None:
        if state["busy"]:
            await render()

    await render()
    ui.timer(POLL_SECONDS, poll)


def _exports(actor: Actor, view: queries.PanelView, request_export) -> None:  # type: ignore[no-untyped-def]
    with ui.row().classes("items-center gap-2 w-full"):
        ui.label("Exportação").classes("font-medium w-28")
        ui.label("Cadastro (JSON), faturas (PDF), extrato e pagamentos (CSV) num arquivo ZIP.").classes(
            "text-sm text-slate-600"
        )
        ui.space()
        if actor.can(Permission.LGPD_EXPORT):
            ui.button("Exportar dados", icon="download", on_click=request_export).props(
                "outline dense data-testid=lgpd-export"
            )
    secret = load_settings().storage_secret
    for export in view.exports:
        with ui.row().classes("items-center gap-2 text-sm pl-28").props("data-testid=lgpd-export-row"):
            ui.label(JOB_STATUS_LABELS[export.status]).props("data-testid=lgpd-export-status")
            if export.status is JobStatus.DONE and export.has_file and export.finished_at:
                expires = export.finished_at + timedelta(hours=view.link_hours)
                if expires > utcnow():
                    token = links.sign(export.job_id, expires, secret)
                    ui.button("Baixar ZIP", icon="folder_zip",
                              on_click=lambda t=token: ui.download.from_url(f"/lgpd/exportacoes/{t}")).props(
                        "dense flat color=primary data-testid=lgpd-download")  # fmt: skip
                    ui.label(f"link válido até {moment(expires)}").classes("text-slate-500")
                else:
                    ui.label("link expirado: exporte de novo").classes("text-slate-500")
            elif export.status is not JobStatus.DONE:
                ui.spinner(size="sm") if export.status is not JobStatus.FAILED else ui.label(export.message or "")


def _erasure(actor: Actor, view: queries.PanelView, request_erasure, confirm, cancel, execute_now) -> None:  # type: ignore[no-untyped-def]
    latest, can_erase = view.latest, actor.can(Permission.LGPD_ERASE)
    with ui.row().classes("items-start gap-2 w-full"):
        ui.label("Eliminação").classes("font-medium w-28")
        with ui.column().classes("gap-1 grow"):
            if latest is None:
                ui.label("Nenhuma solicitação.").props("data-testid=erasure-status").classes("text-sm")
            else:
                with ui.row().classes("items-center gap-2"):
                    ui.badge(latest.status_label, color=STATUS_COLORS[latest.status]).props(
                        "data-testid=erasure-status"
                    ).mark("erasure-status")
                    ui.label(f"pedida por {latest.requested_by_name} em {moment(latest.requested_at)}").classes(
                        "text-sm text-slate-600"
                    )
                _details(latest, view.window_days)
        pending = latest is not None and latest.status in (ErasureStatus.REQUESTED, ErasureStatus.CONFIRMED)
        if can_erase and not view.anonymized_at:
            with ui.row().classes("gap-1"):
                if not pending:
                    ui.button("Solicitar eliminação", icon="delete_forever",
                              on_click=lambda: _reason("Solicitar eliminação dos dados pessoais", "Solicitar",
                                                       request_erasure, detail=_window_text(view.window_days))).props(
                        "outline dense color=negative data-testid=erasure-request")  # fmt: skip
                else:
                    assert latest is not None
                    ready = latest.confirm_after <= utcnow()
                    if latest.status is ErasureStatus.REQUESTED:
                        button = ui.button("Confirmar eliminação", icon="task_alt",
                                           on_click=lambda: confirm(latest.id)).props(
                            "dense color=negative data-testid=erasure-confirm")  # fmt: skip
                        if not ready:
                            button.disable()
                            button.tooltip(f"Possível a partir de {moment(latest.confirm_after)}")
                    elif ready:
                        ui.button("Executar agora", icon="bolt", on_click=lambda: execute_now(latest.id)).props(
                            "dense flat color=negative data-testid=erasure-execute"
                        )
                    ui.button("Cancelar solicitação", icon="undo",
                              on_click=lambda: _reason("Cancelar a solicitação de eliminação", "Cancelar solicitação",
                                                       lambda r: cancel(latest.id, r))).props(
                        "dense flat data-testid=erasure-cancel")  # fmt: skip


def _details(latest: queries.RequestView, window_days: int) -> None:
    lines = [f"Motivo: {latest.reason}"]
    if latest.status is ErasureStatus.REQUESTED:
        lines.append(f"Confirmação possível a partir de {moment(latest.confirm_after)}.")
    elif latest.status is ErasureStatus.CONFIRMED:
        lines.append(f"Confirmada por {latest.confirmed_by_name}; a anonimização é feita pelo processo de eliminação.")
    elif latest.status is ErasureStatus.EXECUTED and latest.executed_at:
        lines.append(f"Dados pessoais anonimizados em {moment(latest.executed_at)}. Faturas, valores e o CNPJ de "
                     "empresas ficam, como exige a lei.")  # fmt: skip
    elif latest.status is ErasureStatus.REFUSED:
        lines.append(latest.refusal_reason or "")
    for line in lines:
        ui.label(line).classes("text-sm text-slate-600").props("data-testid=erasure-detail")


def _window_text(days: int) -> str:
    when = "imediatamente" if days == 0 else f"depois de {days} dia{'s' if days > 1 else ''}"
    return (f"A confirmação (uma segunda ação) fica disponível {when}; então nomes, e-mails, telefones e endereços "
            "são anonimizados e os usuários do portal removidos. Faturas e valores ficam.")  # fmt: skip


def _reason(title: str, action: str, then, detail: str | None = None) -> None:  # type: ignore[no-untyped-def]
    with ui.dialog() as dialog, ui.card().classes("w-[30rem] gap-2"):
        ui.label(title).classes("text-lg font-medium")
        if detail:
            ui.label(detail).classes("text-sm text-slate-600")
        reason = ui.textarea("Motivo (como o titular pediu, protocolo)").classes("w-full")
        reason.props("autofocus rows=2 data-testid=reason-input").mark("reason-input")

        async def go() -> None:
            if not (reason.value or "").strip():
                reason.error = "Informe o motivo: ele fica registrado na auditoria."
                return
            dialog.close()
            await then(reason.value)

        with ui.row().classes("w-full justify-end"):
            ui.button("Voltar", on_click=dialog.close).props("flat")
            ui.button(action, on_click=go).props("color=negative data-testid=reason-confirm").mark("reason-confirm")
    dialog.open()
