"""seed: `seed-demo --customers 1000000` on PostgreSQL (target ≤ 60 s); the result is kept as the others' template."""

from __future__ import annotations

import time

import psycopg

from bench.common import fresh_database, report, save_as_template
from persistence.seed import seed_demo

CUSTOMERS = 1_000_000


def run() -> None:
    with fresh_database() as url:
        started = time.perf_counter()
        result = seed_demo(url, slug="demo", customers=CUSTOMERS)
        elapsed = time.perf_counter() - started
        report("seed", "seconds_1m_customers", elapsed, "s", "≤", 60)
        report("seed", "customers_per_second", result.customers / elapsed, "rows/s", "≥", CUSTOMERS / 60)
        for phase, seconds in result.phases.items():  # where the time goes (no target of their own)
            print(f"# seed phase {phase}: {seconds:.1f} s", flush=True)
        with psycopg.connect(url.replace("+psycopg", "")) as connection:
            connection.execute("ANALYZE")
        save_as_template(url)
