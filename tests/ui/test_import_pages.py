"""Importações with NiceGUI's user fixture: upload, map, preview, run with progress, report; refusals and history."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from tests.support.import_files import sample_csv
from tests.ui.conftest import sign_in


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    return tmp_path


async def upload(user: User, name: str, data: bytes) -> None:
    uploader = user.find(ui.upload).elements.pop()
    await uploader.handle_uploads([SmallFileUpload(name, "text/csv", data)])


async def test_an_operator_imports_a_file_step_by_step_and_downloads_the_report(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/importacoes")
    await user.should_see("Modelo CSV")
    await upload(user, "clientes.csv", sample_csv())
    await user.should_see("Windows-1252 (Latin-1)", retries=50)
    await user.should_see("ponto e vírgula (;)")
    user.find("Pré-visualizar").click()
    await user.should_see("Pré-visualização (nada foi gravado)", retries=50)
    problems = user.find(marker="import-problems").elements.pop().rows
    assert [(p["line"], p["column"]) for p in problems] == [(5, "CPF/CNPJ"), (7, "CPF/CNPJ"), (9, "UF")]
    assert problems[1]["message"] == "CPF 529.982.247-25 repetido no arquivo: já aparece na linha 2."
    user.find("Importar 3 clientes").click()
    await user.should_see(marker="import-status", content="Concluída", retries=80)
    await user.should_see("Clientes criados")
    user.find("Relatório de erros (CSV)").click()
    report = await user.download.next(timeout=5)
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig")), delimiter=";"))
    assert [line[:3] for line in lines[1:]] == [
        ["5", "CPF/CNPJ", "missing_document"], ["7", "CPF/CNPJ", "duplicate_in_file"], ["9", "UF", "invalid_uf"],
    ]  # fmt: skip
    history = user.find(marker="import-history").elements.pop().rows
    assert history[0]["file"] == "clientes.csv" and history[0]["status"] == "Concluída"
    assert (history[0]["created"], history[0]["rejected"], history[0]["who"]) == ("3", "3", "Finance Operator Acme")


async def test_a_file_with_broken_accents_is_refused_with_the_fix(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/importacoes")
    await upload(user, "quebrado.csv", "Nome;CPF\nAna;SÃ£o Paulo\n".encode())
    await user.should_see(marker="import-refused", retries=50)
    await user.should_see("acentos corrompidos")


async def test_the_template_can_be_downloaded(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("finance_operator")
    await sign_in(user, email)
    await user.open("/importacoes")
    user.find("Modelo CSV").click()
    template = await user.download.next(timeout=5)
    assert template.content.decode("utf-8-sig").startswith("Nome;Razão Social;CPF/CNPJ;")


async def test_an_auditor_does_not_get_the_import_screen(user: User, operator_of) -> None:  # type: ignore[no-untyped-def]
    _, email = operator_of("auditor")
    await sign_in(user, email)
    await user.open("/importacoes")
    await user.should_see("Você não tem acesso a esta tela.")
