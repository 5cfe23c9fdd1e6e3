"""Use cases of billing accounts: open, edit, suspend and reactivate (with a reason), close, delete.

Every change that moves an account's figures refreshes the customer's consolidation in the same transaction, with
the customer row locked first so that two operators working on one customer cannot interleave their totals.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.billing_accounts.errors import AccountEmailInUse, AccountHasOpenItems
from domain.billing_accounts.model import BillingAccount
from domain.billing_accounts.registration import apply_account_fields
from domain.communications.events import EventType
from domain.communications.services import emit_account_event
from domain.customers.errors import clean_reason, require_reason
from domain.customers.model import Customer, CustomerKind
from domain.portal_users.model import PortalUserStatus
from domain.portal_users.services import revoke_all_links
from domain.taxes.model import CustomerTaxType

if TYPE_CHECKING:
    from domain.customers.ports import RegistryUnitOfWork


def create_billing_account(
    uow: RegistryUnitOfWork, *, customer_id: uuid.UUID, values: dict[str, Any]
) -> BillingAccount:
    """Open one more account for a customer; its e-mail must not belong to another account of the organization."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_CREATE)
        uow.describe("billing_account.created")
        customer = uow.customers.get_live(customer_id, for_update=True)
        account = open_account(uow, customer, values)
        uow.flush()
        uow.customers.refresh_totals(customer.id)
        uow.commit()
        return account


def update_billing_account(
    uow: RegistryUnitOfWork, *, account_id: uuid.UUID, values: dict[str, Any], reason: str | None = None
) -> BillingAccount:
    """Change an account's data, payment settings or tax profile; a closed account no longer changes."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_UPDATE)
        uow.describe("billing_account.updated", reason=clean_reason(reason))
        account = uow.billing_accounts.get_live(account_id, for_update=True)
        account.ensure_changeable()
        apply_account_fields(account, values, creating=False)
        _check_email(uow, account)
        uow.commit()
        return account


def suspend_billing_account(
    uow: RegistryUnitOfWork, *, account_id: uuid.UUID, reason: str, now: datetime | None = None
) -> BillingAccount:
    """Suspend an active account, with a reason: it receives no new invoices until explicitly reactivated."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_SUSPEND)
        uow.describe("billing_account.suspended", reason=clean_reason(reason))
        account = uow.billing_accounts.get_live(account_id, for_update=True)
        reason = require_reason(reason, "suspender a conta")
        account.suspend(reason=reason, now=now or utcnow())
        emit_account_event(uow, EventType.ACCOUNT_SUSPENDED, account)  # type: ignore[arg-type]
        uow.commit()
        return account


def reactivate_billing_account(uow: RegistryUnitOfWork, *, account_id: uuid.UUID, reason: str) -> BillingAccount:
    """Reactivate a suspended account, with a reason recorded in the audit trail."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_SUSPEND)
        uow.describe("billing_account.reactivated", reason=clean_reason(reason))
        account = uow.billing_accounts.get_live(account_id, for_update=True)
        reason = require_reason(reason, "reativar a conta")
        account.reactivate()
        emit_account_event(uow, EventType.ACCOUNT_REACTIVATED, account)  # type: ignore[arg-type]
        uow.commit()
        return account


def close_billing_account(
    uow: RegistryUnitOfWork, *, account_id: uuid.UUID, reason: str, now: datetime | None = None
) -> BillingAccount:
    """Close an account for good; refused while it has open invoices or active subscriptions."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_UPDATE)
        uow.describe("billing_account.closed", reason=clean_reason(reason))
        account = uow.billing_accounts.get_live(account_id)
        uow.customers.get_live(account.customer_id, for_update=True)
        reason = require_reason(reason, "encerrar a conta")
        account.ensure_changeable()
        _refuse_with_open_items(uow, account, "encerrada")
        account.close(now=now or utcnow())
        end_portal_access(uow, account, now or utcnow())
        uow.flush()
        uow.customers.refresh_totals(account.customer_id)
        uow.commit()
        return account


def delete_billing_account(
    uow: RegistryUnitOfWork, *, account_id: uuid.UUID, reason: str | None = None, now: datetime | None = None
) -> None:
    """Delete (softly) an account without open invoices or active subscriptions; otherwise nothing changes."""
    with uow:
        uow.actor.require(Permission.BILLING_ACCOUNTS_DELETE)
        uow.describe("billing_account.deleted", reason=clean_reason(reason))
        account = uow.billing_accounts.get_live(account_id)
        uow.customers.get_live(account.customer_id, for_update=True)
        _refuse_with_open_items(uow, account, "excluída")
        account.deleted_at = now or utcnow()  # its e-mail becomes free for another account
        end_portal_access(uow, account, account.deleted_at)
        uow.flush()
        uow.customers.refresh_totals(account.customer_id)
        uow.commit()


def open_account(uow: RegistryUnitOfWork, customer: Customer, values: dict[str, Any]) -> BillingAccount:
    """A new account with the customer's defaults (currency, payment terms, document, billing address)."""
    address = next((a for a in customer.addresses or [] if a.get("kind") == "billing"), None)
    account = BillingAccount(
        organization_id=customer.organization_id, customer_id=customer.id, currency=customer.preferred_currency,
        payment_terms_days=customer.payment_terms_days, tax_id=customer.document_number,
        tax_id_type=customer.document_type, billing_address=dict(address or {}), balance_cents=0, mrr_amount_cents=0,
        allowed_negative_balance_cents=0,
        customer_tax_type=CustomerTaxType.PESSOA_FISICA if customer.kind is CustomerKind.NATURAL
        else CustomerTaxType.LUCRO_PRESUMIDO,
    )  # fmt: skip
    apply_account_fields(account, values, creating=True)
    _check_email(uow, account)
    uow.add(account)
    return account


def end_portal_access(uow: RegistryUnitOfWork, account: BillingAccount, now: datetime) -> None:
    """A closed or deleted account's portal users are disabled and their links revoked (each one audited)."""
    for user in uow.portal_users.list_for_account(account.id):
        if user.status is not PortalUserStatus.DISABLED:
            user.disable(now=now)
            revoke_all_links(uow, user, now)


def _check_email(uow: RegistryUnitOfWork, account: BillingAccount) -> None:
    if not account.email:
        return
    owner = uow.billing_accounts.email_owner(account.email, except_id=account.id)
    if owner is not None:
        raise AccountEmailInUse(account.email, *owner)


def _refuse_with_open_items(uow: RegistryUnitOfWork, account: BillingAccount, action: str) -> None:
    open_invoices, active_subscriptions = uow.billing_accounts.blocking_references(account.id)
    if open_invoices or active_subscriptions:
        raise AccountHasOpenItems(account.name, action, open_invoices, active_subscriptions)
