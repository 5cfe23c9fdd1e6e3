"""pt-BR (and other locales') formats for people: money, numbers, dates. The only place amounts become text."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.numbers import format_currency, format_decimal

from domain.money import MINOR_DIGITS, Money

DEFAULT_LOCALE = "pt_BR"
DEFAULT_TZ = ZoneInfo("America/Sao_Paulo")


def money(cents: int | None, currency: str = "BRL", locale: str = DEFAULT_LOCALE) -> str:
    """`123456` BRL → `R$ 1.234,56`. A plain space after the symbol, so text matches what people type and search."""
    if cents is None:
        return "—"
    amount = Money(cents, currency).amount
    return format_currency(amount, currency, locale=locale).replace("\xa0", " ")


def number(value: Decimal | int | float | None, locale: str = DEFAULT_LOCALE, digits: int | None = None) -> str:
    if value is None:
        return "—"
    pattern = None if digits is None else "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale)


def cents_to_decimal(cents: int, currency: str = "BRL") -> Decimal:
    return Decimal(cents).scaleb(-MINOR_DIGITS[currency])


def day(value: date | datetime | None, locale: str = DEFAULT_LOCALE) -> str:
    """dd/mm/aaaa for pt-BR; a datetime is shown on the organization's calendar day."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(DEFAULT_TZ).date()
    return _babel_date(value, format="short" if locale != DEFAULT_LOCALE else "dd/MM/yyyy", locale=locale)


def moment(value: datetime | None, tz: ZoneInfo = DEFAULT_TZ) -> str:
    """dd/mm/aaaa hh:mm in the organization's timezone."""
    if value is None:
        return "—"
    return value.astimezone(tz).strftime("%d/%m/%Y %H:%M")


def count_of(value: int, singular: str, plural: str) -> str:
    """A count with the right form of its words, in pt-BR digits: "1 fatura criada", "2 faturas criadas"."""
    return f"{number(value)} {singular if value == 1 else plural}"
