"""In-memory invoices for the tests that need no database."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from domain.catalog.model import ServiceItem, TaxRule
from domain.coupons.model import Coupon
from domain.invoices.model import Invoice, InvoiceLine, InvoiceStatus, LineSource, LineType
from domain.taxes.rules import IrrfCategory

ORG = uuid.uuid4()
CONSULTING = ServiceItem(
    id=uuid.uuid4(),
    code="consultoria",
    description="Consultoria",
    lc116_code="17.01",
    irrf_category=IrrfCategory.PROFESSIONAL,
    csrf_applies=True,
    inss_cession=False,
    simples_annex_iv=False,
    is_active=True,
)
SOFTWARE = ServiceItem(
    id=uuid.uuid4(),
    code="software",
    description="Licença de software",
    lc116_code="1.05",
    irrf_category=IrrfCategory.NONE,
    csrf_applies=False,
    inss_cession=False,
    simples_annex_iv=False,
    is_active=True,
)
SERVICES = {CONSULTING.id: CONSULTING, SOFTWARE.id: SOFTWARE}


def invoice(
    *lines: InvoiceLine,
    status: InvoiceStatus = InvoiceStatus.DRAFT,
    currency: str = "BRL",
    manual_discount_cents: int = 0,
) -> Invoice:
    return Invoice(
        id=uuid.uuid4(),
        organization_id=ORG,
        customer_id=uuid.uuid4(),
        billing_account_id=uuid.uuid4(),
        status=status,
        currency=currency,
        due_on=date(2026, 12, 10),
        lines=list(lines),
        revision=0,
        manual_discount_cents=manual_discount_cents,
        amount_paid_cents=0,
        net_value_cents=0,
        withheld_cents=0,
        total_cents=0,
        credit_applied_cents=0,
        snapshot={},
        withholding_notes=[],
    )


def line(
    reais: str,
    quantity: str = "1",
    *,
    service: ServiceItem | None = CONSULTING,
    type_: LineType = LineType.ONE_OFF,
    description: str = "Serviço",
) -> InvoiceLine:
    return InvoiceLine(
        type=type_,
        source=LineSource.MANUAL,
        description=description,
        quantity=Decimal(quantity),
        unit_amount_cents=int(Decimal(reais) * 100),
        amount_cents=0,
        service_item_id=service.id if service else None,
        details={},
    )


def tax_rule(
    name: str,
    rate: str,
    *,
    service: ServiceItem | None = None,
    municipality: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> TaxRule:
    return TaxRule(
        id=uuid.uuid4(),
        name=name,
        rate=Decimal(rate),
        service_item_id=service.id if service else None,
        municipality_code=municipality,
        valid_from=valid_from,
        valid_until=valid_until,
        is_active=True,
    )


def coupon(
    code: str = "BEMVINDO",
    *,
    percent: str | None = None,
    amount_cents: int | None = None,
    valid_until: date | None = None,
    max_redemptions: int | None = None,
    redeemed: int = 0,
) -> Coupon:
    return Coupon(
        id=uuid.uuid4(),
        code=code,
        percent_off=Decimal(percent) if percent else None,
        amount_off_cents=amount_cents,
        currency="BRL" if amount_cents else None,
        valid_from=None,
        valid_until=valid_until,
        max_redemptions=max_redemptions,
        times_redeemed=redeemed,
        is_active=True,
    )
