"""Use cases of the customer registry: register, edit, change status, override VAT, soft delete; custom fields."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from domain.access.permissions import Permission
from domain.base import utcnow
from domain.billing_accounts.model import AccountStatus
from domain.billing_accounts.services import end_portal_access, open_account
from domain.customers.custom_fields import CustomFieldDefinition, CustomFieldType, check_definition
from domain.customers.errors import (
    CustomerHasOpenItems,
    DocumentInUse,
    ExternalIdInUse,
    clean_reason,
    require_reason,
)  # fmt: skip
from domain.customers.model import STATUS_LABELS, Customer, CustomerStatus, VatValidationStatus
from domain.customers.ports import RegistryUnitOfWork
from domain.customers.registration import apply_registration
from domain.errors import ValidationFailed


def create_customer(
    uow: RegistryUnitOfWork, *, values: dict[str, Any], accounts: list[dict[str, Any]] | None = None
) -> Customer:
    """Register a customer (valid document, unique among live customers; unique external id), with its accounts."""
    with uow:
        uow.actor.require(Permission.CUSTOMERS_WRITE)
        uow.describe("customer.created")
        if accounts:
            uow.actor.require(Permission.BILLING_ACCOUNTS_CREATE)
        customer = Customer(
            organization_id=uow.actor.organization_id, emails=[], phones=[], addresses=[], tags=[], custom_data={},
            extra_metadata={}, custom_fields={}, tax_identifiers={}, verification={},
        )  # fmt: skip
        apply_registration(customer, values, definitions=uow.customers.custom_field_definitions(), creating=True)
        _check_unique(uow, customer)
        uow.add(customer)
        uow.flush()
        for account_values in accounts or []:
            open_account(uow, customer, account_values)
            uow.flush()  # the next account's e-mail check must see this one
        uow.customers.refresh_totals(customer.id)
        uow.commit()
        return customer


def update_customer(
    uow: RegistryUnitOfWork, *, customer_id: uuid.UUID, values: dict[str, Any], reason: str | None = None
) -> Customer:
    """Change registration data; only the fields given change, each checked as on creation, all audited."""
    with uow:
        uow.actor.require(Permission.CUSTOMERS_WRITE)
        uow.describe("customer.updated", reason=clean_reason(reason))
        customer = uow.customers.get_live(customer_id, for_update=True)
        apply_registration(customer, values, definitions=uow.customers.custom_field_definitions(), creating=False)
        _check_unique(uow, customer)
        uow.commit()
        return customer


def set_customer_status(
    uow: RegistryUnitOfWork, *, customer_id: uuid.UUID, status: CustomerStatus | str, reason: str | None
) -> Customer:
    """Suspend, churn or reactivate a customer; leaving "active" needs a reason. Suspended customers get no invoices."""
    with uow:
        uow.actor.require(Permission.CUSTOMERS_WRITE)
        status = CustomerStatus(status)
        action = "reactivated" if status is CustomerStatus.ACTIVE else status.value
        uow.describe(f"customer.{action}", reason=clean_reason(reason))
        customer = uow.customers.get_live(customer_id, for_update=True)
        if status is customer.status:
            raise ValidationFailed(f"O cliente já está {STATUS_LABELS[status].lower()}.", field="status")
        if status is not CustomerStatus.ACTIVE:
            require_reason(reason, f"deixar o cliente {STATUS_LABELS[status].lower()}")
        customer.status = status
        uow.commit()
        return customer


def set_vat_override(
    uow: RegistryUnitOfWork, *, customer_id: uuid.UUID, status: VatValidationStatus | str | None, reason: str | None
) -> Customer:
    """Set (or clear, with None) the manual override of the VAT validation status; it wins over the automatic one."""
    with uow:
        uow.actor.require(Permission.CUSTOMERS_WRITE)
        action = "customer.vat_override_set" if status else "customer.vat_override_cleared"
        uow.describe(action, reason=clean_reason(reason))
        customer = uow.customers.get_live(customer_id, for_update=True)
        if status is not None:
            require_reason(reason, "definir manualmente a situação do VAT")
        customer.vat_validation_override = None if status is None else VatValidationStatus(status)
        uow.commit()
        return customer


def delete_customer(
    uow: RegistryUnitOfWork, *, customer_id: uuid.UUID, reason: str | None, now: datetime | None = None
) -> None:
    """Soft delete: the customer and its accounts leave every list, invoices stay; refused while money is moving."""
    with uow:
        uow.actor.require(Permission.CUSTOMERS_DELETE)
        uow.describe("customer.deleted", reason=clean_reason(reason))
        customer = uow.customers.get_live(customer_id, for_update=True)
        reason = require_reason(reason, "excluir o cliente")
        open_invoices, active_subscriptions = uow.customers.blocking_references(customer.id)
        if open_invoices or active_subscriptions:
            raise CustomerHasOpenItems(open_invoices, active_subscriptions)
        now = now or utcnow()
        for account in uow.billing_accounts.list_for_customer(customer.id):
            account.deleted_at = now
            if account.status is not AccountStatus.CLOSED:
                account.status, account.closed_at = AccountStatus.CLOSED, now
            end_portal_access(uow, account, now)
        customer.deleted_at = now  # frees the document and the external id for a new registration
        uow.flush()
        uow.customers.refresh_totals(customer.id)
        uow.commit()


def save_custom_field(
    uow: RegistryUnitOfWork, *, key: str, label: str, field_type: CustomFieldType | str,
    choices: list[str] | None = None, required: bool = False, position: int = 0, is_active: bool = True,
    definition_id: uuid.UUID | None = None,
) -> CustomFieldDefinition:  # fmt: skip
    """An admin defines a typed customer field; its key and type never change once created (values depend on them)."""
    with uow:
        uow.actor.require(Permission.SETTINGS_ADMIN)
        uow.describe("custom_field.saved")
        if definition_id is None:
            key = key.strip().lower()
            cleaned = check_definition(key, label, field_type, choices or [])
            if any(d.key == key for d in uow.customers.custom_field_definitions()):
                raise ValidationFailed(f"Já existe um campo com a chave “{key}”.", field="key")
            definition = CustomFieldDefinition(organization_id=uow.actor.organization_id, key=key,
                                               field_type=CustomFieldType(field_type))  # fmt: skip
            uow.add(definition)
        else:
            definition = uow.get(CustomFieldDefinition, definition_id, label="Campo personalizado")
            cleaned = check_definition(definition.key, label, definition.field_type, choices or [])
        definition.label, definition.choices = label.strip(), cleaned
        definition.required, definition.position, definition.is_active = bool(required), int(position), is_active
        uow.commit()
        return definition


def _check_unique(uow: RegistryUnitOfWork, customer: Customer) -> None:
    """Among live customers: one document (branches of a CNPJ root are other documents) and one external id."""
    other = uow.customers.find_by_document(customer.document_type, customer.document_number, except_id=customer.id)
    if other is not None:
        raise DocumentInUse(customer.document_masked, other.name)
    if customer.external_id:
        other = uow.customers.find_by_external_id(customer.external_id, except_id=customer.id)
        if other is not None:
            raise ExternalIdInUse(customer.external_id, other.name)
