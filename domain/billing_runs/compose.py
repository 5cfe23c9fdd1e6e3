"""What the billing run decides for one due subscription, and the invoice it builds: pure, no database.

The same arithmetic as the invoice editor (domain/invoices/composition.py) and finalization, computed once per
distinct combination of plan, quantity, service, municipality, tax profile and due date (`CompositionCache`): 100,000
subscriptions on a few dozen combinations run the withholding engine a few dozen times. Account credit and the
statement are per account and applied afterwards, in subscription order, on the account's running ledger state.

Decisions:
- Billing in advance: the invoice covers the period that begins when the current one ends; its `period_start` is
  that day, the idempotency key with the subscription id.
- A trial that ended is invoiced (and becomes active) only when the account has a payment method (automatic
  collection on); otherwise it becomes past_due without an invoice, its period still the trial's, and is invoiced by
  the first run after the account gets one.
- Cancel at period end: no next period; pending proration items still get a last invoice of their own.
- Proration items wait for the next invoice; a net negative invoice carries the excess credit forward as a new
  proration item (the invoice totals zero), so no credit is lost and no invoice is negative.
- Draft mode (organization preference `invoice_finalization = "draft"`) leaves account credit to finalization.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from domain.base import new_id
from domain.billing_runs.inputs import (
    TAX_COLUMNS,
    AccountState,
    Composed,
    Decision,
    DueSubscription,
    JsonText,
    Outcome,
    Pending,
    RunContext,
    as_json_text,
)
from domain.catalog.model import TaxRule
from domain.errors import BillingError
from domain.invoices.composition import _tax_bases  # NOTE: the editor's tax-rule choice, reused as is
from domain.invoices.errors import AccountNotBillable, CustomerNotBillable, MissingServiceItem, MixedWithholdingServices
from domain.invoices.model import InvoiceReason, InvoiceStatus, LineSource, LineType
from domain.invoices.withholding import WithholdingInputs
from domain.money import Money
from domain.statements.errors import LedgerOutOfBalance, NegativeBalanceLimitExceeded
from domain.subscriptions.errors import CurrencyDiffers
from domain.subscriptions.model import SubscriptionStatus
from domain.subscriptions.proration import next_period
from domain.taxes.rules import rate_text
from domain.taxes.withholding import compute_withholding

__all__ = ["AccountState", "Composed", "Decision", "DueSubscription", "JsonText", "Outcome", "Pending", "RunContext",
           "decide", "number_invoices"]  # fmt: skip


def decide(
    sub: DueSubscription, account: AccountState, ctx: RunContext, cache: dict, *, invoiced: bool = False
) -> Outcome:
    """What happens to one due subscription; a refusal becomes a failure with its pt-BR reason. `invoiced`: an
    invoice for the period that would be billed already exists."""
    if invoiced:
        return Outcome(
            sub,
            Decision.ALREADY_INVOICED,
            new_status=sub.status,
            new_period=next_period(sub.billing_anchor, sub.plan.interval, sub.period_end),
        )
    try:
        return _decide(sub, account, ctx, cache)
    except BillingError as refusal:
        return Outcome(sub, Decision.FAIL, code=refusal.code, reason=refusal.message)


def _decide(sub: DueSubscription, account: AccountState, ctx: RunContext, cache: dict) -> Outcome:
    trial_ending = sub.trial_end is not None and sub.period_end == sub.trial_end and sub.status in (
        SubscriptionStatus.TRIALING, SubscriptionStatus.PAST_DUE)  # fmt: skip
    if sub.cancel_at_period_end and not sub.pending:
        return Outcome(sub, Decision.CANCEL, new_status=SubscriptionStatus.CANCELED)
    if trial_ending and not account.has_payment_method:
        return Outcome(sub, Decision.TRIAL_WITHOUT_PAYMENT_METHOD, new_status=SubscriptionStatus.PAST_DUE)
    _ensure_billable(account)
    if sub.plan.currency != account.currency:
        raise CurrencyDiffers(sub.plan.currency, account.currency)
    if account.payer is None:
        raise _ProfileInvalid(account.payer_problem or "perfil tributário inválido")
    start, end = next_period(sub.billing_anchor, sub.plan.interval, sub.period_end)
    due_on = ctx.run_date + timedelta(days=account.payment_terms_days)
    municipality = account.municipality_code or ctx.default_municipality
    # Everything the composed values depend on (the description names the period; pending items are rare).
    pending = tuple(p.id for p in sub.pending)
    key = (sub.plan, sub.quantity, sub.cancel_at_period_end, start, end, pending, account.payer,
           municipality if ctx.municipal_rules else None, account.currency, due_on)  # fmt: skip
    composed = cache.get(key)
    if composed is None:
        charges = [] if sub.cancel_at_period_end else [_plan_line(sub, start, end)]
        charges += [_proration_line(p) for p in sub.pending]
        composed = cache[key] = _compose(charges, account, ctx, due_on, municipality, combo_id=new_id())
    outcome = Outcome(sub, Decision.INVOICE, consumed=[p.id for p in sub.pending], composed=composed)
    if sub.cancel_at_period_end:
        outcome.new_status = SubscriptionStatus.CANCELED
    else:
        outcome.new_period = (start, end)
        outcome.new_status = SubscriptionStatus.ACTIVE if trial_ending else sub.status
    _build_invoice(outcome, composed, account, ctx, start, end, due_on)
    return outcome


class _ProfileInvalid(BillingError):
    code = "billing_account_tax_profile_invalid"

    def __init__(self, problem: str) -> None:
        super().__init__(f"O perfil tributário da conta é inválido: {problem}.")


def _ensure_billable(account: AccountState) -> None:
    if account.deleted:
        raise AccountNotBillable(account.name, "deleted")
    if account.status != "active":
        raise AccountNotBillable(account.name, account.status)
    if account.customer_deleted:
        raise CustomerNotBillable(account.customer_name, "deleted")
    if account.customer_status != "active":
        raise CustomerNotBillable(account.customer_name, account.customer_status)


def _plan_line(sub: DueSubscription, start: date, end: date) -> dict[str, Any]:
    last = end - timedelta(days=1)
    return {
        "type": LineType.SUBSCRIPTION.value, "source": LineSource.MANUAL.value,
        "description": f"Assinatura {sub.plan.name} — {start:%d/%m/%Y} a {last:%d/%m/%Y}"[:500],
        "quantity": Decimal(sub.quantity), "unit_amount_cents": sub.plan.amount_cents,
        "amount_cents": sub.plan.amount_cents * sub.quantity, "service_item_id": sub.plan.service_item_id,
        "period_start": start, "period_end": last,
        "details": {"plan_id": str(sub.plan.id), "interval": str(sub.plan.interval)},
    }  # fmt: skip


def _proration_line(p: Pending) -> dict[str, Any]:
    return {
        "type": LineType.PRORATION.value, "source": LineSource.MANUAL.value, "description": p.description,
        "quantity": Decimal(1), "unit_amount_cents": p.amount_cents, "amount_cents": p.amount_cents,
        "service_item_id": p.service_item_id, "period_start": p.period_start, "period_end": p.period_end,
        "details": {**p.details, "proration_id": str(p.id)},
    }  # fmt: skip


def _compose(
    charges: list[dict[str, Any]], account: AccountState, ctx: RunContext, due_on: date, municipality: str | None,
    *, combo_id: uuid.UUID | None = None,
) -> Composed:  # fmt: skip
    lines = [dict(c) for c in charges]
    subtotal = sum(c["amount_cents"] for c in lines)
    if subtotal < 0:  # more credit than charges: the rest goes to the next invoice
        lines.append({
            "type": LineType.PRORATION.value, "source": LineSource.MANUAL.value,
            "description": "Crédito proporcional transferido para a próxima fatura", "quantity": Decimal(1),
            "unit_amount_cents": -subtotal, "amount_cents": -subtotal,
            "service_item_id": lines[0]["service_item_id"], "period_start": None, "period_end": None,
            "details": {"kind": "carry_over", "amount_cents": -subtotal},
        })  # fmt: skip
        subtotal = 0
    tax_lines = []
    stand_ins = [SimpleNamespace(service_item_id=c["service_item_id"], amount_cents=c["amount_cents"]) for c in lines]
    for rule, base in _tax_bases(stand_ins, _TaxContext(ctx.run_date, ctx.tax_rules, municipality)):
        amount = Money(base, account.currency).times(rule.rate).cents
        tax_lines.append({
            "type": LineType.TAX.value, "source": LineSource.TAX_RULE.value,
            "description": f"{rule.name} ({rate_text(rule.rate)})", "quantity": Decimal(1),
            "unit_amount_cents": amount, "amount_cents": amount, "service_item_id": None, "period_start": None,
            "period_end": None, "details": {"rule_id": str(rule.id), "base_cents": base, "rate": str(rule.rate)},
        })  # fmt: skip
    tax = sum(t["amount_cents"] for t in tax_lines)
    items = []
    for position, line in enumerate(lines, start=1):
        item = ctx.services.get(line["service_item_id"]) if line["service_item_id"] else None
        if item is None:
            raise MissingServiceItem(position)
        items.append(item)
        line["service_code"], line["service_description"] = item.lc116_code, item.description
    if len({item.withholding_key() for item in items}) > 1:
        raise MixedWithholdingServices(sorted({item.lc116_code for item in items}))
    for line in tax_lines:
        line["service_code"] = line["service_description"] = None
    main = max(items, key=lambda i: sum(c["amount_cents"] for c in lines if c["service_item_id"] == i.id))
    gross = subtotal + tax
    withheld: dict[str, int] = dict.fromkeys(TAX_COLUMNS.values(), 0)
    inputs_json = None
    if account.currency != "BRL" or gross <= 0:
        notes: tuple[str, ...] = (
            ("Retenções na fonte só se aplicam a faturas em reais.",) if account.currency != "BRL" else ()
        )
        rule_version = None
    else:
        assert account.payer is not None
        service = main.profile()
        result = compute_withholding(issuer=ctx.issuer, payer=account.payer, service=service,
                                     gross=Money(gross, "BRL"), paid_on=due_on)  # fmt: skip
        for tax_name, cents in result.cents_by_tax().items():
            withheld[TAX_COLUMNS[tax_name]] = cents
        notes = tuple(line.reason for line in result.lines) + tuple(result.warnings)
        rule_version = result.rule_version
        inputs_json = WithholdingInputs(ctx.issuer, account.payer, service).to_json()
    for position, line in enumerate([*lines, *tax_lines], start=1):
        line["position"] = position
    carry = sum(line["amount_cents"] for line in lines if line["details"].get("kind") == "carry_over")
    for line in (*lines, *tax_lines):
        line["details"] = as_json_text(line["details"])
    every = [*lines, *tax_lines]
    return Composed(tuple(every), subtotal, tax, withheld, sum(withheld.values()), rule_version,
                    as_json_text(list(notes)), as_json_text(inputs_json), carry, combo_id)  # fmt: skip


@dataclass(frozen=True)
class _TaxContext:
    on: date
    tax_rules: Sequence[TaxRule]
    municipality_code: str | None


def _build_invoice(
    outcome: Outcome, composed: Composed, account: AccountState, ctx: RunContext, start: date, end: date, due_on: date
) -> None:
    sub = outcome.subscription
    invoice_id = new_id()
    total = composed.subtotal + composed.tax
    # A set-based writer expands the combination's lines itself: only the per-row writer needs copies.
    lines = [] if ctx.set_based else [dict(line, id=new_id(), invoice_id=invoice_id,
                                           organization_id=ctx.organization_id) for line in composed.lines]  # fmt: skip
    credit = 0
    if ctx.finalize and account.balance_cents > 0:
        credit = min(account.balance_cents, total - composed.withheld_total)
    if credit > 0:
        lines.append({
            "id": new_id(), "invoice_id": invoice_id, "organization_id": ctx.organization_id,
            "position": len(composed.lines) + 1, "type": LineType.DISCOUNT.value, "source": LineSource.CREDIT.value,
            "description": "Crédito em conta utilizado", "quantity": Decimal(1), "unit_amount_cents": -credit,
            "amount_cents": -credit, "service_item_id": None, "service_code": None, "service_description": None,
            "period_start": None, "period_end": None, "details": JsonText("{}"),
        })  # fmt: skip
    carry = composed.carry_cents
    if carry:
        outcome.carry_over = {
            "id": new_id(), "organization_id": ctx.organization_id, "subscription_id": sub.id,
            "description": "Crédito proporcional de fatura anterior", "amount_cents": -carry,
            "currency": account.currency, "service_item_id": composed.lines[0]["service_item_id"],
            "period_start": start, "period_end": end - timedelta(days=1), "details": {"kind": "carry_over"},
            "created_on": ctx.run_date, "invoice_id": None, "discarded": False,
        }  # fmt: skip
    total_after_credit = total - credit
    net = total_after_credit - composed.withheld_total
    first = sub.period_start == sub.period_end or sub.period_end == sub.trial_end
    invoice: dict[str, Any] = {
        "id": invoice_id, "organization_id": ctx.organization_id, "customer_id": account.customer_id,
        "billing_account_id": account.id, "status": InvoiceStatus.DRAFT.value,
        "reason": (InvoiceReason.SUBSCRIPTION_CREATE if first else InvoiceReason.SUBSCRIPTION_CYCLE).value,
        "subscription_id": sub.id, "period_start": start, "period_end": end - timedelta(days=1), "number": None,
        "currency": account.currency, "issued_on": None, "due_on": due_on, "memo": None, "finalized_at": None,
        "paid_at": None, "voided_at": None, "void_reason": None, "uncollectible_at": None,
        "uncollectible_reason": None, "coupon_id": None, "manual_discount_cents": 0,
        "subtotal_cents": composed.subtotal, "tax_cents": composed.tax, "discount_cents": credit,
        "credit_applied_cents": credit, "total_cents": total_after_credit, **composed.withheld,
        "withheld_cents": composed.withheld_total, "net_value_cents": net,
        "withholding_rule_version": composed.rule_version, "withholding_on": due_on,
        "withholding_notes": composed.notes, "amount_paid_cents": 0, "nfse_status": None, "nfse_number": None,
        "revision": 0, "snapshot": JsonText("{}"), "created_at": ctx.now, "updated_at": ctx.now,
    }  # fmt: skip
    outcome.invoice, outcome.lines = invoice, lines
    if ctx.finalize:
        _finalize(outcome, composed, account, ctx)


def _finalize(outcome: Outcome, composed: Composed, account: AccountState, ctx: RunContext) -> None:
    """Open (or paid, when credit covers it), with the snapshot finalization writes; the debit is posted to the
    account's running ledger. The number is given later, when the batch knows how many it needs."""
    invoice = outcome.invoice
    assert invoice is not None
    invoice.update(status=InvoiceStatus.OPEN.value, issued_on=ctx.run_date, finalized_at=ctx.now, revision=1)
    invoice["snapshot"] = JsonText(f'{{"issuer": {ctx.issuer_json}, {account.parties_json()}, '
                                   f'"withholding_inputs": {composed.inputs_json}}}')  # fmt: skip
    if invoice["net_value_cents"] <= 0:
        invoice.update(status=InvoiceStatus.PAID.value, paid_at=ctx.now)
    statement_balance = account.last_balance_after if account.last_sequence is not None else 0
    if account.last_sequence is None and account.balance_cents != 0:  # the ledger's opening item (see ledger.py)
        outcome.statement.append(_item(account, ctx, 1, account.balance_cents, account.balance_cents,
                                       "Saldo anterior ao extrato", "credit" if account.balance_cents > 0 else "debit",
                                       None))  # fmt: skip
        account.last_sequence, statement_balance = 1, account.balance_cents
    if statement_balance != account.balance_cents:
        raise LedgerOutOfBalance(account.balance_cents, statement_balance or 0)
    debit = invoice["net_value_cents"] + invoice["credit_applied_cents"]
    after = account.balance_cents - debit
    if account.prepaid and debit > 0 and after < -account.allowed_negative_balance_cents:
        raise NegativeBalanceLimitExceeded(after, account.allowed_negative_balance_cents)
    sequence = (account.last_sequence or 0) + 1
    outcome.statement.append(_item(account, ctx, sequence, -debit, after, None, "debit", invoice["id"]))
    account.last_sequence, account.last_balance_after, account.balance_cents = sequence, after, after


