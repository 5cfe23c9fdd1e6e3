"""Customers in and out of the API; creation takes nested billing accounts in the same call (Kobana's example)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.billing_accounts import AccountFields, AddressIn, BillingAccountOut


class EmailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, max_length=32, examples=["work"])
    address: str = Field(max_length=254, examples=["finance@acme.com.br"])


class PhoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, max_length=32, examples=["work"])
    number: str = Field(max_length=40, examples=["(11) 3000-1000"])


class CustomerFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["natural", "juridical", "foreign"] | None = Field(None, examples=["juridical"])
    document_type: Literal["cpf", "cnpj", "foreign"] | None = Field(None, description="Implies kind when omitted")
    document_number: str | None = Field(None, max_length=40, examples=["11.222.333/0001-81"])
    country: str | None = Field(None, max_length=2, examples=["BR"])
    name: str | None = Field(None, max_length=255, examples=["ACME Tecnologia Ltda"])
    legal_name: str | None = Field(None, max_length=255)
    external_id: str | None = Field(None, max_length=64, examples=["erp-000123"])
    customer_type: Literal["business", "consumer"] | None = None
    preferred_currency: str | None = Field(None, max_length=3, examples=["BRL"])
    payment_terms_days: int | None = Field(None, ge=0, le=365)
    billing_model: Literal["postpaid", "prepaid", "hybrid"] | None = None
    emails: list[EmailIn] | None = Field(None, max_length=50)
    phones: list[PhoneIn] | None = Field(None, max_length=50)
    addresses: list[AddressIn] | None = Field(None, max_length=20)
    tags: list[str] | None = Field(None, max_length=30)
    custom_data: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    custom_fields: dict[str, Any] | None = None
    tax_identifiers: dict[str, str] | None = None
    peppol_id: str | None = Field(None, max_length=64)
    prefer_einvoice: bool | None = None
    einvoice_email: str | None = Field(None, max_length=254)

    def domain(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True, exclude={"emails", "phones", "addresses", "document_type"})
        for name in ("emails", "phones"):
            if name in self.model_fields_set:
                values[name] = [e.model_dump(exclude_none=True) for e in getattr(self, name) or []]
        if "addresses" in self.model_fields_set:
            values["addresses"] = [a.domain() for a in self.addresses or []]
        if self.document_type and not self.kind:
            values["kind"] = {"cpf": "natural", "cnpj": "juridical", "foreign": "foreign"}[self.document_type]
        return {k: v for k, v in values.items() if v is not None or k in ("legal_name", "external_id")}


class CustomerCreate(CustomerFields):
    name: str = Field(max_length=255, examples=["ACME Tecnologia Ltda"])
    billing_accounts: list[AccountFields] = Field(default_factory=list, max_length=50)


class CustomerUpdate(CustomerFields):
    reason: str | None = Field(None, max_length=500, description="Why (goes to the audit trail)")

    def domain(self) -> dict[str, Any]:
        values = super().domain()
        values.pop("reason", None)
        return values


class CustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    kind: str
    document_type: str
    document_number: str
    document_masked: str = Field(examples=["11.222.333/0001-81"])
    country: str
    name: str
    legal_name: str | None
    external_id: str | None
    customer_type: str
    status: str
    preferred_currency: str
    payment_terms_days: int
    billing_model: str
    emails: list[dict[str, Any]]
    phones: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    tags: list[str]
    custom_data: dict[str, Any]
    metadata: dict[str, Any] = Field(validation_alias="extra_metadata")
    custom_fields: dict[str, Any]
    tax_identifiers: dict[str, Any]
    vat_validation_status: str
    accounts_count: int
    balance_cents: int
    mrr_cents: int
    open_invoices_count: int
    created_at: datetime
    updated_at: datetime
    billing_accounts: list[BillingAccountOut] | None = Field(None, description="On creation and when reading one")
