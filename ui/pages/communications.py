"""Configurações › Régua de cobrança (steps, options, channels per event, templates with a live preview) and
Configurações › E-mails (the outbox: pending, sent, failed)."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.communications import services as communications
from domain.communications import templates
from domain.communications.events import (
    CHANNEL_LABELS,
    DEFAULT_EVENT_CHANNELS,
    EVENT_LABELS,
    SCHEDULE_EVENTS,
    Channel,
    EventType,
)
from domain.communications.model import OUTBOX_STATUS_LABELS, OutboxStatus
from persistence.queries import communications as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.dialogs import attempt
from ui.components.formats import moment
from ui.components.frame import page_actor, page_frame

router = APIRouter()
STEP_EVENTS = {e.value: EVENT_LABELS[e] for e in SCHEDULE_EVENTS}


def settings_links() -> None:
    with ui.row().classes("gap-1"):
        for label, path in (("Configurações", "/configuracoes"), ("Régua de cobrança", "/configuracoes/regua"),
                            ("Webhooks", "/configuracoes/webhooks"), ("E-mails", "/configuracoes/emails")):  # fmt: skip
            ui.link(label, path).classes("text-sm mr-3")


@router.page("/configuracoes/regua")
async def schedule_page() -> None:
    actor = await page_actor("Régua de cobrança", Permission.SETTINGS_ADMIN)
    if actor is None:
        return
    current = await run.io_bound(queries.settings, actor)
    with page_frame("Régua de cobrança", actor):
        settings_links()
        with ui.row().classes("w-full gap-4 items-start no-wrap"):
            with ui.column().classes("flex-1 gap-1"):
                _steps_section(actor, current)
                _options_section(actor, current)
                _event_channels_section(actor, current)
            with ui.column().classes("flex-1 gap-1"):
                _templates_section(actor, current)


def _title(text: str) -> None:
    ui.label(text).classes("text-base font-medium text-slate-700 mt-2")


def _steps_section(actor: Actor, current: queries.CommunicationSettings) -> None:
    _title("Passos (dias em relação ao vencimento)")
    steps: list[dict[str, Any]] = [s.to_json() for s in current.steps]

    @ui.refreshable
    def rows() -> None:
        with ui.row().classes("text-xs text-slate-500 gap-2 w-full no-wrap"):
            for label, width in (("Dias", "w-20"), ("E-mail", "w-16"), ("App", "w-16"), ("Webhook", "w-16"),
                                 ("Mensagem", "w-44")):  # fmt: skip
                ui.label(label).classes(width)
        for index, step in enumerate(steps):
            with ui.row().classes("gap-2 items-center w-full no-wrap").mark(f"step-{index}"):
                ui.number(value=step["offset"], precision=0, step=1).classes("w-20").props(
                    f"data-testid=step-{index}-offset").on_value_change(
                    lambda e, s=step: s.update(offset=int(e.value or 0)))  # fmt: skip
                for channel in Channel:
                    box = ui.checkbox(value=channel.value in step["channels"]).classes("w-16")
                    box.props(f"data-testid=step-{index}-{channel.value}").mark(f"step-{index}-{channel.value}")
                    box.on_value_change(lambda e, s=step, c=channel.value: _toggle(s["channels"], c, e.value))
                ui.select(STEP_EVENTS, value=step["event"]).classes("w-44").on_value_change(
                    lambda e, s=step: s.update(event=e.value)
                )
                ui.button(icon="delete", on_click=lambda i=index: (steps.pop(i), rows.refresh())).props(
                    f"flat dense round size=sm aria-label=Remover data-testid=step-{index}-remove"
                ).mark(f"step-{index}-remove")

    rows()

    def add() -> None:
        last = max([s["offset"] for s in steps] or [0])
        steps.append({"offset": last + 1, "channels": ["email"], "event": "invoice_overdue"})
        rows.refresh()

    async def save(restore: bool = False) -> None:
        ok, saved = await attempt(communications.save_schedule, SqlUnitOfWork(actor),
                                  steps=None if restore else steps,
                                  success="Régua padrão restaurada." if restore else "Régua salva.")  # fmt: skip
        if ok and saved is not None:
            steps[:] = saved
            rows.refresh()

    with ui.row().classes("gap-2"):
        ui.button("Adicionar passo", icon="add", on_click=add).props("flat dense")
        ui.button("Salvar régua", icon="save", on_click=save).props("color=primary dense")
        ui.button("Restaurar padrão", icon="restart_alt", on_click=lambda: save(True)).props("flat dense")
    ui.label("Após o último passo pós-vencimento a conta é suspensa (se a opção abaixo estiver ligada). "
             "Clientes com a régua pausada não recebem nada.").classes("text-xs text-slate-500")  # fmt: skip


def _toggle(channels: list[str], channel: str, on: bool) -> None:
    if on and channel not in channels:
        channels.append(channel)
    elif not on and channel in channels:
        channels.remove(channel)


def _options_section(actor: Actor, current: queries.CommunicationSettings) -> None:
    _title("Opções")
    suspend = ui.checkbox("Suspender a conta após o último passo pós-vencimento", value=current.suspend)
    reactivate = ui.checkbox(
        "Reativar a conta quando todas as faturas vencidas forem pagas", value=current.reactivate_on_payment
    ).props("data-testid=reactivate-on-payment")
    with ui.row().classes("gap-2 w-full no-wrap"):
        hour = ui.number("Hora do envio diário (fuso da organização)", value=current.dunning_hour, min=0, max=23,
                         step=1).classes("w-72")  # fmt: skip
        url = ui.input("Endereço público (links das mensagens)", value=current.public_url).classes("flex-1")

    async def save() -> None:
        options = {"dunning_suspend": suspend.value, "dunning_reactivate_on_payment": reactivate.value,
                   "dunning_hour": int(hour.value or 0), "public_url": url.value or ""}  # fmt: skip
        await attempt(communications.save_options, SqlUnitOfWork(actor), options=options, success="Opções salvas.")

    ui.button("Salvar opções", icon="save", on_click=save).props("dense flat")


def _event_channels_section(actor: Actor, current: queries.CommunicationSettings) -> None:
    _title("Canais de cada evento (fora da régua)")
    chosen = {e.value: [c.value for c in current.event_channels[e]] for e in DEFAULT_EVENT_CHANNELS}
    with ui.grid(columns=4).classes("gap-x-3 gap-y-0 items-center text-sm"):
        for event in DEFAULT_EVENT_CHANNELS:
            ui.label(EVENT_LABELS[event])
            for channel in Channel:
                ui.checkbox(CHANNEL_LABELS[channel], value=channel.value in chosen[event.value]).on_value_change(
                    lambda e, ev=event.value, c=channel.value: _toggle(chosen[ev], c, e.value)
                )

    async def save() -> None:
        await attempt(communications.save_event_channels, SqlUnitOfWork(actor), channels=chosen,
                      success="Canais salvos.")  # fmt: skip

    ui.button("Salvar canais", icon="save", on_click=save).props("dense flat")


def _templates_section(actor: Actor, current: queries.CommunicationSettings) -> None:
    _title("Modelos de mensagem")
    options = {e.value: EVENT_LABELS[e] + (" (personalizado)" if e in current.customized else "")
               for e in current.templates}  # fmt: skip
    event = ui.select(options, label="Evento", value=EventType.INVOICE_DUE_SOON.value).classes("w-full")
    event.props("data-testid=template-event").mark("template-event")
    first = current.templates[EventType.INVOICE_DUE_SOON]
    subject = (
        ui.input("Assunto", value=first.subject)
        .classes("w-full")
        .props("data-testid=template-subject")
        .mark("template-subject")
    )
    body = (
        ui.textarea("Mensagem", value=first.body)
        .classes("w-full")
        .props("rows=9 data-testid=template-body")
        .mark("template-body")
    )
    ui.label("Variáveis: " + ", ".join("{{" + k + "}} " + v.lower() for k, v in templates.VARIABLES.items())).classes(
        "text-xs text-slate-500"
    )
    ui.label("Pré-visualização (cliente de exemplo)").classes("text-xs text-slate-500 mt-1")
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        preview_subject = ui.label().classes("font-medium").mark("preview-subject")
        preview_body = ui.html("").classes("text-sm").mark("preview-body")

    def refresh_preview() -> None:
        shown = templates.preview(subject.value or "", body.value or "")
        preview_subject.text = shown.subject
        preview_body.content = shown.html

    def choose(e: Any) -> None:
        chosen = current.templates[EventType(e.value)]
        subject.value, body.value = chosen.subject, chosen.body
        refresh_preview()

    subject.on_value_change(refresh_preview)
    body.on_value_change(refresh_preview)
    event.on_value_change(choose)
    refresh_preview()

    async def save() -> None:
        ok, _ = await attempt(communications.save_template, SqlUnitOfWork(actor), event=event.value,
                              subject=subject.value or "", body=body.value or "", success="Modelo salvo.")  # fmt: skip
        if ok:
            current.templates[EventType(event.value)] = templates.Template(subject.value, body.value)

    async def restore() -> None:
        ok, _ = await attempt(communications.restore_template, SqlUnitOfWork(actor), event=event.value,
                              success="Modelo padrão restaurado.")  # fmt: skip
        if ok:
            default = templates.DEFAULT_TEMPLATES[EventType(event.value)]
            current.templates[EventType(event.value)] = default
            subject.value, body.value = default.subject, default.body

    with ui.row().classes("gap-2"):
        ui.button("Salvar modelo", icon="save", on_click=save).props("color=primary dense")
        ui.button("Restaurar padrão", icon="restart_alt", on_click=restore).props("flat dense")


EMAIL_COLUMNS = [
    {"name": "created", "label": "Criado em", "field": "created", "align": "left"},
    {"name": "event", "label": "Evento", "field": "event", "align": "left"},
    {"name": "to", "label": "Para", "field": "to", "align": "left"},
    {"name": "subject", "label": "Assunto", "field": "subject", "align": "left",
     "style": "white-space: normal; max-width: 360px"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "attempts", "label": "Tentativas", "field": "attempts", "align": "right"},
    {"name": "when", "label": "Enviado / próxima tentativa", "field": "when", "align": "left"},
    {"name": "error", "label": "Erro", "field": "error", "align": "left",
     "style": "white-space: normal; max-width: 260px"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]  # fmt: skip
RESEND_SLOT = r"""
<q-td :props="props">
  <q-btn v-if="props.row.status_key !== 'sent'" dense flat size="sm" icon="send" label="Reenviar"
         @click="$parent.$emit('resend', props.row)" />
