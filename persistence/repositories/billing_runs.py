"""Storage of the billing run: the due batch in a few queries and the batch's writes set-based (persistence/bulk.py).

Locks: the due subscriptions are selected `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serializes writers), so two
workers never hold the same subscription; their accounts are locked after (`FOR UPDATE`), in id order, the number
series last. The unique constraint invoice(subscription_id, period_start) backs it all: the invoice INSERT goes
through a staging table with ON CONFLICT DO NOTHING, and a batch that inserted fewer invoices than it numbered is
rolled back (numbers stay gapless) and redone one subscription at a time by the service.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, insert, not_, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from domain.base import utcnow
from domain.billing_accounts.model import BillingAccount
from domain.billing_runs.compose import AccountState, DueSubscription, Outcome, Pending, RunContext
from domain.billing_runs.model import BillingRun, BillingRunFailure, RunStatus
from domain.customers.model import BillingModel, Customer
from domain.errors import NotFound
from domain.invoices.errors import NumberSeriesMissing
from domain.invoices.model import Invoice
from domain.invoices.withholding import issuer_profile
from domain.organizations.model import NumberSeries, Organization
from domain.statements.model import StatementItem
from domain.subscriptions.model import LIVE_STATUSES, Plan, Subscription, SubscriptionProration, SubscriptionStatus
from domain.subscriptions.proration import PlanTerms
from domain.taxes.model import PayerProfile
from persistence import bulk
from persistence.repositories.invoicing import CatalogRepository

S, A, C = Subscription.__table__, BillingAccount.__table__, Customer.__table__


@dataclass
class BillingRunRepository:
    session: Session

    @property
    def org_id(self) -> uuid.UUID:
        return self.session.info["organization_id"]

    def start_or_join(self, run_date: date, *, trigger: str, started_by: str) -> tuple[BillingRun, bool]:
        """The organization's running run (joined, or resumed when its worker died), or a new one."""
        table = BillingRun.__table__
        dialect = postgresql if bulk.is_postgres(self.session) else sqlite
        now = utcnow()
        self.session.execute(
            dialect.insert(table)
            .values(id=uuid.uuid4(), organization_id=self.org_id, run_date=run_date, status=RunStatus.RUNNING.value,
                    trigger=trigger, started_by=started_by[:255], started_at=now, heartbeat_at=now, created=0,
                    skipped=0, failed=0, batches=0)
            .on_conflict_do_nothing(index_elements=["organization_id"], index_where=text("status = 'running'"))
        )  # fmt: skip
        run = self.session.scalars(
            select(BillingRun).where(BillingRun.status == RunStatus.RUNNING).with_for_update()
        ).one()
        joined = run.started_at != now
        if run_date > run.run_date:  # resumed on a later day: bill up to the later day
            run.run_date = run_date
        run.heartbeat_at = now
        return run, joined

    def context(self, run_date: date) -> RunContext:
        org = self.session.get_one(Organization, self.org_id)
        catalog = CatalogRepository(self.session)
        rules = catalog.tax_rules()
        issuer = {"legal_name": org.legal_name, "trade_name": org.trade_name, "cnpj": org.cnpj,
                  "municipal_registration": org.municipal_registration, "tax_regime": str(org.tax_regime)}  # fmt: skip
        return RunContext(
            organization_id=org.id, run_date=run_date, now=utcnow(),
            finalize=(org.preferences or {}).get("invoice_finalization", "open") != "draft",
            issuer=issuer_profile(org),
            issuer_snapshot=issuer,
            tax_rules=rules, services=catalog.service_items_by_id(),
            default_municipality=(org.preferences or {}).get("municipality_code"),
            municipal_rules=any(rule.municipality_code for rule in rules), issuer_json=json.dumps(issuer),
            set_based=bulk.is_postgres(self.session),
            open_failures=self.session.scalar(select(exists().where(BillingRunFailure.resolved_at.is_(None)))) or False,
        )  # fmt: skip

    def due_batch(
        self, run: uuid.UUID, run_date: date, *, after: tuple[uuid.UUID, uuid.UUID] | None, limit: int,
        only: list[uuid.UUID] | None = None,
    ) -> tuple[list[DueSubscription], dict[uuid.UUID, AccountState]]:  # fmt: skip
        plans = Plan.__table__
        failed_here = exists().where(BillingRunFailure.billing_run_id == run,
                                     BillingRunFailure.subscription_id == S.c.id)  # fmt: skip
        no_payment_method = exists().where(A.c.id == S.c.billing_account_id, A.c.auto_collection.is_(False))
        awaiting = and_(S.c.status == SubscriptionStatus.PAST_DUE.value, S.c.trial_end == S.c.current_period_end,
                        no_payment_method)  # fmt: skip
        # Flags answered by unique/covering indexes in the same query (one round trip less per batch each).
        proration = SubscriptionProration.__table__
        has_pending = exists().where(proration.c.organization_id == S.c.organization_id,
                                     proration.c.subscription_id == S.c.id, proration.c.invoice_id.is_(None),
                                     proration.c.discarded.is_(False))  # fmt: skip
        invoice = Invoice.__table__
        invoiced = exists().where(invoice.c.subscription_id == S.c.id, invoice.c.period_start == S.c.current_period_end)
        statement = (
            select(S.c.id, S.c.customer_id, S.c.billing_account_id, S.c.status, S.c.quantity, S.c.billing_anchor,
                   S.c.current_period_start, S.c.current_period_end, S.c.trial_end, S.c.cancel_at_period_end,
                   plans.c.id, plans.c.name, plans.c.amount_cents, plans.c.currency, plans.c.interval,
                   plans.c.service_item_id, has_pending, invoiced)
            .join(plans, plans.c.id == S.c.plan_id)
            .where(S.c.organization_id == self.org_id, S.c.status.in_([s.value for s in LIVE_STATUSES]),
                   S.c.current_period_end <= run_date, not_(failed_here), not_(awaiting))
            .order_by(S.c.billing_account_id, S.c.id).limit(limit)
        )  # fmt: skip
        if after is not None:
            statement = statement.where(tuple_(S.c.billing_account_id, S.c.id) > tuple_(*after))
        if only is not None:
            statement = statement.where(bulk.among(self.session, S.c.id, only))
        if bulk.is_postgres(self.session):
            statement = statement.with_for_update(of=S, skip_locked=True)
        rows = self.session.execute(statement).all()
        if not rows:
            return [], {}
        flagged = [r[0] for r in rows if r[16]]
        pending = self._pending(flagged) if flagged else {}
        subs = [
            DueSubscription(r[0], r[1], r[2], SubscriptionStatus(r[3]), r[4], r[5], r[6], r[7], r[8], bool(r[9]),
                            PlanTerms(r[10], r[11], r[12], r[13], r[14], r[15]), tuple(pending.get(r[0], ())),
                            already_invoiced=bool(r[17]))
            for r in rows
        ]  # fmt: skip
        return subs, self._accounts(sorted({s.billing_account_id for s in subs}))

    def _pending(self, subscription_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Pending]]:
        pending = SubscriptionProration.__table__
        statement = (
            select(pending.c.subscription_id, pending.c.id, pending.c.description, pending.c.amount_cents,
                   pending.c.service_item_id, pending.c.period_start, pending.c.period_end, pending.c.details)
            .where(pending.c.organization_id == self.org_id,
                   bulk.among(self.session, pending.c.subscription_id, subscription_ids),
                   pending.c.invoice_id.is_(None), pending.c.discarded.is_(False))
            .order_by(pending.c.created_on, pending.c.id)
        )  # fmt: skip
        found: dict[uuid.UUID, list[Pending]] = {}
        for r in self.session.execute(statement):
            found.setdefault(r[0], []).append(Pending(r[1], r[2], r[3], r[4], r[5], r[6], dict(r[7] or {})))
        return found

    def _accounts(self, account_ids: list[uuid.UUID]) -> dict[uuid.UUID, AccountState]:
        if bulk.is_postgres(self.session):
            # Lock first, read after (a statement that waited for a lock would read the ledger tail from the snapshot
            # it started with). SKIP LOCKED: an account another worker holds is left for a later batch, never waited
            # for, so two workers overlap instead of queueing.
            locking = select(A.c.id).where(bulk.among(self.session, A.c.id, account_ids)).order_by(A.c.id)
            account_ids = list(self.session.scalars(locking.with_for_update(skip_locked=True)))
            if not account_ids:
                return {}
        items = StatementItem.__table__
        last_seq = select(func.max(items.c.sequence)).where(items.c.billing_account_id == A.c.id).scalar_subquery()
        last_balance = (select(items.c.balance_after_cents).where(items.c.billing_account_id == A.c.id)
                        .order_by(items.c.sequence.desc()).limit(1).scalar_subquery())  # fmt: skip
        statement = (
            select(A, C.c.name.label("c_name"), C.c.status.label("c_status"), C.c.deleted_at.label("c_deleted"),
                   C.c.billing_model, C.c.legal_name.label("c_legal"), C.c.kind.label("c_kind"), C.c.document_type,
                   C.c.document_number, C.c.primary_email, C.c.addresses, last_seq.label("last_seq"),
                   last_balance.label("last_balance"))
            .join(C, C.c.id == A.c.customer_id)
            .where(A.c.organization_id == self.org_id, bulk.among(self.session, A.c.id, account_ids))
            .order_by(A.c.id)
        )  # fmt: skip
        return {r["id"]: _account_state(r) for r in self.session.execute(statement).mappings()}

    def take_numbers(self, count: int) -> list[str]:
        """A block of the gapless series, locked until the batch commits (a rollback gives it back)."""
        series = self.session.scalars(
            select(NumberSeries).where(NumberSeries.key == "invoice").with_for_update()
        ).one_or_none()
        if series is None:
            raise NumberSeriesMissing()
        first = series.next_value
        series.next_value = first + count
        return [series.format(first + i) for i in range(count)]

    def write_batch(
        self, run: uuid.UUID, outcomes: list[Outcome], *, cursor: tuple | None, ctx: RunContext | None = None,
        before_invoices: Callable[[], None] | None = None,
    ) -> dict[str, int]:  # fmt: skip
        from persistence.repositories.billing_run_writes import write_outcomes

        counts = write_outcomes(self.session, self.org_id, run, outcomes, ctx, before_invoices)
        self._count(run, counts, cursor)
        return counts

    def record_failures(self, run: uuid.UUID, failures: list[tuple[uuid.UUID, date, str, str]]) -> None:
        if not failures:
            return
        now = utcnow()
        rows = [{"id": uuid.uuid4(), "organization_id": self.org_id, "billing_run_id": run, "subscription_id": sub,
                 "period_start": period, "code": code[:64], "reason": reason, "occurred_at": now, "resolved_at": None}
                for sub, period, code, reason in failures]  # fmt: skip
        self.session.execute(insert(BillingRunFailure.__table__), rows)
        self._count(run, {"created": 0, "skipped": 0, "failed": len(rows)}, None, batch=False)

    def set_cursor(self, run: uuid.UUID, cursor: tuple[uuid.UUID, uuid.UUID] | None) -> None:
        self.session.execute(update(BillingRun.__table__).where(BillingRun.__table__.c.id == run)
                             .values(cursor=_text(cursor), heartbeat_at=utcnow()))  # fmt: skip

    def _count(self, run: uuid.UUID, counts: dict[str, int], cursor: tuple | None, *, batch: bool = True) -> None:
        runs = BillingRun.__table__
        values: dict[str, Any] = {
            "created": runs.c.created + counts["created"], "skipped": runs.c.skipped + counts["skipped"],
            "failed": runs.c.failed + counts["failed"], "heartbeat_at": utcnow(),
        }  # fmt: skip
        if batch:
            values.update(batches=runs.c.batches + 1, cursor=_text(cursor))
        self.session.execute(
            update(runs).where(runs.c.id == run, runs.c.organization_id == self.org_id).values(**values)
        )

    def finish(self, run: uuid.UUID, *, message: str | None = None) -> BillingRun:
        found = self.get(run)
        now = utcnow()
        found.status, found.finished_at, found.cursor = RunStatus.FINISHED, now, None
        found.duration_ms = int((now - found.started_at).total_seconds() * 1000)
        found.message = message
        return found

    def get(self, run: uuid.UUID) -> BillingRun:
        found = self.session.get(BillingRun, run)
        if found is None:
            raise NotFound("Execução de faturamento", run)
        return found


