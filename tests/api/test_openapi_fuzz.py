"""Property-based run of the API against its own OpenAPI (schemathesis): whatever the generated input, no 5xx, and
every answer has a documented status, content type and shape. Bounded examples keep it well under a minute."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import rate_limit
from api.app import api_app
from domain.access.permissions import Actor
from domain.api_keys import services as api_keys
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator, make_organization
from tests.support.registry_factories import make_account, make_customer

# The PDF route renders with WeasyPrint (too slow to fuzz); test_accounts_and_invoices downloads a real PDF from it.
schema = schemathesis.openapi.from_asgi("/openapi.json", api_app).exclude(path_regex=r"/pdf$")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_key(sqlite_url: str) -> Iterator[str]:
    """One organization with a customer and an account (so some generated ids hit rows), on SQLite for speed."""
    from persistence import database
    from tests.support import databases

    database.configure(sqlite_url)
    org = make_organization(f"fuzz-{uuid.uuid4().hex[:6]}")
    admin = make_operator(org)
    make_account(admin, make_customer(admin))
    yield api_keys.create_api_key(SqlUnitOfWork(Actor.system("teste", org.id)), name="fuzz", role_name="admin").key
    databases.clean(sqlite_url)


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_honours_its_openapi_document(case: schemathesis.Case, fuzz_key: str, sqlite_url: str) -> None:
    from persistence import database

    database.configure(sqlite_url)
    rate_limit.use(rate_limit.MemoryBucket(1_000_000))
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_key}"}, checks=CHECKS)
