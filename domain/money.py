"""Money is integer minor units ("cents") with an explicit currency; rates are Decimal; half-up rounding once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import BillingError

MINOR_DIGITS = {"BRL": 2, "EUR": 2, "GBP": 2, "USD": 2, "CHF": 2, "ARS": 2, "CLP": 0, "JPY": 0}


class CurrencyMismatch(BillingError):
    code = "currency_mismatch"

    def __init__(self, expected: str, got: str) -> None:
        super().__init__(f"Moedas diferentes: esperado {expected}, recebido {got}.", expected=expected, got=got)


def round_half_up(value: Decimal) -> int:
    """The one place a fractional amount of cents becomes whole cents."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class Money:
    cents: int
    currency: str

    def __post_init__(self) -> None:
        if type(self.cents) is not int:  # rejects float, Decimal and bool
            raise TypeError(f"Money needs integer cents, got {self.cents!r}")
        if self.currency not in MINOR_DIGITS:
            raise ValueError(f"Unknown currency {self.currency!r}")

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.cents - other.cents, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.cents < other.cents

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.cents <= other.cents

    def times(self, factor: Decimal | int) -> Money:
        """Multiply by a quantity or a rate, rounding half-up here and only here."""
        return Money(round_half_up(Decimal(self.cents) * Decimal(factor)), self.currency)

    def split(self, weights: list[int]) -> list[Money]:
        """Largest-remainder split: the parts always sum to the whole."""
        total = sum(weights)
        if total <= 0:
            raise ValueError("weights must sum to a positive number")
        exact = [Decimal(self.cents) * w / total for w in weights]
        parts = [int(x) for x in exact]
        order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
        for i in order[: self.cents - sum(parts)]:
            parts[i] += 1
        return [Money(p, self.currency) for p in parts]

    @property
    def amount(self) -> Decimal:
        """The value in major units, for display and export only."""
        return Decimal(self.cents).scaleb(-MINOR_DIGITS[self.currency])

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
