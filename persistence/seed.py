"""Demo data: the 'demo' organization, its operators, and up to 1,000,000 customers with billing accounts.

Customers and accounts are written set-based: PostgreSQL COPY, SQLite batched executemany. One ORM add per row
would take minutes for a million; this takes seconds. One audit event records the whole seeding.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from domain.access import passwords
from domain.access import services as access
from domain.access.permissions import Actor
from domain.billing_accounts.model import BillingAccount
from domain.customers.model import Customer
from domain.documents.tax_ids import generate_cnpj
from domain.organizations import services as organizations
from domain.organizations.model import TaxRegime
from persistence import seed_rows
from persistence.database import get_engine, is_sqlite
from persistence.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class SeedResult:
    customers: int
    accounts: int
    admin_email: str
    admin_password: str | None  # only when this run created the admin


def ensure_demo(database_url: str, customers: int = 300) -> SeedResult | None:
    """First start of the embedded app: create the demo organization once; later starts change nothing."""
    with SqlUnitOfWork(Actor.system("seed"), database_url=database_url) as uow:
        if uow.organizations.find_by_slug("demo") is not None:
            return None
    return seed_demo(database_url, slug="demo", customers=customers)


def seed_demo(database_url: str, *, slug: str, customers: int) -> SeedResult:
    system = Actor.system("seed")
    with SqlUnitOfWork(system, database_url=database_url) as uow:
        org = uow.organizations.find_by_slug(slug)
    if org is None:
        org = organizations.create_organization(
            SqlUnitOfWork(system, database_url=database_url), slug=slug, legal_name="Demonstração Serviços Ltda",
            trade_name="Fatura Demo", cnpj=generate_cnpj(4242), tax_regime=TaxRegime.LUCRO_PRESUMIDO,
            municipal_registration="1234567",
        )  # fmt: skip
    admin_email, admin_password = f"admin@{slug}.fatura.com.br", None
    scoped = Actor.system("seed", org.id)
    with SqlUnitOfWork(scoped, database_url=database_url) as uow:
        has_admin = uow.operators.find_by_email(admin_email) is not None
        existing = uow.session.scalar(select(func.count()).select_from(Customer)) or 0
    if not has_admin:
        admin_password = passwords.random_password()
        _operators(database_url, scoped, slug, admin_email, admin_password)
    made_customers, made_accounts = _bulk_customers(database_url, org.id, start=existing, count=customers)
    with SqlUnitOfWork(scoped, database_url=database_url) as uow:
        uow.record_event(action="demo.seeded", entity_type="organization", entity_id=org.id,
                         changes={"customers": [existing, existing + made_customers]})  # fmt: skip
        uow.commit()
    return SeedResult(made_customers, made_accounts, admin_email, admin_password)


def _operators(database_url: str, actor: Actor, slug: str, admin_email: str, admin_password: str) -> None:
    people = [
        (admin_email, "Administradora Demo", "admin", admin_password),
        (f"gestora@{slug}.fatura.com.br", "Gestora Financeira", "finance_manager", passwords.random_password()),
        (f"operador@{slug}.fatura.com.br", "Operador Financeiro", "finance_operator", passwords.random_password()),
        (f"auditoria@{slug}.fatura.com.br", "Auditoria Externa", "auditor", passwords.random_password()),
    ]
    for email, name, role, password in people:
        access.create_operator(SqlUnitOfWork(actor, database_url=database_url), email=email, name=name,
                               role_name=role, password=password)  # fmt: skip


def _bulk_customers(database_url: str, org_id: Any, *, start: int, count: int) -> tuple[int, int]:
    if count <= 0:
        return 0, 0
    postgres = not is_sqlite(database_url)
    made_customers = made_accounts = 0
    batches = seed_rows.generate(org_id.hex, start, count, postgres=postgres)
    if not postgres:
        for customers, accounts in batches:
            _insert(database_url, customers, accounts)
            made_customers, made_accounts = made_customers + len(customers), made_accounts + len(accounts)
        return made_customers, made_accounts
    with _indexes_deferred(database_url, enabled=start == 0 and count >= 100_000):
        return _copy_pipelined(database_url, batches)


def _copy_pipelined(database_url: str, batches: Iterator[tuple[list, list]]) -> tuple[int, int]:
    """Generate the next batch while the previous one streams into PostgreSQL: two cores, both busy."""
    pending: queue.Queue = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def writer() -> None:
        while (batch := pending.get()) is not None:
            if not failure:
                try:
                    _copy(database_url, *batch)
                except BaseException as error:  # surfaced in the caller's thread below
                    failure.append(error)

    thread = threading.Thread(target=writer, name="seed-copy")
    thread.start()
    made_customers = made_accounts = 0
    try:
        for customers, accounts in batches:
            if failure:
                break
            pending.put((customers, accounts))
            made_customers, made_accounts = made_customers + len(customers), made_accounts + len(accounts)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        raise failure[0]
    return made_customers, made_accounts


@contextmanager
def _indexes_deferred(database_url: str, *, enabled: bool) -> Iterator[None]:
    """Loading a large empty table, build its secondary indexes once at the end instead of row by row (5x faster).

    Only for an empty table: a live one keeps its indexes. Unique indexes are rebuilt too, so a duplicate would
    still fail the seed, just at the end."""
    tables = (Customer.__table__, BillingAccount.__table__)
    indexes = [index for table in tables for index in table.indexes] if enabled else []
    engine = get_engine(database_url)
    if indexes:
        with engine.begin() as connection:
            for index in indexes:
                index.drop(connection)
    try:
        yield
    finally:
        if indexes:
            with engine.begin() as connection:
                connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
                for index in indexes:
                    index.create(connection)


def _insert(database_url: str, customers: list[tuple], accounts: list[tuple]) -> None:
    """SQLite: the driver's executemany on ready tuples, one transaction per batch."""
    raw = get_engine(database_url).raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        for table, columns, rows in (("customer", seed_rows.CUSTOMER_COLUMNS, customers),
                                     ("billing_account", seed_rows.ACCOUNT_COLUMNS, accounts)):  # fmt: skip
            marks = ", ".join("?" * (columns.count(",") + 1))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        cursor.execute("COMMIT")
    finally:
        raw.close()


def _copy(database_url: str, customers: list[str], accounts: list[str]) -> None:
    """PostgreSQL: COPY FROM STDIN in text format, a batch of ready lines at a time."""
    raw = get_engine(database_url).raw_connection()
    try:
        with raw.cursor() as cursor:
            for table, columns, lines in (("customer", seed_rows.CUSTOMER_COLUMNS, customers),
                                          ("billing_account", seed_rows.ACCOUNT_COLUMNS, accounts)):  # fmt: skip
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write("".join(lines))
        raw.commit()
    finally:
        raw.close()
