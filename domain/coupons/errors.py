"""Refusals about coupons."""

from __future__ import annotations

from datetime import date

from domain.errors import Conflict, NotFound, ValidationFailed


class CouponNotFound(NotFound):
    code = "coupon_not_found"

    def __init__(self, code: str) -> None:
        super().__init__("Cupom", code)
        self.message = f"Cupom “{code}” não encontrado."
        self.args = (self.message,)


class CouponInactive(Conflict):
    code = "coupon_inactive"

    def __init__(self, code: str) -> None:
        super().__init__(f"O cupom {code} está desativado.", field="coupon_code")


class CouponOutOfValidity(Conflict):
    code = "coupon_out_of_validity"

    def __init__(self, code: str, valid_from: date | None, valid_until: date | None) -> None:
        start = f"{valid_from:%d/%m/%Y}" if valid_from else "—"
        end = f"{valid_until:%d/%m/%Y}" if valid_until else "—"
        super().__init__(
            f"O cupom {code} vale de {start} a {end}: fora da validade na data da fatura.", field="coupon_code"
        )


class CouponExhausted(Conflict):
    code = "coupon_exhausted"

    def __init__(self, code: str, limit: int) -> None:
        super().__init__(f"O cupom {code} já foi usado o máximo de {limit} vezes.", field="coupon_code")


class CouponCurrencyMismatch(Conflict):
    code = "coupon_currency_mismatch"

    def __init__(self, code: str, coupon_currency: str, invoice_currency: str) -> None:
        super().__init__(
            f"O cupom {code} é em {coupon_currency}; a fatura é em {invoice_currency}.", field="coupon_code"
        )


class InvalidCoupon(ValidationFailed):
    code = "coupon_invalid"
