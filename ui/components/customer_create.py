"""Novo cliente (N): the compact form in a dialog; Esc closes it, a refusal shows beside its field."""

from __future__ import annotations

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.customers import services as customers
from persistence.queries import customer_page as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.customer_details import custom_field_inputs
from ui.components.customer_form import CustomerForm
from ui.components.forms import submit


async def create_customer_dialog(actor: Actor) -> None:
    required = [d for d in await run.io_bound(queries.custom_fields, actor) if d.is_active and d.required]
    form = CustomerForm(None, compact=True)
    with ui.dialog() as dialog, ui.card().classes("w-[60rem] max-w-full gap-1"):
        ui.label("Novo cliente").classes("text-lg font-medium")
        form.build()
        custom = custom_field_inputs(required, {}, form.fields) if required else {}
        first_account = ui.checkbox("Criar a conta de faturamento “Principal” com o e-mail de cobrança", value=True)
        first_account.set_visibility(actor.can(Permission.BILLING_ACCOUNTS_CREATE))

        async def save() -> None:
            values = {**form.values(), "custom_fields": {key: element.value for key, element in custom.items()}}
            email = next((e["address"] for e in values["emails"]), None)
            accounts = [{"name": "Principal", "email": email}] if first_account.value else []
            ok, customer = await submit(form.fields, customers.create_customer, SqlUnitOfWork(actor), values=values,
                                        accounts=accounts, success="Cliente cadastrado.")  # fmt: skip
            if ok and customer is not None:
                dialog.close()
                ui.navigate.to(f"/clientes/{customer.id}")

        with ui.row().classes("w-full justify-end"):
            ui.button("Cancelar", on_click=dialog.close).props("flat")
            ui.button("Cadastrar", icon="save", on_click=save).props("color=primary data-testid=save-new-customer")
    dialog.open()
