"""Duplicate suggestions: same CNPJ root, same e-mail, or a similar name in the same city; the newer is the source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.documents.tax_ids import generate_cnpj
from persistence.queries.merges import suggest_duplicates
from tests.support.segment_factories import make_customer

EARLIER = datetime.now(UTC) - timedelta(days=30)


def pairs(actor) -> dict[tuple[str, str], list[str]]:  # type: ignore[no-untyped-def]
    return {(s.source.name, s.target.name): s.reasons for s in suggest_duplicates(actor)}


def test_each_kind_of_resemblance_is_suggested_with_the_newer_customer_as_the_source(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_customer(org, "Atlântico Logística S.A.", document=generate_cnpj(77, branch=1), created_at=EARLIER,
                  city="Santos", uf="SP")  # fmt: skip
    make_customer(org, "Atlântico Filial Campinas", document=generate_cnpj(77, branch=2), city="Campinas", uf="SP")
    make_customer(org, "Mercado Boa Vista", email="dono@boavista.com.br", created_at=EARLIER, city="Recife", uf="PE")
    make_customer(org, "Boa Vista Comércio", email="dono@boavista.com.br", city="Olinda", uf="PE")
    make_customer(org, "Padaria Pão Quente", city="São Paulo", uf="SP", created_at=EARLIER)
    make_customer(org, "Padaria Pao Quente Ltda", city="São Paulo", uf="SP")
    make_customer(org, "Padaria Pão Quente", city="Curitiba", uf="PR")  # same name, another city
    make_customer(org, "Oficina Souza", city="São Paulo", uf="SP")

    found = pairs(admin)
    assert found[("Atlântico Filial Campinas", "Atlântico Logística S.A.")] == ["document"]
    assert found[("Boa Vista Comércio", "Mercado Boa Vista")] == ["email"]
    assert found[("Padaria Pao Quente Ltda", "Padaria Pão Quente")] == ["name"]
    assert len(found) == 3


def test_deleted_customers_are_never_suggested(org, admin) -> None:  # type: ignore[no-untyped-def]
    make_customer(org, "Padaria Pão Quente", email="a@padaria.com.br", deleted_at=datetime.now(UTC))
    make_customer(org, "Padaria Pão Quente Ltda", email="a@padaria.com.br")
    assert pairs(admin) == {}
