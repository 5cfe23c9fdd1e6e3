"""The statement and the payments are append-only: corrections are new rows, never edits or deletions."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from domain.access.permissions import Actor
from domain.payments.model import Payment
from domain.payments.services import record_payment
from domain.statements.model import StatementItem
from persistence import database
from persistence.append_only import AppendOnlyViolation
from persistence.unit_of_work import SqlUnitOfWork
from tests.support import databases
from tests.support.billing_factories import ISSUED, make_account, open_invoice
from tests.support.factories import make_operator, make_organization


@pytest.fixture
def movements(org, admin):  # type: ignore[no-untyped-def]
    invoice = open_invoice(admin, make_account(org))
    record_payment(SqlUnitOfWork(admin), invoice_id=invoice.id, amount_cents=100_00, paid_on=ISSUED)
    return admin


@pytest.mark.parametrize("model", [StatementItem, Payment])
def test_the_orm_refuses_to_change_or_delete_a_ledger_row(movements, model) -> None:  # type: ignore[no-untyped-def]
    with SqlUnitOfWork(movements) as uow:
        row = uow.session.scalars(select(model).limit(1)).one()
        row.amount_cents += 1
        with pytest.raises(AppendOnlyViolation):
            uow.flush()
    with SqlUnitOfWork(movements) as uow:
        uow.session.delete(uow.session.scalars(select(model).limit(1)).one())
        with pytest.raises(AppendOnlyViolation):
            uow.flush()
    with SqlUnitOfWork(movements) as uow:
        with pytest.raises(AppendOnlyViolation):
            uow.session.execute(update(model).values(amount_cents=0))
        with pytest.raises(AppendOnlyViolation):
            uow.session.execute(delete(model))


def test_postgresql_refuses_it_to_any_sql(postgresql_url: str) -> None:
    """A trigger on PostgreSQL; SQLite relies on the ORM guard above (test cleanup empties tables with Core)."""
    database.configure(postgresql_url)
    try:
        org = make_organization("acme")
        invoice = open_invoice(make_operator(org, "admin"), make_account(org))
        record_payment(
            SqlUnitOfWork(Actor.system("teste", org.id)), invoice_id=invoice.id, amount_cents=100_00, paid_on=ISSUED
        )
        for statement in ("UPDATE statement_item SET amount_cents = 0", "DELETE FROM payment"):
            with database.get_engine(postgresql_url).connect() as connection:
                with pytest.raises(DBAPIError, match="append-only"):
                    connection.execute(text(statement))
    finally:
        databases.clean(postgresql_url)
