"""Builders for the rows most tests start from, through the real use cases (so they are audited like any other)."""

from __future__ import annotations

import itertools

from domain.access import services as access
from domain.access.permissions import Actor
from domain.organizations import services as organizations
from domain.organizations.model import Organization, TaxRegime
from persistence.unit_of_work import SqlUnitOfWork

PASSWORD = "senha-forte-123"
_counter = itertools.count(1)


def make_organization(slug: str | None = None, regime: TaxRegime = TaxRegime.LUCRO_PRESUMIDO) -> Organization:
    slug = slug or f"org-{next(_counter)}"
    return organizations.create_organization(
        SqlUnitOfWork(Actor.system("teste")), slug=slug, legal_name=f"{slug.title()} Serviços Ltda", tax_regime=regime
    )


def make_operator(org: Organization, role: str = "admin", email: str | None = None, name: str | None = None) -> Actor:
    """A signed-in-able operator of `org` with `role`; returns the actor it acts as."""
    email = email or f"{role}.{next(_counter)}@{org.slug}.com.br"
    operator = access.create_operator(
        SqlUnitOfWork(Actor.system("teste", org.id)), email=email, name=name or role.replace("_", " ").title(),
        role_name=role, password=PASSWORD,
    )  # fmt: skip
    return operator.actor()
