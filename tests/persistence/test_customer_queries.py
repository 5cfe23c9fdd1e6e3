"""The Clientes grid and the global search on SQLite and PostgreSQL: keyset pages never repeat or skip a row,
filters and sorts combine, the quick search takes documents with or without mask, names without accents, e-mails."""

from __future__ import annotations

import pytest

from domain.customers import services as customers
from persistence.queries import search as global_search
from persistence.queries.customers import CustomerFilter, count_customers, list_customers
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.factories import make_operator, make_organization
from tests.support.registry_factories import ALNUM_CNPJ, PAULISTA, make_account, make_customer, person_values

RIO = {**PAULISTA, "cep": "20040-020", "street": "Av. Rio Branco", "city": "Rio de Janeiro", "uf": "RJ",
       "ibge_code": "3304557"}  # fmt: skip


@pytest.fixture
def registry(org, admin):  # type: ignore[no-untyped-def]
    """Seven customers: companies in SP and RJ, a person, one suspended, tags, one with two accounts."""
    made = {
        "alfa": make_customer(admin, accounts=2, name="Alfa Dados", document_number=ALNUM_CNPJ, tags=["vip"]),
        "acai": make_customer(admin, accounts=1, name="Açaí do Norte", addresses=[RIO], tags=["varejo", "vip"]),
        "beta": make_customer(admin, accounts=1, name="Beta Logística", addresses=[RIO]),
        "gama": make_customer(admin, name="Gama Engenharia", document_number="11.222.333/0001-81"),
        "delta": make_customer(admin, name="Delta Serviços"),
        "ana": customers.create_customer(SqlUnitOfWork(admin), values=person_values("Ana Luíza Souza",
                                         emails=[{"address": "ana.souza@gmail.com"}])),
        "zeta": make_customer(admin, name="Zeta Comércio"),
    }  # fmt: skip
    customers.set_customer_status(SqlUnitOfWork(admin), customer_id=made["delta"].id, status="suspended",
                                  reason="Inadimplência")  # fmt: skip
    return made


def names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.name for r in page.rows]


def test_keyset_pages_cover_every_customer_once_in_every_order(admin, registry) -> None:  # type: ignore[no-untyped-def]
    for sort in ("name", "document", "created", "balance", "mrr"):
        for descending in (False, True):
            everyone = list_customers(admin, CustomerFilter(), sort=sort, descending=descending, limit=100).rows
            seen, cursor = [], None
            while True:
                page = list_customers(admin, CustomerFilter(), sort=sort, descending=descending, cursor=cursor, limit=2)
                seen += [r.id for r in page.rows]
                if page.next_cursor is None:
                    break
                cursor = page.next_cursor
            assert seen == [r.id for r in everyone] and len(seen) == 7, (sort, descending)


def test_the_name_order_ignores_accents_and_case(admin, registry) -> None:  # type: ignore[no-untyped-def]
    assert names(list_customers(admin, CustomerFilter()))[:3] == ["Açaí do Norte", "Alfa Dados", "Ana Luíza Souza"]


QUICK_SEARCHES = [
    ("12.ABC.345/01DE-35", ["Alfa Dados"]),  # alphanumeric CNPJ, masked
    ("12abc34501de35", ["Alfa Dados"]),  # unmasked, lower-case
    ("11.222.333", ["Gama Engenharia"]),  # the beginning of a masked CNPJ
    ("acai", ["Açaí do Norte"]),  # no accents
    ("ANA LUI", ["Ana Luíza Souza"]),  # name prefix, any case
    ("ana.souza@gmail.com", ["Ana Luíza Souza"]),  # e-mail
    ("ana.souza", ["Ana Luíza Souza"]),  # the start of an e-mail
]


def test_the_quick_search_finds_by_document_name_or_email(admin, registry) -> None:  # type: ignore[no-untyped-def]
    for typed, expected in QUICK_SEARCHES:
        assert names(list_customers(admin, CustomerFilter(search=typed))) == expected, typed


def test_an_accounts_email_finds_its_customer(admin, registry) -> None:  # type: ignore[no-untyped-def]
    make_account(admin, registry["zeta"], "Filial Sul", email="sul@zeta.com.br")
    assert names(list_customers(admin, CustomerFilter(search="sul@zeta"))) == ["Zeta Comércio"]


def test_filters_combine_with_sorting(admin, registry) -> None:  # type: ignore[no-untyped-def]
    rio_vip = CustomerFilter(uf="RJ", tag="vip")
    assert names(list_customers(admin, rio_vip)) == ["Açaí do Norte"]
    assert names(list_customers(admin, CustomerFilter(status="suspended"))) == ["Delta Serviços"]
    assert names(list_customers(admin, CustomerFilter(kind="natural"))) == ["Ana Luíza Souza"]
    companies_in_sp = list_customers(admin, CustomerFilter(uf="SP", city="São Paulo", kind="juridical"),
                                     sort="name", descending=True)  # fmt: skip
    assert names(companies_in_sp) == ["Zeta Comércio", "Gama Engenharia", "Delta Serviços", "Alfa Dados"]
    assert count_customers(admin, CustomerFilter(uf="RJ")).value == 2


def test_the_grid_shows_consolidated_figures_and_masked_documents(admin, registry) -> None:  # type: ignore[no-untyped-def]
    row = list_customers(admin, CustomerFilter(search="alfa")).rows[0]
    assert (row.document, row.accounts_count, row.city, row.uf, row.tags) == (
        "12.ABC.345/01DE-35", 2, "São Paulo", "SP", ["vip"],
    )  # fmt: skip


def test_counts_are_exact_for_small_selections(admin, registry) -> None:  # type: ignore[no-untyped-def]
    count = count_customers(admin, CustomerFilter())
    assert (count.value, count.is_estimate) == (7, False)


def test_another_organization_sees_none_of_these_customers(registry) -> None:  # type: ignore[no-untyped-def]
    stranger = make_operator(make_organization("outra"), "admin")
    assert list_customers(stranger, CustomerFilter()).rows == []
    assert global_search.search(stranger, "alfa") == []


def test_the_global_search_finds_customers_and_their_accounts(admin, registry) -> None:  # type: ignore[no-untyped-def]
    make_account(admin, registry["beta"], "Filial Campinas", email="campinas@beta.com.br")
    hits = global_search.search(admin, "12ABC34501DE35")
    assert [(h.kind, h.title) for h in hits][:1] == [("customer", "Alfa Dados")]
    assert {h.title for h in hits if h.kind == "account"} == {"Conta 1 — Alfa Dados", "Conta 2 — Alfa Dados"}
    assert [h.title for h in global_search.search(admin, "filial")] == ["Filial Campinas — Beta Logística"]
    assert [h.title for h in global_search.search(admin, "campinas@beta")] == [
        "Beta Logística",
        "Filial Campinas — Beta Logística",
    ]
