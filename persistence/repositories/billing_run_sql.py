"""The billing run's invoices on PostgreSQL, written set-based: Python stages one row per invoice (ids, amounts that
depend on the account's ledger, its snapshot) and each distinct combination of values once (its totals, withholdings,
notes and lines), before the number series is locked; under the lock, INSERT…SELECT joins the numbers and writes
invoices, lines, statement debits and audit events the way the benchmark's floor does. The per-row writer
(billing_run_writes.py) stays for SQLite and the rare rows: opening statement items, carry-overs, status changes.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from domain.billing_runs.compose import Composed, Outcome, RunContext
from persistence import bulk

COMBOS, COMBO_LINES, STAGED = ("billing_run_combo", "billing_run_combo_line", "billing_run_row")
SETUP = [
    # Combinations outlive a batch (a run's 100,000 invoices share a few thousand): kept for the connection.
    f"CREATE TEMP TABLE IF NOT EXISTS {COMBOS} (id uuid PRIMARY KEY, subtotal bigint, tax bigint, irrf bigint, "
    "pis bigint, cofins bigint, csll bigint, inss bigint, iss bigint, withheld bigint, rule_version text, "
    "notes jsonb, inputs jsonb, line_count int)",
    f"CREATE TEMP TABLE IF NOT EXISTS {COMBO_LINES} (combo_id uuid, position int, type text, source text, "
    "description text, quantity numeric, unit_amount_cents bigint, amount_cents bigint, period_start date, "
    "period_end date, service_item_id uuid, service_code text, service_description text, details jsonb)",
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGED} (id uuid, subscription_id uuid, account_id uuid, customer_id uuid, "
    "combo_id uuid, status text, reason text, currency text, period_start date, period_end date, "
    "due_on date, credit bigint, total bigint, net bigint, seq bigint, balance_after bigint, new_start date, "
    "new_end date, snapshot jsonb, k int) ON COMMIT DELETE ROWS",
]
INVOICE_COLUMNS = (
    "id, customer_id, billing_account_id, status, reason, subscription_id, period_start, period_end, number, currency, "
    "issued_on, due_on, memo, finalized_at, paid_at, voided_at, void_reason, uncollectible_at, uncollectible_reason, "
    "coupon_id, manual_discount_cents, subtotal_cents, tax_cents, discount_cents, credit_applied_cents, total_cents, "
    "irrf_cents, pis_cents, cofins_cents, csll_cents, inss_cents, iss_withheld_cents, withheld_cents, "
    "net_value_cents, withholding_rule_version, withholding_on, withholding_notes, amount_paid_cents, nfse_status, "
    "nfse_number, revision, snapshot, organization_id, created_at, updated_at"
)
LINE_COLUMNS = (
    "id, invoice_id, position, type, source, description, quantity, unit_amount_cents, amount_cents, period_start, "
    "period_end, service_item_id, service_code, service_description, details, organization_id"
)


def stage_invoices(session: Session, ctx: RunContext, outcomes: list[Outcome]) -> None:
    """Everything of the INVOICE outcomes but their numbers, into the staging tables: done before the number series
    is locked, so the other worker waits for the series only while the rows are actually written."""
    if not outcomes:
        return
    cursor = bulk.driver_connection(session).cursor()
    for statement in SETUP:
        cursor.execute(statement)
    _stage_combos(session, cursor, {o.composed.combo_id: o.composed for o in outcomes if o.composed})
    # Each row's snapshot as composed (parsed here by COPY): building it in the INSERT…SELECT (the account's parties
    # || the combination's inputs) cost twice as much, and under the number series' lock.
    with cursor.copy(f"COPY {STAGED} FROM STDIN") as copy:
        for k, o in enumerate(outcomes, start=1):
            copy.write_row((*_staged(o), o.invoice["snapshot"], k))  # type: ignore[index]


# The staged rows joined with the numbers taken meanwhile: the k-th number goes to the k-th staged row.
NUMBERED = (f"(SELECT s.*, n.number FROM {STAGED} s "
            "JOIN unnest(CAST(:numbers AS text[])) WITH ORDINALITY AS n(number, k) ON n.k = s.k)")  # fmt: skip


def write_invoices(session: Session, ctx: RunContext, outcomes: list[Outcome]) -> int:
    """Invoices, their lines, their statement debits and their audit events for every INVOICE outcome, from the
    rows `stage_invoices` staged and the numbers now on the outcomes' invoices."""
    if not outcomes:
        return 0
    params: dict[str, Any] = {"org": ctx.organization_id, "now": ctx.now, "run_date": ctx.run_date,
                              "finalize": ctx.finalize,
                              "numbers": [o.invoice["number"] for o in outcomes]}  # type: ignore[index]  # fmt: skip
    inserted = session.execute(text(
        f"INSERT INTO invoice ({INVOICE_COLUMNS}) SELECT s.id, s.customer_id, s.account_id, s.status, s.reason, "
        "s.subscription_id, s.period_start, s.period_end, s.number, s.currency, "
        "CASE WHEN :finalize THEN CAST(:run_date AS date) END, s.due_on, NULL, "
        "CASE WHEN :finalize THEN CAST(:now AS timestamptz) END, "
        "CASE WHEN s.status = 'paid' THEN CAST(:now AS timestamptz) END, NULL, NULL, NULL, NULL, NULL, 0, "
        "c.subtotal, c.tax, s.credit, s.credit, s.total, c.irrf, c.pis, c.cofins, c.csll, c.inss, c.iss, c.withheld, "
        "s.net, c.rule_version, s.due_on, c.notes, 0, NULL, NULL, CASE WHEN :finalize THEN 1 ELSE 0 END, "
        f"s.snapshot, :org, :now, :now FROM {NUMBERED} s JOIN {COMBOS} c ON c.id = s.combo_id"
    ), params).rowcount  # fmt: skip
    session.execute(text(
        f"INSERT INTO invoice_line ({LINE_COLUMNS}) SELECT gen_random_uuid(), s.id, l.position, l.type, l.source, "
        "l.description, l.quantity, l.unit_amount_cents, l.amount_cents, l.period_start, l.period_end, "
        "l.service_item_id, l.service_code, l.service_description, l.details, :org "
        f"FROM {STAGED} s JOIN {COMBO_LINES} l ON l.combo_id = s.combo_id "
        f"UNION ALL SELECT gen_random_uuid(), s.id, c.line_count + 1, 'discount', 'credit', "
        "'Crédito em conta utilizado', 1, -s.credit, -s.credit, NULL, NULL, NULL, NULL, NULL, '{}'::jsonb, :org "
        f"FROM {STAGED} s JOIN {COMBOS} c ON c.id = s.combo_id WHERE s.credit > 0"
    ), params)  # fmt: skip
    session.execute(text(
        "INSERT INTO statement_item (id, organization_id, billing_account_id, customer_id, sequence, kind, "
        "amount_cents, currency, balance_after_cents, description, invoice_id, payment_id, occurred_on, created_at) "
        "SELECT gen_random_uuid(), :org, s.account_id, s.customer_id, s.seq, 'debit', -(s.net + s.credit), "
        "s.currency, s.balance_after, 'Fatura ' || s.number || ' (vencimento ' || to_char(s.due_on, 'DD/MM/YYYY') "
        f"|| ')', s.id, NULL, :run_date, :now FROM {NUMBERED} s WHERE s.seq IS NOT NULL"
    ), params)  # fmt: skip
    actor = session.info["actor"]
    session.execute(text(
        "INSERT INTO audit_event (id, organization_id, occurred_at, actor_kind, actor_id, actor_name, action, "
        "entity_type, entity_id, root_id, changes, reason) SELECT gen_random_uuid(), :org, :now, :kind, "
        "CAST(:actor_id AS uuid), :actor_name, 'invoice.created', 'invoice', s.id::text, s.customer_id::text, "
        "jsonb_build_object('number', jsonb_build_array(NULL, s.number), 'status', jsonb_build_array(NULL, s.status), "
        "'subscription_id', jsonb_build_array(NULL, s.subscription_id), "
        "'period_start', jsonb_build_array(NULL, s.period_start), 'total_cents', jsonb_build_array(NULL, s.total), "
        "'net_value_cents', jsonb_build_array(NULL, s.net), "
        "'subscription_period', jsonb_build_array(NULL, jsonb_build_array(s.new_start, s.new_end))), "
        f":reason FROM {NUMBERED} s"
    ), {**params, "kind": actor.kind, "actor_id": actor.id, "actor_name": actor.name,
        "reason": audit_reason(actor)})  # fmt: skip
    return inserted


