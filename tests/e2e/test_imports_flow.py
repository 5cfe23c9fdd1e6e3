"""An operator in Chromium imports a customer file: upload, automatic mapping, preview with its problems, the run
with its progress bar (a real worker on Redis), the error report downloaded, and the history."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from domain.documents.tax_ids import generate_cnpj, generate_cpf, mask_document
from tests.e2e import live_stack
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.live_stack import Stack
from tests.support.factories import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(e2e_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    yield from live_stack.start(e2e_database, tmp_path_factory)


HEADER = "Nome;CPF/CNPJ;E-mail;CEP;Logradouro;Número;Bairro;Cidade;UF;Limite de crédito;Cliente desde"


def customer_file() -> bytes:
    cpf, cnpj, other = generate_cpf(910_001), generate_cnpj(910_002), generate_cnpj(910_003)
    rows = [
        f"Importação Conceição E2E;{mask_document('cpf', cpf)};conceicao.e2e@exemplo.com.br;01310-100;Av. Paulista;"
        "1000;Bela Vista;São Paulo;sp;R$ 1.234,56;15/03/2021",
        f"Padaria Pão Quente E2E;{cnpj};padaria.e2e@exemplo.com.br;20040002;Rua da Assembleia;10;Centro;"
        "Rio de Janeiro;RJ;2.500,00;02/01/2019",
        ";;;;;;;;;;",
        f"Estado Errado E2E;{mask_document('cnpj', other)};uf.e2e@exemplo.com.br;01310-100;Av. Paulista;1;Centro;"
        "São Paulo;XY;0,00;31/02/2020",
        f"Duplicada E2E;{cpf};dup.e2e@exemplo.com.br;;;;;;;;",
    ]
    return "\r\n".join([HEADER, *rows]).encode("cp1252")


def test_an_operator_imports_a_file_and_downloads_its_error_report(page: Page, stack: Stack, acme, tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "clientes-e2e.csv"
    source.write_bytes(customer_file())
    page.goto(f"{stack.url}/login")
    page.get_by_label("E-mail").fill("finance_operator@acme-e2e.com.br")
    page.get_by_label("Senha", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_test_id("operator-name")).to_be_visible()
    page.get_by_text("Importações", exact=True).click()
    expect(page).to_have_url(re.compile(r"/importacoes$"))

    page.get_by_test_id("import-upload").locator("input[type=file]").set_input_files(source)
    expect(page.get_by_test_id("import-detected")).to_contain_text("Windows-1252 (Latin-1)")
    expect(page.get_by_test_id("import-detected")).to_contain_text("ponto e vírgula (;)")
    page.screenshot(path=ARTIFACTS / "import-mapping.png", full_page=True)

    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("preview-to_create")).to_contain_text("2")
    expect(page.get_by_test_id("preview-rejected")).to_contain_text("2")
    expect(page.get_by_test_id("preview-skipped")).to_contain_text("1")
    expect(page.get_by_test_id("import-problems")).to_contain_text("UF inválida")
    page.screenshot(path=ARTIFACTS / "import-preview.png", full_page=True)

    page.get_by_test_id("import-run").click()
    expect(page.get_by_test_id("import-status")).to_contain_text("Concluída", timeout=30_000)
    expect(page.get_by_test_id("result-created")).to_contain_text("2")
    page.screenshot(path=ARTIFACTS / "import-done.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("report-csv").click()
    report = download_info.value.path().read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(report), delimiter=";"))
    assert [line[:3] for line in lines[1:]] == [["5", "UF", "invalid_uf"], ["5", "Cliente desde", "invalid_date"],
                                                ["6", "CPF/CNPJ", "duplicate_in_file"]]  # fmt: skip
    history = page.get_by_test_id("import-history")
    expect(history).to_contain_text("clientes-e2e.csv")
    expect(history).to_contain_text("Finance_Operator E2E")
