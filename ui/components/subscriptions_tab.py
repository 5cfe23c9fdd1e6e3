"""Cliente › Assinaturas: the customer's subscriptions on all its billing accounts, with new / change / cancel."""

from __future__ import annotations

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.customers.model import Customer
from persistence.queries import subscriptions as queries
from persistence.queries.subscriptions import SubscriptionFilter
from ui.components.formats import money
from ui.components.subscription_dialogs import new_subscription_dialog


async def build(actor: Actor, customer: Customer) -> None:
    if not actor.can(Permission.SUBSCRIPTIONS_READ):
        ui.label("Seu papel não dá acesso a assinaturas.").classes("text-sm text-slate-500")
        return
    from ui.pages.subscriptions import subscription_table

    holder = ui.column().classes("w-full gap-1")

    async def reload() -> None:
        page = await run.io_bound(queries.list_subscriptions, actor, SubscriptionFilter(customer_id=customer.id),
                                  per_page=200)  # fmt: skip
        accounts = await run.io_bound(_accounts, actor, customer)
        holder.clear()
        with holder:
            with ui.row().classes("w-full items-center gap-2"):
                ui.label(f"MRR das assinaturas ativas: {money(page.extra.get('mrr_cents', 0))}").classes(
                    "text-sm text-slate-700").props("data-testid=customer-subscriptions-mrr")  # fmt: skip
                ui.space()
                if actor.can(Permission.SUBSCRIPTIONS_WRITE):
                    for account_id, name in accounts:
                        ui.button(f"Nova assinatura — {name}", icon="add",
                                  on_click=lambda a=account_id: new_subscription_dialog(
                                      actor, reload, account_id=a)).props(
                            "flat dense data-testid=new-account-subscription")  # fmt: skip
            subscription_table(actor, page.rows, reload, testid="customer-subscriptions")
            if not page.rows:
                ui.label("Nenhuma assinatura.").classes("text-sm text-slate-500")

    await reload()


def _accounts(actor: Actor, customer: Customer) -> list[tuple]:
    from persistence.queries import customer_page

    return [(a.id, a.name) for a in customer_page.accounts(actor, customer.id) if a.status == "active"]
