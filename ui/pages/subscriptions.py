"""Assinaturas: every subscription of the organization (filters by status, plan and customer or account, newest
first, keyset paging, the MRR of the filtered set), new / change with proration preview / cancel, the billing run
with its last runs, and Assinaturas › Planos."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.subscriptions.model import INTERVAL_LABELS, STATUS_COLORS, STATUS_LABELS
from persistence.queries import subscriptions as queries
from persistence.queries.subscriptions import SubscriptionFilter, SubscriptionRow
from ui.components import billing_runs_panel
from ui.components.formats import count_of, day, money, number
from ui.components.frame import page_actor, page_frame
from ui.components.subscription_dialogs import (
    cancel_dialog,
    change_dialog,
    new_subscription_dialog,
    per_interval,
    period_text,
    plan_dialog,
)

router = APIRouter()

COLUMNS = [
    {"name": "customer", "label": "Cliente", "field": "customer", "align": "left"},
    {"name": "account", "label": "Conta", "field": "account", "align": "left"},
    {"name": "plan", "label": "Plano", "field": "plan", "align": "left"},
    {"name": "quantity", "label": "Qtd.", "field": "quantity", "align": "right"},
    {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
    {"name": "status", "label": "Situação", "field": "status", "align": "left"},
    {"name": "period", "label": "Período atual", "field": "period", "align": "left"},
    {"name": "mrr", "label": "MRR", "field": "mrr", "align": "right"},
    {"name": "actions", "label": "", "field": "id", "align": "right"},
]
STATUS_SLOT = r"""
<q-td :props="props">
  <q-badge :label="props.value" :color="props.row.color" />
  <div v-if="props.row.note" class="text-xs text-grey-8">{{ props.row.note }}</div>
</q-td>
"""
ACTIONS_SLOT = r"""
<q-td :props="props" class="whitespace-nowrap">
  <template v-if="props.row.can_write && props.row.status_key !== 'canceled'">
    <q-btn dense flat size="sm" icon="tune" title="Alterar plano ou quantidade"
           :data-testid="'change-' + props.row.customer" @click="$parent.$emit('change', props.row)" />
    <q-btn dense flat size="sm" icon="cancel" color="negative" title="Cancelar"
           :data-testid="'cancel-' + props.row.customer" @click="$parent.$emit('cancel', props.row)" />
  </template>
