"""billing_run: the daily billing run on PostgreSQL over 100,000 due subscriptions of 20,000 billing accounts with
mixed tax profiles → invoices with lines, totals, withholdings, statement debits and advanced periods.

In the same process it times the floor: one plain set-based INSERT…SELECT of the same invoice rows (copied from what
the run wrote, into the same table with its indexes, rolled back), and prints both and the ratio. Then an immediate
re-run, which must create nothing. Targets: ≥ 5,000 invoices/s (≤ 20 s), ≤ 4× the floor, re-run ≤ 2 s.
"""

from __future__ import annotations

import os
import time
from datetime import date

import psycopg

from bench.common import fresh_database, report
from domain.access.permissions import Actor
from domain.billing_runs.services import run_billing
from persistence.unit_of_work import SqlUnitOfWork

ACCOUNTS = int(os.environ.get("BENCH_BILLING_ACCOUNTS", "20000"))  # smaller for profiling only
PER_ACCOUNT = 5  # 100,000 subscriptions
RUN_DATE = date(2026, 11, 1)


def run() -> None:
    with fresh_database() as url:
        org_id = _seed(url)
        actor = Actor.system("faturamento", org_id)
        started = time.perf_counter()
        summary = run_billing(lambda: SqlUnitOfWork(actor), run_date=RUN_DATE, trigger="bench")
        seconds = time.perf_counter() - started
        assert summary.failed == 0, summary.as_dict()
        invoices = summary.created
        floor, floor_all = _floor(url)
        started = time.perf_counter()
        again = run_billing(lambda: SqlUnitOfWork(actor), run_date=RUN_DATE, trigger="bench")
        rerun = time.perf_counter() - started
        _check(url, invoices)
        report("billing_run", "invoices_created", invoices, "invoices", "≥", ACCOUNTS * PER_ACCOUNT)
        report("billing_run", "run_seconds", seconds, "s", "≤", 20)
        report("billing_run", "invoices_per_second", invoices / seconds, "invoices/s", "≥", 5000)
        report("billing_run", "floor_insert_select_seconds", floor, "s", "≤", seconds)
        report("billing_run", "ratio_to_floor", seconds / floor, "×", "≤", 4)
        # What the same rows cost written by plain SQL into every table the run writes (invoices, lines, statement,
        # audit, periods, balances): the physical floor of any implementation, for reading the ratio above.
        report("billing_run", "floor_all_tables_seconds", floor_all, "s", "≤", seconds)
        report("billing_run", "ratio_to_all_tables_floor", seconds / floor_all, "×", "≤", 2)
        report("billing_run", "rerun_seconds", rerun, "s", "≤", 2)
        report("billing_run", "rerun_invoices_created", again.created, "invoices", "≤", 0)


def _seed(url: str):  # type: ignore[no-untyped-def]
    from persistence.seed import _bulk_customers
    from tests.support.billing_factories import service_id
    from tests.support.factories import make_organization
    from tests.support.subscription_factories import make_plan

    org = make_organization("bench")
    admin = Actor.system("bench", org.id)
    plans = [make_plan(admin, "Consultoria", "1500.00", service="consultoria"),
             make_plan(admin, "Licença Básica", "99.00", service="software"),
             make_plan(admin, "Licença Empresarial", "499.00", service="software"),
             make_plan(admin, "Suporte", "890.00", service="suporte"),
             make_plan(admin, "Desenvolvimento", "3200.00", service="desenvolvimento")]  # fmt: skip
    service_id(admin)
    _bulk_customers(url, org.id, start=0, count=ACCOUNTS, phases={})
    plan_ids = "ARRAY[" + ", ".join(f"'{p.id}'::uuid" for p in plans) + "]"
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        connection.execute("UPDATE customer SET status = 'active', deleted_at = NULL, billing_model = 'postpaid', "
                           "balance_cents = 0, mrr_cents = 0, open_invoices_count = 0")  # fmt: skip
        # Mixed tax profiles: the five payer types, with and without each withholding, some withholding ISS.
        connection.execute(
            "WITH n AS (SELECT id, row_number() OVER (ORDER BY id) AS k FROM billing_account) "
            "UPDATE billing_account a SET status = 'active', deleted_at = NULL, currency = 'BRL', balance_cents = 0, "
            "mrr_amount_cents = 0, auto_collection = true, payment_terms_days = 10 + (n.k % 3) * 5, "
            "customer_tax_type = (ARRAY['lucro_real','lucro_presumido','simples_optante','pessoa_fisica','exempt'])"
            "[1 + n.k % 5], withhold_ir = n.k % 2 = 0, withhold_csrf = n.k % 3 = 0, withhold_inss = false, "
            "withhold_iss = n.k % 7 = 0, iss_rate = CASE WHEN n.k % 7 = 0 THEN 0.05 END, "
            "iss_municipality_code = CASE WHEN n.k % 7 = 0 THEN '3550308' END FROM n WHERE a.id = n.id"
        )
        connection.execute(
            "INSERT INTO subscription (id, organization_id, customer_id, billing_account_id, plan_id, status, "
            "quantity, started_on, billing_anchor, current_period_start, current_period_end, trial_end, "
            "cancel_at_period_end, "
            "canceled_at, canceled_on, cancel_reason, mrr_cents, created_at, updated_at) "
            f"SELECT gen_random_uuid(), a.organization_id, a.customer_id, a.id, ({plan_ids})[1 + (g + a.k) % 5], "
            "'active', 1 + (a.k % 3), DATE '2026-10-01', DATE '2026-10-01', DATE '2026-10-01', DATE '2026-11-01', "
            "NULL, false, NULL, NULL, NULL, 0, now(), now() "
            "FROM (SELECT id, organization_id, customer_id, row_number() OVER (ORDER BY id) AS k FROM billing_account "
            f"ORDER BY id LIMIT {ACCOUNTS}) a CROSS JOIN generate_series(1, {PER_ACCOUNT}) AS g"
        )  # fmt: skip
        connection.execute("DELETE FROM billing_account WHERE id NOT IN (SELECT billing_account_id FROM subscription)")
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        connection.execute("CHECKPOINT")  # the seed's dirty pages are not the run's to write
    return org.id


