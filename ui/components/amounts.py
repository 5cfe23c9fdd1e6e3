"""What operators type into amount, quantity and date fields, read the pt-BR way ("1.234,56", "1,5", "31/12/2026")."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_MONEY = re.compile(r"^-?[0-9.]*(,[0-9]{0,2})?$|^-?[0-9]*(\.[0-9]{1,2})?$")


def parse_cents(text: str | float | int | None) -> int | None:
    """ "1.234,56" → 123456; "1234.56" (a dot with 1–2 decimals) also works; blank or nonsense → None."""
    if text is None:
        return None
    raw = str(text).strip().replace("R$", "").replace(" ", "")
    if not raw or not _MONEY.match(raw):
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") == 1 and len(raw.rsplit(".", 1)[1]) == 3:
        raw = raw.replace(".", "")  # "1.234": a thousands separator, not decimals
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return int((value * 100).to_integral_value())


def parse_quantity(text: str | float | int | None) -> Decimal | None:
    raw = str(text if text is not None else "").strip().replace(".", "").replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_day(text: str | None) -> date | None:
    """dd/mm/aaaa; None when blank; ValueError when not a real date."""
    if not text or not str(text).strip():
        return None
    return datetime.strptime(str(text).strip(), "%d/%m/%Y").date()


def cents_input(cents: int | None) -> str:
    """The value an amount field starts with: "1.234,56" (no currency symbol)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{frac:02d}"


def quantity_input(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}".rstrip("0")
    return text.replace(".", ",")


def day_input(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
