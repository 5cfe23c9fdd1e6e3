"""Segmentos and Duplicados as an operator uses them: build, count, save, share, act in bulk, merge."""

from __future__ import annotations

import asyncio
from typing import Any

from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from domain.segments import services
from domain.segments.model import Visibility
from persistence.queries.saved_views import list_views
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.segment_factories import make_customer
from tests.ui.conftest import sign_in, table_rows

SP = {"version": 1, "op": "and", "children": [{"field": "uf", "cmp": "eq", "value": "SP"}]}


def by_testid(user: User, testid: str) -> Any:
    """The element a browser test would find by data-testid (the user fixture finds by text or marker)."""
    assert user.client is not None
    found = [e for e in user.client.elements.values() if e.props.get("data-testid") == testid]
    assert found, f"nothing with data-testid={testid}"
    return found[-1]


async def shown(user: User, testid: str) -> Any:
    """Waits for an element that an event handler is still rendering."""
    for _ in range(60):
        assert user.client is not None
        if any(e.props.get("data-testid") == testid for e in user.client.elements.values()):
            return by_testid(user, testid)
        await asyncio.sleep(0.05)
    return by_testid(user, testid)


def click(user: User, testid: str) -> None:
    UserInteraction(user, {by_testid(user, testid)}, None).click()


async def test_building_a_segment_updates_the_count_and_the_results_as_the_operator_edits(
    user: User, acme, operator_of
):  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    make_customer(acme, "Padaria Paulista", uf="SP", city="São Paulo", tags=["vip"])
    make_customer(acme, "Mercado Paulista", uf="SP", city="Campinas")
    make_customer(acme, "Loja Carioca", uf="RJ", city="Rio de Janeiro", tags=["vip"])
    await sign_in(user, email)
    await user.open("/segmentos")
    await user.should_see("3 clientes", retries=30)
    click(user, "add-condition-root")
    await user.should_see("Escolha ao menos um valor para “UF”.", retries=30)
    with user.client:
        (await shown(user, "value-root-0")).value = ["SP"]
    await user.should_see("2 clientes", retries=30)
    # (UF in SP) AND (tag vip OR city Rio de Janeiro): only the SP customer tagged vip
    click(user, "add-group-root")
    with user.client:
        (await shown(user, "field-root-1-0")).value = "tags"
    await asyncio.sleep(0.1)
    with user.client:
        (await shown(user, "value-root-1-0")).value = "vip"
    click(user, "add-condition-root-1")
    with user.client:
        (await shown(user, "field-root-1-1")).value = "city"
    await asyncio.sleep(0.1)
    with user.client:
        (await shown(user, "cmp-root-1-1")).value = "eq"
    await asyncio.sleep(0.1)
    with user.client:
        (await shown(user, "value-root-1-1")).value = "Rio de Janeiro"
    await user.should_see("1 clientes", retries=30)
    assert [row["name"] for row in await table_rows(user)] == ["Padaria Paulista"]


async def test_a_view_saved_as_shared_opens_identically_for_another_operator(user: User, acme, operator_of):  # type: ignore[no-untyped-def]
    manager, manager_email = operator_of("finance_manager")
    _, operator_email = operator_of("finance_operator")
    make_customer(acme, "Padaria Paulista", uf="SP")
    make_customer(acme, "Loja Carioca", uf="RJ")
    await sign_in(user, manager_email)
    await user.open("/segmentos")
    click(user, "add-condition-root")
    with user.client:
        (await shown(user, "value-root-0")).value = ["SP"]
    await user.should_see("1 clientes", retries=30)
    user.find("Salvar como…").click()
    await user.should_see("Salvar visão", retries=30)
    user.find("Nome da visão").type("Carteira SP")
    user.find("Compartilhada").click()
    click(user, "confirm-save-view")
    await user.should_see("Visão salva.", retries=30)

    shared = next(v for v in list_views(manager) if v.name == "Carteira SP")
    await sign_in(user, operator_email)
    await user.open("/segmentos")
    click(user, f"view-{shared.id}")
    await user.should_see("1 clientes", retries=30)
    assert [row["name"] for row in await table_rows(user)] == ["Padaria Paulista"]
    await user.should_not_see("Atualizar visão")  # shared: only SEGMENTS_SHARE changes it


async def test_bulk_tagging_previews_the_whole_selection_then_applies_it(user: User, acme, operator_of):  # type: ignore[no-untyped-def]
    manager, email = operator_of("finance_manager")
    for n in range(3):
        make_customer(acme, f"Cliente SP {n}", uf="SP")
    make_customer(acme, "Loja Carioca", uf="RJ")
    view = services.create_saved_view(SqlUnitOfWork(manager), name="Paulistas", tree=SP, visibility=Visibility.SHARED)
    await sign_in(user, email)
    await user.open(f"/segmentos?visao={view.id}")
    await user.should_see("3 clientes", retries=30)
    click(user, "bulk-add_tag")
    await user.should_see("Vale para todos os clientes do segmento", retries=30)
    with user.client:
        (await shown(user, "bulk-tag")).value = "campanha"
    click(user, "bulk-preview-button")
    await user.should_see("Esta ação vai alterar 3 clientes.", retries=30)
    click(user, "bulk-confirm")
    await user.should_see("Etiqueta “campanha” adicionada a 3 clientes.", retries=50)


async def test_the_merge_screen_previews_executes_and_shows_both_timelines(user: User, acme, operator_of):  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    older = make_customer(acme, "Padaria Pão Quente", uf="SP", city="São Paulo", email="compras@padaria.com.br")
    newer = make_customer(acme, "Padaria Pao Quente", uf="SP", city="São Paulo", email="compras@padaria.com.br",
                          tags=["site"])  # fmt: skip
    await sign_in(user, email)
    await user.open("/segmentos/duplicados")
    rows = await table_rows(user)
    assert rows[0]["source_id"] == str(newer.id) and "Mesmo e-mail" in rows[0]["reasons"]
    await user.open(f"/segmentos/duplicados?origem={newer.id}&destino={older.id}")
    await user.should_see("Origem — será mesclada e excluída", retries=30)
    await user.should_see("Contas de faturamento: 1")
    user.find("Mesclar (mover tudo)").click()
    await user.should_see("Não há como desfazer", retries=30)
    user.find("Motivo (opcional)").type("Cadastro duplicado")
    click(user, "reason-confirm")
    await user.should_see("Mesclagem concluída", retries=30)
    await user.should_see("Auditoria da origem")
    await shown(user, "audit-customer.merged_into")
    await shown(user, "audit-customer.merged")


async def test_merging_a_customer_into_itself_is_refused_on_screen(user: User, acme, operator_of):  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    one = make_customer(acme, "Padaria Pão Quente", uf="SP")
    await sign_in(user, email)
    await user.open(f"/segmentos/duplicados?origem={one.id}&destino={one.id}")
    await user.should_see("Origem e destino são o mesmo cliente", retries=30)
    await user.should_not_see(kind=ui.button, content="Mesclar (mover tudo)")


async def test_a_customers_page_can_open_the_merge_with_itself_as_the_source(user: User, acme, operator_of):  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_manager")
    one = make_customer(acme, "Padaria Pão Quente", uf="SP")
    await sign_in(user, email)
    await user.open(f"/segmentos/duplicados?origem={one.id}")
    await user.should_see("Origem (será excluída): Padaria Pão Quente", retries=30)
