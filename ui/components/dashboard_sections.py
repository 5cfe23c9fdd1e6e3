"""Painel sections fed by the automation areas: MRR movement, the last billing runs, e-mails and webhooks."""

from __future__ import annotations

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.revenue.model import MOVEMENT_LABELS, MovementKind
from domain.webhooks import services as webhooks
from persistence.queries import communications as communication_queries
from persistence.queries import revenue as revenue_queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components import billing_runs_panel
from ui.components.dialogs import attempt
from ui.components.formats import moment, money, number

# ECharts formats axis values itself: in pt-BR, "R$ 12.000" (JavaScript, run in the browser).
BRL_AXIS = "value => 'R$ ' + value.toLocaleString('pt-BR')"
MONTHS = ("jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez")
MOVEMENT_COLORS = {MovementKind.NEW: "#2e7d32", MovementKind.EXPANSION: "#66bb6a",
                   MovementKind.CONTRACTION: "#ffa726", MovementKind.CHURN: "#c62828"}  # fmt: skip


async def mrr_movement(actor: Actor, *, today, current_mrr_cents: int) -> None:  # type: ignore[no-untyped-def]
    """MRR month by month (the line) with what moved it (stacked bars: new and expansion up, contraction and churn
    down), the last six months."""
    bridge = await run.io_bound(
        lambda: revenue_queries.mrr_bridge(actor, today=today, current_mrr_cents=current_mrr_cents)
    )
    labels = [f"{MONTHS[m.month.month - 1]}/{m.month.year % 100:02d}" for m in bridge]
    series = [
        {"name": MOVEMENT_LABELS[kind], "type": "bar", "stack": "moves", "itemStyle": {"color": MOVEMENT_COLORS[kind]},
         "data": [m.moves[kind] / 100 for m in bridge]}
        for kind in MovementKind
    ]  # fmt: skip
    series.append({"name": "MRR", "type": "line", "yAxisIndex": 1, "data": [m.closing_cents / 100 for m in bridge],
                   "itemStyle": {"color": "#1f4e79"}, "lineStyle": {"width": 3}})  # fmt: skip
    this_month = bridge[-1]
    with ui.card().classes("w-[30rem]").mark("mrr-card"):
        with ui.row().classes("w-full items-center"):
            ui.label("MRR e sua movimentação").classes("text-bold")
            ui.space()
            net = this_month.closing_cents - this_month.opening_cents
            ui.label(f"no mês: {'+' if net >= 0 else '−'}{money(abs(net))}").classes(
                "text-sm " + ("text-positive" if net >= 0 else "text-negative")
            ).mark("mrr-net")
        ui.echart({
            "tooltip": {"trigger": "axis"},
            "legend": {"bottom": 0, "textStyle": {"fontSize": 11}},
            "grid": {"left": 60, "right": 60, "top": 10, "bottom": 45},
            "xAxis": {"type": "category", "data": labels},
            "yAxis": [{"type": "value", "name": "mov.", "axisLabel": {":formatter": BRL_AXIS}},
                      {"type": "value", "name": "MRR", "axisLabel": {":formatter": BRL_AXIS}}],
            "series": series,
        }).classes("h-60 w-full").mark("mrr-chart")  # fmt: skip
        with ui.row().classes("gap-3 text-xs text-slate-600"):
            for kind in MovementKind:
                ui.label(f"{MOVEMENT_LABELS[kind]}: {money(this_month.moves[kind])}")


async def billing_runs(actor: Actor) -> None:
    """The last billing runs with their counts and failures, and the run/retry buttons for those who may."""
    if not actor.can(Permission.SUBSCRIPTIONS_READ):
        return
    with ui.element("div").classes("grow min-w-[36rem]"):
        await billing_runs_panel.build(actor)


async def communications(actor: Actor) -> None:
    """E-mails waiting in the outbox or given up on, and webhook deliveries that failed (with a retry)."""
    pending = await run.io_bound(communication_queries.pending_emails_count, actor)
    failed = await run.io_bound(communication_queries.failed_emails_count, actor)
    failed_hooks = await run.io_bound(communication_queries.failed_deliveries_count, actor)
    deliveries = await run.io_bound(communication_queries.failed_deliveries, actor, 5) if failed_hooks else []
    admin = actor.can(Permission.SETTINGS_ADMIN)
    with ui.card().classes("w-96").mark("communications-card"):
        ui.label("Comunicação").classes("text-bold")
        with ui.row().classes("gap-6"):
            _figure("E-mails pendentes", number(pending), "emails-pending")
            _figure("E-mails com falha", number(failed), "emails-failed", alert=failed > 0)
            _figure("Webhooks com falha", number(failed_hooks), "webhooks-failed", alert=failed_hooks > 0)
        if admin:
            with ui.row().classes("gap-3 text-sm"):
                ui.link("Caixa de saída", "/configuracoes/emails")
                ui.link("Webhooks", "/configuracoes/webhooks")
        for delivery in deliveries:
            with ui.row().classes("w-full items-center gap-2 text-xs text-slate-600 no-wrap"):
                ui.icon("error", color="negative", size="xs")
                code = f"HTTP {delivery.last_status_code}" if delivery.last_status_code else (delivery.last_error or "")
                ui.label(f"{moment(delivery.created_at)} · {delivery.event} · {delivery.url} · {code[:40]}").classes(
                    "grow ellipsis"
                )
                if admin:
                    ui.button(icon="replay", on_click=lambda d=delivery: _retry(actor, d.id)).props(
                        "flat dense size=sm aria-label=Reenviar"
                    ).tooltip("Reenviar")


def _figure(label: str, value: str, marker: str, *, alert: bool = False) -> None:
    with ui.column().classes("gap-0"):
        ui.label(label).classes("text-xs text-slate-500")
        ui.label(value).classes("text-xl font-semibold " + ("text-negative" if alert else "text-slate-800")).mark(
            marker
        )


async def _retry(actor: Actor, delivery_id) -> None:  # type: ignore[no-untyped-def]
    ok, _ = await attempt(webhooks.retry_delivery, SqlUnitOfWork(actor), delivery_id=delivery_id,
                          success="Entrega do webhook reagendada.")  # fmt: skip
    if ok:
        ui.navigate.reload()
