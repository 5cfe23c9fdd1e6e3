"""Bulk actions change the whole selection (not only the page on screen), after a preview, one audit event per row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.audit.model import AuditEvent
from domain.billing_accounts.model import BillingAccount
from domain.customers.errors import ReasonRequired
from domain.customers.model import Customer
from domain.errors import PermissionDenied
from domain.segments import bulk
from domain.segments.errors import EmptySelection, SelectionChanged
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator
from tests.support.segment_factories import make_customer

SAO_PAULO = {"version": 1, "op": "and", "children": [{"field": "uf", "cmp": "eq", "value": "SP"}]}


@pytest.fixture
def paulistas(org):  # type: ignore[no-untyped-def]
    branches = [{"name": "Matriz"}, {"name": "Filial", "status": "closed"}]
    for n in range(5):
        make_customer(org, f"Cliente SP {n}", uf="SP", city="São Paulo", tags=["vip"] if n < 2 else [],
                      accounts=branches if n == 0 else None)  # fmt: skip
    make_customer(org, "Cliente RJ", uf="RJ", city="Rio de Janeiro")
    return org


def run_all(actor, job_id, size: int = 2) -> int:  # type: ignore[no-untyped-def]
    """What the job does, with tiny batches so that several transactions run."""
    changed, after = 0, None
    original = bulk.BATCH_SIZE
    bulk.BATCH_SIZE = size
    try:
        while True:
            done, after = bulk.run_bulk_batch(SqlUnitOfWork(actor), job_id=job_id, after_id=after)
            changed += done
            if after is None:
                return changed
    finally:
        bulk.BATCH_SIZE = original


def test_adding_a_tag_previews_then_changes_every_selected_customer_that_lacks_it(paulistas, admin) -> None:  # type: ignore[no-untyped-def]
    preview = bulk.preview_bulk_action(SqlUnitOfWork(admin), action="add_tag", tree=SAO_PAULO, params={"tag": " VIP "})
    assert (preview.rows, preview.spec.unit) == (3, "clientes")  # two already have it
    job = bulk.request_bulk_action(SqlUnitOfWork(admin), action="add_tag", tree=SAO_PAULO, params={"tag": "vip"},
                                   expected=3)  # fmt: skip
    assert run_all(admin, job.id) == 3
    with SqlUnitOfWork(admin) as uow:
        tags = dict(uow.session.execute(select(Customer.name, Customer.tags)).all())
        events = uow.session.execute(select(AuditEvent.entity_id, AuditEvent.root_id, AuditEvent.changes)
                                     .where(AuditEvent.action == "customer.tag_added")).all()  # fmt: skip
    assert all(tags[f"Cliente SP {n}"] == ["vip"] for n in range(5)) and tags["Cliente RJ"] == []
    assert len(events) == 3 and all(e.changes["tags"] == [[], ["vip"]] for e in events)
    assert all(e.root_id == e.entity_id for e in events)  # each on its customer's timeline
    assert run_all(admin, job.id) == 0  # running it again changes nothing twice


def test_removing_a_tag_keeps_the_other_tags(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_customer(org, "Com etiquetas", uf="SP", tags=["atacado", "vip", "saude"])
    job = bulk.request_bulk_action(SqlUnitOfWork(admin), action="remove_tag", tree=SAO_PAULO, params={"tag": "vip"},
                                   expected=1)  # fmt: skip
    assert run_all(admin, job.id) == 1
    with SqlUnitOfWork(admin) as uow:
        assert uow.session.scalars(select(Customer.tags)).one() == ["atacado", "saude"]


def test_suspending_accounts_records_the_reason_on_each_active_account_only(paulistas, admin) -> None:  # type: ignore[no-untyped-def]
    preview = bulk.preview_bulk_action(SqlUnitOfWork(admin), action="suspend_accounts", tree=SAO_PAULO,
                                       params={"reason": "Inadimplência"})  # fmt: skip
    assert preview.rows == 5  # the closed branch stays closed
    with pytest.raises(ReasonRequired):
        bulk.request_bulk_action(SqlUnitOfWork(admin), action="suspend_accounts", tree=SAO_PAULO,
                                 params={"reason": "  "}, expected=5)  # fmt: skip
    job = bulk.request_bulk_action(SqlUnitOfWork(admin), action="suspend_accounts", tree=SAO_PAULO,
                                   params={"reason": "Inadimplência"}, expected=5)  # fmt: skip
    assert run_all(admin, job.id) == 5
    with SqlUnitOfWork(admin) as uow:
        accounts = uow.session.execute(select(BillingAccount.status, BillingAccount.suspension_reason,
                                              BillingAccount.suspended_at)).all()  # fmt: skip
        events = uow.session.scalars(select(AuditEvent.reason).where(AuditEvent.action == "billing_account.suspended")
                                     ).all()  # fmt: skip
    statuses = sorted(str(a.status) for a in accounts)
    assert statuses == ["active", "closed"] + ["suspended"] * 5  # the RJ customer's account is untouched
    assert all(a.suspended_at is not None for a in accounts if a.status == "suspended")
    assert events == ["Inadimplência"] * 5


def test_confirming_a_preview_that_no_longer_matches_is_refused(paulistas, admin, org) -> None:  # type: ignore[no-untyped-def]
    make_customer(org, "Chegou agora", uf="SP")
    with pytest.raises(SelectionChanged) as refused:
        bulk.request_bulk_action(SqlUnitOfWork(admin), action="add_tag", tree=SAO_PAULO, params={"tag": "vip"},
                                 expected=3)  # fmt: skip
    assert "3 → 4" in refused.value.message
    with pytest.raises(EmptySelection):
        bulk.request_bulk_action(SqlUnitOfWork(admin), action="remove_tag", tree=SAO_PAULO,
                                 params={"tag": "inexistente"}, expected=0)  # fmt: skip


def test_bulk_changes_need_the_bulk_permission_exports_only_the_export_one(paulistas, org) -> None:  # type: ignore[no-untyped-def]
    operator = make_operator(org, "finance_operator")
    with pytest.raises(PermissionDenied):
        bulk.preview_bulk_action(SqlUnitOfWork(operator), action="add_tag", tree=SAO_PAULO, params={"tag": "x"})
    preview = bulk.preview_bulk_action(SqlUnitOfWork(operator), action="export_csv", tree=SAO_PAULO, params={})
    assert preview.rows == 5
