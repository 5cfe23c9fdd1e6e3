"""Configurações › Webhooks: endpoints (URL, events, secret shown once), enable/disable, and the deliveries log with
status, HTTP answer and "Reenviar"."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.communications.events import EVENT_LABELS, EventType
from domain.webhooks import services as webhooks
from domain.webhooks.model import DELIVERY_STATUS_LABELS
from domain.webhooks.signing import HEADER
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment
from ui.components.frame import page_actor, page_frame
from ui.pages.communications import settings_links

router = APIRouter()
EVENT_OPTIONS = {"*": "Todos os eventos", **{e.value: f"{EVENT_LABELS[e]} ({e.value})" for e in EventType}}
ENDPOINT_COLUMNS = [
    {"name": "url", "label": "URL", "field": "url", "align": "left"},
    {"name": "description", "label": "Descrição", "field": "description", "align": "left"},
    {"name": "events", "label": "Eventos", "field": "events", "align": "left", "style": "white-space: normal"},
    {"name": "secret", "label": "Segredo", "field": "secret", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
ENDPOINT_ACTIONS = r"""
<q-td :props="props">
  <q-btn dense flat size="sm" :icon="props.row.enabled ? 'pause' : 'play_arrow'"
         :label="props.row.enabled ? 'Desativar' : 'Ativar'" @click="$parent.$emit('toggle', props.row)" />
</q-td>
"""
DELIVERY_COLUMNS = [
    {"name": "created", "label": "Criada em", "field": "created", "align": "left"},
    {"name": "event", "label": "Evento", "field": "event", "align": "left"},
    {"name": "url", "label": "URL", "field": "url", "align": "left"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "attempts", "label": "Tentativas", "field": "attempts", "align": "right"},
    {"name": "code", "label": "HTTP", "field": "code", "align": "right"},
    {"name": "response", "label": "Resposta / erro", "field": "response", "align": "left",
     "style": "white-space: normal; max-width: 320px"},
    {"name": "next", "label": "Próxima tentativa", "field": "next", "align": "left"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]  # fmt: skip
DELIVERY_ACTIONS = r"""
<q-td :props="props">
  <q-btn dense flat size="sm" icon="replay" label="Reenviar" @click="$parent.$emit('retry', props.row)" />
</q-td>
"""


@router.page("/configuracoes/webhooks")
async def webhooks_page() -> None:
    actor = await page_actor("Webhooks", Permission.SETTINGS_ADMIN)
    if actor is None:
        return
    endpoints = await run.io_bound(queries.endpoints, actor)
    deliveries = await run.io_bound(lambda: queries.deliveries(actor, limit=200))
    with page_frame("Webhooks", actor):
        settings_links()
        ui.label(f"Cada entrega é assinada no cabeçalho {HEADER}: t=<unix>,v1=<HMAC-SHA256 de \"t.corpo\" com o "
                 "segredo>. Falhas são reenviadas com espera crescente (1, 2, 4 … 64 min).").classes(
            "text-xs text-slate-500")  # fmt: skip
        ui.button("Novo endpoint", icon="add", on_click=lambda: _create_dialog(actor)).props(
            "color=primary dense data-testid=new-endpoint"
        )
        table = ui.table(columns=ENDPOINT_COLUMNS, rows=[_endpoint_row(e) for e in endpoints], row_key="id")
        table.classes("w-full").props("data-testid=endpoints-table")
        table.add_slot("body-cell-actions", ENDPOINT_ACTIONS)
        table.on("toggle", lambda e: _toggle(actor, e.args))
        ui.label("Entregas").classes("text-base font-medium text-slate-700 mt-2")
        log = ui.table(columns=DELIVERY_COLUMNS, rows=[_delivery_row(d) for d in deliveries], row_key="id")
        log.classes("w-full").props("data-testid=deliveries-table")
        log.add_slot("body-cell-actions", DELIVERY_ACTIONS)
        log.on("retry", lambda e: _retry(actor, e.args["id"]))
        if not deliveries:
            ui.label("Nenhuma entrega ainda.").classes("text-sm text-slate-500")


def _endpoint_row(e: queries.EndpointRow) -> dict[str, Any]:
    return {
        "id": str(e.id), "url": e.url, "description": e.description or "",
        "events": ", ".join("todos" if x == "*" else x for x in e.events), "secret": e.secret_masked,
        "status": "Ativo" if e.enabled else "Desativado", "enabled": e.enabled,
    }  # fmt: skip


def _delivery_row(d: queries.DeliveryRow) -> dict[str, Any]:
    return {
        "id": str(d.id), "created": moment(d.created_at), "event": d.event, "url": d.url,
        "status": DELIVERY_STATUS_LABELS[d.status], "attempts": d.attempts, "code": d.last_status_code or "—",
        "response": (d.last_error or "") + (" · " if d.last_error and d.last_response else "")
        + (d.last_response or "")[:200],
        "next": moment(d.next_attempt_at) if d.next_attempt_at else "—",
    }  # fmt: skip


def _create_dialog(actor: Actor) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
        ui.label("Novo endpoint").classes("text-lg")
        url = ui.input("URL (https://...)").classes("w-full").props("data-testid=endpoint-url")
        description = ui.input("Descrição (opcional)").classes("w-full")
        events = ui.select(EVENT_OPTIONS, label="Eventos", multiple=True, value=["*"]).classes("w-full")
        events.props("use-chips data-testid=endpoint-events")

        async def save() -> None:
            ok, created = await attempt(webhooks.create_endpoint, SqlUnitOfWork(actor), url=url.value or "",
                                        events=list(events.value or []), description=description.value)  # fmt: skip
            if ok and created is not None:
                dialog.close()
                _show_secret(created.secret)

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Criar", on_click=save).props("color=primary data-testid=save-endpoint")
    dialog.open()


def _show_secret(secret: str) -> None:
    """The only time anyone sees the whole secret: the list shows it masked."""
    with ui.dialog().props("persistent") as dialog, ui.card():
        ui.label("Segredo de assinatura do endpoint:")
        ui.label(secret).classes("font-mono text-base break-all").props("data-testid=webhook-secret").mark(
            "webhook-secret"
        )
        ui.label("Copie agora; ele não será exibido novamente.").classes("text-sm text-slate-500")
        ui.button("Fechar", on_click=lambda: (dialog.close(), ui.navigate.to("/configuracoes/webhooks")))
    dialog.open()


async def _toggle(actor: Actor, row: dict[str, Any]) -> None:
    enabled = not row["enabled"]
    ok, _ = await attempt(
        webhooks.update_endpoint,
        SqlUnitOfWork(actor),
        endpoint_id=uuid.UUID(row["id"]),
        enabled=enabled,
        success="Endpoint ativado." if enabled else "Endpoint desativado.",
    )
    if ok:
        ui.navigate.reload()


async def _retry(actor: Actor, delivery_id: str) -> None:
    from jobs.communications import deliver_webhook

    ok, _ = await attempt(webhooks.retry_delivery, SqlUnitOfWork(actor), delivery_id=uuid.UUID(delivery_id))
    if ok:
        await run.io_bound(deliver_webhook, str(actor.organization_id), delivery_id)
        ui.notify("Entrega reenfileirada.", type="positive")
        ui.navigate.reload()
