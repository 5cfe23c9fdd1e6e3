"""Refusals about billing accounts. Messages are pt-BR and say what to do next."""

from __future__ import annotations

from datetime import datetime

from domain.customers.errors import describe_blockers
from domain.errors import Conflict


class AccountEmailInUse(Conflict):
    code = "billing_account_email_in_use"

    def __init__(self, email: str, account_name: str, customer_name: str) -> None:
        super().__init__(
            f"O e-mail {email} já pertence à conta “{account_name}” do cliente “{customer_name}”.", field="email"
        )


class AccountSuspended(Conflict):
    code = "billing_account_suspended"

    def __init__(self, name: str, since: datetime | None, reason: str | None) -> None:
        when = f" desde {since.strftime('%d/%m/%Y')}" if since else ""
        why = f" Motivo: {reason}." if reason else ""
        super().__init__(f"A conta “{name}” está suspensa{when} e não recebe novas faturas.{why}")


class AccountClosed(Conflict):
    code = "billing_account_closed"

    def __init__(self, name: str) -> None:
        super().__init__(f"A conta “{name}” está encerrada; o encerramento é definitivo.")


class InvalidAccountTransition(Conflict):
    code = "billing_account_invalid_transition"

    def __init__(self, name: str, current: str, target: str) -> None:
        super().__init__(f"A conta “{name}” está {current.lower()} e não pode ser {target}.")


class AccountHasOpenItems(Conflict):
    code = "billing_account_has_open_items"

    def __init__(self, name: str, action: str, open_invoices: int, active_subscriptions: int) -> None:
        super().__init__(
            f"A conta “{name}” não pode ser {action}: tem {describe_blockers(open_invoices, active_subscriptions)}. "
            "Receba ou cancele as faturas e encerre as assinaturas antes.",
            open_invoices=open_invoices,
            active_subscriptions=active_subscriptions,
        )
