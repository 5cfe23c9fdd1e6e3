"""A segment's filter tree runs as one SQL query and selects the same customers on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.calendar import today_in
from domain.segments.errors import InvalidSegment
from persistence.queries.segments import count_segment, list_segment
from tests.support.segment_factories import make_customer, make_invoice


def tree(*children: dict, op: str = "and") -> dict:
    return {"version": 1, "op": op, "children": list(children)}


def cond(field: str, cmp: str, value: object = None) -> dict:
    return {"field": field, "cmp": cmp, "value": value}


@pytest.fixture
def portfolio(org):  # type: ignore[no-untyped-def]
    """Four customers an operator would recognise, each differing on the fields under test."""
    make_customer(org, "Padaria Pão Quente", city="São Paulo", uf="SP", ibge_code="3550308", tags=["vip", "varejo"],
                  custom_data={"erp": "A1", "tier": 2, "ativo": True}, balance_cents=-5_000, mrr_cents=9_900,
                  created_at=datetime(2025, 1, 10, 15, tzinfo=UTC), email="compras@padaria.com.br",
                  accounts=[{"payment_method": "boleto", "balance_cents": -5_000}])  # fmt: skip
    make_customer(org, "Mercado Boa Vista", kind="natural", city="Rio de Janeiro", uf="RJ", ibge_code="3304557",
                  tags=["atacado"], custom_data={"erp": "B2"}, mrr_cents=250_000,
                  created_at=datetime(2025, 6, 1, 12, tzinfo=UTC), email="dono@boavista.com.br",
                  accounts=[{"payment_method": "pix", "auto_collection": False},
                            {"payment_method": "card", "status": "suspended"}])  # fmt: skip
    make_customer(org, "Oficina Souza", city="Belo Horizonte", uf="MG", ibge_code="3106200", balance_cents=1_000,
                  status="suspended", created_at=datetime(2025, 6, 2, 2, 30, tzinfo=UTC),  # 1 June in São Paulo
                  accounts=[{"payment_method": "pix", "status": "suspended"}])  # fmt: skip
    make_customer(org, "Globex Corporation", kind="foreign", document="US-99-1234567", tags=["vip", "exportador"],
                  created_at=datetime(2025, 7, 1, 12, tzinfo=UTC), email="")  # fmt: skip
    return org


def names(actor, filter_tree: dict, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.name for row in list_segment(actor, filter_tree, **kw).rows]


CASES = [
    (cond("status", "eq", "suspended"), ["Oficina Souza"]),
    (cond("status", "in", ["active", "churned"]), ["Globex Corporation", "Mercado Boa Vista", "Padaria Pão Quente"]),
    (cond("kind", "ne", "juridical"), ["Globex Corporation", "Mercado Boa Vista"]),
    (cond("document_type", "eq", "cpf"), ["Mercado Boa Vista"]),
    (cond("name", "contains", "PAO QUEN"), ["Padaria Pão Quente"]),
    (cond("name", "starts_with", "mer"), ["Mercado Boa Vista"]),
    (cond("email", "contains", "@padaria"), ["Padaria Pão Quente"]),
    (cond("email", "is_not_set"), ["Globex Corporation"]),
    (cond("city", "eq", "Rio de Janeiro"), ["Mercado Boa Vista"]),
    (cond("city", "contains", "HORIZ"), ["Oficina Souza"]),
    (cond("uf", "in", ["SP", "RJ"]), ["Mercado Boa Vista", "Padaria Pão Quente"]),
    (cond("uf", "not_in", ["SP", "RJ"]), ["Globex Corporation", "Oficina Souza"]),  # no UF is "not SP nor RJ"
    (cond("uf", "is_not_set"), ["Globex Corporation"]),
    (cond("ibge_code", "starts_with", "31"), ["Oficina Souza"]),
    (cond("tags", "any", ["vip", "atacado"]), ["Globex Corporation", "Mercado Boa Vista", "Padaria Pão Quente"]),
    (cond("tags", "all", ["vip", "varejo"]), ["Padaria Pão Quente"]),
    (cond("tags", "none", ["vip"]), ["Mercado Boa Vista", "Oficina Souza"]),
    (cond("tags", "is_not_set"), ["Oficina Souza"]),
    (cond("custom_data", "key_eq", {"key": "erp", "value": "B2"}), ["Mercado Boa Vista"]),
    (cond("custom_data", "key_eq", {"key": "tier", "value": 2}), ["Padaria Pão Quente"]),
    (cond("custom_data", "key_eq", {"key": "tier", "value": "2"}), []),  # a text never equals a number
    (cond("custom_data", "key_eq", {"key": "ativo", "value": True}), ["Padaria Pão Quente"]),
    (cond("custom_data", "has_key", {"key": "erp"}), ["Mercado Boa Vista", "Padaria Pão Quente"]),
    (cond("created", "eq", "2025-06-01"), ["Mercado Boa Vista", "Oficina Souza"]),  # São Paulo's calendar day
    (cond("created", "lt", "2025-06-01"), ["Padaria Pão Quente"]),
    (cond("created", "gt", "2025-06-01"), ["Globex Corporation"]),
    (cond("created", "between", ["2025-01-01", "2025-06-01"]),
     ["Mercado Boa Vista", "Oficina Souza", "Padaria Pão Quente"]),
    (cond("balance", "lt", 0), ["Padaria Pão Quente"]),
    (cond("mrr", "between", [9_900, 250_000]), ["Mercado Boa Vista", "Padaria Pão Quente"]),
    (cond("accounts_count", "gte", 2), ["Mercado Boa Vista"]),
    (cond("account_status", "eq", "suspended"), ["Mercado Boa Vista", "Oficina Souza"]),
    (cond("account_status", "ne", "suspended"), ["Globex Corporation", "Padaria Pão Quente"]),  # no account is
    (cond("account_payment_method", "in", ["pix"]), ["Mercado Boa Vista", "Oficina Souza"]),
    (cond("account_auto_collection", "eq", False), ["Mercado Boa Vista"]),
    (cond("account_balance", "lt", 0), ["Padaria Pão Quente"]),
]  # fmt: skip


@pytest.mark.parametrize(("condition", "expected"), CASES, ids=[f"{c['field']}-{c['cmp']}" for c, _ in CASES])
def test_each_field_and_comparator_selects_the_customers_an_operator_expects(portfolio, admin, condition, expected):  # type: ignore[no-untyped-def]
    assert names(admin, tree(condition)) == expected


def test_nested_and_or_groups_combine_as_written(portfolio, admin) -> None:  # type: ignore[no-untyped-def]
    # (UF in SP, RJ AND tag vip) OR (suspended AND balance > 0)
    filter_tree = tree(
        tree(cond("uf", "in", ["SP", "RJ"]), cond("tags", "any", ["vip"])),
        tree(cond("status", "eq", "suspended"), cond("balance", "gt", 0)),
        op="or",
    )
    assert names(admin, filter_tree) == ["Oficina Souza", "Padaria Pão Quente"]
    assert count_segment(admin, filter_tree).value == 2


def test_an_empty_filter_lists_every_live_customer_and_counts_them_exactly(portfolio, admin) -> None:  # type: ignore[no-untyped-def]
    assert len(names(admin, tree())) == 4
    count = count_segment(admin, tree())
    assert (count.value, count.is_estimate) == (4, False)


def test_pages_follow_the_chosen_sort_and_customers_without_a_uf_come_last(portfolio, admin) -> None:  # type: ignore[no-untyped-def]
    sort = {"key": "uf", "descending": False}
    first = list_segment(admin, tree(), sort=sort, limit=2)
    assert [r.uf for r in first.rows] == ["MG", "RJ"]
    second = list_segment(admin, tree(), sort=sort, cursor=first.next_cursor, limit=2)
    assert [r.uf for r in second.rows] == ["SP", None]
    assert second.next_cursor is None
    by_mrr = list_segment(admin, tree(), sort={"key": "mrr", "descending": True}, limit=1)
    rest = list_segment(admin, tree(), sort={"key": "mrr", "descending": True}, cursor=by_mrr.next_cursor)
    assert [r.name for r in by_mrr.rows + rest.rows] == [
        "Mercado Boa Vista",
        "Padaria Pão Quente",
        "Globex Corporation",
        "Oficina Souza",
    ]  # ties: newest first


def test_overdue_invoice_fields_read_open_invoices_by_due_date(org, admin) -> None:  # type: ignore[no-untyped-def]
    today = today_in(None)
    late = make_customer(org, "Atrasada Ltda")
    make_invoice(org, late, due_on=today - timedelta(days=40))
    make_invoice(org, late, due_on=today - timedelta(days=3))
    make_invoice(org, late, due_on=today - timedelta(days=90), status="paid")
    soon = make_customer(org, "Vence Logo Ltda")
    make_invoice(org, soon, due_on=today + timedelta(days=5))
    make_customer(org, "Em Dia Ltda")

    assert names(admin, tree(cond("overdue_invoices", "gte", 1))) == ["Atrasada Ltda"]
    assert names(admin, tree(cond("overdue_invoices", "eq", 2))) == ["Atrasada Ltda"]
    assert names(admin, tree(cond("overdue_invoices", "eq", 0))) == ["Em Dia Ltda", "Vence Logo Ltda"]
    assert names(admin, tree(cond("days_overdue", "gte", 30))) == ["Atrasada Ltda"]
    assert names(admin, tree(cond("days_overdue", "between", [41, 60]))) == []
    assert names(admin, tree(cond("days_overdue", "lt", 30))) == ["Em Dia Ltda", "Vence Logo Ltda"]
    assert names(admin, tree(cond("due_within_days", "lte", 7))) == ["Vence Logo Ltda"]


def test_deleted_customers_and_other_organizations_never_appear(portfolio, admin) -> None:  # type: ignore[no-untyped-def]
    from tests.support.factories import make_organization

    other = make_organization("outra")
    make_customer(other, "Padaria Pão Quente da Outra", tags=["vip"])
    make_customer(portfolio, "Padaria Excluída", tags=["vip"], deleted_at=datetime.now(UTC))
    assert names(admin, tree(cond("name", "starts_with", "padaria"))) == ["Padaria Pão Quente"]


def test_an_incomplete_condition_is_refused_with_the_field_to_fix(admin, org) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidSegment) as refused:
        list_segment(admin, tree(cond("uf", "in", ["SP"]), tree(cond("mrr", "gte", None))))
    assert refused.value.field == "children.1.children.0.value"
    assert "MRR" in refused.value.message


def test_a_large_selection_shows_the_planners_estimate_on_postgresql_and_an_exact_count_on_sqlite(
    portfolio, admin, database_url, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from persistence.queries import counting

    monkeypatch.setattr(counting, "EXACT_UP_TO", 0)  # as if the planner expected more rows than worth counting
    count = count_segment(admin, tree(cond("uf", "is_set")))
    assert count.is_estimate is database_url.startswith("postgresql")
    if not count.is_estimate:
        assert count.value == 3
