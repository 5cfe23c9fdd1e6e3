"""The values templates see ({{nome}}, {{valor}}, ...), built from an invoice or an account, formatted for pt-BR."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.numbers import format_currency

from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.invoices.model import Invoice
from domain.money import Money
from domain.organizations.model import Organization

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"


def brl(cents: int, currency: str = "BRL") -> str:
    return format_currency(Money(cents, currency).amount, currency, locale="pt_BR").replace("\xa0", " ")


def public_url(org: Organization) -> str:
    """Where links in messages point: preferences["public_url"], set on the Régua de cobrança page."""
    return str((org.preferences or {}).get("public_url") or DEFAULT_PUBLIC_URL).rstrip("/")


def recipient_of(account: BillingAccount, customer: Customer | None) -> str | None:
    return account.billing_email or account.email or (customer.primary_email if customer else None)


def account_variables(org: Organization, account: BillingAccount, customer: Customer | None) -> dict[str, Any]:
    return {
        "nome": customer.name if customer else account.name,
        "conta": account.name,
        "empresa": org.display_name,
        "link": f"{public_url(org)}/clientes/{account.customer_id}?tab=contas",
    }


def invoice_variables(
    org: Organization, invoice: Invoice, account: BillingAccount, customer: Customer | None, *, today: date
) -> dict[str, Any]:
    outstanding = invoice.outstanding_cents or invoice.net_value_cents
    return {
        **account_variables(org, account, customer),
        "fatura": invoice.display_number,
        "valor": brl(outstanding, invoice.currency),
        "vencimento": invoice.due_on.strftime("%d/%m/%Y"),
        "dias": str(abs((invoice.due_on - today).days)),
        "link": f"{public_url(org)}/faturas/{invoice.id}",
    }


def invoice_data(invoice: Invoice) -> dict[str, Any]:
    """The `data` of an invoice event in a webhook body."""
    return {
        "invoice": {
            "id": str(invoice.id),
            "number": invoice.number,
            "status": invoice.status.value,
            "customer_id": str(invoice.customer_id),
            "billing_account_id": str(invoice.billing_account_id),
            "currency": invoice.currency,
            "total_cents": invoice.total_cents,
            "net_value_cents": invoice.net_value_cents,
            "amount_paid_cents": invoice.amount_paid_cents,
            "due_on": invoice.due_on.isoformat(),
            "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        }
    }


def account_data(account: BillingAccount) -> dict[str, Any]:
    return {
        "billing_account": {
            "id": str(account.id),
            "customer_id": str(account.customer_id),
            "name": account.name,
            "status": account.status.value,
            "suspended_at": account.suspended_at.isoformat() if account.suspended_at else None,
            "suspension_reason": account.suspension_reason,
            "balance_cents": account.balance_cents,
        }
    }
