"""Billing accounts in and out of the API (fields as the domain names them; amounts in cents)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PaymentMethod = Literal["boleto", "pix", "card", "transfer"]
TaxType = Literal["simples_optante", "lucro_presumido", "lucro_real", "pessoa_fisica", "public_body", "exempt"]


class AddressIn(BaseModel):
    """A Brazilian address needs CEP, street, number, city and UF; `zip_code`/`state` are accepted for cep/uf."""

    model_config = ConfigDict(extra="forbid")
    kind: str | None = Field(None, max_length=32, examples=["billing"])
    cep: str | None = Field(None, max_length=16, examples=["01310-100"])
    zip_code: str | None = Field(None, max_length=16, description="Same as cep (other systems' name)")
    street: str | None = Field(None, max_length=255, examples=["Av. Paulista"])
    number: str | None = Field(None, max_length=32, examples=["1000"])
    complement: str | None = Field(None, max_length=255)
    district: str | None = Field(None, max_length=120, examples=["Bela Vista"])
    city: str | None = Field(None, max_length=120, examples=["São Paulo"])
    uf: str | None = Field(None, max_length=32, examples=["SP"])
    state: str | None = Field(None, max_length=64, description="Same as uf for Brazil; free for other countries")
    ibge_code: str | None = Field(None, max_length=16, examples=["3550308"])
    postal_code: str | None = Field(None, max_length=16)
    country: str | None = Field(None, max_length=2, examples=["BR"])

    def domain(self) -> dict[str, Any]:
        values = self.model_dump(exclude_none=True, exclude={"zip_code"})
        if self.zip_code and not self.cep:
            values["cep"] = self.zip_code
        if self.state and not self.uf and (self.country or "BR").upper() == "BR":
            values["uf"] = self.state
        return values


class AccountFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=255, examples=["Matriz"])
    email: str | None = Field(None, max_length=254, examples=["financeiro@acme.com.br"])
    billing_email: str | None = Field(None, max_length=254, examples=["faturas@acme.com.br"])
    currency: str | None = Field(None, max_length=3, examples=["BRL"])
    billing_address: AddressIn | None = None
    tax_id: str | None = Field(None, max_length=40, examples=["11.222.333/0001-81"])
    tax_id_type: Literal["cpf", "cnpj", "foreign"] | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=365, examples=[15])
    auto_collection: bool | None = None
    payment_method: PaymentMethod | None = None
    customer_tax_type: TaxType | None = None
    withhold_iss: bool | None = None
    withhold_ir: bool | None = None
    withhold_csrf: bool | None = None
    withhold_inss: bool | None = None
    iss_rate: Decimal | None = Field(None, ge=0, le=1, description="Fraction: 0.05 is 5%")
    iss_municipality_code: str | None = Field(None, max_length=16)
    allowed_negative_balance_cents: int | None = Field(None, ge=0, le=10**15)

    def domain(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True, exclude={"billing_address"})
        if "billing_address" in self.model_fields_set:
            values["billing_address"] = self.billing_address.domain() if self.billing_address else {}
        return values


class BillingAccountCreate(AccountFields):
    customer_id: uuid.UUID

    def domain(self) -> dict[str, Any]:
        values = super().domain()
        values.pop("customer_id", None)
        return values


class BillingAccountUpdate(AccountFields):
    reason: str | None = Field(None, max_length=500, description="Why (goes to the audit trail)")

    def domain(self) -> dict[str, Any]:
        values = super().domain()
        values.pop("reason", None)
        return values


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=500, examples=["Inadimplência de 60 dias"])


class BillingAccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    customer_id: uuid.UUID
    name: str
    email: str | None
    billing_email: str | None
    status: str = Field(examples=["active"])
    currency: str
    billing_address: dict[str, Any]
    tax_id: str | None
    tax_id_type: str | None
    payment_terms_days: int
    auto_collection: bool
    payment_method: str
    customer_tax_type: str
    withhold_iss: bool
    withhold_ir: bool
    withhold_csrf: bool
    withhold_inss: bool
    iss_rate: Decimal | None
    iss_municipality_code: str | None
    balance_cents: int
    allowed_negative_balance_cents: int
    mrr_amount_cents: int
    suspended_at: datetime | None
    suspension_reason: str | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
