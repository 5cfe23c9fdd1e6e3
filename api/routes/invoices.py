"""/invoices: one-off drafts, lines, finalize, void, write off, pay, PDF: the invoice editor's use cases."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.auth import current_actor
from api.errors import COMMON_RESPONSES
from api.pagination import envelope, page_params
from api.schemas.invoices import (
    FinalizeIn,
    InvoiceCreate,
    InvoiceOut,
    LineItemIn,
    LinesIn,
    PayIn,
    PaymentOut,
    PaymentResult,
    VoidIn,
)
from api.service_codes import is_uuid, service_ids
from domain.access.permissions import Actor, Permission
from domain.calendar import today_in
from domain.invoices import closing, finalize, services
from domain.invoices.model import Invoice, LineType
from domain.invoices.services import LineInput
from domain.payments import services as payments
from persistence.queries import api_lists
from persistence.queries.api_lists import PageRequest
from persistence.unit_of_work import SqlUnitOfWork
from reports import invoice_pdf

router = APIRouter(prefix="/invoices", tags=["invoices"], responses=COMMON_RESPONSES)
Status = Literal["draft", "open", "paid", "void", "uncollectible"]


@router.post("", status_code=201, response_model=InvoiceOut, summary="Criar fatura avulsa (rascunho)")
def create_invoice(request: Request, body: InvoiceCreate, actor: Actor = Depends(current_actor)) -> InvoiceOut:
    invoice = services.create_invoice(
        SqlUnitOfWork(actor),
        billing_account_id=body.billing_account_id,
        lines=_lines(actor, body.line_items),
        due_on=body.due_date,
        memo=body.memo,
        manual_discount_cents=body.discount_cents,
        coupon_code=body.coupon_code,
    )
    return invoice_out(request, actor, invoice.id)


@router.get("", summary="Listar faturas")
def list_invoices(
    request: Request,
    page: PageRequest = Depends(page_params),
    status: Status | None = Query(None, alias="filter[status]"),
    customer_id: uuid.UUID | None = Query(None, alias="filter[customer_id]"),
    billing_account_id: uuid.UUID | None = Query(None, alias="filter[billing_account_id]"),
    due_from: date | None = Query(None, alias="filter[due_from]"),
    due_to: date | None = Query(None, alias="filter[due_to]"),
    number: str | None = Query(None, alias="filter[number]", max_length=32),
    actor: Actor = Depends(current_actor),
) -> dict:
    conditions = api_lists.invoice_conditions(
        status=status,
        customer_id=customer_id,
        number=number,
        billing_account_id=billing_account_id,
        due_from=due_from,
        due_to=due_to,
    )
    result = api_lists.list_entities(
        actor, Permission.INVOICES_READ, Invoice, conditions, page, options=api_lists.INVOICE_WITH_LINES
    )
    return envelope(request, page, result, [_out(request, i) for i in result.rows])


@router.get("/{invoice_id}", response_model=InvoiceOut, summary="Obter fatura")
def get_invoice(request: Request, invoice_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> InvoiceOut:
    return invoice_out(request, actor, invoice_id)


@router.delete("/{invoice_id}", status_code=204, summary="Excluir rascunho")
def delete_invoice(invoice_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> Response:
    services.delete_invoice_draft(SqlUnitOfWork(actor), invoice_id=invoice_id)
    return Response(status_code=204)


@router.post("/{invoice_id}/lines", response_model=InvoiceOut, summary="Adicionar itens ao rascunho")
def add_lines(
    request: Request, invoice_id: uuid.UUID, body: LinesIn, actor: Actor = Depends(current_actor)
) -> InvoiceOut:
    """Appends to the draft's lines in one locked transaction: concurrent calls each keep their lines."""
    services.add_invoice_lines(SqlUnitOfWork(actor), invoice_id=invoice_id, lines=_lines(actor, body.line_items))
    return invoice_out(request, actor, invoice_id)