</q-td>
"""


def table_row(actor: Actor, r: SubscriptionRow) -> dict[str, Any]:
    note = ""
    if r.awaiting_first_invoice:
        note = "aguardando a primeira fatura"
    elif r.status == "trialing" and r.trial_end:
        note = f"teste até {day(r.trial_end)}"
    elif r.cancel_at_period_end:
        note = f"cancela em {day(r.current_period_end)}"
    elif r.canceled_on:
        note = f"cancelada em {day(r.canceled_on)}"
    period = "—" if r.awaiting_first_invoice else period_text(r)
    amount = f"{money(r.amount_cents * r.quantity, r.currency)}/{per_interval(r.interval)}"
    return {
        "id": str(r.id), "customer": r.customer_name, "account": r.account_name, "plan": r.plan_name,
        "quantity": r.quantity, "amount": amount, "status": STATUS_LABELS[r.status], "status_key": r.status.value,
        "color": STATUS_COLORS[r.status.value],
        "note": note, "period": period, "mrr": money(r.mrr_cents, r.currency),
        "can_write": actor.can(Permission.SUBSCRIPTIONS_WRITE), "customer_id": str(r.customer_id),
    }  # fmt: skip


def subscription_table(actor: Actor, rows: list[SubscriptionRow], reload: Any, *, testid: str) -> ui.table:
    """The dense list with its change and cancel actions (shared with the customer's tab)."""
    by_id = {str(r.id): r for r in rows}
    table = ui.table(columns=COLUMNS, rows=[table_row(actor, r) for r in rows], row_key="id").classes("w-full")
    table.props(f"data-testid={testid}").mark(testid)
    table.add_slot("body-cell-status", STATUS_SLOT)
    table.add_slot("body-cell-actions", ACTIONS_SLOT)

    table.on("change", lambda e: change_dialog(actor, by_id[e.args["id"]], reload))
    table.on("cancel", lambda e: cancel_dialog(actor, by_id[e.args["id"]], reload))
    table.on("rowDblclick", lambda e: ui.navigate.to(f"/clientes/{e.args[1]['customer_id']}?tab=assinaturas"))
    return table


@router.page("/assinaturas")
async def subscriptions_page(status: str = "", plano: str = "") -> None:
    actor = await page_actor("Assinaturas", Permission.SUBSCRIPTIONS_READ)
    if actor is None:
        return
    plans = await run.io_bound(queries.plans, actor)
    with page_frame("Assinaturas", actor):
        with ui.row().classes("w-full items-end gap-2"):
            chosen = [s for s in status.split(",") if s]
            statuses = ui.select({s.value: label for s, label in STATUS_LABELS.items()}, multiple=True,
                                 value=chosen, label="Situação").classes("min-w-44")  # fmt: skip
            statuses.props("use-chips data-testid=filter-status").mark("filter-status")
            plan = ui.select({"": "Todos os planos", **{str(p.id): p.name for p in plans}}, value=plano or "",
                             label="Plano").classes("w-48")  # fmt: skip
            plan.props("data-testid=filter-plan").mark("filter-plan")
            search = ui.input("Cliente ou conta").props("clearable debounce=400 data-testid=filter-search")
            search.mark("filter-search").classes("w-56")
            ui.button("Filtrar", icon="filter_alt", on_click=lambda: reload()).props("data-testid=subscription-filter")
            ui.space()
            ui.link("Planos", "/assinaturas/planos").props("data-testid=plans-link").classes("text-sm")
            if actor.can(Permission.SUBSCRIPTIONS_WRITE):
                ui.button("Nova assinatura", icon="add",
                          on_click=lambda: new_subscription_dialog(actor, reload)).props(
                    "color=primary data-testid=new-subscription").mark("new-subscription")  # fmt: skip
        totals = ui.label("").classes("text-sm text-slate-700").props("data-testid=subscription-totals")
        totals.mark("subscription-totals")
        holder = ui.column().classes("w-full gap-1")
        more = ui.button("Carregar mais", on_click=lambda: load(append=True)).props("flat dense data-testid=more")
        panel = ui.column().classes("w-full")

    rows: list[SubscriptionRow] = []
    cursor: list[str | None] = [None]

    def current() -> SubscriptionFilter:
        plan_id = uuid.UUID(plan.value) if plan.value else None
        return SubscriptionFilter(statuses=tuple(statuses.value or ()), plan_id=plan_id, search=search.value or None)

    async def load(append: bool = False) -> None:
        page = await run.io_bound(queries.list_subscriptions, actor, current(), cursor=cursor[0] if append else None,
                                  with_totals=not append)  # fmt: skip
        if not append:
            rows.clear()
            shown = ("≈ " if page.total_is_estimate else "") + count_of(page.total or 0, "assinatura", "assinaturas")
            totals.text = f"{shown} · MRR {money(page.extra.get('mrr_cents', 0))}"
        rows.extend(page.rows)
        cursor[0] = page.next_cursor
        more.visible = page.next_cursor is not None
        holder.clear()
        with holder:
            subscription_table(actor, rows, reload, testid="subscriptions-table")
            if not rows:
                ui.label("Nenhuma assinatura com estes filtros.").classes("text-sm text-slate-500")

    async def reload() -> None:
        await load(append=False)

    statuses.on_value_change(reload)
    plan.on_value_change(reload)
    search.on_value_change(reload)
    await reload()
    with panel:
        await billing_runs_panel.build(actor, on_finished=reload)


@router.page("/assinaturas/planos")
async def plans_page() -> None:
    actor = await page_actor("Planos", Permission.SUBSCRIPTIONS_READ)
    if actor is None:
        return
    with page_frame("Planos", actor):
        with ui.row().classes("w-full items-center gap-2"):
            ui.link("‹ Assinaturas", "/assinaturas").classes("text-sm")
            ui.space()
            if actor.can(Permission.SUBSCRIPTIONS_WRITE):
                ui.button("Novo plano", icon="add", on_click=lambda: plan_dialog(actor, None, reload)).props(
                    "color=primary data-testid=new-plan").mark("new-plan")  # fmt: skip
        holder = ui.column().classes("w-full")

    async def reload() -> None:
        plans = await run.io_bound(queries.plans, actor)
        by_id = {str(p.id): p for p in plans}
        holder.clear()
        with holder:
            columns = [
                {"name": "name", "label": "Plano", "field": "name", "align": "left"},
                {"name": "amount", "label": "Valor", "field": "amount", "align": "right"},
                {"name": "interval", "label": "Periodicidade", "field": "interval", "align": "left"},
                {"name": "live", "label": "Assinaturas vigentes", "field": "live", "align": "right"},
                {"name": "active", "label": "Situação", "field": "active", "align": "left"},
            ]
            data = [{"id": str(p.id), "name": p.name, "amount": money(p.amount_cents, p.currency),
                     "interval": INTERVAL_LABELS[p.interval], "live": number(p.live_subscriptions),  # type: ignore[index]
                     "active": "Ativo" if p.is_active else "Inativo"} for p in plans]  # fmt: skip
            table = ui.table(columns=columns, rows=data, row_key="id").classes("w-full")
            table.props("data-testid=plans-table").mark("plans-table")
            if actor.can(Permission.SUBSCRIPTIONS_WRITE):
                table.on("rowClick", lambda e: plan_dialog(actor, by_id[e.args[1]["id"]], reload))
            if not plans:
                ui.label("Nenhum plano. Crie o primeiro em “Novo plano”.").classes("text-sm text-slate-500")

    await reload()
