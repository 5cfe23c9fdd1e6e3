"""The handlers of the invoice screen: saving a draft with live totals, and each action of the state machine
(finalize, payments, refunds, void, write-off, PDF) through its use case."""

from __future__ import annotations

from nicegui import run, ui

from domain.access.permissions import Actor
from domain.catalog.model import TaxRule
from domain.invoices import services as invoice_services
from domain.invoices.closing import mark_invoice_uncollectible, void_invoice
from domain.invoices.finalize import finalize_invoice
from domain.invoices.model import InvoiceAction
from domain.invoices.preview import preview_draft
from domain.payments.services import record_payment, refund_payment
from jobs.invoices import generate_invoice_pdf
from persistence.queries.invoices import InvoiceDetail
from persistence.unit_of_work import SqlUnitOfWork
from ui.components.amounts import cents_input, day_input, parse_cents, parse_day
from ui.components.dialogs import attempt
from ui.components.invoice_dialogs import ask_payment, ask_reason
from ui.components.invoice_lines import LinesEditor
from ui.components.invoice_totals import TotalsPanel

A = InvoiceAction


class InvoiceScreen:
    """The handlers of one open invoice screen."""

    def __init__(self, actor: Actor, detail: InvoiceDetail) -> None:
        self.actor, self.detail = actor, detail
        self.invoice = detail.invoice
        self.revision = detail.invoice.revision  # what this editor opened: a save over a newer one is refused
        self.totals: TotalsPanel | None = None
        self.editor: LinesEditor | None = None
        self.tax_rules: list[TaxRule] = []
        self.earlier_payments_cents = 0

    def draft_form(self) -> None:
        invoice = self.invoice
        self.editor = LinesEditor(list(invoice.lines), self.detail.services, invoice.currency, self.recompute)
        with ui.row().classes("w-full items-end gap-2"):
            self.due = (
                ui.input("Vencimento", value=day_input(invoice.due_on))
                .props("mask=##/##/#### data-testid=draft-due")
                .mark("draft-due")
                .classes("w-32")
            )
            self.discount = (
                ui.input("Desconto (R$)", value=cents_input(invoice.manual_discount_cents or None))
                .props("input-class=text-right data-testid=draft-discount")
                .mark("draft-discount")
                .classes("w-32")
            )
            self.coupon = (
                ui.input("Cupom", value=self.detail.coupon.code if self.detail.coupon else "")
                .props("data-testid=draft-coupon")
                .mark("draft-coupon")
                .classes("w-36")
            )
            self.memo = ui.input("Observações (saem no PDF)", value=invoice.memo or "").classes("grow")
            ui.button("Salvar rascunho", icon="save", on_click=self.save).props("data-testid=save-draft").mark(
                "save-draft"
            )
        for field in (self.due, self.discount):
            field.on_value_change(self.recompute)

    def recompute(self) -> None:
        """Live totals: the domain's own composition on an in-memory copy of the draft."""
        assert self.editor is not None and self.totals is not None
        lines, problem = self.editor.lines()
        try:
            due_on = parse_day(self.due.value) or self.invoice.due_on
        except ValueError:
            due_on = self.invoice.due_on
        discount = parse_cents(self.discount.value) if (self.discount.value or "").strip() else 0
        if problem is None and discount is None:
            problem = "Desconto inválido (ex.: 100,00)."
        if problem is not None:
            self.totals.show(None, problem)
            self.editor.show_amounts(None)
            return
        d = self.detail
        preview = preview_draft(
            organization=d.organization,
            account=d.account,
            lines=lines,
            due_on=due_on,
            manual_discount_cents=discount or 0,
            services=d.services,
            tax_rules=self.tax_rules,
            coupon=d.coupon,
            today=d.today or due_on,
            earlier_payments_cents=self.earlier_payments_cents,
        )
        self.totals.show(preview.invoice, preview.problem)
        self.editor.show_amounts(
            [line.amount_cents for line in preview.invoice.charge_lines] if preview.invoice else None
        )

    async def save(self) -> bool:
        assert self.editor is not None
        lines, problem = self.editor.lines()
        try:
            due_on = parse_day(self.due.value)
        except ValueError:
            problem = problem or "Vencimento inválido: use dd/mm/aaaa."
            due_on = None
        discount = parse_cents(self.discount.value) if (self.discount.value or "").strip() else 0
        if problem or discount is None or due_on is None:
            ui.notify(problem or "Confira o vencimento e o desconto.", type="negative")
            return False
        ok, saved = await attempt(
            invoice_services.update_invoice_draft,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            lines=lines,
            due_on=due_on,
            memo=self.memo.value,
            manual_discount_cents=discount,
            coupon_code=self.coupon.value,
            expected_revision=self.revision,
            success="Rascunho salvo.",
        )
        if ok and saved is not None:
            self.revision = saved.revision  # the next save of this screen builds on this one
        return ok

    async def run(self, action: InvoiceAction) -> None:
        handlers = {
            A.EDIT: self._edit,
            A.FINALIZE: self._finalize,
            A.DELETE: self._delete,
            A.RECORD_PAYMENT: self._pay,
            A.REFUND: self._refund,
            A.VOID: self._void,
            A.MARK_UNCOLLECTIBLE: self._write_off,
            A.DOWNLOAD_PDF: self._download,
        }
        await handlers[action]()

    async def _edit(self) -> None:
        await self.save()

    async def _finalize(self) -> None:
        if self.editor is not None and not await self.save():
            return
        ok, invoice = await attempt(finalize_invoice, SqlUnitOfWork(self.actor), invoice_id=self.invoice.id)
        if ok and invoice is not None:
            ui.notify(f"Fatura finalizada: {invoice.number}.", type="positive")
            await self._after_change()

    async def _delete(self) -> None:
        ok, _ = await attempt(
            invoice_services.delete_invoice_draft,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            success="Rascunho excluído.",
        )
        if ok:
            ui.navigate.to("/faturas")

    async def _pay(self) -> None:
        d = self.detail
        answer = await ask_payment(self.invoice.outstanding_cents, self.invoice.currency, d.today)  # type: ignore[arg-type]
        if answer is None:
            return
        ok, _ = await attempt(
            record_payment,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            amount_cents=answer.amount_cents,
            paid_on=answer.paid_on,
            method=answer.method,
            reference=answer.reference,
            success="Pagamento registrado.",
        )
        if ok:
            await self._after_change()

    async def _refund(self) -> None:
        answer = await ask_payment(
            0,
            self.invoice.currency,
            self.detail.today,
            refund=True,  # type: ignore[arg-type]
            paid_cents=self.invoice.amount_paid_cents,
        )
        if answer is None:
            return
        ok, _ = await attempt(
            refund_payment,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            amount_cents=answer.amount_cents,
            refunded_on=answer.paid_on,
            method=answer.method,
            reason=answer.reason,
            success="Estorno registrado.",
        )
        if ok:
            await self._after_change()

    async def _void(self) -> None:
        reason = await ask_reason(
            "Cancelar fatura",
            "A fatura fica cancelada (estado final) e o débito é estornado no extrato da conta.",
            "Cancelar fatura",
        )
        if reason is None:
            return
        ok, _ = await attempt(
            void_invoice,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            reason=reason,
            success="Fatura cancelada.",
        )
        if ok:
            await self._after_change()

    async def _write_off(self) -> None:
        reason = await ask_reason(
            "Marcar como incobrável", "O saldo em aberto é baixado como perda (estado final).", "Marcar incobrável"
        )
        if reason is None:
            return
        ok, _ = await attempt(
            mark_invoice_uncollectible,
            SqlUnitOfWork(self.actor),
            invoice_id=self.invoice.id,
            reason=reason,
            success="Fatura baixada como incobrável.",
        )
        if ok:
            await self._after_change()

    async def _download(self) -> None:
        ui.download.from_url(f"/faturas/{self.invoice.id}/pdf")

    def preview_pdf(self) -> None:
        with ui.dialog().props("maximized") as dialog, ui.card().classes("w-full h-full p-1"):
            with ui.row().classes("w-full items-center"):
                ui.label(f"PDF · {self.invoice.display_number}").classes("font-semibold")
                ui.space()
                ui.button(icon="close", on_click=dialog.close).props("flat round aria-label=Fechar")
            ui.element("iframe").props(f'src="/faturas/{self.invoice.id}/pdf?inline=1"').classes(
                "w-full grow border-0"
            ).style("min-height: 85vh")
        dialog.open()

    async def _after_change(self) -> None:
        # The PDF of the new revision is rendered by the worker, after the commit (the task reads the row).
        await run.io_bound(generate_invoice_pdf, str(self.actor.organization_id), str(self.invoice.id))
        ui.navigate.reload()
