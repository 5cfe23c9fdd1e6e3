"""The billing run's data: what it reads of a due subscription and its account, what it decides (`Outcome`), and
the values shared by every invoice of the same combination (`Composed`). Pure: no database."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from domain.catalog.model import ServiceItem, TaxRule
from domain.subscriptions.model import SubscriptionStatus
from domain.subscriptions.proration import PlanTerms
from domain.taxes.model import IssuerProfile, PayerProfile
from domain.taxes.rules import Tax

TAX_COLUMNS = {Tax.IRRF: "irrf_cents", Tax.PIS: "pis_cents", Tax.COFINS: "cofins_cents", Tax.CSLL: "csll_cents",
               Tax.INSS: "inss_cents", Tax.ISS: "iss_withheld_cents"}  # fmt: skip


class JsonText(str):
    """A JSON document already serialized: the run writes the same snapshot parts and notes 100,000 times, so each
    is serialized once (persistence sends it as is to PostgreSQL, and parses it back for SQLite)."""


def as_json_text(value: Any) -> JsonText:
    """Serialized once, written many times."""
    return JsonText(json.dumps(value, ensure_ascii=False, default=str))


class Decision(StrEnum):
    INVOICE = "invoice"
    TRIAL_WITHOUT_PAYMENT_METHOD = "trial_without_payment_method"
    CANCEL = "cancel"
    ALREADY_INVOICED = "already_invoiced"  # an invoice for this period exists (made by hand): only the period moves
    FAIL = "fail"


@dataclass
class AccountState:
    """A billing account as the run needs it; `balance_cents` and the ledger tail move as its invoices post."""

    id: uuid.UUID
    customer_id: uuid.UUID
    name: str
    status: str
    deleted: bool
    currency: str
    payment_terms_days: int
    has_payment_method: bool
    payer: PayerProfile | None  # None: the profile itself is invalid (reason in `payer_problem`)
    municipality_code: str | None
    balance_cents: int
    allowed_negative_balance_cents: int
    last_sequence: int | None
    last_balance_after: int | None
    customer_name: str
    customer_status: str
    customer_deleted: bool
    prepaid: bool
    snapshot_customer: dict[str, Any]
    snapshot_account: dict[str, Any]
    payer_problem: str | None = None
    _parties_json: str | None = None

    def parties_json(self) -> str:
        """`"customer": {...}, "account": {...}` of the finalization snapshot, serialized once per account."""
        if self._parties_json is None:
            self._parties_json = (f'"customer": {as_json_text(self.snapshot_customer)}, '
                                  f'"account": {as_json_text(self.snapshot_account)}')  # fmt: skip
        return self._parties_json


@dataclass(frozen=True)
class Pending:
    id: uuid.UUID
    description: str
    amount_cents: int
    service_item_id: uuid.UUID | None
    period_start: date
    period_end: date
    details: dict[str, Any]


@dataclass(frozen=True)
class DueSubscription:
    id: uuid.UUID
    customer_id: uuid.UUID
    billing_account_id: uuid.UUID
    status: SubscriptionStatus
    quantity: int
    billing_anchor: date
    period_start: date
    period_end: date
    trial_end: date | None
    cancel_at_period_end: bool
    plan: PlanTerms
    pending: tuple[Pending, ...] = ()
    already_invoiced: bool = False  # an invoice for the period it would bill exists (made by hand)


@dataclass(frozen=True)
class RunContext:
    organization_id: uuid.UUID
    run_date: date
    now: datetime
    finalize: bool  # open invoices (numbered, debited) or drafts
    issuer: IssuerProfile
    issuer_snapshot: dict[str, Any]
    tax_rules: Sequence[TaxRule]
    services: Mapping[uuid.UUID, ServiceItem]
    issuer_json: str = "{}"
    default_municipality: str | None = None  # the issuer's, when the account has none (as the editor does)
    open_failures: bool = False  # failures of earlier runs to resolve when their subscriptions get invoiced
    set_based: bool = False  # the writer expands lines from the combination (PostgreSQL); else one dict per line
    municipal_rules: bool = False  # some tax rule depends on the municipality (else it is left out of the cache key)


@dataclass
class Outcome:
    subscription: DueSubscription
    decision: Decision
    new_status: SubscriptionStatus | None = None
    new_period: tuple[date, date] | None = None
    invoice: dict[str, Any] | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)
    consumed: list[uuid.UUID] = field(default_factory=list)
    carry_over: dict[str, Any] | None = None
    statement: list[dict[str, Any]] = field(default_factory=list)
    code: str = ""
    reason: str = ""
    composed: Composed | None = None


@dataclass(frozen=True)
class Composed:
    """The part of an invoice that depends only on its inputs, shared by every subscription with the same ones."""

    lines: tuple[dict[str, Any], ...]
    subtotal: int
    tax: int
    withheld: dict[str, int]
    withheld_total: int
    rule_version: str | None
    notes: JsonText
    inputs_json: JsonText
    carry_cents: int  # credit moved to the next invoice (a carry-over line), 0 almost always
    combo_id: uuid.UUID | None = None  # set-based writers stage each combination once, by this id
