"""Adding lines to a draft (what POST /invoices/{id}/lines does): the lines already there, the discount and the coupon
are kept, the values recomposed, and two callers adding at once on PostgreSQL both keep their lines."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import psycopg
import pytest

from domain.coupons import services as coupons
from domain.errors import ValidationFailed
from domain.invoices import services as invoices
from domain.invoices.errors import ActionNotAllowed
from domain.invoices.model import LineSource
from persistence import database
from persistence.queries import audit as audit_queries
from persistence.queries import invoices as invoice_queries
from persistence.queries.audit import AuditFilter
from persistence.unit_of_work import SqlUnitOfWork
from tests.support import databases
from tests.support.billing_factories import consulting, draft, make_account, open_invoice
from tests.support.factories import make_operator, make_organization


def manual_lines(actor, invoice_id) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    invoice = invoice_queries.invoice_detail(actor, invoice_id).invoice
    return [(line.description, line.amount_cents) for line in invoice.lines if line.source is LineSource.MANUAL]


def add(actor, invoice_id, *lines):  # type: ignore[no-untyped-def]
    return invoices.add_invoice_lines(SqlUnitOfWork(actor), invoice_id=invoice_id, lines=list(lines))


def test_added_lines_follow_the_ones_there_and_the_discount_and_coupon_stay(org, admin) -> None:  # type: ignore[no-untyped-def]
    coupons.create_coupon(SqlUnitOfWork(admin), code="parceiro10", percent_off=Decimal("0.10"))
    account = make_account(org)
    first = draft(
        admin, account, consulting(admin, "100.00", "1", description="Setup"), manual_discount_cents=1_000,
        coupon_code="PARCEIRO10", memo="Projeto X",
    )  # fmt: skip
    updated = add(admin, first.id, consulting(admin, "50.00", "2", description="Deslocamento"))
    assert manual_lines(admin, first.id) == [("Setup", 10_000), ("Deslocamento", 10_000)]
    assert updated.subtotal_cents == 20_000 and updated.coupon_id == first.coupon_id is not None
    assert updated.discount_cents == 1_000 + 2_000  # the manual discount and 10% of the new subtotal
    assert (updated.due_on, updated.memo, updated.revision) == (first.due_on, "Projeto X", first.revision + 1)
    event = audit_queries.list_events(admin, AuditFilter(action="invoice.lines_changed")).rows[0]
    assert event.entity_id == str(first.id) and len(event.changes["lines"][1]) == 2


def test_lines_are_added_to_drafts_only_and_at_least_one(org, admin) -> None:  # type: ignore[no-untyped-def]
    account = make_account(org)
    issued = open_invoice(admin, account)
    with pytest.raises(ActionNotAllowed):
        add(admin, issued.id, consulting(admin))
    with pytest.raises(ValidationFailed) as refused:
        add(admin, draft(admin, account).id)
    assert refused.value.field == "lines" and refused.value.message == "Informe ao menos um item."


@pytest.fixture
def pg(postgresql_url: str) -> Iterator[str]:
    database.configure(postgresql_url)
    yield postgresql_url
    databases.clean(postgresql_url)


def test_two_callers_adding_to_the_same_draft_at_once_both_keep_their_lines(pg: str) -> None:
    org = make_organization("acme")
    admin = make_operator(org, "admin")
    invoice_id = draft(admin, make_account(org), consulting(admin, "100.00", "1", description="Setup")).id
    lines = [consulting(admin, "10.00", "1", description=name) for name in ("Linha A", "Linha B")]
    barrier = threading.Barrier(2)

    def add_one(line):  # type: ignore[no-untyped-def]
        barrier.wait()
        return add(admin, invoice_id, line)

    # Both callers are started while another transaction holds the draft, so they meet at its lock.
    with psycopg.connect(pg.replace("+psycopg", "")) as holder, ThreadPoolExecutor(max_workers=2) as pool:
        holder.execute("SELECT id FROM invoice WHERE id = %s FOR UPDATE", (invoice_id,))
        pending = [pool.submit(add_one, line) for line in lines]
        deadline = time.monotonic() + 10
        while waiting_on_locks(holder) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_on_locks(holder) == 2
        holder.commit()
        results = [p.result(timeout=10) for p in pending]
    assert sorted(manual_lines(admin, invoice_id)[1:]) == [("Linha A", 1_000), ("Linha B", 1_000)]
    assert manual_lines(admin, invoice_id)[0] == ("Setup", 10_000)
    assert max(r.subtotal_cents for r in results) == 12_000


def waiting_on_locks(connection: psycopg.Connection) -> int:
    connection.execute("SELECT pg_stat_clear_snapshot()")  # the view is otherwise frozen for the transaction
    row = connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    ).fetchone()
    return int(row[0]) if row else 0


def test_saving_a_draft_opened_before_lines_were_added_elsewhere_is_refused_and_nothing_is_lost(org, admin) -> None:  # type: ignore[no-untyped-def]
    from domain.invoices.errors import DraftChangedMeanwhile

    account = make_account(org)
    invoice = draft(admin, account)
    opened = invoice_queries.invoice_detail(admin, invoice.id).invoice  # what the operator's editor shows
    add(admin, invoice.id, consulting(admin, "50.00", "1"))  # an integration adds a line meanwhile
    with pytest.raises(DraftChangedMeanwhile) as refused:
        invoices.update_invoice_draft(SqlUnitOfWork(admin), invoice_id=invoice.id, lines=[consulting(admin)],
                                      due_on=opened.due_on, expected_revision=opened.revision)  # fmt: skip
    assert "Recarregue a fatura" in refused.value.message
    assert len(manual_lines(admin, invoice.id)) == 2  # the line the integration added is still there
    current = invoice_queries.invoice_detail(admin, invoice.id).invoice
    saved = invoices.update_invoice_draft(SqlUnitOfWork(admin), invoice_id=invoice.id, lines=[consulting(admin)],
                                          due_on=current.due_on, expected_revision=current.revision)  # fmt: skip
    assert saved.revision == current.revision + 1