def _floor(url: str) -> tuple[float, float]:
    """The same invoice rows again through one INSERT…SELECT (new ids and periods, numbers cleared), rolled back; then
    the same for every table the run writes."""
    from domain.invoices.model import Invoice

    columns = [c.name for c in Invoice.__table__.columns if c.name not in ("id", "number", "period_start")]
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        started = time.perf_counter()
        connection.execute(
            f"INSERT INTO invoice (id, number, period_start, {', '.join(columns)}) "
            f"SELECT gen_random_uuid(), NULL, period_start + 3650, {', '.join(columns)} FROM invoice"
        )
        invoices = time.perf_counter() - started
        for statement in ALL_TABLES:
            connection.execute(statement)
        everything = time.perf_counter() - started
        connection.rollback()
    return invoices, everything


ALL_TABLES = [
    "INSERT INTO invoice_line (id, invoice_id, position, type, source, description, quantity, unit_amount_cents, "
    "amount_cents, period_start, period_end, service_item_id, service_code, service_description, details, "
    "organization_id) SELECT gen_random_uuid(), invoice_id, position + 1, type, source, description, quantity, "
    "unit_amount_cents, amount_cents, period_start, period_end, service_item_id, service_code, service_description, "
    "details, organization_id FROM invoice_line",
    "INSERT INTO statement_item (id, organization_id, billing_account_id, customer_id, sequence, kind, amount_cents, "
    "currency, balance_after_cents, description, invoice_id, payment_id, occurred_on, created_at) SELECT "
    "gen_random_uuid(), organization_id, billing_account_id, customer_id, sequence + 1000, kind, amount_cents, "
    "currency, balance_after_cents, description, invoice_id, payment_id, occurred_on, created_at FROM statement_item",
    "INSERT INTO audit_event (id, organization_id, occurred_at, actor_kind, actor_id, actor_name, action, entity_type, "
    "entity_id, root_id, changes, reason) SELECT gen_random_uuid(), organization_id, occurred_at, actor_kind, "
    "actor_id, actor_name, action, entity_type, entity_id, root_id, changes, reason FROM audit_event "
    "WHERE action = 'invoice.created'",
    "UPDATE subscription SET current_period_start = current_period_end, "
    "current_period_end = current_period_end + 31, updated_at = now()",
    "UPDATE billing_account SET balance_cents = balance_cents - 1",
    "UPDATE customer SET balance_cents = balance_cents - 1, open_invoices_count = open_invoices_count + 1 "
    "WHERE id IN (SELECT customer_id FROM billing_account)",
]


def _check(url: str, invoices: int) -> None:
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        row = connection.execute(
            "SELECT count(*), count(DISTINCT (subscription_id, period_start)),"
            " count(*) FILTER (WHERE withheld_cents > 0), (SELECT count(*) FROM invoice_line),"
            " (SELECT count(*) FROM statement_item),"
            " (SELECT count(*) FROM subscription WHERE current_period_end = DATE '2026-12-01') FROM invoice"
        ).fetchone()  # fmt: skip
    assert row is not None and row[0] == row[1] == invoices == row[5], row
    print(f"billing_run: {row[0]} invoices ({row[2]} with withholdings), {row[3]} lines, {row[4]} statement items",
          flush=True)  # fmt: skip
