"""Posting to a billing account's statement: the one way any balance moves.

Every movement appends a StatementItem with the next `sequence` of the account and the balance right after it, moves
the account's `balance_cents` by the same amount, and moves the customer's consolidated `balance_cents` with it, all
in the caller's transaction (the caller holds the account row locked). Nothing is ever updated or deleted: a
correction is a new item (persistence/append_only.py refuses the rest).

The allowed negative balance (`allowed_negative_balance_cents`) is an overdraft of a prepaid wallet: it is enforced on
debits of accounts whose customer is billed `prepaid` (an invoice finalized, a refund). For postpaid and hybrid
customers a finalized invoice is a receivable for services already rendered, and refusing to invoice it would hide
what the customer owes, so it always posts.

Accounts created before the ledger (demo or imported balances with no items) get an opening item for their current
balance on their first movement, so "balance = sum of items" holds from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.billing_accounts.model import BillingAccount
from domain.customers.model import BillingModel, Customer
from domain.statements.errors import LedgerOutOfBalance, NegativeBalanceLimitExceeded
from domain.statements.model import StatementItem, StatementKind


@dataclass(frozen=True)
class Movement:
    kind: StatementKind
    amount_cents: int  # signed: what it does to the balance
    description: str
    occurred_on: date
    invoice_id: Any = None
    payment_id: Any = None


def enforces_negative_limit(customer: Customer) -> bool:
    return customer.billing_model is BillingModel.PREPAID


def post(uow: Any, *, account: BillingAccount, movement: Movement, enforce_limit: bool = False) -> StatementItem:
    """Append one movement to the account's statement; the account's and the customer's balances move with it."""
    last = uow.statements.last_for_account(account.id)
    if last is None and account.balance_cents != 0:
        last = _opening_item(uow, account, movement.occurred_on)
    statement_balance = last.balance_after_cents if last is not None else 0
    if statement_balance != account.balance_cents:
        raise LedgerOutOfBalance(account.balance_cents, statement_balance)
    balance_after = account.balance_cents + movement.amount_cents
    if enforce_limit and movement.amount_cents < 0 and balance_after < -account.allowed_negative_balance_cents:
        raise NegativeBalanceLimitExceeded(balance_after, account.allowed_negative_balance_cents)
    item = StatementItem(
        organization_id=account.organization_id,
        billing_account_id=account.id,
        customer_id=account.customer_id,
        sequence=(last.sequence if last is not None else 0) + 1,
        kind=movement.kind,
        amount_cents=movement.amount_cents,
        currency=account.currency,
        balance_after_cents=balance_after,
        description=movement.description[:255],
        invoice_id=movement.invoice_id,
        payment_id=movement.payment_id,
        occurred_on=movement.occurred_on,
    )
    uow.add(item)
    account.balance_cents = balance_after
    uow.invoices.adjust_customer_totals(account.customer_id, balance_delta=movement.amount_cents)
    return item


def _opening_item(uow: Any, account: BillingAccount, on: date) -> StatementItem:
    balance = account.balance_cents
    item = StatementItem(
        organization_id=account.organization_id,
        billing_account_id=account.id,
        customer_id=account.customer_id,
        sequence=1,
        kind=StatementKind.CREDIT if balance > 0 else StatementKind.DEBIT,
        amount_cents=balance,
        currency=account.currency,
        balance_after_cents=balance,
        description="Saldo anterior ao extrato",
        occurred_on=on,
    )
    uow.add(item)  # the balance already counts it: neither the account nor the customer moves
    return item
