"""Typed contact entries of a customer (and of billing accounts and portal users): e-mails, phones, addresses.

Each list holds plain dicts with a `kind` (billing, work, ...), so the JSON columns stay readable for integrations.
Normalizers return the stored form or raise ValidationFailed naming the field; `FieldCollector` gathers them per form.

Phone policy: separators are dropped; "+" or "00" starts an international number (8 to 15 digits, E.164);
anything else is Brazilian: an optional trunk "0", then a real area code (ANATEL's DDDs) and the number: 8 digits
for landlines, 9 starting with 9 for mobiles; stored as +55....
"""

from __future__ import annotations

import re
from typing import Any

from email_validator import EmailNotValidError, validate_email

from domain.customers.errors import FieldCollector
from domain.documents.addresses import (
    check_ibge_code_matches_uf,
    mask_cep,
    normalize_cep,
    normalize_ibge_code,
    normalize_uf,
)
from domain.errors import ValidationFailed

EMAIL_KINDS = {"billing": "Cobrança", "work": "Trabalho", "personal": "Pessoal", "other": "Outro"}
PHONE_KINDS = {"work": "Trabalho", "mobile": "Celular", "home": "Residencial", "billing": "Cobrança", "other": "Outro"}
ADDRESS_KINDS = {"billing": "Cobrança", "work": "Comercial", "home": "Residencial", "shipping": "Entrega",
                 "other": "Outro"}  # fmt: skip
ADDRESS_TEXT_FIELDS = ("street", "number", "complement", "district", "city")
_PHONE_SEPARATORS = re.compile(r"[\s().\-/]+")
# Area codes in use (ANATEL): 11-19, 21-28, 31-38, 41-49, 51-55, 61-69, 71-79, 81-89, 91-99, minus the gaps below.
_AREA_CODES = frozenset(range(11, 100)) - {20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56, 57, 58, 59, 60, 70, 72, 76,
                                           78, 80, 90}  # fmt: skip


