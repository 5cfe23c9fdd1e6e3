"""Dialogs of the invoice screens: a new invoice for an account, a payment, a refund, and the reason of a void or
write-off. Each returns what the operator confirmed (or None) and leaves the use case to its caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.payments.model import PAYMENT_METHOD_LABELS
from persistence.queries import invoices as queries
from ui.components.amounts import cents_input, day_input, parse_cents, parse_day
from ui.components.formats import money


@dataclass(frozen=True)
class PaymentInput:
    amount_cents: int
    paid_on: date
    method: str
    reference: str
    reason: str = ""


async def choose_account(actor: Actor) -> tuple[str, date | None] | None:
    """Which account to invoice (searched by customer name, document or account name) and an optional due date."""
    with ui.dialog() as dialog, ui.card().classes("w-[36rem]"):
        ui.label("Nova fatura avulsa").classes("text-lg font-semibold")
        search = (
            ui.input("Buscar cliente ou conta", placeholder="Nome, CNPJ/CPF ou nome da conta")
            .props("autofocus clearable debounce=300 data-testid=account-search")
            .mark("account-search")
            .classes("w-full")
        )
        account = (
            ui.select({}, label="Conta de faturamento")
            .classes("w-full")
            .props("data-testid=account-select")
            .mark("account-select")
        )
        due = (
            ui.input("Vencimento (dd/mm/aaaa)", placeholder="padrão: prazo da conta")
            .props("mask=##/##/#### data-testid=new-invoice-due")
            .mark("new-invoice-due")
        )
        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=lambda: dialog.submit(None)).props("flat")
            ui.button("Criar rascunho", icon="add", on_click=lambda: confirm()).props(
                "color=primary data-testid=create-draft"
            ).mark("create-draft")

        async def refresh() -> None:
            options = await run.io_bound(queries.account_options, actor, search.value or "")
            account.set_options(
                {str(o.id): o.label for o in options}, value=str(options[0].id) if len(options) == 1 else None
            )

        def confirm() -> None:
            try:
                due_on = parse_day(due.value)
            except ValueError:
                ui.notify("Vencimento inválido: use dd/mm/aaaa.", type="negative")
                return
            if not account.value:
                ui.notify("Escolha a conta de faturamento.", type="warning")
                return
            dialog.submit((account.value, due_on))

        search.on_value_change(refresh)
        await refresh()
    return await dialog


async def ask_payment(
    outstanding_cents: int, currency: str, today: date, *, refund: bool = False, paid_cents: int = 0
) -> PaymentInput | None:
    """Amount (the outstanding by default, or what was paid for a refund), date, method and reference or reason."""
    title = "Estornar pagamento" if refund else "Registrar pagamento"
    with ui.dialog() as dialog, ui.card().classes("w-[30rem]"):
        ui.label(title).classes("text-lg font-semibold")
        hint = (
            f"Pago até agora: {money(paid_cents, currency)}"
            if refund
            else f"Em aberto: {money(outstanding_cents, currency)}"
        )
        ui.label(hint).classes("text-sm text-slate-600")
        amount = (
            ui.input("Valor (R$)", value=cents_input(paid_cents if refund else outstanding_cents))
            .props("autofocus input-class=text-right data-testid=payment-amount")
            .mark("payment-amount")
        )
        paid_on = (
            ui.input("Data (dd/mm/aaaa)", value=day_input(today))
            .props("mask=##/##/#### data-testid=payment-date")
            .mark("payment-date")
        )
        method = (
            ui.select({k.value: v for k, v in PAYMENT_METHOD_LABELS.items()}, value="pix", label="Forma")
            .props("data-testid=payment-method")
            .mark("payment-method")
        )
        extra = (
            ui.input("Motivo do estorno" if refund else "Referência (id da transação, nº do boleto)")
            .props("data-testid=payment-reference")
            .mark("payment-reference")
            .classes("w-full")
        )
        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=lambda: dialog.submit(None)).props("flat")
            ui.button("Estornar" if refund else "Registrar", icon="check", on_click=lambda: confirm()).props(
                "color=primary data-testid=payment-confirm"
            ).mark("payment-confirm")

        def confirm() -> None:
            cents = parse_cents(amount.value)
            try:
                day = parse_day(paid_on.value)
            except ValueError:
                day = None
            if cents is None or cents <= 0:
                ui.notify("Informe um valor maior que zero (ex.: 1.234,56).", type="negative")
                return
            if day is None:
                ui.notify("Data inválida: use dd/mm/aaaa.", type="negative")
                return
            dialog.submit(
                PaymentInput(
                    cents, day, method.value, (extra.value or "").strip(), (extra.value or "").strip() if refund else ""
                )
            )

        for field in (amount, paid_on, extra):
            field.on("keydown.enter", confirm)
    return await dialog


async def ask_reason(title: str, explanation: str, confirm_label: str) -> str | None:
    """The reason a void or write-off requires (kept in the invoice and in the audit trail)."""
    with ui.dialog() as dialog, ui.card().classes("w-[30rem]"):
        ui.label(title).classes("text-lg font-semibold")
        ui.label(explanation).classes("text-sm text-slate-600")
        reason = (
            ui.textarea("Motivo")
            .props("autofocus autogrow data-testid=reason-input")
            .mark("reason-input")
            .classes("w-full")
        )
        with ui.row().classes("w-full justify-end"):
            ui.button("Voltar", on_click=lambda: dialog.submit(None)).props("flat")
            ui.button(confirm_label, on_click=lambda: submit()).props("color=negative data-testid=reason-confirm").mark(
                "reason-confirm"
            )

        def submit() -> None:
            text = (reason.value or "").strip()
            if len(text) < 3:
                ui.notify("Informe o motivo (ao menos 3 caracteres).", type="warning")
                return
            dialog.submit(text)

        reason.on("keydown.ctrl.enter", submit)
    return await dialog
