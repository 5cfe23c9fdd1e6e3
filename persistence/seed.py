"""Demo data: the 'demo' organization, its operators, and up to 1,000,000 customers with billing accounts.

Customers and accounts are written set-based: PostgreSQL COPY, SQLite batched executemany. One ORM add per row
would take minutes for a million; this takes seconds. One audit event records the whole seeding.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.schema import AddConstraint, DropConstraint

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
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase, for the benchmark


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
    phases: dict[str, float] = {}
    made_customers, made_accounts = _bulk_customers(database_url, org.id, start=existing, count=customers,
                                                    phases=phases)  # fmt: skip
    with SqlUnitOfWork(scoped, database_url=database_url) as uow:
        uow.record_event(action="demo.seeded", entity_type="organization", entity_id=org.id,
                         changes={"customers": [existing, existing + made_customers]})  # fmt: skip
        uow.commit()
    _area_demo_data(database_url, slug, org.id, phases)
    return SeedResult(made_customers, made_accounts, admin_email, admin_password, phases)


def _area_demo_data(database_url: str, slug: str, org_id: Any, phases: dict[str, float]) -> None:
    """Each area's own demo rows (portal users, custom fields, invoices in every state); each is re-run safe."""
    from persistence.seed_communications import seed_communications
    from persistence.seed_invoices import seed_invoices
    from persistence.seed_registry import seed_registry
    from persistence.seed_segments import seed_segment_demo
    from persistence.seed_subscriptions import seed_subscriptions

    hooks = {
        "registry": lambda: seed_registry(database_url, slug=slug),
        "invoices": lambda: seed_invoices(database_url, org_id),
        "segments": lambda: seed_segment_demo(database_url, slug=slug),
        "communications": lambda: seed_communications(database_url, org_id),
        "subscriptions": lambda: seed_subscriptions(database_url, org_id),
    }
    for name, hook in hooks.items():
        started = time.perf_counter()
        hook()
        phases[f"demo_{name}"] = time.perf_counter() - started


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


def _bulk_customers(
    database_url: str, org_id: Any, *, start: int, count: int, phases: dict[str, float]
) -> tuple[int, int]:
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
    bulk = start == 0 and count >= 100_000
    if not bulk:  # foreign keys stay on: customers must be committed before their accounts arrive
        for customers, accounts in batches:
            _copy(database_url, "customer", seed_rows.CUSTOMER_COLUMNS, customers)
            _copy(database_url, "billing_account", seed_rows.ACCOUNT_COLUMNS, accounts)
            made_customers, made_accounts = made_customers + len(customers), made_accounts + len(accounts)
        return made_customers, made_accounts
    with _bulk_load_mode(database_url, enabled=True, phases=phases):
        started = time.perf_counter()
        made = _copy_pipelined(database_url, batches)
        phases["copy"] = time.perf_counter() - started
        return made


def _copy_pipelined(database_url: str, batches: Iterator[tuple[list, list]]) -> tuple[int, int]:
    """Generate the next batch while earlier ones stream into PostgreSQL, one connection per table.

    Foreign keys are off during the bulk load (see _bulk_load_mode), so customers and accounts load side by side."""
    targets = (("customer", seed_rows.CUSTOMER_COLUMNS), ("billing_account", seed_rows.ACCOUNT_COLUMNS))
    queues: list[queue.Queue] = [queue.Queue(maxsize=2) for _ in targets]
    failure: list[BaseException] = []

    def writer(table: str, columns: str, pending: queue.Queue) -> None:
        while (lines := pending.get()) is not None:
            if not failure:
                try:
                    _copy(database_url, table, columns, lines)
                except BaseException as error:  # surfaced in the caller's thread below
                    failure.append(error)

    threads = [threading.Thread(target=writer, args=(*target, q), name=f"seed-{target[0]}")
               for target, q in zip(targets, queues, strict=True)]  # fmt: skip
    for thread in threads:
        thread.start()
    made_customers = made_accounts = 0
    try:
        for customers, accounts in batches:
            if failure:
                break
            queues[0].put(customers)
            queues[1].put(accounts)
            made_customers, made_accounts = made_customers + len(customers), made_accounts + len(accounts)
    finally:
        for q in queues:
            q.put(None)
        for thread in threads:
            thread.join()
    if failure:
        raise failure[0]
    return made_customers, made_accounts


@contextmanager
def _bulk_load_mode(database_url: str, *, enabled: bool, phases: dict[str, float]) -> Iterator[None]:
    """Loading large empty tables: drop secondary indexes and foreign keys, build and validate them once at the end.

    Row-by-row index maintenance and per-row foreign-key triggers cost more than the load itself. Only for empty
    tables (a live one keeps everything); unique indexes and foreign keys are re-created, so bad rows would still
    fail the seed, at the end."""
    tables = (Customer.__table__, BillingAccount.__table__)
    indexes = [index for table in tables for index in table.indexes] if enabled else []
    foreign_keys = [fk for table in tables for fk in table.foreign_key_constraints] if enabled else []
    engine = get_engine(database_url)
    if enabled:
        with engine.begin() as connection:
            for fk in foreign_keys:
                connection.execute(DropConstraint(fk))
            for index in indexes:
                index.drop(connection)
    try:
        yield
    finally:
        if enabled:
            started = time.perf_counter()
            _create_indexes(engine, indexes)
            phases["indexes"] = time.perf_counter() - started
            started = time.perf_counter()
            with engine.begin() as connection:
                for fk in foreign_keys:
                    connection.execute(AddConstraint(fk))
                # Fresh tables have no statistics: without them the next queries (the demo hooks') plan blind.
                connection.exec_driver_sql("ANALYZE customer, billing_account")
            phases["foreign_keys_and_analyze"] = time.perf_counter() - started


INDEX_BUILDERS = 2  # one per core: more only queue on the CPU


def _build_cost(index: Any) -> int:
    """Costliest first, so the pool does not end waiting on one long GIN build started last."""
    using = index.dialect_options["postgresql"].get("using")
    if using == "gin":
        return 3 if index.dialect_options["postgresql"].get("ops") else 2  # trigram > jsonb/array
    return 1 if any(str(c.type).startswith(("VARCHAR", "TEXT")) for c in index.columns) else 0


def _create_indexes(engine: Any, indexes: list) -> None:
    """Build the indexes with a small pool of connections, costliest first; each build gets memory enough to sort
    in RAM (GIN above all builds much faster with a large maintenance_work_mem)."""
    pending: queue.Queue = queue.Queue()
    for index in sorted(indexes, key=_build_cost, reverse=True):
        pending.put(index)
    failure: list[BaseException] = []

    def builder() -> None:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET maintenance_work_mem = '1GB'")
            connection.exec_driver_sql("SET max_parallel_maintenance_workers = 0")
            connection.commit()
            while not failure:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    index.create(connection)
                    connection.commit()
                except BaseException as error:  # surfaced in the caller's thread below
                    failure.append(error)

    threads = [threading.Thread(target=builder, name=f"seed-index-{n}") for n in range(INDEX_BUILDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failure:
        raise failure[0]


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


def _copy(database_url: str, table: str, columns: str, lines: list[str]) -> None:
    """PostgreSQL: COPY FROM STDIN in text format, a batch of ready lines at a time."""
    raw = get_engine(database_url).raw_connection()
    try:
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            copy.write("".join(lines))
        raw.commit()
    finally:
        raw.close()
