"""Value composition of an invoice: subtotal + tax − discount = total, rebuilt from the charge lines on every change.

- Charge lines (subscription, addon, usage, one-off, proration) are quantity × unit amount, rounded half-up once per
  line.
- Taxes come from the organization's tax rules per service item and municipality (the most specific rule wins per
  tax name); one tax line per rule, on the sum of the lines it covers, rounded once.
- Discounts, in this order: the operator's manual discount, the coupon (percent of the subtotal or a fixed amount),
  then the account's credit (a positive balance), applied automatically up to what is left to pay. Each is a
  generated discount line with a negative amount, so the lines always add up to the total.
- Withholdings are computed (by the `withhold` callback, domain/invoices/withholding.py) on the value before credit,
  and the credit is capped at what the customer would pay in cash (before credit − withheld), so the net value
  (total − withheld) is never negative.

Generated lines are thrown away and rebuilt each time; only the operator's lines survive. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.catalog.model import TaxRule
from domain.coupons.model import Coupon
from domain.invoices.errors import DiscountTooLarge, InvalidLine, NegativeDiscount
from domain.invoices.model import CHARGE_TYPES, Invoice, InvoiceLine, LineSource, LineType
from domain.money import Money
from domain.taxes.rules import rate_text

MAX_QUANTITY = Decimal("1000000000")


@dataclass(frozen=True)
class CompositionContext:
    """What the composition reads besides the invoice: loaded by the service (or the editor, for live totals)."""

    on: date  # the date tax rules and the coupon are judged on: today for a draft, the issue date at finalization
    tax_rules: Sequence[TaxRule] = ()
    municipality_code: str | None = None  # IBGE code of where the ISS is due, for municipal tax rules
    coupon: Coupon | None = None
    available_credit_cents: int = 0  # the account's positive balance, in the invoice currency


def compose(invoice: Invoice, context: CompositionContext, withhold: Callable[[Invoice], object] | None = None) -> None:
    """Rebuild the generated lines and the totals of a draft from its charge lines."""
    currency = invoice.currency
    charges = [line for line in invoice.lines if line.source is LineSource.MANUAL]
    for position, line in enumerate(charges, start=1):
        _check_charge(position, line)
        line.position = position
        line.amount_cents = Money(line.unit_amount_cents, currency).times(line.quantity).cents
    subtotal = sum(line.amount_cents for line in charges)

    generated: list[InvoiceLine] = []
    for rule, base in _tax_bases(charges, context):
        amount = Money(base, currency).times(rule.rate).cents
        generated.append(
            _generated(
                LineType.TAX,
                LineSource.TAX_RULE,
                f"{rule.name} ({rate_text(rule.rate)})",
                amount,
                {"rule_id": str(rule.id), "base_cents": base, "rate": str(rule.rate)},
            )
        )
    tax = sum(line.amount_cents for line in generated)

    manual = invoice.manual_discount_cents
    if manual < 0:
        raise NegativeDiscount()
    if manual > subtotal + tax:
        raise DiscountTooLarge()
    left = subtotal + tax - manual
    if manual:
        generated.append(_generated(LineType.DISCOUNT, LineSource.MANUAL_DISCOUNT, "Desconto concedido", -manual))

    coupon_off = 0
    if context.coupon is not None:
        context.coupon.ensure_usable(on=context.on, currency=currency)
        coupon_off = min(context.coupon.discount_on(Money(subtotal, currency)).cents, left)
        left -= coupon_off
        if coupon_off:
            label = f"Cupom {context.coupon.code}" + (
                f" — {context.coupon.description}" if context.coupon.description else ""
            )
            generated.append(
                _generated(
                    LineType.DISCOUNT,
                    LineSource.COUPON,
                    label[:500],
                    -coupon_off,
                    {"coupon_id": str(context.coupon.id)},
                )
            )
    invoice.coupon_id = context.coupon.id if context.coupon is not None else None

    _set_lines(invoice, charges, generated)
    invoice.subtotal_cents, invoice.tax_cents = subtotal, tax
    invoice.discount_cents, invoice.credit_applied_cents = manual + coupon_off, 0
    invoice.total_cents = left
    invoice.withheld_cents = 0
    if withhold is not None:
        withhold(invoice)  # on the value before credit: sets each withheld amount

    credit = min(max(0, context.available_credit_cents), left - invoice.withheld_cents)
    if credit > 0:
        generated.append(_generated(LineType.DISCOUNT, LineSource.CREDIT, "Crédito em conta utilizado", -credit))
        _set_lines(invoice, charges, generated)
        invoice.discount_cents += credit
        invoice.credit_applied_cents = credit
        invoice.total_cents = left - credit
    invoice.net_value_cents = invoice.total_cents - invoice.withheld_cents
    assert invoice.total_cents == sum(line.amount_cents for line in invoice.lines)  # the identity, always
    assert invoice.subtotal_cents + invoice.tax_cents - invoice.discount_cents == invoice.total_cents


def _set_lines(invoice: Invoice, charges: list[InvoiceLine], generated: list[InvoiceLine]) -> None:
    for position, line in enumerate(generated, start=len(charges) + 1):
        line.position = position
    invoice.lines = [*charges, *generated]  # reassigned: the old generated lines are deleted as orphans


def _check_charge(position: int, line: InvoiceLine) -> None:
    if line.type not in CHARGE_TYPES:
        raise InvalidLine(position, "use o campo Desconto para descontos; impostos vêm das regras fiscais.", "type")
    if not (line.description or "").strip():
        raise InvalidLine(position, "informe a descrição.", "description")
    quantity = line.quantity
    if not isinstance(quantity, Decimal | int) or isinstance(quantity, bool):
        raise InvalidLine(position, "quantidade inválida.", "quantity")
    line.quantity = quantity = Decimal(quantity)
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        raise InvalidLine(position, "a quantidade deve ser maior que zero.", "quantity")
    if type(line.unit_amount_cents) is not int or (line.unit_amount_cents < 0 and line.type is not LineType.PRORATION):
        # NOTE: a proration line may be a credit for unused time (domain/subscriptions/proration.py)
        raise InvalidLine(position, "o valor unitário não pode ser negativo.", "unit_amount")
    if line.period_start and line.period_end and line.period_end < line.period_start:
        raise InvalidLine(position, "o fim do período é anterior ao início.", "period_end")


def _tax_bases(charges: list[InvoiceLine], context: CompositionContext) -> list[tuple[TaxRule, int]]:
    """Each applicable rule with the sum of the lines it taxes, in a stable order (tax name, then rule)."""
    bases: dict[TaxRule, int] = {}
    for line in charges:
        chosen: dict[str, TaxRule] = {}
        for rule in context.tax_rules:
            if not rule.applies(
                service_item_id=line.service_item_id, municipality_code=context.municipality_code, on=context.on
            ):
                continue
            current = chosen.get(rule.name.casefold())
            if current is None or rule.specificity > current.specificity:
                chosen[rule.name.casefold()] = rule
        for rule in chosen.values():
            bases[rule] = bases.get(rule, 0) + line.amount_cents
    return sorted(bases.items(), key=lambda item: (item[0].name.casefold(), str(item[0].id)))


def _generated(
    type_: LineType, source: LineSource, description: str, amount: int, details: dict | None = None
) -> InvoiceLine:
    return InvoiceLine(
        type=type_,
        source=source,
        description=description,
        quantity=Decimal(1),
        unit_amount_cents=amount,
        amount_cents=amount,
        details=details or {},
    )
