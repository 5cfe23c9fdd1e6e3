"""LGPD: the organization's erasure requests (what waits for a confirmation first), the window setting, one
customer's LGPD panel (/lgpd/{customer_id}) and the expiring download of an export."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi import Response
from fastapi.responses import FileResponse
from nicegui import APIRouter, run, ui

from config import load_settings
from domain.access.permissions import Actor, Permission
from domain.errors import NotFound
from domain.lgpd import links
from domain.lgpd import services as lgpd
from domain.lgpd.errors import ExportLinkInvalid
from persistence import files
from persistence.queries import lgpd as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.auth import current_actor
from ui.components.dialogs import attempt
from ui.components.formats import moment
from ui.components.frame import page_actor, page_frame
from ui.components.lgpd_panel import lgpd_panel

router = APIRouter()

TITLE = "LGPD"
COLUMNS = [
    {"name": "customer", "label": "Cliente", "field": "customer", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "requested", "label": "Solicitada", "field": "requested", "align": "left"},
    {"name": "confirm_after", "label": "Confirmável a partir de", "field": "confirm_after", "align": "left"},
    {"name": "detail", "label": "Motivo / recusa", "field": "detail", "align": "left",
     "style": "white-space: normal; max-width: 420px"},
]  # fmt: skip
CUSTOMER_SLOT = r"""
<q-td :props="props"><a :href="'/lgpd/' + props.row.customer_id" class="text-primary">{{ props.value }}</a></q-td>
"""


@router.page("/lgpd")
async def lgpd_page() -> None:
    actor = await page_actor(TITLE, Permission.LGPD_EXPORT)
    if actor is None:
        return
    requests = await run.io_bound(queries.list_requests, actor)
    with page_frame(TITLE, actor):
        ui.label("Solicitações de eliminação de dados pessoais: as pendentes primeiro. A exportação e a eliminação "
                 "de um cliente ficam no painel LGPD do cliente.").classes("text-sm text-slate-600")  # fmt: skip
        table = ui.table(columns=COLUMNS, rows=[_row(r) for r in requests], row_key="id").classes("w-full")
        table.props("data-testid=lgpd-requests").mark("lgpd-requests")
        table.add_slot("body-cell-customer", CUSTOMER_SLOT)
        if actor.can(Permission.SETTINGS_ADMIN):
            await _window_setting(actor)


@router.page("/lgpd/{customer_id}")
async def lgpd_customer_page(customer_id: str) -> None:
    actor = await page_actor(TITLE, Permission.LGPD_EXPORT)
    if actor is None:
        return
    try:
        view = await run.io_bound(queries.panel, actor, uuid.UUID(customer_id))
    except (NotFound, ValueError, LookupError):
        with page_frame(TITLE, actor):
            ui.label("Cliente não encontrado.").classes("text-slate-600")
        return
    with page_frame("LGPD do cliente", actor):  # name and document live in the panel, which follows an erasure
        ui.link("Abrir o cadastro do cliente", f"/clientes/{customer_id}").classes("text-sm")
        await lgpd_panel(actor, view.customer_id)


@router.get("/lgpd/exportacoes/{token}")
async def export_download(token: str) -> Response:
    """The ZIP behind a signed, expiring link, for a signed-in operator of its organization with LGPD_EXPORT."""
    actor = await current_actor()
    if actor is None:
        return Response("Entre novamente.", status_code=401)
    if not actor.can(Permission.LGPD_EXPORT):
        return Response("Permissão necessária: LGPD_EXPORT.", status_code=403)
    try:
        job_id = links.verify(token, load_settings().storage_secret)
    except ExportLinkInvalid as refusal:
        return Response(refusal.message, status_code=410)
    found = await run.io_bound(queries.export_file, actor, job_id)
    if found is None or not files.path_of(found[0]).is_file():
        return Response("Arquivo não encontrado (ou já apagado).", status_code=404)
    stored = found[0]
    await run.io_bound(lgpd.record_export_download, SqlUnitOfWork(actor), job_id=job_id)
    disposition = f"attachment; filename=\"{stored.filename}\"; filename*=UTF-8''{quote(stored.filename)}"
    return FileResponse(files.path_of(stored), media_type="application/zip",
                        headers={"Content-Disposition": disposition})  # fmt: skip


async def _window_setting(actor: Actor) -> None:
    view_days = await run.io_bound(_current_window, actor)
    with ui.card().classes("w-full"):
        ui.label("Prazo de carência da eliminação").classes("font-semibold")
        ui.label("Dias entre a solicitação e a confirmação (uma segunda ação), de 0 a 90.").classes("text-sm")
        with ui.row().classes("items-end gap-2"):
            days = ui.number("Dias", value=view_days, min=0, max=90, step=1, precision=0).classes("w-28")
            days.props("data-testid=lgpd-window")
            ui.button("Salvar", on_click=lambda: attempt(lgpd.set_erasure_window, SqlUnitOfWork(actor),
                                                         days=int(days.value or 0), success="Prazo salvo.")).props(
                "color=primary data-testid=lgpd-window-save")  # fmt: skip


def _current_window(actor: Actor) -> int:
    with SqlUnitOfWork(actor) as uow:
        return lgpd.erasure_window(uow).days


def _row(r: queries.RequestView) -> dict:
    return {
        "id": str(r.id), "customer_id": str(r.customer_id), "customer": r.customer_name, "status": r.status_label,
        "requested": f"{moment(r.requested_at)} · {r.requested_by_name}", "confirm_after": moment(r.confirm_after),
        "detail": r.refusal_reason or r.reason,
    }  # fmt: skip
