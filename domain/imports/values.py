"""Brazilian formats as people type them in spreadsheets: amounts, dates, choices. Each parser returns the stored
value or raises ValueError with a pt-BR message (the row validation turns it into a problem of that column).

- Amounts: "1.234,56", "R$ 1.234,56", "-R$ 10,00", "1234,5", "1234" and, from spreadsheet cells, "1234.56" (a dot
  followed by one or two digits and no comma is a decimal point; "1.234" is one thousand two hundred thirty-four).
- Dates: dd/mm/aaaa (also with "-" or "."), d/m/aaaa, and aaaa-mm-dd as spreadsheets export it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from domain.text import fold

_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_DECIMAL_POINT = re.compile(r"\d+\.\d{1,2}")
_BR_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LIST_SEPARATORS = re.compile(r"[;,|]")

KINDS = {
    "natural": ("pf", "pessoa fisica", "fisica", "f", "cpf", "natural", "individual", "person", "consumer"),
    "juridical": ("pj", "pessoa juridica", "juridica", "j", "cnpj", "juridical", "company", "business",
                  "empresa", "organization"),
    "foreign": ("estrangeiro", "estrangeira", "e", "ex", "exterior", "foreign", "international"),
}  # fmt: skip
PAYMENT_METHODS = {
    "boleto": ("boleto", "boleto bancario", "bank slip"),
    "pix": ("pix",),
    "card": ("cartao", "cartao de credito", "credito", "card", "credit card"),
    "transfer": ("transferencia", "transferencia bancaria", "ted", "doc", "deposito", "transfer", "wire"),
}
TAX_TYPES = {
    "simples_optante": ("simples", "simples nacional", "optante do simples", "optante simples", "mei"),
    "lucro_presumido": ("lucro presumido", "presumido"),
    "lucro_real": ("lucro real", "real"),
    "pessoa_fisica": ("pessoa fisica", "pf"),
    "public_body": ("orgao publico", "publico", "administracao publica", "public body"),
    "exempt": ("isento", "imune", "isento/imune", "exempt"),
}
_CHOICES = {name: {alias: value for value, aliases in table.items() for alias in (*aliases, value)}
            for name, table in (("kind", KINDS), ("payment_method", PAYMENT_METHODS), ("tax", TAX_TYPES))}  # fmt: skip


def parse_money_cents(text: str) -> int:
    """'R$ 1.234,56' -> 123456. Refuses what could be read two ways ('1,234.56') or has more than two decimals."""
    raw = text.strip()
    cleaned = raw.replace("R$", "").replace("\xa0", "").replace(" ", "")
    negative = cleaned.startswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    cleaned = cleaned.strip("-()")
    if "," in cleaned:
        whole, _, cents = cleaned.rpartition(",")
        if "," in whole or ("." in whole and not _THOUSANDS.fullmatch(whole)):
            raise ValueError(f"Valor inválido: “{raw}”. Use o formato 1.234,56.")
        whole = whole.replace(".", "")
    elif _THOUSANDS.fullmatch(cleaned):
        whole, cents = cleaned.replace(".", ""), ""
    elif _DECIMAL_POINT.fullmatch(cleaned):
        whole, _, cents = cleaned.partition(".")
    else:
        whole, cents = cleaned, ""
    if not whole.isdigit() or (cents and not cents.isdigit()) or len(cents) > 2 or not whole.isascii():
        raise ValueError(f"Valor inválido: “{raw}”. Use o formato 1.234,56.")
    try:
        value = Decimal(f"{whole}.{cents or '0'}")
    except InvalidOperation:
        raise ValueError(f"Valor inválido: “{raw}”. Use o formato 1.234,56.") from None
    cents_value = int(value * 100)
    return -cents_value if negative else cents_value


def parse_date(text: str) -> date:
    """'31/12/2024' -> date(2024, 12, 31); '2024-12-31' too (spreadsheet exports)."""
    raw = text.strip()
    if match := _BR_DATE.fullmatch(raw):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.fullmatch(raw):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(f"Data inválida: “{raw}”. Use o formato dd/mm/aaaa.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Data inexistente: “{raw}”. Use o formato dd/mm/aaaa.") from None


@lru_cache(maxsize=256)
def parse_days(text: str) -> str:
    """'30', '30 dias', '30d' -> '30' (the registry checks the range)."""
    cleaned = fold(text).removesuffix("dias").removesuffix("dia").removesuffix("d").strip()
    if not cleaned.isdigit():
        raise ValueError(f"Prazo inválido: “{text.strip()}”. Informe o número de dias, ex.: 30.")
    return cleaned


@lru_cache(maxsize=1024)  # a column of choices repeats a handful of values over thousands of rows
def parse_choice(kind: str, text: str) -> str:
    """A label as people write it ('Pessoa Jurídica', 'Cartão', 'Lucro Presumido') -> the stored value."""
    value = _CHOICES[kind].get(fold(text).replace("_", " ").strip(" ."))
    if value is None:
        raise ValueError(_CHOICE_MESSAGES[kind].format(text.strip()))
    return value


_CHOICE_MESSAGES = {
    "kind": "Tipo de pessoa inválido: “{}”. Use PF, PJ ou Estrangeiro.",
    "payment_method": "Forma de pagamento inválida: “{}”. Use Boleto, Pix, Cartão ou Transferência.",
    "tax": "Enquadramento inválido: “{}”. Use Simples, Lucro presumido, Lucro real, Pessoa física, Órgão público "
    "ou Isento.",
}


@lru_cache(maxsize=256)
def parse_country(text: str) -> str:
    folded = fold(text)
    if folded in ("brasil", "brazil", "bra"):
        return "BR"
    return text.strip().upper()


def parse_currency(text: str) -> str:
    cleaned = text.strip().upper()
    return "BRL" if cleaned in ("R$", "REAL", "REAIS") else cleaned


def split_list(text: str) -> list[str]:
    """'a; b, c' -> ['a', 'b', 'c'] (e-mails, tags)."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def split_phones(text: str) -> list[str]:
    """'(11) 3333-4444 / (11) 98888-7777' -> two numbers (a slash or ';' separates them; '-' does not)."""
    return [item.strip() for item in re.split(r"[;/|]", text) if item.strip()]