def _text(cursor: tuple[uuid.UUID, uuid.UUID] | None) -> str | None:
    return f"{cursor[0]}:{cursor[1]}" if cursor else None


def _account_state(r: Any) -> AccountState:
    address = dict(r["billing_address"] or {})
    addresses = [a for a in (r["addresses"] or []) if isinstance(a, dict)]
    if not address and addresses:
        address = dict(([a for a in addresses if a.get("kind") == "billing"] or addresses)[0])
    payer, problem = None, None
    try:
        payer = PayerProfile(
            customer_tax_type=r["customer_tax_type"], withhold_ir=r["withhold_ir"], withhold_csrf=r["withhold_csrf"],
            withhold_inss=r["withhold_inss"], withhold_iss=r["withhold_iss"],
            iss_rate=Decimal(r["iss_rate"]) if r["iss_rate"] is not None else None,
            iss_municipality_ibge=r["iss_municipality_code"],
        )  # fmt: skip
    except (TypeError, ValueError) as error:
        problem = str(error)
    return AccountState(
        id=r["id"], customer_id=r["customer_id"], name=r["name"], status=str(r["status"]),
        deleted=r["deleted_at"] is not None, currency=r["currency"], payment_terms_days=r["payment_terms_days"],
        has_payment_method=bool(r["auto_collection"]), payer=payer, payer_problem=problem,
        municipality_code=r["iss_municipality_code"] or address.get("ibge_code"),
        balance_cents=r["balance_cents"], allowed_negative_balance_cents=r["allowed_negative_balance_cents"],
        last_sequence=r["last_seq"], last_balance_after=r["last_balance"], customer_name=r["c_name"],
        customer_status=str(r["c_status"]), customer_deleted=r["c_deleted"] is not None,
        prepaid=str(r["billing_model"]) == BillingModel.PREPAID.value,
        snapshot_customer={"name": r["c_name"], "legal_name": r["c_legal"], "kind": str(r["c_kind"]),
                           "document_type": r["document_type"], "document_number": r["document_number"],
                           "email": r["primary_email"]},
        snapshot_account={"name": r["name"], "email": r["billing_email"] or r["email"], "tax_id": r["tax_id"],
                          "tax_id_type": r["tax_id_type"], "address": address,
                          "payment_method": str(r["payment_method"])},
    )  # fmt: skip