</q-td>
"""


@router.page("/configuracoes/emails")
async def outbox_page(status: str = "") -> None:
    actor = await page_actor("E-mails", Permission.SETTINGS_ADMIN)
    if actor is None:
        return
    chosen = OutboxStatus(status) if status in set(OutboxStatus) else None
    counts = await run.io_bound(queries.outbox_counts, actor)
    rows = await run.io_bound(lambda: queries.outbox(actor, status=chosen))
    with page_frame("E-mails", actor):
        settings_links()
        ui.label(" · ".join(f"{OUTBOX_STATUS_LABELS[s]}: {counts.get(s.value, 0)}" for s in OutboxStatus)).mark(
            "outbox-counts"
        )
        filters = {"": "Todos", **{s.value: OUTBOX_STATUS_LABELS[s] for s in OutboxStatus}}
        ui.select(
            filters,
            label="Situação",
            value=chosen.value if chosen else "",
            on_change=lambda e: ui.navigate.to(f"/configuracoes/emails?status={e.value}"),
        ).classes("w-48")
        table = ui.table(columns=EMAIL_COLUMNS, rows=[_email_row(r) for r in rows], row_key="id").classes("w-full")
        table.add_slot("body-cell-actions", RESEND_SLOT)
        table.on("resend", lambda e: _resend(actor, e.args["id"]))
        if not rows:
            ui.label("Nenhum e-mail.").classes("text-sm text-slate-500")


def _email_row(r: queries.EmailRow) -> dict[str, Any]:
    when = moment(r.sent_at) if r.sent_at else (moment(r.next_attempt_at) if r.next_attempt_at else "—")
    return {
        "id": str(r.id), "created": moment(r.created_at), "event": _event_label(r.event), "to": r.to_address,
        "subject": r.subject, "status": OUTBOX_STATUS_LABELS[r.status], "status_key": r.status.value,
        "attempts": r.attempts, "when": when, "error": r.last_error or "",
    }  # fmt: skip


def _event_label(event: str) -> str:
    try:
        return EVENT_LABELS[EventType(event)]
    except ValueError:
        return event


async def _resend(actor: Actor, email_id: str) -> None:
    from jobs.communications import send_email

    ok, _ = await attempt(communications.retry_email, SqlUnitOfWork(actor), email_id=uuid.UUID(email_id))
    if ok:
        await run.io_bound(send_email, str(actor.organization_id), email_id)
        ui.notify("E-mail reenfileirado.", type="positive")
        ui.navigate.reload()
