"""Faturas: every invoice of the organization, filtered on the server, with the totals of the filtered set, a new
one-off invoice, and the bulk download of the filtered PDFs as a ZIP (a background job with progress)."""

from __future__ import annotations

import uuid

from nicegui import APIRouter, run, ui
from nicegui.events import KeyEventArguments

from domain.access.permissions import Actor, Permission
from domain.invoices import services as invoice_services
from domain.invoices.bulk import request_invoice_zip
from domain.invoices.model import STATUSES
from jobs.invoices import build_invoice_zip
from persistence.queries.invoices import InvoiceFilter
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.amounts import parse_cents, parse_day
from ui.components.dialogs import attempt
from ui.components.frame import page_actor, page_frame
from ui.components.invoice_dialogs import choose_account
from ui.components.invoice_grid import InvoiceGrid
from ui.components.job_progress import watch_job

router = APIRouter()


@router.page("/faturas")
async def invoices_page(status: str = "", conta: str = "", cliente: str = "") -> None:
    actor = await page_actor("Faturas", Permission.INVOICES_READ)
    if actor is None:
        return
    with page_frame("Faturas", actor):
        with ui.row().classes("w-full items-end gap-2"):
            statuses = ui.select(
                {s.value: spec.label for s, spec in STATUSES.items()},
                multiple=True,
                value=[s for s in status.split(",") if s],
                label="Situação",
            ).classes("min-w-44")
            statuses.props("use-chips data-testid=filter-status").mark("filter-status")
            due_from = (
                ui.input("Vencimento de")
                .props("mask=##/##/#### data-testid=filter-due-from")
                .mark("filter-due-from")
                .classes("w-32")
            )
            due_to = (
                ui.input("até").props("mask=##/##/#### data-testid=filter-due-to").mark("filter-due-to").classes("w-32")
            )
            customer = (
                ui.input("Cliente", value=cliente)
                .props("clearable data-testid=filter-customer")
                .mark("filter-customer")
                .classes("w-48")
            )
            account = (
                ui.input("Conta").props("clearable data-testid=filter-account").mark("filter-account").classes("w-40")
            )
            number = (
                ui.input("Número").props("clearable data-testid=filter-number").mark("filter-number").classes("w-32")
            )
            amount_min = ui.input("Valor de").props("input-class=text-right").classes("w-28")
            amount_max = ui.input("até").props("input-class=text-right").classes("w-28")
            overdue = ui.checkbox("Em atraso").props("data-testid=filter-overdue").mark("filter-overdue")
            ui.button("Filtrar", icon="filter_alt", on_click=lambda: apply()).props("data-testid=invoice-filter").mark(
                "invoice-filter"
            )
            ui.space()
            ui.button("Baixar PDFs (ZIP)", icon="folder_zip", on_click=lambda: bulk_download()).props(
                "flat data-testid=bulk-zip"
            ).mark("bulk-zip")
            if actor.can(Permission.INVOICES_WRITE):
                ui.button("Nova fatura", icon="add", on_click=lambda: new_invoice(actor)).props(
                    "color=primary data-testid=new-invoice"
                ).mark("new-invoice").tooltip("Atalho: N")
        grid = InvoiceGrid(actor, on_open=lambda invoice_id: ui.navigate.to(f"/faturas/{invoice_id}"))
        account_id = _uuid(conta)

        def current() -> InvoiceFilter | None:
            try:
                return InvoiceFilter(
                    statuses=tuple(statuses.value or ()),
                    due_from=parse_day(due_from.value),
                    due_to=parse_day(due_to.value),
                    customer_query=customer.value or None,
                    account_query=account.value or None,
                    number=number.value or None,
                    overdue=bool(overdue.value),
                    amount_min_cents=parse_cents(amount_min.value),
                    amount_max_cents=parse_cents(amount_max.value),
                    billing_account_id=account_id,
                )
            except ValueError:
                ui.notify("Data inválida: use dd/mm/aaaa.", type="negative")
                return None

        async def apply() -> None:
            filters = current()
            if filters is not None:
                await grid.reload(filters)

        async def bulk_download() -> None:
            filters = current()
            if filters is None:
                return
            ok, job = await attempt(request_invoice_zip, SqlUnitOfWork(actor), filters=filters.to_dict())
            if ok and job is not None:
                await run.io_bound(build_invoice_zip, str(actor.organization_id), str(job.id))  # after the commit
                await watch_job(actor, job.id, title="PDFs das faturas (ZIP)")

        for field in (due_from, due_to, customer, account, number, amount_min, amount_max):
            field.on("keydown.enter", apply)
        statuses.on_value_change(apply)
        overdue.on_value_change(apply)
        ui.keyboard(on_key=lambda e: _keys(e, actor, grid))
        await apply()


async def new_invoice(actor: Actor, billing_account_id: str | None = None) -> None:
    """Pick the account (unless given), create the empty draft and open it in the editor."""
    chosen = (billing_account_id, None) if billing_account_id else await choose_account(actor)
    if not chosen:
        return
    account_id, due_on = chosen
    ok, invoice = await attempt(
        invoice_services.create_invoice,
        SqlUnitOfWork(actor),
        billing_account_id=uuid.UUID(str(account_id)),
        due_on=due_on,
    )
    if ok and invoice is not None:
        ui.navigate.to(f"/faturas/{invoice.id}")


async def _keys(e: KeyEventArguments, actor: Actor, grid: InvoiceGrid) -> None:
    if not e.action.keydown or e.modifiers.ctrl or e.modifiers.alt or e.modifiers.meta:
        return
    if e.key.arrow_down:
        grid.select(grid.selected + 1)
    elif e.key.arrow_up:
        grid.select(grid.selected - 1)
    elif e.key.enter:
        grid.open_selected()
    elif e.key.name.lower() == "n" and actor.can(Permission.INVOICES_WRITE):
        await new_invoice(actor)


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
