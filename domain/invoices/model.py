"""Invoice and its line items: five states, each with the actions it allows, in ONE table (`ALLOWED_ACTIONS`).

Value composition (domain/invoices/composition.py) fills the amounts: subtotal + tax − discount = total; withholdings
(domain/invoices/withholding.py) give `net_value_cents` = total − withheld. Services coordinate; the rules that decide
whether a state change may happen live on the entity (`ensure_allows`, `finalize`, `void`, ...).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.access.permissions import Actor, Permission
from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.invoices.errors import ActionNotAllowed, EmptyInvoice, ReasonRequired


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class InvoiceAction(StrEnum):
    EDIT = "edit"
    DELETE = "delete"
    FINALIZE = "finalize"
    RECORD_PAYMENT = "record_payment"
    REFUND = "refund"
    VOID = "void"
    MARK_UNCOLLECTIBLE = "mark_uncollectible"
    DOWNLOAD_PDF = "download_pdf"


@dataclass(frozen=True)
class ActionSpec:
    label: str
    permission: Permission
    icon: str


@dataclass(frozen=True)
class StatusSpec:
    label: str  # pt-BR, what the badge says
    color: str  # Quasar colour of the badge
    final: bool


STATUSES: dict[InvoiceStatus, StatusSpec] = {
    InvoiceStatus.DRAFT: StatusSpec("Rascunho", "grey-7", final=False),
    InvoiceStatus.OPEN: StatusSpec("Em aberto", "blue-8", final=False),
    InvoiceStatus.PAID: StatusSpec("Paga", "green-8", final=True),
    InvoiceStatus.VOID: StatusSpec("Cancelada", "red-8", final=True),
    InvoiceStatus.UNCOLLECTIBLE: StatusSpec("Incobrável", "orange-9", final=True),
}

ACTIONS: dict[InvoiceAction, ActionSpec] = {
    InvoiceAction.EDIT: ActionSpec("Editar", Permission.INVOICES_WRITE, "edit"),
    InvoiceAction.DELETE: ActionSpec("Excluir rascunho", Permission.INVOICES_WRITE, "delete"),
    InvoiceAction.FINALIZE: ActionSpec("Finalizar", Permission.INVOICES_FINALIZE, "task_alt"),
    InvoiceAction.RECORD_PAYMENT: ActionSpec("Registrar pagamento", Permission.PAYMENTS_RECORD, "payments"),
    InvoiceAction.REFUND: ActionSpec("Estornar pagamento", Permission.PAYMENTS_RECORD, "undo"),
    InvoiceAction.VOID: ActionSpec("Cancelar", Permission.INVOICES_VOID, "block"),
    InvoiceAction.MARK_UNCOLLECTIBLE: ActionSpec("Marcar incobrável", Permission.INVOICES_WRITE_OFF, "money_off"),
    InvoiceAction.DOWNLOAD_PDF: ActionSpec("Baixar PDF", Permission.INVOICES_READ, "picture_as_pdf"),
}

_A = InvoiceAction
# THE state machine: what each state allows. Services refuse anything else; the UI shows exactly these.
ALLOWED_ACTIONS: dict[InvoiceStatus, tuple[InvoiceAction, ...]] = {
    InvoiceStatus.DRAFT: (_A.EDIT, _A.FINALIZE, _A.DELETE, _A.DOWNLOAD_PDF),
    InvoiceStatus.OPEN: (_A.RECORD_PAYMENT, _A.REFUND, _A.VOID, _A.MARK_UNCOLLECTIBLE, _A.DOWNLOAD_PDF),
    InvoiceStatus.PAID: (_A.REFUND, _A.DOWNLOAD_PDF),  # final: a refund is a new negative payment, it stays paid
    InvoiceStatus.VOID: (_A.DOWNLOAD_PDF,),
    InvoiceStatus.UNCOLLECTIBLE: (_A.DOWNLOAD_PDF,),
}
# Where an action takes the invoice (recording a payment may keep it open or settle it: see `register_payment`).
TRANSITIONS: dict[InvoiceAction, InvoiceStatus] = {
    _A.FINALIZE: InvoiceStatus.OPEN,
    _A.VOID: InvoiceStatus.VOID,
    _A.MARK_UNCOLLECTIBLE: InvoiceStatus.UNCOLLECTIBLE,
}


class InvoiceReason(StrEnum):
    SUBSCRIPTION_CYCLE = "subscription_cycle"
    SUBSCRIPTION_CREATE = "subscription_create"
    MANUAL = "manual"


class NfseStatus(StrEnum):
    PENDING = "pending"
    ISSUED = "issued"
    FAILED = "failed"
    CANCELLED = "cancelled"


class LineType(StrEnum):
    SUBSCRIPTION = "subscription"
    ADDON = "addon"
    USAGE = "usage"
    ONE_OFF = "one_off"
    PRORATION = "proration"
    TAX = "tax"
    DISCOUNT = "discount"


CHARGE_TYPES = frozenset({LineType.SUBSCRIPTION, LineType.ADDON, LineType.USAGE, LineType.ONE_OFF, LineType.PRORATION})
LINE_TYPE_LABELS = {
    LineType.SUBSCRIPTION: "Assinatura",
    LineType.ADDON: "Adicional",
    LineType.USAGE: "Uso",
    LineType.ONE_OFF: "Avulso",
    LineType.PRORATION: "Proporcional",
    LineType.TAX: "Imposto",
    LineType.DISCOUNT: "Desconto",
}


class LineSource(StrEnum):
    """Who wrote the line: the operator (or a subscription), or the composition (taxes and discounts)."""

    MANUAL = "manual"
    TAX_RULE = "tax_rule"
    MANUAL_DISCOUNT = "manual_discount"
    COUPON = "coupon"
    CREDIT = "credit"


class Invoice(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("organization_id", "number"),  # drafts have no number; NULLs never collide
        UniqueConstraint("subscription_id", "period_start"),  # the billing run is idempotent per period
        Index("ix_invoice_org_status_due", "organization_id", "status", "due_on", "id"),
        Index("ix_invoice_org_due", "organization_id", "due_on", "id"),
        Index("ix_invoice_org_account_due", "organization_id", "billing_account_id", "due_on", "id"),
        Index("ix_invoice_org_customer_due", "organization_id", "customer_id", "due_on", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    billing_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("billing_account.id"))
    status: Mapped[InvoiceStatus] = mapped_column(default=InvoiceStatus.DRAFT)
    reason: Mapped[InvoiceReason] = mapped_column(default=InvoiceReason.MANUAL)
    subscription_id: Mapped[uuid.UUID | None]  # NOTE: no FK yet, subscriptions come in a later area
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]

    number: Mapped[str | None] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    issued_on: Mapped[date | None]
    due_on: Mapped[date]
    memo: Mapped[str | None] = mapped_column(Text)

    finalized_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    void_reason: Mapped[str | None] = mapped_column(Text)
    uncollectible_at: Mapped[datetime | None]
    uncollectible_reason: Mapped[str | None] = mapped_column(Text)

    # Value composition, all in cents of `currency`: subtotal + tax − discount = total.
    coupon_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("coupon.id"))
    manual_discount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    subtotal_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    tax_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # manual + coupon + credit
    credit_applied_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # the part of the discount from credit
    total_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    # Withholdings (retenções na fonte), each stored; net value = total − withheld.
    irrf_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    pis_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    cofins_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    csll_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    inss_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    iss_withheld_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    withheld_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    net_value_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    withholding_rule_version: Mapped[str | None]
    withholding_on: Mapped[date | None]  # the date whose rules were applied: due date, then the payment date
    withholding_notes: Mapped[list[Any]] = mapped_column(default=list)  # pt-BR reasons per tax and warnings

    amount_paid_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # payments minus refunds

    nfse_status: Mapped[NfseStatus | None]
    nfse_number: Mapped[str | None] = mapped_column(String(32))

    revision: Mapped[int] = mapped_column(default=0)  # bumps on every change a PDF shows: stored PDFs are per revision
    # Frozen at finalization: who issued it and to whom, as printed (later registry edits do not rewrite history).
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", lazy="raise", order_by="InvoiceLine.position"
    )

    @property
    def audit_root_id(self) -> uuid.UUID:
        return self.customer_id

    @property
    def status_label(self) -> str:
        return STATUSES[self.status].label

    @property
    def display_number(self) -> str:
        return self.number or "Rascunho"

    @property
    def outstanding_cents(self) -> int:
        """What the customer still has to pay us (the withheld part goes to the tax authorities)."""
        if self.status is not InvoiceStatus.OPEN:
            return 0
        return max(0, self.net_value_cents - self.amount_paid_cents)

    @property
    def withholding_base_cents(self) -> int:
        """The service value withholdings are computed on: account credit is a means of payment, not a discount on
        the service, so it does not lower the base."""
        return self.total_cents + self.credit_applied_cents

    @property
    def charge_lines(self) -> list[InvoiceLine]:
        return [line for line in self.lines if line.type in CHARGE_TYPES]

    def allows(self, action: InvoiceAction) -> bool:
        return action in ALLOWED_ACTIONS[self.status]

    def ensure_allows(self, action: InvoiceAction) -> None:
        if not self.allows(action):
            raise ActionNotAllowed(
                self.display_number,
                self.status_label,
                ACTIONS[action].label,
                [ACTIONS[a].label for a in ALLOWED_ACTIONS[self.status]],
            )

    def available_actions(self, actor: Actor) -> list[InvoiceAction]:
        """What the operator may do now: the state's actions, their permissions, and the amounts' preconditions."""
        found = []
        for action in ALLOWED_ACTIONS[self.status]:
            if not actor.can(ACTIONS[action].permission):
                continue
            if action is InvoiceAction.REFUND and self.amount_paid_cents <= 0:
                continue
            if action is InvoiceAction.VOID and self.amount_paid_cents != 0:
                continue
            found.append(action)
        return found

    def finalize(self, *, number: str, issued_on: date, at: datetime, snapshot: dict[str, Any]) -> None:
        self.ensure_allows(InvoiceAction.FINALIZE)
        if not self.charge_lines:
            raise EmptyInvoice()
        self.number, self.issued_on, self.finalized_at = number, issued_on, at
        self.snapshot = snapshot  # reassigned, never mutated in place (JSON column)
        self.status = TRANSITIONS[InvoiceAction.FINALIZE]
        self.revision += 1
        if self.net_value_cents <= 0:  # fully covered by credit: nothing left to collect
            self.status, self.paid_at = InvoiceStatus.PAID, at

    def register_payment(self, amount_cents: int, *, at: datetime) -> bool:
        """Adds a payment (negative: a refund). Returns True when this payment settled the invoice."""
        self.ensure_allows(InvoiceAction.RECORD_PAYMENT if amount_cents > 0 else InvoiceAction.REFUND)
        self.amount_paid_cents += amount_cents
        self.revision += 1
        if self.status is InvoiceStatus.OPEN and self.amount_paid_cents >= self.net_value_cents:
            self.status, self.paid_at = InvoiceStatus.PAID, at
            return True
        return False

    def void(self, *, reason: str, at: datetime) -> None:
        self.ensure_allows(InvoiceAction.VOID)
        self.void_reason, self.voided_at = _required_reason(reason), at
        self.status = TRANSITIONS[InvoiceAction.VOID]
        self.revision += 1

    def mark_uncollectible(self, *, reason: str, at: datetime) -> None:
        self.ensure_allows(InvoiceAction.MARK_UNCOLLECTIBLE)
        self.uncollectible_reason, self.uncollectible_at = _required_reason(reason), at
        self.status = TRANSITIONS[InvoiceAction.MARK_UNCOLLECTIBLE]
        self.revision += 1


def _required_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) < 3:
        raise ReasonRequired()
    return text


class InvoiceLine(TenantScoped, Base):
    """A line item. Charge lines come from the operator or a subscription; tax and discount lines are generated by
    the composition and rebuilt on every change of a draft. Changes are audited through the invoice (see services)."""

    __tablename__ = "invoice_line"
    __table_args__ = (Index("ix_invoice_line_invoice", "invoice_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    invoice_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    type: Mapped[LineType]
    source: Mapped[LineSource] = mapped_column(default=LineSource.MANUAL)
    description: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(default=Decimal(1))
    unit_amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_cents: Mapped[int] = mapped_column(BigInteger, default=0)  # discount lines are negative
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    service_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_item.id"))
    service_code: Mapped[str | None] = mapped_column(String(8))  # LC 116 subitem, copied from the service item
    service_description: Mapped[str | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # proration details, a tax line's base and rate

    invoice: Mapped[Invoice] = relationship(back_populates="lines", lazy="raise")

    @property
    def is_charge(self) -> bool:
        return self.type in CHARGE_TYPES
