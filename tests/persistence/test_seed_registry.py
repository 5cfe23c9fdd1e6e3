"""The demo organization gets custom fields and portal users in every state; seeding again changes nothing."""

from __future__ import annotations

from collections import Counter

from persistence.database import default_url
from persistence.queries import customer_page
from persistence.seed_registry import seed_registry
from tests.support.registry_factories import make_customer


def test_the_demo_gets_portal_users_in_each_state_once(org, admin) -> None:  # type: ignore[no-untyped-def]
    customers = [make_customer(admin, accounts=1) for _ in range(8)]
    assert seed_registry(default_url(), slug="acme", portal_users=8) == 8
    assert seed_registry(default_url(), slug="acme", portal_users=8) == 0
    users = [u for c in customers for u in customer_page.portal_users(admin, c.id)]
    states = Counter(u.status for u in users)
    assert (states["active"], states["pending_invitation"], states["suspended"]) == (5, 2, 1)
    assert sum(1 for u in users if u.locked_until) == 1
    assert [f.key for f in customer_page.custom_fields(admin)] == ["centro_custo", "gerente_conta", "limite_credito"]
