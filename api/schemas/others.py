"""Portal users, merges and segments in and out of the API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class PortalUserInvite(BaseModel):
    model_config = ConfigDict(extra="forbid")
    billing_account_id: uuid.UUID
    email: str = Field(max_length=254, examples=["maria@acme.com.br"])
    name: str = Field(max_length=255, examples=["Maria Souza"])
    magic_link: bool = True
    password: bool = False
    sso: bool = False


class PortalReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=500)


class PortalUserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    customer_id: uuid.UUID
    billing_account_id: uuid.UUID
    email: str
    name: str
    status: str = Field(examples=["pending_invitation"])
    auth_magic_link: bool
    auth_password: bool
    auth_sso: bool
    totp_enabled: bool
    failed_login_attempts: int
    locked_until: datetime | None
    last_login_at: datetime | None
    invited_at: datetime | None
    created_at: datetime


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source_customer_id: uuid.UUID = Field(description="The duplicate that will be merged in")
    target_customer_id: uuid.UUID = Field(description="The kept customer")
    strategy: Literal["PREVIEW", "MOVE_ALL"]
    fingerprint: str | None = Field(
        None,
        max_length=128,
        description="From a PREVIEW: MOVE_ALL refuses (409) if the "
        "data changed since; without it, the current plan is executed",
    )
    reason: str | None = Field(None, max_length=500)


class MergeOut(BaseModel):
    strategy: str
    executed: bool
    source_customer_id: uuid.UUID
    target_customer_id: uuid.UUID
    moves: dict[str, int] = Field(description="Rows that move, per kind (billing_account, invoice, ...)")
    fields: list[dict[str, Any]]
    conflicts: list[str]
    warnings: list[str]
    fingerprint: str


class SegmentOut(BaseModel):
    id: uuid.UUID
    name: str
    is_builtin: bool
    visibility: str
    tree: dict[str, Any]
    columns: list[str]
    sort: dict[str, Any]


class SegmentCustomerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str
    legal_name: str | None
    kind: str
    document: str = Field(description="Masked, as the screens show it")
    email: str | None
    city: str | None
    uf: str | None
    status: str
    accounts_count: int
    balance_cents: int
    mrr_cents: int
    open_invoices_count: int
    currency: str
    tags: list[str]
