"""Importing on SQLite and PostgreSQL: what is created, counted, reported and audited; idempotent and resumable."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from domain.access.permissions import Actor
from domain.audit.model import AuditEvent
from domain.billing_accounts.model import BillingAccount
from domain.customers import services as customers
from domain.customers.model import Customer
from domain.errors import PermissionDenied
from domain.imports import services as imports
from domain.imports.errors import ImportAlreadyRunning, MappingIncomplete
from domain.imports.model import ImportStatus
from jobs.imports import analyze_file, report_file, run_import_now
from persistence import var_files
from persistence.queries import imports as queries
from persistence.unit_of_work import SqlUnitOfWork
from reports.spreadsheets import open_table, template_csv, template_xlsx
from tests.support.factories import make_operator, make_organization
from tests.support.import_files import SAMPLE_COUNTS, import_now, sample_csv, start, upload

IGNORED = {"id", "organization_id", "customer_id", "created_at", "updated_at"}


def count(actor: Actor, model: type) -> int:
    with SqlUnitOfWork(actor) as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def rows_of(actor: Actor, model: type, **where: object) -> list[dict]:
    with SqlUnitOfWork(actor) as uow:
        found = uow.session.scalars(select(model).filter_by(**where)).all()
        return [{c.key: getattr(o, c.key) for c in model.__mapper__.column_attrs if c.key not in IGNORED}
                for o in found]  # fmt: skip


def test_a_file_is_imported_with_its_counts_report_and_one_audit_event_per_batch(admin: Actor) -> None:
    run = import_now(admin, sample_csv())
    assert run.status is ImportStatus.DONE and run.counts == SAMPLE_COUNTS
    assert (count(admin, Customer), count(admin, BillingAccount)) == (3, 3)
    padaria = rows_of(admin, Customer, document_number="12ABC34501DE35")[0]
    assert padaria["name"] == "Padaria São João" and padaria["kind"] == "juridical"
    assert (padaria["accounts_count"], padaria["balance_cents"], padaria["open_invoices_count"]) == (1, 0, 0)
    _, problems = queries.report_problems(admin, run.id)
    assert [(p.line, p.column, p.code) for p in problems] == [
        (5, "CPF/CNPJ", "missing_document"), (7, "CPF/CNPJ", "duplicate_in_file"), (9, "UF", "invalid_uf"),
    ]  # fmt: skip
    _, csv_path = queries.report_path(admin, run.id, "csv")
    report = list(csv.reader(io.StringIO(var_files.read_bytes(admin.organization_id, csv_path).decode("utf-8-sig")),
                             delimiter=";"))  # fmt: skip
    assert report[0][:5] == ["Linha", "Coluna", "Código", "Mensagem", "Nome"]
    assert report[2][:4] == ["7", "CPF/CNPJ", "duplicate_in_file", "CPF 529.982.247-25 repetido no arquivo: já "
                             "aparece na linha 2."]  # fmt: skip
    assert report[2][4] == "Conceição de Novo"
    assert queries.report_path(admin, run.id, "xlsx")[1] is None  # the Excel version is made when first asked for
    name, excel = report_file(admin, run.id, "xlsx")
    assert name == "clientes-erros.xlsx" and queries.report_path(admin, run.id, "xlsx")[1] is not None
    sheet = load_workbook(io.BytesIO(excel)).active
    assert [c.value for c in sheet[4]][:4] == [9, "UF", "invalid_uf", "UF inválida: “XY”. Use a sigla de um dos "
                                               "26 estados ou do DF, por exemplo SP."]  # fmt: skip
    with SqlUnitOfWork(admin) as uow:
        actions = list(uow.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "import_run")))
        per_customer = uow.session.scalar(select(func.count()).where(AuditEvent.entity_type == "customer"))
    assert sorted(actions) == ["import.batch_committed", "import.finished", "import.queued"]
    assert per_customer == 0  # set-based: one event per batch, not one per row


def test_an_imported_customer_is_stored_exactly_like_one_registered_in_the_form(admin: Actor) -> None:
    other = make_organization("outra")
    form = make_operator(other, "admin")
    address = {"kind": "billing", "cep": "01310-100", "street": "Av. Paulista", "number": "1000",
               "complement": "ap. 12", "district": "Bela Vista", "city": "São Paulo", "uf": "sp",
               "ibge_code": "3550308"}  # fmt: skip
    customers.create_customer(
        SqlUnitOfWork(form),
        values={"kind": "natural", "document_number": "529.982.247-25", "name": "Conceição Gonçalves",
                "external_id": "CLI-1", "emails": [{"kind": "billing", "address": "conceicao@exemplo.com.br"}],
                "phones": [{"kind": "work", "number": "(11) 98765-4321"}], "addresses": [address]},
        accounts=[{"name": "Principal", "email": "conceicao.cobranca@exemplo.com.br",
                   "billing_email": "conceicao.cobranca@exemplo.com.br", "payment_method": "pix",
                   "allowed_negative_balance_cents": 123456}],
    )  # fmt: skip
    import_now(admin, sample_csv())
    typed = rows_of(form, Customer, document_number="52998224725")[0]
    imported = rows_of(admin, Customer, document_number="52998224725")[0]
    assert imported == typed
    assert rows_of(admin, BillingAccount, tax_id="52998224725") == rows_of(form, BillingAccount, tax_id="52998224725")


def test_importing_the_same_file_again_creates_nothing(admin: Actor) -> None:
    first = import_now(admin, sample_csv())
    second = import_now(admin, sample_csv("utf-8"), name="de-novo.csv")
    assert first.counts["created"] == 3
    assert second.counts == {**SAMPLE_COUNTS, "created": 0, "already_present": 3, "accounts_created": 0}
    assert (count(admin, Customer), count(admin, BillingAccount)) == (3, 3)


def test_a_crash_in_the_middle_resumes_after_the_last_committed_batch_and_creates_nothing_twice(admin: Actor) -> None:
    run = start(admin, upload(admin, sample_csv()), batch_size=2)  # data lines 2-3, 4-5, 6-7, 8-9

    def worker_dies(batch: int) -> None:
        if batch == 2:
            raise RuntimeError("o processo morreu no meio do lote")

    with pytest.raises(RuntimeError):
        run_import_now(admin, run.id, after_batch=worker_dies)
    halfway = queries.get_run(admin, run.id)
    assert halfway.status is ImportStatus.FAILED and "continua" in (halfway.message or "")
    assert halfway.counts["created"] == 2 and count(admin, Customer) == 2  # batches 1 and 2; the third rolled back

    imports.resume_import(SqlUnitOfWork(admin), run_id=run.id)
    run_import_now(admin, run.id)
    done = queries.get_run(admin, run.id)
    assert done.status is ImportStatus.DONE and done.counts == SAMPLE_COUNTS
    assert count(admin, Customer) == 3
    assert [p.line for p in queries.report_problems(admin, run.id)[1]] == [5, 7, 9]  # each problem once


def test_an_external_id_or_billing_e_mail_of_another_customer_refuses_the_row(admin: Actor) -> None:
    customers.create_customer(
        SqlUnitOfWork(admin),
        values={"kind": "juridical", "document_number": "00.056.190/0001-69", "name": "Já Cadastrada",
                "external_id": "CLI-2"},
        accounts=[{"name": "Matriz", "email": "conceicao.cobranca@exemplo.com.br"}],
    )  # fmt: skip
    run = import_now(admin, sample_csv())
    assert run.counts["created"] == 1 and run.counts["rejected"] == 5
    problems = {p.line: (p.code, p.message) for p in queries.report_problems(admin, run.id)[1]}
    assert problems[3] == ("external_id_in_use", "O ID externo “CLI-2” já pertence ao cliente “Já Cadastrada”.")
    assert problems[2][0] == "billing_account_email_in_use" and "Já Cadastrada" in problems[2][1]


def test_customers_of_another_organization_are_not_already_present(admin: Actor) -> None:
    other = make_operator(make_organization("outra"), "admin")
    import_now(other, sample_csv())
    assert import_now(admin, sample_csv()).counts["created"] == 3


def test_the_preview_counts_what_the_run_will_do_and_writes_nothing(admin: Actor) -> None:
    import_now(admin, sample_csv().replace(b"Horizonte", b"Outra Horizonte"), name="um.csv")  # one row is registered
    table = open_table(sample_csv(), "clientes.csv")
    spec = imports.preview_spec(SqlUnitOfWork(admin), headers=table.headers, mapping=None)
    summary = analyze_file(admin, spec, table)
    assert summary.counts["already_present"] == 3 and summary.counts["to_create"] == 0
    assert [p.line for p in summary.first_problems] == [5, 7, 9]
    assert count(admin, Customer) == 3


def test_a_mapping_chosen_once_is_remembered_for_the_next_file(admin: Actor) -> None:
    data = "Razão;Doc. fiscal;Tipo\r\nHorizonte Ltda;11.222.333/0001-81;PJ\r\n".encode()
    run = upload(admin, data)
    assert run.mapping == {"2": "kind"}
    with pytest.raises(MappingIncomplete, match="Nome, CPF/CNPJ"):
        imports.start_import(SqlUnitOfWork(admin), run_id=run.id, mapping={2: "kind"})
    imports.start_import(SqlUnitOfWork(admin), run_id=run.id, mapping={0: "name", 1: "document"})
    assert upload(admin, data, "outro.csv").mapping == {"0": "name", "1": "document"}  # "Tipo" ignored now


def test_the_same_file_cannot_run_twice_at_once(admin: Actor) -> None:
    start(admin, upload(admin, sample_csv()))
    second = upload(admin, sample_csv(), "copia.csv")
    with pytest.raises(ImportAlreadyRunning):
        start(admin, second)


def test_an_auditor_cannot_import(org, admin: Actor) -> None:  # type: ignore[no-untyped-def]
    auditor = make_operator(org, "auditor")
    with pytest.raises(PermissionDenied):
        upload(auditor, sample_csv())


def test_large_files_are_checked_by_helper_processes_with_the_same_result(admin: Actor) -> None:
    run = import_now(admin, sample_csv(), parallel=True, batch_size=2)
    assert run.counts == SAMPLE_COUNTS and count(admin, Customer) == 3
    duplicate = next(p for p in queries.report_problems(admin, run.id)[1] if p.code == "duplicate_in_file")
    assert duplicate.values[0] == "Conceição de Novo"  # the report still carries the row's cells


def test_an_excel_workbook_is_imported_like_a_csv(admin: Actor) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in [*sample_csv().decode("cp1252").split("\r\n")]:
        sheet.append(line.split(";"))
    sheet["C3"] = 11222333000181  # a number cell: Excel shows it without a mask
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = import_now(admin, buffer.getvalue(), name="clientes.xlsx")
    assert run.counts == SAMPLE_COUNTS and run.file_format == "xlsx"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloadable_template_imports_cleanly(admin: Actor, fmt: str) -> None:
    data = template_csv() if fmt == "csv" else template_xlsx()
    run = import_now(admin, data, name=f"modelo.{fmt}")
    assert (run.counts["rows"], run.counts["created"], run.counts["rejected"], run.counts["accounts_created"]) == (
        2, 2, 0, 2,
    )  # fmt: skip
    company = rows_of(admin, Customer, document_number="11222333000181")[0]
    assert (company["legal_name"], company["tags"], company["payment_terms_days"]) == (
        "Horizonte Tecnologia Ltda", ["vip", "tecnologia"], 30,
    )  # fmt: skip
