"""Coupon: a percent or fixed discount with a validity window and a redemption cap, applied by the composition."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Audited, Base, TenantScoped, Timestamped, new_id
from domain.coupons.errors import CouponCurrencyMismatch, CouponExhausted, CouponInactive, CouponOutOfValidity
from domain.money import Money


class Coupon(Audited, TenantScoped, Timestamped, Base):
    __tablename__ = "coupon"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32))  # upper-case
    description: Mapped[str | None]
    percent_off: Mapped[Decimal | None]  # a fraction: Decimal("0.10") is 10% off the subtotal
    amount_off_cents: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))  # of amount_off_cents
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    max_redemptions: Mapped[int | None]
    times_redeemed: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def ensure_usable(self, *, on: date, currency: str) -> None:
        """Whether an invoice dated `on` may use this coupon; refusals name the reason."""
        if not self.is_active:
            raise CouponInactive(self.code)
        if (self.valid_from and on < self.valid_from) or (self.valid_until and on > self.valid_until):
            raise CouponOutOfValidity(self.code, self.valid_from, self.valid_until)
        if self.max_redemptions is not None and self.times_redeemed >= self.max_redemptions:
            raise CouponExhausted(self.code, self.max_redemptions)
        if self.amount_off_cents is not None and self.currency != currency:
            raise CouponCurrencyMismatch(self.code, self.currency or "?", currency)

    def discount_on(self, base: Money) -> Money:
        """The discount this coupon gives on a base amount, never more than the base."""
        if self.percent_off is not None:
            off = base.times(self.percent_off)
        else:
            off = Money(self.amount_off_cents or 0, base.currency)
        return off if off.cents <= base.cents else base

    def redeem(self, *, on: date, currency: str) -> None:
        """Counted when an invoice using it is finalized (the row is locked, so the cap holds under concurrency)."""
        self.ensure_usable(on=on, currency=currency)
        self.times_redeemed += 1
