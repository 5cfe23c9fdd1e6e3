"""Cliente: one customer — header with its consolidated figures and status actions, and the tabs Dados, Contas de
faturamento, Usuários do portal, Faturas, Extrato, LGPD and Auditoria."""

from __future__ import annotations

import uuid

from nicegui import APIRouter, run, ui

from domain.access.permissions import Actor, Permission
from domain.customers import services as customers
from domain.customers.model import KIND_LABELS, STATUS_LABELS, Customer, CustomerStatus
from domain.errors import NotFound
from persistence.queries import customer_page as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components import accounts_tab, audit_timeline, portal_users_tab, subscriptions_tab
from ui.components.customer_data_tab import data_tab
from ui.components.formats import day, money, number
from ui.components.forms import reason_dialog
from ui.components.frame import page_actor, page_frame
from ui.components.invoice_lists import invoices_table
from ui.components.lgpd_panel import lgpd_panel
from ui.pages import customer_tabs

router = APIRouter()

STATUS_COLORS = {"active": "positive", "suspended": "warning", "churned": "grey-7"}
TABS = {
    "dados": "Dados",
    "contas": "Contas de faturamento",
    "portal": "Usuários do portal",
    "assinaturas": "Assinaturas",
    "faturas": "Faturas",
    "extrato": "Extrato",
    "lgpd": "LGPD",
    "auditoria": "Auditoria",
}
TAB_PERMISSIONS = {"lgpd": Permission.LGPD_EXPORT, "auditoria": Permission.AUDIT_READ}


@router.page("/clientes/{customer_id}")
async def customer_page(customer_id: str, tab: str = "dados") -> None:
    actor = await page_actor("Cliente", Permission.CUSTOMERS_READ)
    if actor is None:
        return
    try:
        customer = await run.io_bound(queries.customer, actor, uuid.UUID(customer_id))
    except (NotFound, ValueError):
        with page_frame("Cliente", actor):
            ui.label("Cliente não encontrado (ou excluído).").classes("text-slate-600")
            ui.link("Voltar para Clientes", "/clientes")
        return
    with page_frame(customer.name, actor):
        _header(actor, customer)
        with ui.tabs().props("dense align=left no-caps active-color=primary indicator-color=primary") as tabs:
            for key, label in TABS.items():
                if key not in TAB_PERMISSIONS or actor.can(TAB_PERMISSIONS[key]):
                    ui.tab(key, label).props(f"data-testid=tab-{key}")
        with ui.tab_panels(tabs, value=tab if tab in TABS else "dados").classes("w-full").props("keep-alive"):
            with ui.tab_panel("dados").classes("p-1"):
                await data_tab(actor, customer)
            with ui.tab_panel("contas").classes("p-1"):
                await accounts_tab.build(actor, customer)
            with ui.tab_panel("portal").classes("p-1"):
                await portal_users_tab.build(actor, customer)
            with ui.tab_panel("assinaturas").classes("p-1"):
                await subscriptions_tab.build(actor, customer)
            with ui.tab_panel("faturas").classes("p-1"):
                await invoices_table(actor, customer_id=customer.id)
            with ui.tab_panel("extrato").classes("p-1"):
                await customer_tabs.statement_tab(actor, customer.id)
            if actor.can(Permission.LGPD_EXPORT):
                with ui.tab_panel("lgpd").classes("p-1"):
                    await lgpd_panel(actor, customer.id)
            if actor.can(Permission.AUDIT_READ):
                with ui.tab_panel("auditoria").classes("p-1"):
                    await audit_timeline.build(actor, customer.id)


def _header(actor: Actor, customer: Customer) -> None:
    with ui.row().classes("w-full items-center gap-2 -mt-1"):
        ui.link("‹ Clientes", "/clientes").classes("text-sm")
        ui.label(customer.document_masked).classes("font-mono text-slate-700").props(
            "data-testid=customer-document-shown"
        )
        ui.label(KIND_LABELS[customer.kind]).classes("text-sm text-slate-500")
        if customer.legal_name and customer.legal_name != customer.name:
            ui.label(f"· {customer.legal_name}").classes("text-sm text-slate-500")
        ui.badge(STATUS_LABELS[customer.status], color=STATUS_COLORS[customer.status.value]).props(
            "data-testid=customer-status"
        )
        for tag in customer.tags or []:
            ui.badge(tag, color="blue-grey-1", text_color="blue-grey-9")
        ui.label(f"cliente desde {day(customer.created_at)}").classes("text-xs text-slate-400")
        ui.space()
        _status_actions(actor, customer)
    with ui.row().classes("gap-2"):
        for label, value, testid in (
            ("Contas", number(customer.accounts_count), "total-accounts"),
            ("Saldo consolidado", money(customer.balance_cents, customer.preferred_currency), "total-balance"),
            ("MRR consolidado", money(customer.mrr_cents, customer.preferred_currency), "total-mrr"),
            ("Faturas em aberto", number(customer.open_invoices_count), "total-open-invoices"),
        ):
            with ui.card().classes("px-3 py-1 gap-0 min-w-36").props("flat bordered"):
                ui.label(label).classes("text-xs text-slate-500")
                ui.label(value).classes("text-base font-semibold text-slate-800").props(f"data-testid={testid}")


def _status_actions(actor: Actor, customer: Customer) -> None:
    if actor.can(Permission.CUSTOMERS_WRITE):
        if customer.status is CustomerStatus.ACTIVE:
            ui.button(
                "Suspender cliente",
                icon="pause_circle",
                on_click=lambda: _set_status(actor, customer, CustomerStatus.SUSPENDED),
            ).props("flat dense")
            ui.button(
                "Marcar churn", icon="logout", on_click=lambda: _set_status(actor, customer, CustomerStatus.CHURNED)
            ).props("flat dense")
        else:
            ui.button(
                "Reativar cliente",
                icon="play_circle",
                on_click=lambda: _set_status(actor, customer, CustomerStatus.ACTIVE),
            ).props("flat dense")
    if actor.can(Permission.MERGES_RUN):
        # The duplicates screen opens with this customer as the source, to pick the target and see the preview.
        ui.button(
            "Mesclar", icon="merge", on_click=lambda: ui.navigate.to(f"/segmentos/duplicados?origem={customer.id}")
        ).props("flat dense data-testid=merge-customer")
    if actor.can(Permission.CUSTOMERS_DELETE):
        ui.button("Excluir", icon="delete", on_click=lambda: _delete(actor, customer)).props(
            "flat dense color=negative data-testid=delete-customer"
        )


def _set_status(actor: Actor, customer: Customer, status: CustomerStatus) -> None:
    reason_dialog(
        f"Deixar “{customer.name}” {STATUS_LABELS[status].lower()}", "Confirmar",
        lambda reason: customers.set_customer_status(SqlUnitOfWork(actor), customer_id=customer.id, status=status,
                                                     reason=reason),
        success="Situação do cliente alterada.", then=f"/clientes/{customer.id}",
        required=status is not CustomerStatus.ACTIVE,
    )  # fmt: skip


def _delete(actor: Actor, customer: Customer) -> None:
    reason_dialog(
        f"Excluir “{customer.name}”", "Excluir",
        lambda reason: customers.delete_customer(SqlUnitOfWork(actor), customer_id=customer.id, reason=reason),
        success=f"Cliente “{customer.name}” excluído.", then="/clientes", danger=True,
        detail="O cliente e suas contas saem das listas; faturas e auditoria permanecem.",
    )  # fmt: skip
