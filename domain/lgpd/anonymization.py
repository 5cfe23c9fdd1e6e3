"""What an erasure changes: the personal data of a customer, its billing accounts and their history, and what stays.

Kept, because the law requires the fiscal record (CTN art. 195; LGPD art. 16, I): invoices and their snapshots,
amounts, payments, the statement, a company's CNPJ and legal name, external ids. Anonymized: names, e-mails, phones,
addresses, free JSON, an individual's CPF (masked to its middle digits, like the government's own masking), and the
same values in the audit trail's history of the customer. Portal users are removed.

The masked CPF ends with the customer's reference ("***.982.247-** #1a2b3c4d"): the middle digits alone are not
unique, and the live-document unique index (organization, type, number) still applies to anonymized customers, who
stay live because their invoices stay.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from domain.text import fold

REDACTED = "[anonimizado]"
CUSTOMER_CLEARED: dict[str, Any] = {
    "emails": [], "phones": [], "addresses": [], "primary_email": None, "city": None, "uf": None, "ibge_code": None,
    "custom_data": {}, "extra_metadata": {}, "custom_fields": {}, "verification": {}, "einvoice_email": None,
    "peppol_id": None, "communications_paused": True,
}  # fmt: skip
# Audit history keys that held personal data, per entity (the customer's own list depends on its kind).
HISTORY_KEYS = {
    "customer": {"name", "search_name", "emails", "phones", "addresses", "primary_email", "city", "uf", "ibge_code",
                 "custom_data", "extra_metadata", "custom_fields", "verification", "einvoice_email", "peppol_id"},
    "billing_account": {"email", "billing_email", "billing_address"},
    "portal_user": {"email", "name", "last_login_at"},
}  # fmt: skip


def reference(customer_id: uuid.UUID) -> str:
    """A short, stable reference to the titular (the end of the id: UUIDv7 heads are timestamps)."""
    return customer_id.hex[-8:]


def anonymized_name(customer_id: uuid.UUID) -> str:
    return f"Titular anonimizado {reference(customer_id)}"


def masked_cpf(number: str, customer_id: uuid.UUID) -> str:
    """52998224725 -> ***.982.247-** #<reference>. Anything not a stored CPF keeps only the reference."""
    middle = f"***.{number[3:6]}.{number[6:9]}-**" if len(number) == 11 and number.isdigit() else "***"
    return f"{middle} #{reference(customer_id)}"


def is_individual(document_type: str, customer_type: str) -> bool:
    """A person's document is personal data; a company's CNPJ is a public registration and part of the fiscal record."""
    return document_type == "cpf" or (document_type == "foreign" and customer_type == "consumer")


def customer_values(customer: Any, now: datetime) -> dict[str, Any]:
    """The customer's new column values (attribute names)."""
    individual = is_individual(customer.document_type, str(getattr(customer.customer_type, "value", "")))
    name = anonymized_name(customer.id)
    values = {**CUSTOMER_CLEARED, "name": name, "search_name": fold(name), "anonymized_at": now}
    if individual:
        values |= {"legal_name": None, "tax_identifiers": {},
                   "document_number": masked_cpf(customer.document_number, customer.id)}  # fmt: skip
    return values


def account_values(account: Any, customer: Any) -> dict[str, Any]:
    """A billing account's new values: contacts and address out; an individual's CPF masked; a company keeps its
    account names (Matriz, Filial RJ) and tax ids."""
    values: dict[str, Any] = {"email": None, "billing_email": None, "billing_address": {}}
    if is_individual(customer.document_type, str(getattr(customer.customer_type, "value", ""))):
        values["name"] = "Conta anonimizada"
    if account.tax_id_type == "cpf" and account.tax_id:
        values["tax_id"] = masked_cpf(account.tax_id, customer.id)
    return values


def history_keys(customer: Any) -> dict[str, set[str]]:
    keys = {entity: set(names) for entity, names in HISTORY_KEYS.items()}
    if is_individual(customer.document_type, str(getattr(customer.customer_type, "value", ""))):
        keys["customer"] |= {"legal_name", "document_number", "tax_identifiers"}
        keys["billing_account"] |= {"name", "tax_id"}
    return keys


def redact(changes: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """An audit event's changes with the personal values replaced; which fields changed stays visible."""
    return {key: ([REDACTED if v is not None else None for v in value] if isinstance(value, list) else REDACTED)
            if key in keys else value for key, value in changes.items()}  # fmt: skip
