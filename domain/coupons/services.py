"""Use cases of coupons (admin settings). Invoices use them through the composition."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from domain.access.permissions import Permission
from domain.coupons.errors import InvalidCoupon
from domain.coupons.model import Coupon
from domain.errors import Conflict
from domain.invoices.ports import InvoicingUnitOfWork


def create_coupon(
    uow: InvoicingUnitOfWork,
    *,
    code: str,
    description: str | None = None,
    percent_off: Decimal | None = None,
    amount_off_cents: int | None = None,
    currency: str = "BRL",
    valid_from: date | None = None,
    valid_until: date | None = None,
    max_redemptions: int | None = None,
) -> Coupon:
    """A coupon gives either a percentage of the subtotal or a fixed amount, within dates and a redemption cap."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("coupon.created")
        code = code.strip().upper()
        if not code or not code.replace("-", "").replace("_", "").isalnum() or len(code) > 32:
            raise InvalidCoupon("O código do cupom tem letras, números, hífen ou sublinhado (até 32).", field="code")
        if (percent_off is None) == (amount_off_cents is None):
            raise InvalidCoupon("Informe o percentual OU o valor do desconto.", field="percent_off")
        if percent_off is not None and not (Decimal(0) < percent_off <= Decimal(1)):
            raise InvalidCoupon("O percentual é uma fração entre 0 e 1 (0.10 para 10%).", field="percent_off")
        if amount_off_cents is not None and amount_off_cents <= 0:
            raise InvalidCoupon("O valor do desconto deve ser positivo.", field="amount_off_cents")
        if max_redemptions is not None and max_redemptions <= 0:
            raise InvalidCoupon("O limite de usos deve ser positivo.", field="max_redemptions")
        if valid_from and valid_until and valid_until < valid_from:
            raise InvalidCoupon("O fim da validade é anterior ao início.", field="valid_until")
        if uow.coupons.find_by_code(code) is not None:
            raise Conflict(f"Já existe o cupom {code}.", field="code")
        coupon = Coupon(
            code=code,
            description=(description or "").strip() or None,
            percent_off=percent_off,
            amount_off_cents=amount_off_cents,
            currency=currency if amount_off_cents else None,
            valid_from=valid_from,
            valid_until=valid_until,
            max_redemptions=max_redemptions,
            times_redeemed=0,
            is_active=True,
        )
        uow.add(coupon)
        uow.commit()
        return coupon


def set_coupon_active(uow: InvoicingUnitOfWork, *, coupon_id: uuid.UUID, active: bool) -> Coupon:
    """A coupon can be switched off (drafts using it are refused at finalization) and back on."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("coupon.activated" if active else "coupon.deactivated")
        coupon = uow.coupons.get(coupon_id, for_update=True)
        coupon.is_active = active
        uow.commit()
        return coupon