def _item(account: AccountState, ctx: RunContext, sequence: int, amount: int, after: int, description: str | None,
          kind: str, invoice_id: uuid.UUID | None) -> dict[str, Any]:  # fmt: skip
    # A set-based writer gives the debit its id in SQL (it stages only its sequence and balance): no id made here.
    return {
        "id": None if ctx.set_based and invoice_id is not None else new_id(),
        "organization_id": ctx.organization_id, "billing_account_id": account.id,
        "customer_id": account.customer_id, "sequence": sequence, "kind": kind, "amount_cents": amount,
        "currency": account.currency, "balance_after_cents": after, "description": description,
        "invoice_id": invoice_id, "payment_id": None, "occurred_on": ctx.run_date, "created_at": ctx.now,
    }  # fmt: skip


def number_invoices(outcomes: list[Outcome], numbers: list[str], *, describe: bool = True) -> None:
    """Numbers in subscription order; the debit's description names the number, as finalization writes it (unless
    `describe` is off: a set-based writer writes it in SQL, and this runs while the number series is locked)."""
    invoices = [o for o in outcomes if o.decision is Decision.INVOICE]
    assert len(invoices) == len(numbers)
    for outcome, number in zip(invoices, numbers, strict=True):
        assert outcome.invoice is not None
        outcome.invoice["number"] = number
        if not describe:
            continue
        for item in outcome.statement:
            if item["invoice_id"] == outcome.invoice["id"]:
                item["description"] = f"Fatura {number} (vencimento {outcome.invoice['due_on']:%d/%m/%Y})"
