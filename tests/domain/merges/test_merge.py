"""Merging duplicates: the preview is the plan, MOVE_ALL executes exactly it, refusals leave everything as it was."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.access.permissions import Actor
from domain.audit.model import AuditEvent
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.errors import PermissionDenied
from domain.invoices.model import Invoice
from domain.merges.errors import MergeConflict, MergePreviewOutdated, MergeSelf, MergeSourceDeleted
from domain.merges.services import merge_customers, preview_merge
from domain.portal_users.model import PortalUser, PortalUserStatus
from domain.statements.model import StatementItem, StatementKind
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator
from tests.support.segment_factories import make_customer, make_invoice


@pytest.fixture
def pair(org):  # type: ignore[no-untyped-def]
    """The same bakery registered twice: by sales (older, the target) and by self sign-up (newer, the source)."""
    matriz = {"name": "Matriz", "balance_cents": -2_000, "mrr_amount_cents": 9_900}
    target = make_customer(org, "Padaria Pão Quente", city="São Paulo", uf="SP", tags=["vip"], external_id=None,
                           custom_data={"erp": "A1"}, email="compras@padaria.com.br", accounts=[matriz])  # fmt: skip
    source = make_customer(org, "Padaria Pao Quente", city="São Paulo", uf="SP", tags=["varejo", "vip"],
                           custom_data={"erp": "ZZ", "origem": "site"}, email="dono@padaria.com.br",
                           external_id="SITE-77", legal_name="Padaria Pão Quente Ltda",
                           accounts=[{"name": "Loja Centro", "balance_cents": -5_000, "mrr_amount_cents": 4_900},
                                     {"name": "Loja Sul", "payment_method": "pix"}])  # fmt: skip
    issued = make_invoice(org, source, due_on=date.today() - timedelta(days=5), number="INV-000777",
                          total_cents=5_000)  # fmt: skip
    with SqlUnitOfWork(Actor.system("teste", org.id)) as uow:
        account = uow.session.scalars(select(BillingAccount).where(BillingAccount.customer_id == source.id)).first()
        uow.add(PortalUser(organization_id=org.id, customer_id=source.id, billing_account_id=account.id,
                           email="dono@padaria.com.br", name="Dono", status=PortalUserStatus.ACTIVE))  # fmt: skip
        uow.add(StatementItem(organization_id=org.id, billing_account_id=account.id, customer_id=source.id,
                              sequence=1, kind=StatementKind.DEBIT, amount_cents=-5_000, currency="BRL",
                              balance_after_cents=-5_000, description="Fatura INV-000777", invoice_id=issued.id,
                              occurred_on=date.today()))  # fmt: skip
        uow.commit()
    return source, target, issued


def test_the_preview_shows_what_moves_what_is_kept_or_filled_and_changes_nothing(pair, admin) -> None:  # type: ignore[no-untyped-def]
    source, target, _ = pair
    plan = preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id)

    moves = {m.kind: (m.count, m.rewritten) for m in plan.moves}
    assert moves["billing_account"] == (2, True)
    assert moves["invoice"] == (1, True)
    assert moves["portal_user"] == (1, True)
    assert moves["statement_item"] == (1, False)  # the ledger follows its account, rows untouched
    assert [a.name for a in plan.source_accounts] == ["Loja Centro", "Loja Sul"]
    assert plan.invoice_statuses == {"open": 1}
    assert plan.portal_users == ["dono@padaria.com.br"]
    fields = {f.field: (f.decision, f.result) for f in plan.fields}
    assert fields["name"] == ("kept", "Padaria Pão Quente")
    assert fields["external_id"] == ("filled", "SITE-77")
    assert fields["tags"] == ("merged", ["vip", "varejo"])
    assert fields["custom_data"] == ("merged", {"erp": "A1", "origem": "site"})  # the target wins on "erp"
    assert [e["address"] for e in fields["emails"][1]] == ["compras@padaria.com.br", "dono@padaria.com.br"]
    assert plan.conflicts == [] and plan.can_execute
    assert any("Os documentos são diferentes" in w for w in plan.warnings)
    with SqlUnitOfWork(admin) as uow:
        assert uow.get(Customer, source.id, label="Cliente").deleted_at is None


def test_move_all_executes_the_plan_in_one_transaction_and_leaves_the_source_pointing_at_the_target(pair, admin):  # type: ignore[no-untyped-def]
    source, target, issued = pair
    plan = preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id)
    merge_customers(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id, fingerprint=plan.fingerprint,
                    reason="Cadastro duplicado pelo site")  # fmt: skip

    with SqlUnitOfWork(admin) as uow:
        merged, kept = uow.get(Customer, source.id, label="c"), uow.get(Customer, target.id, label="c")
        assert merged.deleted_at is not None and merged.merged_into_id == target.id
        owners = uow.session.scalars(select(BillingAccount.customer_id)).all()
        assert set(owners) == {target.id}
        assert (kept.accounts_count, kept.balance_cents, kept.mrr_cents) == (3, -7_000, 14_800)
        assert (merged.accounts_count, merged.balance_cents) == (0, 0)
        assert kept.external_id == "SITE-77" and kept.tags == ["vip", "varejo"]
        assert kept.primary_email == "compras@padaria.com.br"  # the target's contact stays the primary one
        invoice = uow.get(Invoice, issued.id, label="f")
        # Issued invoice: only the link to the customer moved; number, amounts and the printed customer did not.
        assert invoice.customer_id == target.id
        assert (invoice.number, invoice.total_cents, invoice.snapshot["customer"]["name"]) == (
            "INV-000777", 5_000, "Padaria Pao Quente")  # fmt: skip
        assert uow.session.scalars(select(PortalUser.customer_id)).one() == target.id
        item = uow.session.scalars(select(StatementItem)).one()
        assert (item.customer_id, item.amount_cents) == (source.id, -5_000)  # append-only row, on a moved account
        events = uow.session.execute(select(AuditEvent.root_id, AuditEvent.action, AuditEvent.reason)).all()
    on_target = {(a, r) for root, a, r in events if root == str(target.id)}
    on_source = {(a, r) for root, a, r in events if root == str(source.id)}
    assert ("customer.merged", "Cadastro duplicado pelo site") in on_target
    assert ("billing_account.moved", "Cadastro duplicado pelo site") in on_target
    assert ("portal_user.moved", "Cadastro duplicado pelo site") in on_target
    assert ("customer.merged_into", "Cadastro duplicado pelo site") in on_source


def test_merging_a_customer_into_itself_is_refused_with_merge_self(pair, admin) -> None:  # type: ignore[no-untyped-def]
    source, _, _ = pair
    with pytest.raises(MergeSelf) as refused:
        preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=source.id)
    assert (refused.value.code, refused.value.http_status) == ("MERGE_SELF", 422)


def test_a_source_already_merged_is_refused_with_merge_source_deleted(pair, admin) -> None:  # type: ignore[no-untyped-def]
    source, target, _ = pair
    plan = preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id)
    merge_customers(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id, fingerprint=plan.fingerprint)
    with pytest.raises(MergeSourceDeleted) as refused:
        merge_customers(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id, fingerprint=plan.fingerprint)
    assert (refused.value.code, refused.value.http_status) == ("MERGE_SOURCE_DELETED", 422)
    assert "já foi mesclado" in refused.value.message


def test_a_person_and_a_company_are_different_taxpayers_and_conflict(org, admin) -> None:  # type: ignore[no-untyped-def]
    person = make_customer(org, "João Silva", kind="natural", email="joao@silva.com.br")
    company = make_customer(org, "João Silva ME", email="joao@silva.com.br")
    plan = preview_merge(SqlUnitOfWork(admin), source_id=person.id, target_id=company.id)
    assert plan.conflicts == ["origem e destino são contribuintes diferentes (um CPF e um CNPJ)"]
    with pytest.raises(MergeConflict) as refused:
        merge_customers(SqlUnitOfWork(admin), source_id=person.id, target_id=company.id, fingerprint=plan.fingerprint)
    assert (refused.value.code, refused.value.http_status) == ("MERGE_CONFLICT", 409)
    with SqlUnitOfWork(admin) as uow:
        assert uow.get(Customer, person.id, label="c").deleted_at is None


def test_move_all_refuses_when_the_data_changed_since_the_preview(pair, admin, org) -> None:  # type: ignore[no-untyped-def]
    source, target, _ = pair
    plan = preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id)
    make_invoice(org, source, due_on=date.today())  # a new invoice the operator did not see in the preview
    with pytest.raises(MergePreviewOutdated):
        merge_customers(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id, fingerprint=plan.fingerprint)
    with SqlUnitOfWork(admin) as uow:
        assert uow.get(Customer, source.id, label="c").deleted_at is None
        assert set(uow.session.scalars(select(Invoice.customer_id))) == {source.id}


def test_merging_needs_the_merges_permission(pair, org) -> None:  # type: ignore[no-untyped-def]
    source, target, _ = pair
    operator = make_operator(org, "finance_operator")
    with pytest.raises(PermissionDenied):
        preview_merge(SqlUnitOfWork(operator), source_id=source.id, target_id=target.id)


@pytest.fixture
def subscriptions(admin):  # type: ignore[no-untyped-def]
    """The subscriptions area's table, with the two plans these tests subscribe to."""
    from domain.subscriptions.model import Subscription
    from tests.support.subscription_factories import make_plan

    plans = {name: make_plan(admin, name, "100.00") for name in ("plano-pro", "plano-basico")}
    Subscription.__table__.info["plans"] = plans  # the helper below finds them here
    yield Subscription.__table__
    Subscription.__table__.info.pop("plans", None)


