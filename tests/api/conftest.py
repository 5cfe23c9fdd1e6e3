"""The API app (what ui/app.py mounts at /api/v1) under a TestClient, on both databases, with keys per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.routing import Mount

from api import rate_limit
from api.app import api_app
from domain.access.permissions import Actor
from domain.api_keys import services as api_keys
from domain.organizations.model import Organization
from persistence.unit_of_work import SqlUnitOfWork


@pytest.fixture(autouse=True)
def generous_rate_limit() -> Iterator[None]:
    """Each test starts with full buckets (tests of the limit install a small one)."""
    rate_limit.use(rate_limit.MemoryBucket(100_000))
    yield
    rate_limit.use(None)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    host = Starlette(routes=[Mount("/api/v1", app=api_app)])  # mounted as ui/app.py mounts it
    with TestClient(host, base_url="http://testserver/api/v1") as test_client:
        yield test_client


@pytest.fixture
def issue_key() -> Callable[..., str]:
    def issue(org: Organization, role: str = "admin", name: str = "ERP") -> str:
        return api_keys.create_api_key(SqlUnitOfWork(Actor.system("teste", org.id)), name=name, role_name=role).key

    return issue


@pytest.fixture
def key(org: Organization, issue_key: Callable[..., str]) -> str:
    return issue_key(org)


@pytest.fixture
def api(client: TestClient, key: str) -> TestClient:
    """A client that sends the admin key on every call."""
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def kobana_customer(**overrides: object) -> dict:
    """The Kobana seed's example, with a CNPJ whose check digits are right."""
    body = {
        "name": "ACME Tecnologia Ltda",
        "document_type": "cnpj",
        "document_number": "11.222.333/0001-81",
        "kind": "juridical",
        "emails": [{"kind": "work", "address": "finance@acme.com.br"}],
        "addresses": [
            {"street": "Av. Paulista", "number": "1000", "city": "São Paulo", "state": "SP", "zip_code": "01310100"}
        ],
        "billing_accounts": [
            {
                "billing_email": "finance@acme.com.br",
                "payment_terms_days": 15,
                "customer_tax_type": "simples_optante",
                "withhold_iss": False,
            }
        ],
    }
    body.update(overrides)
    return body
