"""Painel: the portfolio at a glance — MRR, receivables by age, invoices by state, accounts, billing runs, pending
e-mails and failed webhooks. Each section loads off the event loop and shows only what the role may read."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.calendar import today_in
from persistence.queries import audit as audit_queries
from persistence.queries import dashboard as dashboard_queries
from persistence.queries import receivables as receivable_queries
from persistence.queries.audit import AuditFilter
from ui.components import dashboard_sections
from ui.components.audit_timeline import ACTIONS as AUDIT_ACTIONS
from ui.components.dashboard_sections import BRL_AXIS
from ui.components.formats import moment, money, number
from ui.components.frame import page_actor, page_frame

router = APIRouter()

STATUS_LABELS = {"active": "Ativas", "suspended": "Suspensas", "closed": "Encerradas"}
AGE_COLORS = ["#2e7d32", "#f9a825", "#ef6c00", "#d84315", "#b71c1c"]
QUASAR_COLORS = {"grey-7": "#757575", "blue-8": "#1565c0", "green-8": "#2e7d32", "red-8": "#c62828",
                 "orange-9": "#e65100"}  # fmt: skip


@router.page("/")
async def dashboard_page() -> None:
    actor = await page_actor("Painel", Permission.DASHBOARD_READ)
    if actor is None:
        return
    figures = await run.io_bound(dashboard_queries.overview, actor)
    with page_frame("Painel", actor):
        invoices = actor.can(Permission.INVOICES_READ)
        today = today_in(figures.timezone)
        ages = await run.io_bound(receivable_queries.receivables_by_age, actor, today) if invoices else []
        with ui.row().classes("gap-3"):
            shown = ("≈ " if figures.customers_is_estimate else "") + number(figures.customers)
            _card("Clientes", shown, "groups", "card-customers")
            _card("MRR", money(figures.mrr_cents), "trending_up", "card-mrr")
            if invoices:
                owed = sum(b.outstanding_cents for b in ages)
                late = sum(b.outstanding_cents for b in ages[1:])
                _card("A receber", money(owed), "account_balance", "card-receivable")
                _card("Vencido", money(late), "warning", "card-overdue")
            _card("Operadores ativos", number(figures.operators), "badge", "card-operators")
        with ui.row().classes("w-full gap-3 items-stretch"):
            await dashboard_sections.mrr_movement(actor, today=today, current_mrr_cents=figures.mrr_cents)
            if invoices:
                _aging_chart(ages)
                await _states_chart(actor)
            _accounts_chart(figures.accounts_by_status)
        with ui.row().classes("w-full gap-3 items-stretch"):
            await dashboard_sections.billing_runs(actor)
            await dashboard_sections.communications(actor)
            await _recent_activity(actor)


def _card(title: str, value: str, icon: str, testid: str) -> None:
    with ui.card().classes("min-w-44 p-3"):
        with ui.row().classes("items-center gap-2 text-slate-500"):
            ui.icon(icon)
            ui.label(title).classes("text-sm")
        ui.label(value).classes("text-2xl font-semibold text-slate-800").props(f"data-testid={testid}").mark(testid)


def _aging_chart(ages: list[receivable_queries.AgeBucket]) -> None:
    with ui.card().classes("w-[26rem]"):
        ui.label("Contas a receber por idade").classes("text-bold")
        data = [{"value": b.outstanding_cents / 100, "itemStyle": {"color": AGE_COLORS[n]}, "invoices": b.invoices}
                for n, b in enumerate(ages)]  # fmt: skip
        ui.echart({
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "grid": {"left": 70, "right": 10, "top": 10, "bottom": 30},
            "xAxis": {"type": "category", "data": [b.label for b in ages]},
            "yAxis": {"type": "value", "axisLabel": {":formatter": BRL_AXIS}},
            "series": [{"type": "bar", "data": data, "name": "Em aberto (R$)"}],
        }).classes("h-56 w-full").mark("aging-chart")  # fmt: skip
        with ui.row().classes("gap-3 text-xs text-slate-600"):
            for b in ages:
                ui.label(f"{b.label}: {money(b.outstanding_cents)} ({number(b.invoices)})")


async def _states_chart(actor: Actor) -> None:
    states = await run.io_bound(receivable_queries.invoices_by_state, actor)
    with ui.card().classes("w-80"):
        ui.label("Faturas por situação").classes("text-bold")
        data = [{"name": s.label, "value": s.invoices, "itemStyle": {"color": QUASAR_COLORS.get(s.color, "#888")}}
                for s in states if s.invoices]  # fmt: skip
        ui.echart({
            "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
            "series": [{"type": "pie", "radius": ["40%", "68%"], "data": data, "label": {"show": False}}],
        }).classes("h-56 w-full").mark("states-chart")  # fmt: skip
        for s in states:
            with ui.row().classes("w-full text-xs text-slate-600 justify-between"):
                ui.link(s.label, f"/faturas?status={s.status}")
                ui.label(f"{number(s.invoices)} · {money(s.total_cents)}")


def _accounts_chart(accounts_by_status: dict[str, int]) -> None:
    with ui.card().classes("w-72"):
        ui.label("Contas de faturamento por situação").classes("text-bold")
        data = [{"name": STATUS_LABELS.get(k, k), "value": v} for k, v in accounts_by_status.items()]
        ui.echart({
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["45%", "70%"], "data": data, "label": {"formatter": "{b}: {c}"}}],
        }).classes("h-56 w-full")  # fmt: skip


async def _recent_activity(actor: Actor) -> None:
    if not actor.can(Permission.AUDIT_READ):
        return
    page = await run.io_bound(audit_queries.list_events, actor, AuditFilter(), limit=8)
    with ui.card().classes("grow min-w-80"):
        ui.label("Atividade recente").classes("text-bold")
        for event in page.rows:
            label = AUDIT_ACTIONS.get(event.action, (event.action,))[0]
            ui.label(f"{moment(event.occurred_at)} · {event.actor_name} · {label}").classes("text-sm")