def normalize_email(raw: str | None, *, field: str = "email", required: bool = True) -> str | None:
    """Lower-case, syntax checked (no DNS lookup): 'Fin@Acme.com.BR ' -> 'fin@acme.com.br'."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise ValidationFailed("Informe o e-mail.", field=field)
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValidationFailed(
            f"E-mail inválido: “{text[:60]}”. Use o formato nome@empresa.com.br.", field=field
        ) from error


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    """The stored form is E.164: '(11) 98765-4321' -> '+5511987654321'."""
    text = _PHONE_SEPARATORS.sub("", raw or "")
    if not text:
        raise ValidationFailed("Informe o telefone.", field=field)
    international = text.startswith(("+", "00"))
    digits = text[1:] if text.startswith("+") else text[2:] if international else text
    if not digits.isascii() or not digits.isdigit():
        raise ValidationFailed("Telefone inválido: use só dígitos, com DDD, ex.: (11) 98765-4321.", field=field)
    if international:
        if not 8 <= len(digits) <= 15:
            raise ValidationFailed("Telefone internacional deve ter de 8 a 15 dígitos após o “+”.", field=field)
        return "+" + digits
    if digits.startswith("0"):
        digits = digits[1:]  # trunk prefix: 011 9876... is 11 9876...
    if len(digits) not in (10, 11) or (len(digits) == 11 and digits[2] != "9"):
        raise ValidationFailed(
            "Telefone deve ter DDD e número (10 ou 11 dígitos; celular começa com 9), ex.: (11) 98765-4321.",
            field=field,
        )
    if int(digits[:2]) not in _AREA_CODES:
        raise ValidationFailed(f"DDD {digits[:2]} não existe.", field=field)
    return "+55" + digits


def mask_phone(stored: str) -> str:
    """+5511987654321 -> (11) 98765-4321; other countries are shown as stored."""
    if stored.startswith("+55") and len(stored) in (13, 14):
        area, number = stored[3:5], stored[5:]
        return f"({area}) {number[:-4]}-{number[-4:]}"
    return stored


def normalize_emails(entries: list[dict[str, Any]], errors: FieldCollector) -> list[dict[str, str]]:
    result = []
    for index, entry in enumerate(entries):
        field = f"emails.{index}.address"
        try:
            address = normalize_email(entry.get("address"), field=field)
        except ValidationFailed as error:
            errors.take(field, error)
            continue
        result.append({"kind": _kind(entry, EMAIL_KINDS, "billing"), "address": address or ""})
    return result


def normalize_phones(entries: list[dict[str, Any]], errors: FieldCollector) -> list[dict[str, str]]:
    result = []
    for index, entry in enumerate(entries):
        field = f"phones.{index}.number"
        try:
            number = normalize_phone(str(entry.get("number") or ""), field=field)
        except ValidationFailed as error:
            errors.take(field, error)
            continue
        result.append({"kind": _kind(entry, PHONE_KINDS, "work"), "number": number})
    return result


def normalize_address(entry: dict[str, Any], errors: FieldCollector, *, prefix: str = "") -> dict[str, str]:
    """A Brazilian address needs CEP, street, number, city and UF; the IBGE code is optional but must match the UF.

    Foreign addresses (country other than BR) keep their postal code and state as typed."""
    country = str(entry.get("country") or "BR").strip().upper()
    address = {"kind": _kind(entry, ADDRESS_KINDS, "billing"), "country": country}
    for name in ADDRESS_TEXT_FIELDS:
        address[name] = " ".join(str(entry.get(name) or "").split())
    if country != "BR":
        address["postal_code"] = str(entry.get("postal_code") or entry.get("cep") or "").strip()
        address["state"] = str(entry.get("state") or entry.get("uf") or "").strip()
        if not address["city"]:
            errors.take(prefix + "city", ValidationFailed("Informe a cidade.", field=prefix + "city"))
        return address
    for name, normalizer in (("cep", normalize_cep), ("uf", normalize_uf)):
        try:
            address[name] = normalizer(str(entry.get(name) or ""))
        except ValidationFailed as error:
            errors.take(prefix + name, error)
    for name, label in (("street", "o logradouro"), ("number", "o número (ou S/N)"), ("city", "a cidade")):
        if not address[name]:
            errors.take(prefix + name, ValidationFailed(f"Informe {label}.", field=prefix + name))
    ibge = str(entry.get("ibge_code") or "").strip()
    address["ibge_code"] = ""
    if ibge:
        try:
            address["ibge_code"] = normalize_ibge_code(ibge)
            if "uf" in address:
                check_ibge_code_matches_uf(address["ibge_code"], address["uf"])
        except ValidationFailed as error:
            errors.take(prefix + "ibge_code", error)
    return address


def normalize_addresses(entries: list[dict[str, Any]], errors: FieldCollector) -> list[dict[str, str]]:
    return [normalize_address(entry, errors, prefix=f"addresses.{i}.") for i, entry in enumerate(entries)]


def format_address(address: dict[str, Any]) -> str:
    """One line for lists and PDFs: 'Av. Paulista, 1000, sala 4 - Bela Vista, São Paulo/SP, 01310-100'."""
    if not address:
        return ""
    street = ", ".join(p for p in (address.get("street"), address.get("number"), address.get("complement")) if p)
    place = "/".join(p for p in (address.get("city"), address.get("uf") or address.get("state")) if p)
    code = mask_cep(address["cep"]) if address.get("cep") else address.get("postal_code", "")
    head = " - ".join(p for p in (street, address.get("district")) if p)
    return ", ".join(p for p in (head, place, code) if p)


def primary(entries: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    """The billing entry if there is one, else the first: what lists show and invoices use."""
    return next((e for e in entries if e.get("kind") == "billing" and e.get(key)), None) or next(
        (e for e in entries if e.get(key)), None
    )


def _kind(entry: dict[str, Any], kinds: dict[str, str], default: str) -> str:
    kind = str(entry.get("kind") or default).strip().lower()
    return kind if kind in kinds else "other"
