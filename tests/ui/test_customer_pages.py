"""Clientes and the customer page through NiceGUI's simulated user: the grid, the quick search, registering a
company with an alphanumeric CNPJ, refusals beside the field with the typed text kept, and roles."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.customers import services as customers
from persistence.unit_of_work import SqlUnitOfWork
from tests.support.registry_factories import ALNUM_CNPJ, make_account, make_customer
from tests.ui.conftest import sign_in


async def open_new_customer_form(user: User) -> None:
    user.find("Novo cliente").click()
    await user.should_see(marker="customer-document", retries=30)  # the form loads the custom fields first


async def grid_rows(user: User) -> list[dict]:
    await user.should_see(kind=ui.table, retries=30)
    return list(user.find(ui.table).elements.pop().rows)


async def test_the_grid_lists_customers_with_masked_documents_and_consolidated_figures(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    make_customer(admin, accounts=2, name="Alfa Dados", document_number="12abc34501de35", tags=["vip"])
    make_customer(admin, name="Beta Logística")
    await sign_in(user, email)
    await user.open("/clientes")
    await user.should_see("1–2 de 2 clientes", retries=30)
    rows = {r["name"]: r for r in await grid_rows(user)}
    assert rows["Alfa Dados"]["document"] == ALNUM_CNPJ
    assert (rows["Alfa Dados"]["accounts"], rows["Alfa Dados"]["place"], rows["Alfa Dados"]["tags"]) == (
        2,
        "São Paulo/SP",
        "vip",
    )


async def test_the_quick_search_takes_a_masked_document(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    make_customer(admin, name="Alfa Dados", document_number=ALNUM_CNPJ)
    make_customer(admin, name="Beta Logística")
    await sign_in(user, email)
    await user.open("/clientes")
    await user.should_see("1–2 de 2 clientes", retries=30)
    user.find(marker="customer-search").type("12.ABC.345")
    await user.should_see("1–1 de 1 clientes", retries=30)
    assert [r["name"] for r in await grid_rows(user)] == ["Alfa Dados"]


async def test_an_operator_registers_a_company_with_an_alphanumeric_cnpj(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/clientes")
    await open_new_customer_form(user)
    user.find(marker="customer-document").type("12ABC34501DE35")
    user.find(marker="customer-name").type("Alfa Dados")
    user.find(marker="emails-0").type("financeiro@alfadados.com.br")
    user.find("Cadastrar").click()
    await user.should_see("Contas de faturamento", retries=50)
    await user.should_see(ALNUM_CNPJ)
    await user.should_see("Cliente cadastrado.")


async def test_a_wrong_cnpj_is_shown_beside_the_field_and_what_was_typed_stays(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/clientes")
    await open_new_customer_form(user)
    document = user.find(marker="customer-document")
    document.type("12.ABC.345/01DE-36")
    await user.should_see("CNPJ inválido: dígitos verificadores não conferem.")
    user.find(marker="customer-name").type("Alfa Dados")
    user.find("Cadastrar").click()
    await user.should_see("CNPJ inválido: dígitos verificadores não conferem.", retries=30)
    assert document.elements.pop().value == "12.ABC.345/01DE-36"
    assert user.find(marker="customer-name").elements.pop().value == "Alfa Dados"


async def test_a_duplicate_document_is_refused_beside_the_document(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    make_customer(admin, name="Alfa Dados", document_number=ALNUM_CNPJ)
    await sign_in(user, email)
    await user.open("/clientes")
    await open_new_customer_form(user)
    user.find(marker="customer-document").type(ALNUM_CNPJ)
    user.find(marker="customer-name").type("Outra")
    user.find("Cadastrar").click()
    await user.should_see("O documento 12.ABC.345/01DE-35 já pertence ao cliente “Alfa Dados”.", retries=30)
    assert user.find(marker="customer-document").elements.pop().error is not None


async def test_the_customer_page_shows_accounts_and_an_auditor_cannot_change_them(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, _ = operator_of("admin")
    customer = make_customer(admin, accounts=1, name="Alfa Dados")
    make_account(admin, customer, "Filial RJ")
    _, email = operator_of("auditor")
    await sign_in(user, email)
    await user.open(f"/clientes/{customer.id}?tab=contas")
    await user.should_see("Filial RJ", retries=30)
    await user.should_see("Somente leitura: seu papel não altera clientes.")
    await user.should_not_see("Nova conta")
    await user.should_not_see("Novo cliente")
    await user.should_see("Auditoria")


async def test_an_operator_adds_a_billing_account_from_the_customer_page(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("finance_operator")
    customer = make_customer(admin, name="Alfa Dados")
    await sign_in(user, email)
    await user.open(f"/clientes/{customer.id}?tab=contas")
    user.find("Nova conta").click()
    user.find(marker="account-name").type("Filial RJ")
    user.find(marker="account-email").type("rj@alfadados.com.br")
    user.find(marker="save-account").click()
    await user.should_see("Conta criada.", retries=50)
    await user.should_see("rj@alfadados.com.br", retries=30)


async def test_a_required_custom_field_is_asked_when_registering(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    customers.save_custom_field(SqlUnitOfWork(admin), key="centro_custo", label="Centro de custo", field_type="text",
                                required=True)  # fmt: skip
    await sign_in(user, email)
    await user.open("/clientes")
    await open_new_customer_form(user)
    user.find(marker="customer-document").type(ALNUM_CNPJ)
    user.find(marker="customer-name").type("Alfa Dados")
    user.find("Cadastrar").click()
    await user.should_see("Informe “Centro de custo”.", retries=30)
    user.find("Centro de custo *").type("Vendas Sul")
    user.find("Cadastrar").click()
    await user.should_see("Cliente cadastrado.", retries=50)


async def test_the_audit_tab_reads_events_other_areas_record_on_the_customer(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    admin, email = operator_of("admin")
    customer = make_customer(admin, name="Alfa Dados")
    with SqlUnitOfWork(admin) as uow:  # a set-based change (LGPD, merges) records plain values, not [before, after]
        uow.record_event(action="lgpd.erasure_executed", entity_type="customer", entity_id=customer.id,
                         root_id=customer.id, changes={"billing_accounts": 2}, reason="Pedido do titular")  # fmt: skip
        uow.commit()
    await sign_in(user, email)
    await user.open(f"/clientes/{customer.id}?tab=auditoria")
    await user.should_see("Motivo: Pedido do titular", retries=30)
    await user.should_see("cliente: billing_accounts: 2")
    titles = [e.props["title"] for e in sorted(user.find(ui.timeline_entry).elements, key=lambda e: e.id)]
    assert titles == ["Dados pessoais anonimizados (LGPD)", "Cliente cadastrado"]
