"""What an operator (or an import, or the API) may write on a customer, checked field by field.

`apply_registration` takes a dict of typed values (only the keys present change), normalizes each one, collects
every refusal (InvalidFields maps field -> message, so a form shows them all beside their inputs) and only then
writes the entity. Uniqueness (document, external id) needs storage and is checked by the use cases.
"""

from __future__ import annotations

import re
from typing import Any

from domain.customers.contacts import normalize_addresses, normalize_email, normalize_emails, normalize_phones
from domain.customers.custom_fields import CustomFieldDefinition, normalize_custom_values
from domain.customers.errors import FieldCollector
from domain.customers.model import (
    KIND_DOCUMENT_TYPE,
    BillingModel,
    Customer,
    CustomerKind,
    CustomerType,
    VatValidationStatus,
)
from domain.documents.tax_ids import normalize_document
from domain.errors import ValidationFailed
from domain.money import MINOR_DIGITS

FIELDS = frozenset({
    "kind", "document_number", "country", "name", "legal_name", "external_id", "customer_type",
    "preferred_currency", "payment_terms_days", "billing_model", "wallet_mode", "emails", "phones", "addresses",
    "tags", "custom_data", "metadata", "custom_fields", "tax_identifiers", "vat_validation_status", "verification",
    "peppol_id", "prefer_einvoice", "einvoice_email", "communications_paused",
})  # fmt: skip
# Kontorion's verification records: what was checked, and how it went.
VERIFICATION_KINDS = {"kyc": "KYC", "business_documents": "Documentos da empresa",
                      "payment_instrument": "Meio de pagamento"}  # fmt: skip
VERIFICATION_STATUSES = {"not_started": "Não iniciada", "pending": "Pendente", "approved": "Aprovada",
                         "rejected": "Reprovada"}  # fmt: skip
TAX_ID_TYPES = {"eu_vat": "VAT (UE)", "gb_vat": "VAT (Reino Unido)", "us_ein": "EIN (EUA)", "ch_uid": "UID (Suíça)",
                "ar_cuit": "CUIT (Argentina)", "cl_rut": "RUT (Chile)", "mx_rfc": "RFC (México)",
                "pt_nif": "NIF (Portugal)", "br_ie": "Inscrição estadual", "br_im": "Inscrição municipal"}  # fmt: skip
MAX_TAGS, MAX_TAG_LENGTH, MAX_PAYMENT_TERMS = 30, 40, 365
_TAX_ID_KEY = re.compile(r"[a-z]{2}_[a-z0-9]{2,10}")
_TEXT_LIMITS = {"name": 255, "legal_name": 255, "external_id": 64, "wallet_mode": 32, "peppol_id": 64}


def apply_registration(
    customer: Customer, values: dict[str, Any], *, definitions: list[CustomFieldDefinition], creating: bool
) -> None:
    """Write the given fields on the customer, all or none; raise InvalidFields listing every refusal."""
    unknown = set(values) - FIELDS
    if unknown:
        raise ValidationFailed(f"Campos desconhecidos: {', '.join(sorted(unknown))}.")
    errors = FieldCollector()
    clean: dict[str, Any] = {}
    for name in values.keys() & _TEXT_LIMITS.keys():
        clean[name] = _text(name, values[name], errors)
    if (creating or "name" in values) and not clean.get("name"):
        errors.take("name", ValidationFailed("Informe o nome do cliente.", field="name"))
    _identity(customer, values, clean, errors, creating=creating)
    _commercial(values, clean, errors)
    if "emails" in values:
        clean["emails"] = normalize_emails(list(values["emails"] or []), errors)
    if "phones" in values:
        clean["phones"] = normalize_phones(list(values["phones"] or []), errors)
    if "addresses" in values:
        clean["addresses"] = normalize_addresses(list(values["addresses"] or []), errors)
    if "tags" in values:
        clean["tags"] = _tags(values["tags"], errors)
    for name in ("custom_data", "metadata"):
        if name in values:
            clean[name] = _json_object(name, values[name], errors)
    if "custom_fields" in values or creating:
        typed = dict(values.get("custom_fields") or {})
        clean["custom_fields"] = normalize_custom_values(definitions, customer.custom_fields or {}, typed, errors)
    _international(values, clean, errors)
    errors.raise_if_any()
    for name, value in clean.items():
        setattr(customer, "extra_metadata" if name == "metadata" else name, value)  # lists/dicts are new objects
    customer.refresh_derived()


