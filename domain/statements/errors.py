"""Refusals of the ledger."""

from __future__ import annotations

from domain.errors import BillingError, Conflict


class NegativeBalanceLimitExceeded(Conflict):
    code = "negative_balance_limit_exceeded"

    def __init__(self, balance_after_cents: int, allowed_cents: int) -> None:
        super().__init__(
            f"O saldo da conta ficaria em {_brl(balance_after_cents)}, abaixo do saldo negativo permitido "
            f"(-{_brl(allowed_cents)}). Ajuste o limite da conta ou registre um pagamento antes.",
            balance_after_cents=balance_after_cents,
            allowed_cents=allowed_cents,
        )


class LedgerOutOfBalance(BillingError):
    """The account's balance no longer equals the sum of its statement: something wrote one without the other."""

    code = "ledger_out_of_balance"

    def __init__(self, account_balance: int, statement_balance: int) -> None:
        super().__init__(
            "O saldo da conta não confere com o extrato; nenhuma movimentação foi feita. Avise o suporte.",
            account_balance=account_balance,
            statement_balance=statement_balance,
        )


def _brl(cents: int) -> str:
    """Plain pt-BR money for a message (the domain does not use Babel; reports/formats.py does for screens)."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}R$ {whole:,}".replace(",", ".") + f",{frac:02d}"
