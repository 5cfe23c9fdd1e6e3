"""Demo invoices: every state, payments, a balanced statement; seeding twice creates nothing more."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from domain.billing_accounts.model import BillingAccount
from domain.invoices.model import Invoice
from domain.statements.model import StatementItem
from persistence.seed_invoices import seed_invoices
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.billing_factories import make_account


def test_the_demo_has_invoices_in_every_state_and_balanced_statements(org, admin, database_url) -> None:  # type: ignore[no-untyped-def]
    make_account(org, customer_tax_type="public_body", withhold_ir=True)  # refused by the engine: skipped
    for n in range(14):
        make_account(org, withhold_ir=n % 2 == 0, withhold_csrf=n % 2 == 0, balance_cents=-n * 1000)
    assert seed_invoices(database_url, org.id) == 12
    assert seed_invoices(database_url, org.id) == 0
    with SqlUnitOfWork(admin) as uow:
        states = Counter(str(s) for s in uow.session.scalars(select(Invoice.status)))
        assert states == {"draft": 3, "open": 5, "paid": 2, "void": 1, "uncollectible": 1}
        for account in uow.session.scalars(select(BillingAccount)):
            items, total = uow.session.execute(
                select(func.count(), func.coalesce(func.sum(StatementItem.amount_cents), 0)).where(
                    StatementItem.billing_account_id == account.id
                )
            ).one()
            if items:  # accounts that moved: the balance is the sum of the statement (opening item included)
                assert total == account.balance_cents