def _identity(
    customer: Customer, values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector, *, creating: bool
) -> None:
    kind = customer.kind if not creating and "kind" not in values else None
    try:
        kind = CustomerKind(values.get("kind", kind))
        clean["kind"] = kind
    except ValueError:
        errors.take("kind", ValidationFailed("Escolha o tipo: pessoa física, jurídica ou estrangeiro.", field="kind"))
        return
    document_type = KIND_DOCUMENT_TYPE[kind]
    country = str(values.get("country") or ("BR" if creating else customer.country)).strip().upper()
    if kind is CustomerKind.FOREIGN and country == "BR":
        errors.take("country", ValidationFailed("Cliente estrangeiro: informe o país (ISO, ex.: US).", field="country"))
    elif not re.fullmatch(r"[A-Z]{2}", country):
        errors.take("country", ValidationFailed("País: use o código ISO de 2 letras (ex.: BR, US).", field="country"))
    clean["country"] = "BR" if kind is not CustomerKind.FOREIGN else country
    if creating or "document_number" in values or "kind" in values:
        raw = values.get("document_number", customer.document_number if not creating else "")
        try:
            clean["document_number"] = normalize_document(document_type, str(raw or ""))
            clean["document_type"] = document_type.value
        except ValidationFailed as error:
            errors.take("document_number", error)
    if creating and "customer_type" not in values:
        clean["customer_type"] = CustomerType.CONSUMER if kind is CustomerKind.NATURAL else CustomerType.BUSINESS


def _commercial(values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector) -> None:
    for name, enum, label in (("customer_type", CustomerType, "o tipo de cliente"),
                              ("billing_model", BillingModel, "o modelo de cobrança")):  # fmt: skip
        if name in values:
            try:
                clean[name] = enum(values[name])
            except ValueError:
                errors.take(name, ValidationFailed(f"Escolha {label}.", field=name))
    if "preferred_currency" in values:
        currency = str(values["preferred_currency"] or "").strip().upper()
        if currency not in MINOR_DIGITS:
            message = f"Moeda não suportada: use {', '.join(sorted(MINOR_DIGITS))}."
            errors.take("preferred_currency", ValidationFailed(message, field="preferred_currency"))
        clean["preferred_currency"] = currency
    if "payment_terms_days" in values:
        clean["payment_terms_days"] = payment_terms(values["payment_terms_days"], errors)
    for name in ("prefer_einvoice", "communications_paused"):
        if name in values:
            clean[name] = bool(values[name])


def payment_terms(raw: Any, errors: FieldCollector, field: str = "payment_terms_days") -> int:
    """Net-N days: a whole number from 0 to 365 (shared with billing accounts)."""
    try:
        days = int(str(raw).strip())
        if not 0 <= days <= MAX_PAYMENT_TERMS:
            raise ValueError
        return days
    except ValueError:
        errors.take(field, ValidationFailed(f"Prazo de pagamento: de 0 a {MAX_PAYMENT_TERMS} dias.", field=field))
        return 0


def _international(values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector) -> None:
    if "tax_identifiers" in values:
        identifiers = {}
        for key, raw in dict(values["tax_identifiers"] or {}).items():
            key, value = str(key).strip().lower(), str(raw or "").strip().upper()
            if not value:
                continue
            field = f"tax_identifiers.{key}"
            if key not in TAX_ID_TYPES and not _TAX_ID_KEY.fullmatch(key):
                errors.take(field, ValidationFailed(f"Tipo de identificador fiscal inválido: {key}.", field=field))
            elif len(value) > 40 or not value.replace(" ", "").replace("-", "").replace(".", "").isalnum():
                errors.take(field, ValidationFailed("Identificador fiscal: até 40 letras e dígitos.", field=field))
            else:
                identifiers[key] = value
        clean["tax_identifiers"] = identifiers
    if "vat_validation_status" in values:
        try:
            clean["vat_validation_status"] = VatValidationStatus(values["vat_validation_status"])
        except ValueError:
            errors.take("vat_validation_status", ValidationFailed("Situação de VAT inválida.",
                                                                  field="vat_validation_status"))  # fmt: skip
    if "verification" in values:
        records = {}
        for key, status in dict(values["verification"] or {}).items():
            if key not in VERIFICATION_KINDS or status not in VERIFICATION_STATUSES:
                field = f"verification.{key}"
                errors.take(field, ValidationFailed("Verificação ou situação desconhecida.", field=field))
            elif status != "not_started":
                records[key] = status
        clean["verification"] = records
    if "einvoice_email" in values:
        try:
            clean["einvoice_email"] = normalize_email(values["einvoice_email"], field="einvoice_email", required=False)
        except ValidationFailed as error:
            errors.take("einvoice_email", error)


def _text(name: str, raw: Any, errors: FieldCollector) -> str | None:
    text = " ".join(str(raw or "").split())
    if len(text) > _TEXT_LIMITS[name]:
        errors.take(name, ValidationFailed(f"Até {_TEXT_LIMITS[name]} caracteres.", field=name))
    return text or None


def _tags(raw: Any, errors: FieldCollector) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else list(raw or [])
    tags = list(dict.fromkeys(" ".join(str(t).split()).lower() for t in items if str(t).strip()))
    if len(tags) > MAX_TAGS or any(len(t) > MAX_TAG_LENGTH for t in tags):
        message = f"Até {MAX_TAGS} etiquetas de até {MAX_TAG_LENGTH} caracteres."
        errors.take("tags", ValidationFailed(message, field="tags"))
    return tags


def _json_object(name: str, raw: Any, errors: FieldCollector) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.take(name, ValidationFailed("Deve ser um objeto JSON ({ ... }).", field=name))
        return {}
    return raw
