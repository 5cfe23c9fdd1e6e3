"""What every benchmark shares: its own PostgreSQL database, timing, peak memory and the figure line format."""

from __future__ import annotations

import os
import resource
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg

from persistence import database, migrate

SERVER = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SEED_TEMPLATE = "fatura_bench_seed_1m"  # kept between runs so other benchmarks start from a seeded copy


def report(bench: str, figure: str, value: float, unit: str, op: str, target: float) -> bool:
    ok = value <= target if op == "≤" else value >= target
    shown = f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    print(f"{bench}.{figure}: {shown} {unit} (target {op} {target:g} {unit}) {'ok' if ok else 'MISS'}", flush=True)
    return ok


def _server_url(name: str) -> str:
    base = SERVER.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+psycopg://{base}/{name}"


def _admin() -> psycopg.Connection:
    return psycopg.connect(SERVER, autocommit=True)


@contextmanager
def fresh_database(template: str | None = None) -> Iterator[str]:
    """A new database (migrated, or copied from a template), dropped afterwards."""
    name = f"fatura_bench_{uuid.uuid4().hex[:10]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = _server_url(name)
    try:
        migrate.upgrade(url)  # a template copy may predate newer migrations
        database.configure(url)
        yield url
    finally:
        database.dispose_all()
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def template_exists(name: str = SEED_TEMPLATE) -> bool:
    with _admin() as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def save_as_template(url: str, name: str = SEED_TEMPLATE) -> None:
    """Keep a seeded database for the other benchmarks (CREATE DATABASE ... TEMPLATE copies it in seconds)."""
    database.dispose_all()
    source = url.rsplit("/", 1)[1]
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')


@contextmanager
def seeded_database(customers: int = 1_000_000) -> Iterator[str]:
    """A copy of the 1M-customer demo database, seeding the template first when it is missing."""
    if not template_exists():
        from persistence.seed import seed_demo

        with fresh_database() as url:
            seed_demo(url, slug="demo", customers=customers)
            with psycopg.connect(url.replace("+psycopg", "")) as connection:
                connection.execute("ANALYZE")
            save_as_template(url)
    with fresh_database(template=SEED_TEMPLATE) as url:
        yield url


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def p95_ms(fn: Callable[[], object], runs: int = 20) -> float:
    fn()  # warm caches and plans once
    samples = sorted(timed(fn) * 1000 for _ in range(runs))
    return samples[max(0, round(0.95 * len(samples)) - 1)]


def median_ms(fn: Callable[[], object], runs: int = 20) -> float:
    fn()
    return statistics.median(timed(fn) * 1000 for _ in range(runs))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