def audit_reason(actor: Any) -> str:
    """The reason on the run's audit events (both writers): the schedule's run or one somebody started."""
    return "faturamento automático" if actor.kind == "system" else "faturamento manual"


MAX_STAGED_COMBOS = 50_000  # per pooled connection: reused across batches and runs, then started afresh


def _stage_combos(session: Session, cursor: Any, combos: dict[uuid.UUID, Composed]) -> None:
    # The combinations are kept for the connection (they outlive a batch), but a pooled connection lives for months:
    # past a bound, start afresh rather than let the temp tables grow with every run's new periods.
    info = session.connection().info
    if info.get("billing_run_combos", 0) > MAX_STAGED_COMBOS:
        cursor.execute(f"TRUNCATE {COMBOS}, {COMBO_LINES}")
        info["billing_run_combos"] = 0
    known = {row[0] for row in cursor.execute(f"SELECT id FROM {COMBOS} WHERE id = ANY(%s)", (list(combos),))}
    missing = [c for key, c in combos.items() if key not in known]
    if not missing:
        return
    info["billing_run_combos"] = info.get("billing_run_combos", 0) + len(missing)
    with cursor.copy(f"COPY {COMBOS} FROM STDIN") as copy:
        for c in missing:
            w = c.withheld
            copy.write_row((c.combo_id, c.subtotal, c.tax, w["irrf_cents"], w["pis_cents"], w["cofins_cents"],
                            w["csll_cents"], w["inss_cents"], w["iss_withheld_cents"], c.withheld_total,
                            c.rule_version, c.notes, c.inputs_json, len(c.lines)))  # fmt: skip
    with cursor.copy(f"COPY {COMBO_LINES} FROM STDIN") as copy:
        for c in missing:
            for line in c.lines:
                copy.write_row((c.combo_id, line["position"], line["type"], line["source"], line["description"],
                                line["quantity"], line["unit_amount_cents"], line["amount_cents"],
                                line["period_start"], line["period_end"], line["service_item_id"],
                                line["service_code"], line["service_description"], line["details"]))  # fmt: skip


def _staged(o: Outcome) -> tuple:
    invoice = o.invoice
    assert invoice is not None and o.composed is not None
    debit = next((item for item in o.statement if item["invoice_id"] is not None), None)
    start, end = o.new_period or (None, None)
    return (invoice["id"], invoice["subscription_id"], invoice["billing_account_id"], invoice["customer_id"],
            o.composed.combo_id, invoice["status"], invoice["reason"], invoice["currency"],
            invoice["period_start"], invoice["period_end"], invoice["due_on"], invoice["credit_applied_cents"],
            invoice["total_cents"], invoice["net_value_cents"], debit["sequence"] if debit else None,
            debit["balance_after_cents"] if debit else None, start, end)  # fmt: skip
