"""Dialogs of the subscription screens: a plan, a new subscription, a change with its proration preview, and a
cancellation. Each runs its use case off the event loop; a refusal stays in the dialog, with what was typed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.errors import BillingError
from domain.subscriptions import services as subscriptions
from domain.subscriptions.model import INTERVAL_LABELS, PlanInterval
from domain.subscriptions.services import PlanInput
from persistence.queries import invoices as invoice_queries
from persistence.queries import subscriptions as queries
from persistence.queries.common import organization_today
from persistence.queries.subscriptions import PlanRow, SubscriptionRow
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.amounts import cents_input, day_input, parse_cents, parse_day
from ui.components.formats import day, money


def _refusal_label() -> ui.label:
    return ui.label("").classes("text-sm text-negative").props("data-testid=dialog-refusal").mark("dialog-refusal")


async def _attempt(refusal: ui.label, fn: Callable, *args: object, **kwargs: object) -> object | None:
    refusal.text = ""
    try:
        return await run.io_bound(fn, *args, **kwargs)
    except BillingError as error:
        refusal.text = error.message
        ui.notify(error.message, type="negative", multi_line=True)
        return None


async def plan_dialog(actor: Actor, plan: PlanRow | None, on_done: Callable[[], object]) -> None:
    services = await run.io_bound(queries.service_options, actor)
    if not services:  # a new organization: the standard catalog first
        await run.io_bound(subscriptions.prepare_catalog, SqlUnitOfWork(actor))
        services = await run.io_bound(queries.service_options, actor)
    with ui.dialog() as dialog, ui.card().classes("w-[34rem] gap-2").props("data-testid=plan-dialog"):
        ui.label("Editar plano" if plan else "Novo plano").classes("text-lg font-semibold")
        name = ui.input("Nome", value=plan.name if plan else "").props("autofocus data-testid=plan-name")
        name.mark("plan-name").classes("w-full")
        with ui.row().classes("w-full gap-2"):
            amount = ui.input("Valor (R$)", value=cents_input(plan.amount_cents) if plan else "")
            amount.props("input-class=text-right data-testid=plan-amount").mark("plan-amount").classes("w-40")
            interval = ui.select({i.value: label for i, label in INTERVAL_LABELS.items()}, label="Periodicidade",
                                 value=plan.interval if plan else "month").classes("w-36")  # fmt: skip
            interval.props("data-testid=plan-interval").mark("plan-interval")
            if plan:
                interval.disable()
        service = ui.select(services, label="Serviço (LC 116)", value=str(plan.service_item_id) if plan else None)
        service.props("data-testid=plan-service").mark("plan-service").classes("w-full")
        description = ui.input("Descrição (opcional)", value=(plan.description or "") if plan else "").classes("w-full")
        active = ui.checkbox("Ativo (aceita novas assinaturas)", value=plan.is_active if plan else True)
        refusal = _refusal_label()

        async def save() -> None:
            cents = parse_cents(amount.value)
            if cents is None:
                refusal.text = "Valor inválido: use 1.234,56."
                return
            if not service.value:
                refusal.text = "Escolha o serviço que o plano fatura."
                return
            values = PlanInput(name=name.value or "", amount_cents=cents, interval=PlanInterval(interval.value),
                               service_item_id=uuid.UUID(service.value), description=description.value,
                               is_active=bool(active.value))  # fmt: skip
            if plan:
                done = await _attempt(refusal, subscriptions.update_plan, SqlUnitOfWork(actor), plan_id=plan.id,
                                      values=values)  # fmt: skip
            else:
                done = await _attempt(refusal, subscriptions.create_plan, SqlUnitOfWork(actor), values=values)
            if done is not None:
                dialog.close()
                ui.notify("Plano salvo.", type="positive")
                await _call(on_done)

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Salvar plano", on_click=save).props("color=primary data-testid=plan-save").mark("plan-save")
    dialog.open()


async def new_subscription_dialog(
    actor: Actor, on_done: Callable[[], object], *, account_id: uuid.UUID | None = None
) -> None:
    plans = await run.io_bound(queries.plans, actor, active_only=True)
    today = await run.io_bound(organization_today, actor)
    fixed = await run.io_bound(queries.account_label, actor, account_id) if account_id else None
    with ui.dialog() as dialog, ui.card().classes("w-[36rem] gap-2").props("data-testid=subscription-dialog"):
        ui.label("Nova assinatura").classes("text-lg font-semibold")
        if fixed:
            ui.label(f"Conta: {fixed}").classes("text-sm text-slate-700")
            search = None
            account = ui.select({str(account_id): fixed}, value=str(account_id), label="Conta de faturamento")
            account.classes("hidden")
        else:
            search = ui.input("Buscar cliente ou conta", placeholder="Nome, CNPJ/CPF ou nome da conta")
            search.props("autofocus clearable debounce=300 data-testid=account-search").mark("account-search")
            search.classes("w-full")
            account = ui.select({}, label="Conta de faturamento").classes("w-full")
            account.props("data-testid=account-select").mark("account-select")
        plan = ui.select({str(p.id): f"{p.name} — {money(p.amount_cents, p.currency)}/{per_interval(p.interval)}"
                          for p in plans}, label="Plano").classes("w-full")  # fmt: skip
        plan.props("data-testid=subscription-plan").mark("subscription-plan")
        with ui.row().classes("w-full gap-2"):
            quantity = ui.number("Quantidade", value=1, min=1, precision=0).classes("w-28")
            quantity.props("data-testid=subscription-quantity").mark("subscription-quantity")
            start = ui.input("Início", value=day_input(today)).props("mask=##/##/####")
            start.props("data-testid=subscription-start").mark("subscription-start").classes("w-32")
            trial = ui.number("Dias de teste", value=0, min=0, precision=0).classes("w-32")
            trial.props("data-testid=subscription-trial").mark("subscription-trial")
        ui.label("A primeira fatura sai no próximo faturamento (ou ao fim do teste).").classes("text-xs text-slate-500")
        refusal = _refusal_label()

        async def refresh() -> None:
            if search is None:
                return
            options = await run.io_bound(invoice_queries.account_options, actor, search.value or "")
            account.set_options({str(o.id): o.label for o in options},
                                value=str(options[0].id) if len(options) == 1 else None)  # fmt: skip

        async def save() -> None:
            if not account.value or not plan.value:
                refusal.text = "Escolha a conta e o plano."
                return
            try:
                start_on = parse_day(start.value)
            except ValueError:
                refusal.text = "Início inválido: use dd/mm/aaaa."
                return
            done = await _attempt(
                refusal, subscriptions.create_subscription, SqlUnitOfWork(actor),
                billing_account_id=uuid.UUID(account.value), plan_id=uuid.UUID(plan.value),
                quantity=int(quantity.value or 0), start_on=start_on, trial_days=int(trial.value or 0),
            )  # fmt: skip
            if done is not None:
                dialog.close()
                ui.notify("Assinatura criada.", type="positive")
                await _call(on_done)

        if search is not None:
            search.on_value_change(refresh)
        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Criar assinatura", icon="add", on_click=save).props(
                "color=primary data-testid=subscription-save").mark("subscription-save")  # fmt: skip
    dialog.open()
    await refresh()


async def change_dialog(actor: Actor, row: SubscriptionRow, on_done: Callable[[], object]) -> None:
    """Plan and quantity from a date, with the proration lines it would add to the next invoice before confirming."""
    plans = [p for p in await run.io_bound(queries.plans, actor) if p.interval == row.interval
             and (p.is_active or p.id == row.plan_id)]  # fmt: skip
    today = await run.io_bound(organization_today, actor)
    with ui.dialog() as dialog, ui.card().classes("w-[40rem] gap-2").props("data-testid=change-dialog"):
        ui.label(f"Alterar assinatura — {row.customer_name}").classes("text-lg font-semibold")
        ui.label(f"Atual: {row.plan_name} × {row.quantity} · período {period_text(row)}").classes(
            "text-sm text-slate-600")  # fmt: skip
        with ui.row().classes("w-full gap-2"):
            plan = ui.select({str(p.id): f"{p.name} — {money(p.amount_cents, p.currency)}" for p in plans},
                             value=str(row.plan_id), label="Plano").classes("w-64")  # fmt: skip
            plan.props("data-testid=change-plan").mark("change-plan")
            quantity = ui.number("Quantidade", value=row.quantity, min=1, precision=0).classes("w-28")
            quantity.props("data-testid=change-quantity").mark("change-quantity")
            when = ui.input("A partir de", value=day_input(today)).props("mask=##/##/####").classes("w-32")
            when.props("data-testid=change-date").mark("change-date")
        ui.label("Prévia do proporcional na próxima fatura").classes("text-sm font-medium mt-2")
        preview = ui.column().classes("w-full gap-0").props("data-testid=proration-preview").mark("proration-preview")
        refusal = _refusal_label()

        def args() -> dict | None:
            try:
                on = parse_day(when.value)
            except ValueError:
                return None
            return {"subscription_id": row.id, "plan_id": uuid.UUID(plan.value), "quantity": int(quantity.value or 0),
                    "changed_on": on}  # fmt: skip

        async def show() -> None:
            preview.clear()
            given = args()
            if given is None:
                return
            if given["plan_id"] == row.plan_id and given["quantity"] == row.quantity:
                with preview:
                    ui.label("Escolha outro plano ou outra quantidade para ver o proporcional.").classes(
                        "text-sm text-slate-500")  # fmt: skip
                return
            found = await _attempt(refusal, subscriptions.preview_change, SqlUnitOfWork(actor), **given)
            with preview:
                if found is None:
                    return
                if not found.lines:
                    ui.label("Sem proporcional: nada foi cobrado ainda neste período (teste ou primeira fatura).")
                for line in found.lines:
                    with ui.row().classes("w-full justify-between items-start text-sm flex-nowrap"):
                        ui.label(line.description)
                        ui.label(money(line.amount_cents, found.currency)).classes("font-mono whitespace-nowrap")
                with ui.row().classes("w-full justify-between text-sm font-semibold border-t mt-1 pt-1"):
                    ui.label("Total proporcional")
                    ui.label(money(found.total_cents, found.currency)).props("data-testid=proration-total").mark(
                        "proration-total")  # fmt: skip

        async def save() -> None:
            given = args()
            if given is None:
                refusal.text = "Data inválida: use dd/mm/aaaa."
                return
            done = await _attempt(refusal, subscriptions.change_subscription, SqlUnitOfWork(actor), **given)
            if done is not None:
                dialog.close()
                ui.notify("Assinatura alterada; o proporcional entra na próxima fatura.", type="positive")
                await _call(on_done)

        for element in (plan, quantity, when):
            element.on_value_change(show)
        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Confirmar alteração", on_click=save).props("color=primary data-testid=change-save").mark(
                "change-save")  # fmt: skip
    dialog.open()
    await show()


async def cancel_dialog(actor: Actor, row: SubscriptionRow, on_done: Callable[[], object]) -> None:
    with ui.dialog() as dialog, ui.card().classes("w-[32rem] gap-2").props("data-testid=cancel-dialog"):
        ui.label(f"Cancelar assinatura — {row.customer_name}").classes("text-lg font-semibold")
        ui.label(f"{row.plan_name} × {row.quantity}").classes("text-sm text-slate-600")
        when = ui.radio({"end": f"No fim do período ({day(row.current_period_end)})", "now": "Agora"}, value="end")
        when.props("data-testid=cancel-when").mark("cancel-when")
        reason = ui.textarea("Motivo").props("rows=2 data-testid=cancel-reason").mark("cancel-reason").classes("w-full")
        refusal = _refusal_label()

        async def save() -> None:
            done = await _attempt(refusal, subscriptions.cancel_subscription, SqlUnitOfWork(actor),
                                  subscription_id=row.id, at_period_end=when.value == "end",
                                  reason=reason.value or "")  # fmt: skip
            if done is not None:
                dialog.close()
                ui.notify("Assinatura cancelada." if when.value == "now" else "Cancelamento agendado para o fim do "
                          "período.", type="positive")  # fmt: skip
                await _call(on_done)

        with ui.row().classes("w-full justify-end"):
            ui.button("Voltar", on_click=dialog.close).props("flat")
            ui.button("Cancelar assinatura", on_click=save).props("color=negative data-testid=cancel-save").mark(
                "cancel-save")  # fmt: skip
    dialog.open()


def period_text(row: SubscriptionRow) -> str:
    """The current period as people read it: first and last day (the stored end is the next period's first day)."""
    if row.awaiting_first_invoice:
        return "aguardando a primeira fatura"
    return f"{day(row.current_period_start)} a {day(row.current_period_end - timedelta(days=1))}"


def per_interval(interval: str) -> str:
    """What one plan price covers: "R$ 100,00/mês", "R$ 1.200,00/ano"."""
    return "ano" if interval == "year" else "mês"


async def _call(fn: Callable[[], object]) -> None:
    result = fn()
    if hasattr(result, "__await__"):
        await result  # type: ignore[misc]
