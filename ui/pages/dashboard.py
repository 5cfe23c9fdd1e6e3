"""Painel: the portfolio at a glance."""

from __future__ import annotations

from nicegui import APIRouter, run, ui

from domain.access.permissions import Permission
from persistence.queries import audit as audit_queries
from persistence.queries import dashboard as dashboard_queries
from persistence.queries.audit import AuditFilter
from ui.components.formats import moment, money, number
from ui.components.frame import page_actor, page_frame

router = APIRouter()

STATUS_LABELS = {"active": "Ativas", "suspended": "Suspensas", "closed": "Encerradas"}


@router.page("/")
async def dashboard_page() -> None:
    actor = await page_actor("Painel", Permission.DASHBOARD_READ)
    if actor is None:
        return
    figures = await run.io_bound(dashboard_queries.overview, actor)
    with page_frame("Painel", actor):
        with ui.row().classes("gap-3"):
            _card("Clientes", number(figures.customers), "groups")
            _card("MRR", money(figures.mrr_cents), "trending_up")
            _card("Saldo das contas ativas", money(figures.balance_cents), "account_balance")
            _card("Operadores ativos", number(figures.operators), "badge")
        with ui.row().classes("w-full gap-3 items-stretch"):
            with ui.card().classes("w-96"):
                ui.label("Contas de faturamento por situação").classes("text-bold")
                data = [{"name": STATUS_LABELS.get(k, k), "value": v} for k, v in figures.accounts_by_status.items()]
                ui.echart({
                    "tooltip": {"trigger": "item"},
                    "series": [{"type": "pie", "radius": ["45%", "70%"], "data": data,
                                "label": {"formatter": "{b}: {c}"}}],
                }).classes("h-56 w-full")  # fmt: skip
            if actor.can(Permission.AUDIT_READ):
                page = await run.io_bound(audit_queries.list_events, actor, AuditFilter(), limit=8)
                with ui.card().classes("grow"):
                    ui.label("Atividade recente").classes("text-bold")
                    for event in page.rows:
                        ui.label(f"{moment(event.occurred_at)} · {event.actor_name} · {event.action}").classes(
                            "text-sm"
                        )


def _card(title: str, value: str, icon: str) -> None:
    with ui.card().classes("min-w-48 p-3"):
        with ui.row().classes("items-center gap-2 text-slate-500"):
            ui.icon(icon)
            ui.label(title).classes("text-sm")
        ui.label(value).classes("text-2xl font-semibold text-slate-800")
