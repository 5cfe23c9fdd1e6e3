"""Cliente › Dados: the whole registration, edited in place; a refusal shows beside its field and keeps the input."""

from __future__ import annotations

from nicegui import run, ui

from domain.access.permissions import Actor, Permission
from domain.customers import services as customers
from domain.customers.model import Customer, VatValidationStatus
from domain.errors import ValidationFailed
from persistence.queries import customer_page as queries
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.customer_details import CustomerDetails
from ui.components.customer_form import CustomerForm
from ui.components.forms import reason_dialog, submit

VAT_LABELS = {
    "UNVALIDATED": "Não validado",
    "PENDING": "Pendente",
    "VALID": "Válido",
    "INVALID": "Inválido",
    "ERROR": "Erro",
    "MANUAL": "Manual",
    "MAINTENANCE": "Serviço em manutenção",
}


async def data_tab(actor: Actor, customer: Customer) -> None:
    definitions = await run.io_bound(queries.custom_fields, actor)
    editable = actor.can(Permission.CUSTOMERS_WRITE)
    form = CustomerForm(customer, compact=False)
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        form.build()
    details = CustomerDetails(customer, definitions, form.fields)
    with ui.card().classes("w-full gap-1").props("flat bordered"):
        details.build()
        _vat(actor, customer, editable)
    if not editable:
        ui.label("Somente leitura: seu papel não altera clientes.").classes("text-sm text-slate-500")
        return
    with ui.row().classes("w-full items-end gap-2"):
        reason = ui.input("Motivo da alteração (opcional, vai para a auditoria)").classes("w-[32rem]")

        async def save() -> None:
            try:
                values = {**form.values(), **details.values()}
            except ValidationFailed as error:
                ui.notify(error.message, type="negative")
                return
            ok, _ = await submit(
                form.fields,
                customers.update_customer,
                SqlUnitOfWork(actor),
                customer_id=customer.id,
                values=values,
                reason=reason.value or None,
                success="Dados do cliente salvos.",
            )
            if ok:
                ui.navigate.to(f"/clientes/{customer.id}?tab=dados")

        ui.button("Salvar alterações", icon="save", on_click=save).props("color=primary data-testid=save-customer")


def _vat(actor: Actor, customer: Customer, editable: bool) -> None:
    """The automatic VAT status, and the manual override an operator may set (with a reason) and clear."""
    with ui.row().classes("items-center gap-2 mt-1"):
        automatic = VAT_LABELS[customer.vat_validation_status.value]
        ui.label(f"VAT: {VAT_LABELS[customer.effective_vat_status.value]}").classes("text-sm font-medium")
        if customer.vat_validation_override:
            ui.label(f"(definido manualmente; automático: {automatic})").classes("text-xs text-slate-500")
        if not editable:
            return
        options = {s.value: VAT_LABELS[s.value] for s in VatValidationStatus}
        override = ui.select(options, label="Definir manualmente", value=None).classes("w-48")

        def set_override() -> None:
            if override.value:
                reason_dialog(
                    "Definir manualmente a situação do VAT", "Aplicar",
                    lambda reason: customers.set_vat_override(SqlUnitOfWork(actor), customer_id=customer.id,
                                                              status=override.value, reason=reason),
                    success="Situação do VAT definida.", then=f"/clientes/{customer.id}?tab=dados",
                )  # fmt: skip

        ui.button("Aplicar", on_click=set_override).props("flat dense")
        if customer.vat_validation_override:
            ui.button(
                "Limpar definição manual",
                on_click=lambda: reason_dialog(
                    "Limpar a definição manual do VAT", "Limpar",
                    lambda reason: customers.set_vat_override(SqlUnitOfWork(actor), customer_id=customer.id,
                                                              status=None, reason=reason),
                    success="Definição manual removida.", then=f"/clientes/{customer.id}?tab=dados", required=False,
                ),
            ).props("flat dense")  # fmt: skip