@router.post("/{invoice_id}/finalize", response_model=InvoiceOut, summary="Finalizar (numera e abre)")
def finalize_invoice(
    request: Request, invoice_id: uuid.UUID, body: FinalizeIn | None = None, actor: Actor = Depends(current_actor)
) -> InvoiceOut:
    issued_on = body.issued_on if body else None
    finalize.finalize_invoice(SqlUnitOfWork(actor), invoice_id=invoice_id, issued_on=issued_on)
    return invoice_out(request, actor, invoice_id)


@router.post("/{invoice_id}/void", response_model=InvoiceOut, summary="Cancelar fatura em aberto")
def void_invoice(
    request: Request, invoice_id: uuid.UUID, body: VoidIn, actor: Actor = Depends(current_actor)
) -> InvoiceOut:
    closing.void_invoice(SqlUnitOfWork(actor), invoice_id=invoice_id, reason=body.reason)
    return invoice_out(request, actor, invoice_id)


@router.post("/{invoice_id}/mark-uncollectible", response_model=InvoiceOut, summary="Marcar como incobrável")
def mark_uncollectible(
    request: Request, invoice_id: uuid.UUID, body: VoidIn, actor: Actor = Depends(current_actor)
) -> InvoiceOut:
    closing.mark_invoice_uncollectible(SqlUnitOfWork(actor), invoice_id=invoice_id, reason=body.reason)
    return invoice_out(request, actor, invoice_id)


@router.post("/{invoice_id}/pay", response_model=PaymentResult, summary="Registrar pagamento (total ou parcial)")
def pay_invoice(
    request: Request, invoice_id: uuid.UUID, body: PayIn, actor: Actor = Depends(current_actor)
) -> PaymentResult:
    """Without `amount_cents`, pays what is outstanding; the invoice becomes paid when payments reach its net value."""
    amount = body.amount_cents
    if amount is None:
        amount = api_lists.get_entity(actor, Permission.INVOICES_READ, Invoice, invoice_id, "Fatura").outstanding_cents
    paid_on = body.paid_on or today_in(_timezone(actor))
    payment = payments.record_payment(
        SqlUnitOfWork(actor),
        invoice_id=invoice_id,
        amount_cents=amount,
        paid_on=paid_on,
        method=body.method,
        reference=body.reference,
    )
    return PaymentResult(payment=PaymentOut.model_validate(payment), invoice=invoice_out(request, actor, invoice_id))


@router.get(
    "/{invoice_id}/pdf",
    summary="PDF da fatura",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "O PDF"}},
)
def invoice_pdf_file(invoice_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> Response:
    filename, data = invoice_pdf.invoice_pdf_bytes(actor, invoice_id)
    return Response(data, media_type=invoice_pdf.PDF, headers={"Content-Disposition": f'inline; filename="{filename}"'})


def invoice_out(request: Request, actor: Actor, invoice_id: uuid.UUID) -> InvoiceOut:
    invoice = api_lists.get_entity(
        actor, Permission.INVOICES_READ, Invoice, invoice_id, "Fatura", options=api_lists.INVOICE_WITH_LINES
    )
    return _out(request, invoice)


def _out(request: Request, invoice: Invoice) -> InvoiceOut:
    out = InvoiceOut.model_validate(invoice)
    out.pdf_url = str(request.url_for("invoice_pdf_file", invoice_id=invoice.id).path)
    return out


def _lines(actor: Actor, items: list[LineItemIn]) -> list[LineInput]:
    named = {i.service_item_id for i in items if i.service_item_id}
    codes = {n for n in named if not is_uuid(n)}
    ids = {n: uuid.UUID(n) for n in named - codes} | (service_ids(actor, codes) if codes else {})
    return [
        LineInput(
            description=i.description,
            quantity=i.quantity,
            unit_amount_cents=i.unit_amount_cents,
            type=LineType(i.type),
            period_start=i.period_start,
            period_end=i.period_end,
            service_item_id=ids.get(i.service_item_id) if i.service_item_id else None,
        )
        for i in items
    ]


def _timezone(actor: Actor) -> str:
    with SqlUnitOfWork(actor) as uow:
        return uow.organizations.current().timezone
