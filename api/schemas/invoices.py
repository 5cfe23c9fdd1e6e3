"""Invoices in and out of the API: one-off drafts with line items, and the state changes of the invoice editor."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LineTypeIn = Literal["one_off", "usage", "addon", "subscription", "proration"]


class LineItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1, max_length=500, examples=["Consultoria sob demanda — junho/2026"])
    quantity: Decimal = Field(Decimal(1), gt=0, le=Decimal(10**9), max_digits=18, decimal_places=6, examples=[8])
    unit_amount_cents: int = Field(ge=0, le=10**13, examples=[25000])
    service_item_id: str | None = Field(
        None, max_length=64, description="Id (UUID) or code of the service", examples=["consultoria"]
    )
    type: LineTypeIn = "one_off"
    period_start: date | None = None
    period_end: date | None = None


class InvoiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    billing_account_id: uuid.UUID
    due_date: date | None = Field(
        None, description="Default: today + the account's payment terms", examples=["2026-06-30"]
    )
    collection_method: Literal["manual_charge"] = Field("manual_charge", description="Only manual charge exists")
    memo: str | None = Field(None, max_length=2000)
    discount_cents: int = Field(0, ge=0, le=10**13)
    coupon_code: str | None = Field(None, max_length=64)
    line_items: list[LineItemIn] = Field(default_factory=list, max_length=500)


class LinesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    line_items: list[LineItemIn] = Field(min_length=1, max_length=500)


class FinalizeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    issued_on: date | None = Field(None, description="Default: today in the organization's timezone")


class VoidIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, examples=["Emitida em duplicidade"])


class PayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount_cents: int | None = Field(None, gt=0, le=10**13, description="Default: what is still outstanding")
    paid_on: date | None = Field(None, description="Default: today")
    method: Literal["pix", "boleto", "transfer", "card", "cash", "other"] = "pix"
    reference: str | None = Field(None, max_length=120)


class LineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    position: int
    type: str
    source: str
    description: str
    quantity: Decimal
    unit_amount_cents: int
    amount_cents: int
    service_item_id: uuid.UUID | None
    service_code: str | None
    period_start: date | None
    period_end: date | None


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: str | None = Field(examples=["INV-000123"])
    status: str = Field(examples=["draft"])
    reason: str
    customer_id: uuid.UUID
    billing_account_id: uuid.UUID
    subscription_id: uuid.UUID | None
    currency: str
    issued_on: date | None
    due_date: date = Field(validation_alias="due_on")
    memo: str | None
    subtotal_cents: int
    tax_cents: int
    discount_cents: int
    total_cents: int
    irrf_cents: int
    pis_cents: int
    cofins_cents: int
    csll_cents: int
    inss_cents: int
    iss_withheld_cents: int
    withheld_cents: int
    net_value_cents: int
    amount_paid_cents: int
    outstanding_cents: int
    finalized_at: datetime | None
    paid_at: datetime | None
    voided_at: datetime | None
    void_reason: str | None
    uncollectible_at: datetime | None
    created_at: datetime
    updated_at: datetime
    line_items: list[LineOut] = Field(default_factory=list, validation_alias="lines")
    pdf_url: str | None = None


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    invoice_id: uuid.UUID
    kind: str
    amount_cents: int
    currency: str
    method: str
    paid_on: date
    reference: str | None


class PaymentResult(BaseModel):
    payment: PaymentOut
    invoice: InvoiceOut
