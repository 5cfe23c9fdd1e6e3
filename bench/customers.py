"""customers: the Clientes grid over 1,000,000 customers on PostgreSQL, timed server-side (query + row mapping).

Pages: first page, a deep keyset page (half-way through the table), four filter combinations with sorting, and the
quick search by document (masked) and by name prefix: each ≤ 50 ms p95. Counts: ≤ 300 ms (exact when the database
answers in time, the planner's estimate when it expects more than 20,000 rows or counting runs out of time; how many
were estimates is printed as its own figure).
"""

from __future__ import annotations

import time

from sqlalchemy import select

from bench.common import p95_ms, report, seeded_database
from domain.access.permissions import Actor
from domain.customers.model import Customer
from domain.documents.tax_ids import mask_document
from persistence.database import open_session
from persistence.queries.common import encode_cursor
from persistence.queries.customers import CustomerFilter, count_customers, list_customers

PAGE_TARGET_MS, COUNT_TARGET_MS = 50, 300
FILTERS = {
    "filter_suspended_by_name": (CustomerFilter(status="suspended"), "name", False),
    "filter_sp_companies_by_balance": (CustomerFilter(uf="SP", kind="juridical"), "balance", False),
    "filter_vip_debtors_by_mrr_desc": (CustomerFilter(tag="vip", balance="debtor"), "mrr", True),
    "filter_am_churned_by_name": (CustomerFilter(uf="AM", status="churned"), "name", False),  # 0.1% of the rows
}
NAME_PREFIX = "Horizonte Tec"


def run() -> None:
    with seeded_database() as url:
        actor = _demo_actor(url)
        everyone = CustomerFilter()
        pages = {
            "first_page": lambda: list_customers(actor, everyone),
            "deep_keyset_page": _deep_page(actor, url),
            **{name: (lambda f=f, s=s, d=d: list_customers(actor, f, sort=s, descending=d))
               for name, (f, s, d) in FILTERS.items()},
            "search_document_masked": lambda: list_customers(actor, CustomerFilter(search=_document(url))),
            "search_name_prefix": lambda: list_customers(actor, CustomerFilter(search=NAME_PREFIX)),
        }  # fmt: skip
        for figure, fn in pages.items():
            assert fn().rows, f"{figure} returned no rows"
            report("customers", f"{figure}_ms", p95_ms(fn), "ms", "≤", PAGE_TARGET_MS)
        estimates = 0
        counts = {"count_all": everyone, **{f"count_{k}": v[0] for k, v in FILTERS.items()},
                  "count_search_name_prefix": CustomerFilter(search=NAME_PREFIX)}  # fmt: skip
        for name, filters in counts.items():
            started = time.perf_counter()
            count = count_customers(actor, filters)
            report("customers", f"{name}_ms", (time.perf_counter() - started) * 1000, "ms", "≤", COUNT_TARGET_MS)
            estimates += count.is_estimate
        report("customers", "counts_shown_as_estimate", estimates, "count", "≤", len(counts))


def _demo_actor(url: str) -> Actor:
    with open_session(Actor.system("bench"), url) as session:
        org_id = session.scalar(select(Customer.organization_id).limit(1))
    return Actor.system("bench", org_id)


def _deep_page(actor: Actor, url: str):  # type: ignore[no-untyped-def]
    """The cursor an operator would hold after paging half-way through the table by name (found once, untimed)."""
    with open_session(actor, url) as session:
        row = session.execute(
            select(Customer.search_name, Customer.id).where(Customer.deleted_at.is_(None))
            .order_by(Customer.search_name, Customer.id).offset(500_000).limit(1)
        ).one()  # fmt: skip
    cursor = encode_cursor([row.search_name, str(row.id)])
    return lambda: list_customers(actor, CustomerFilter(), cursor=cursor)


def _document(url: str) -> str:
    """A real customer's CNPJ, typed with its mask, as an operator pastes it."""
    with open_session(Actor.system("bench"), url) as session:
        row = session.execute(
            select(Customer.document_type, Customer.document_number).where(Customer.document_type == "cnpj").limit(1)
        ).one()
    return mask_document(row.document_type, row.document_number)