def subscribe(table, org, customer, plan: str, status: str = "active", start: date = date(2026, 11, 1)):  # type: ignore[no-untyped-def]
    """A subscription row written directly (its period given), on the customer's first account."""
    from domain.base import new_id
    from persistence import database

    with database.get_engine().begin() as connection:
        account_id = connection.execute(select(BillingAccount.__table__.c.id).where(
            BillingAccount.__table__.c.customer_id == customer.id)).scalars().first()  # fmt: skip
        connection.execute(table.insert().values(
            id=new_id(), organization_id=org.id, customer_id=customer.id, billing_account_id=account_id,
            plan_id=table.info["plans"][plan].id, status=status, quantity=1, started_on=start, billing_anchor=start,
            current_period_start=start, current_period_end=start + timedelta(days=30), cancel_at_period_end=False,
            mrr_cents=0, created_at=datetime.now(UTC), updated_at=datetime.now(UTC)))  # fmt: skip


def test_overlapping_active_subscriptions_on_the_same_plan_conflict_and_others_move(subscriptions, org, admin):  # type: ignore[no-untyped-def]
    source, target = make_customer(org, "Origem Ltda"), make_customer(org, "Destino Ltda")
    subscribe(subscriptions, org, source, "plano-pro")
    subscribe(subscriptions, org, target, "plano-pro", start=date(2026, 11, 15))
    plan = preview_merge(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id)
    assert plan.conflicts == ["assinaturas ativas sobrepostas no mesmo plano (plano-pro)"]
    with pytest.raises(MergeConflict) as refused:
        merge_customers(SqlUnitOfWork(admin), source_id=source.id, target_id=target.id, fingerprint=plan.fingerprint)
    assert (refused.value.code, refused.value.http_status) == ("MERGE_CONFLICT", 409)

    other = make_customer(org, "Outra Origem Ltda")
    subscribe(subscriptions, org, other, "plano-pro", status="canceled")
    subscribe(subscriptions, org, other, "plano-basico")
    plan = preview_merge(SqlUnitOfWork(admin), source_id=other.id, target_id=target.id)
    assert plan.conflicts == [] and {m.kind: m.count for m in plan.moves}["subscription"] == 2
    merge_customers(SqlUnitOfWork(admin), source_id=other.id, target_id=target.id, fingerprint=plan.fingerprint)
    with SqlUnitOfWork(admin) as uow:
        owners = uow.session.execute(select(subscriptions.c.customer_id)).scalars().all()
    assert sorted(map(str, owners)) == sorted([str(source.id)] + [str(target.id)] * 3)
