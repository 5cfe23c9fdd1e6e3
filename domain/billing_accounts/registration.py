"""What may be written on a billing account, checked field by field (all refusals at once, like customers).

The ledger (balance, MRR) is not here: statements and subscriptions own those figures.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from domain.billing_accounts.model import BillingAccount, PaymentMethod
from domain.customers.contacts import normalize_address, normalize_email
from domain.customers.errors import FieldCollector
from domain.customers.registration import payment_terms
from domain.documents.addresses import normalize_ibge_code
from domain.documents.tax_ids import DocumentType, detect_document_type, normalize_document
from domain.errors import ValidationFailed
from domain.money import MINOR_DIGITS
from domain.taxes.model import CustomerTaxType

FIELDS = frozenset({
    "name", "email", "billing_email", "currency", "billing_address", "tax_id", "tax_id_type", "payment_terms_days",
    "auto_collection", "payment_method", "customer_tax_type", "withhold_iss", "withhold_ir", "withhold_csrf",
    "withhold_inss", "iss_rate", "iss_municipality_code", "allowed_negative_balance_cents",
})  # fmt: skip
MAX_ISS_RATE = Decimal("0.05")  # LC 116/2003 art. 8, II; the minimum depends on the service (the engine checks it)


def apply_account_fields(account: BillingAccount, values: dict[str, Any], *, creating: bool) -> None:
    """Write the given fields on the account, all or none; raise InvalidFields listing every refusal."""
    unknown = set(values) - FIELDS
    if unknown:
        raise ValidationFailed(f"Campos desconhecidos: {', '.join(sorted(unknown))}.")
    errors = FieldCollector()
    clean: dict[str, Any] = {}
    if creating or "name" in values:
        clean["name"] = " ".join(str(values.get("name") or "").split())[:255]
        if not clean["name"]:
            errors.take("name", ValidationFailed("Informe o nome da conta (ex.: Matriz, Filial RJ).", field="name"))
    for name in ("email", "billing_email"):
        if name in values:
            try:
                clean[name] = normalize_email(values[name], field=name, required=False)
            except ValidationFailed as error:
                errors.take(name, error)
    if "currency" in values:
        clean["currency"] = str(values["currency"] or "").upper()
        if clean["currency"] not in MINOR_DIGITS:
            errors.take("currency", ValidationFailed("Moeda não suportada.", field="currency"))
    if "billing_address" in values:
        raw = dict(values["billing_address"] or {})
        filled = any(str(v or "").strip() for k, v in raw.items() if k not in ("kind", "country"))
        clean["billing_address"] = normalize_address(raw, errors, prefix="billing_address.") if filled else {}
    if "tax_id" in values or "tax_id_type" in values:
        _tax_id(values, clean, errors)
    if "payment_terms_days" in values:
        clean["payment_terms_days"] = payment_terms(values["payment_terms_days"], errors)
    _choices(values, clean, errors)
    _tax_profile(account, values, clean, errors)
    if "allowed_negative_balance_cents" in values:
        try:
            clean["allowed_negative_balance_cents"] = abs(int(values["allowed_negative_balance_cents"] or 0))
        except (TypeError, ValueError):
            message = "Limite de saldo negativo: informe um valor em reais."
            errors.take(
                "allowed_negative_balance_cents", ValidationFailed(message, field="allowed_negative_balance_cents")
            )
    errors.raise_if_any()
    for name, value in clean.items():
        setattr(account, name, value)


def _tax_id(values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector) -> None:
    raw = str(values.get("tax_id") or "").strip()
    if not raw:
        clean["tax_id"] = clean["tax_id_type"] = None
        return
    kind = values.get("tax_id_type") or detect_document_type(raw) or DocumentType.FOREIGN
    try:
        kind = DocumentType(kind)
        clean["tax_id"], clean["tax_id_type"] = normalize_document(kind, raw), kind.value
    except ValueError:
        errors.take(
            "tax_id_type", ValidationFailed("Tipo de documento: CPF, CNPJ ou estrangeiro.", field="tax_id_type")
        )
    except ValidationFailed as error:
        errors.take("tax_id", ValidationFailed(error.message, field="tax_id"))


def _choices(values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector) -> None:
    for name, enum, label in (("payment_method", PaymentMethod, "a forma de pagamento"),
                              ("customer_tax_type", CustomerTaxType, "o enquadramento tributário")):  # fmt: skip
        if name in values:
            try:
                clean[name] = enum(values[name])
            except ValueError:
                errors.take(name, ValidationFailed(f"Escolha {label}.", field=name))
    for name in ("auto_collection", "withhold_iss", "withhold_ir", "withhold_csrf", "withhold_inss"):
        if name in values:
            clean[name] = bool(values[name])


def _tax_profile(
    account: BillingAccount, values: dict[str, Any], clean: dict[str, Any], errors: FieldCollector
) -> None:
    """ISS withheld by the customer needs the rate and the municipality where it is due."""
    if "iss_rate" in values:
        clean["iss_rate"] = _rate(values["iss_rate"], errors)
    if "iss_municipality_code" in values:
        code = str(values["iss_municipality_code"] or "").strip()
        try:
            clean["iss_municipality_code"] = normalize_ibge_code(code) if code else None
        except ValidationFailed as error:
            errors.take("iss_municipality_code", ValidationFailed(error.message, field="iss_municipality_code"))
    withholds_iss = clean.get("withhold_iss", account.withhold_iss)
    if withholds_iss and "iss_rate" not in errors.errors and clean.get("iss_rate", account.iss_rate) is None:
        errors.take("iss_rate", ValidationFailed("O cliente retém ISS: informe a alíquota.", field="iss_rate"))
    code_missing = clean.get("iss_municipality_code", account.iss_municipality_code) is None
    if withholds_iss and "iss_municipality_code" not in errors.errors and code_missing:
        message = "O cliente retém ISS: informe o código IBGE do município onde o ISS é devido."
        errors.take("iss_municipality_code", ValidationFailed(message, field="iss_municipality_code"))


def _rate(raw: Any, errors: FieldCollector) -> Decimal | None:
    """A fraction, as the withholding engine reads it: 0.05 is 5% (forms convert the percentage people type)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        rate = Decimal(str(raw).strip().replace("%", "").replace(",", "."))
    except InvalidOperation:
        rate = Decimal(-1)
    if not rate.is_finite() or not Decimal(0) < rate <= MAX_ISS_RATE:
        errors.take("iss_rate", ValidationFailed("Alíquota de ISS: acima de 0% e até 5%.", field="iss_rate"))
        return None
    return rate
