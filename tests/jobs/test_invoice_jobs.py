"""Invoice jobs through the real queue (Redis and SQLite): the PDF of a finalized invoice and the ZIP of a filter."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.background_jobs.model import JobStatus
from domain.errors import ValidationFailed
from domain.invoices.bulk import request_invoice_zip
from jobs import huey_app
from jobs.invoices import build_invoice_zip, generate_invoice_pdf
from persistence import files
from persistence.queries import files as file_queries
from persistence.queries.invoices import InvoiceFilter
from persistence.unit_of_work import SqlUnitOfWork
from reports import invoice_zip
from tests.jobs.test_queue import run_pending
from tests.support.billing_factories import draft, make_account, open_invoice
from tests.support.factories import make_operator, make_organization


@pytest.fixture
def acme(sqlite_only: str, tmp_path: Path) -> Iterator[tuple]:
    files.configure(tmp_path / "files")
    org = make_organization("acme")
    yield org, make_operator(org, "admin")
    files.configure(None)


def zip_names(admin, job_id) -> list[str]:  # type: ignore[no-untyped-def]
    job = file_queries.background_job(admin, job_id)
    assert job is not None and job.result_file_id is not None
    stored = file_queries.stored_file(admin, job.result_file_id)
    assert stored is not None
    with zipfile.ZipFile(io.BytesIO(files.path_of(stored).read_bytes())) as archive:
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
        return sorted(archive.namelist())


def test_a_finalized_invoice_gets_its_pdf_stored_once(queue: str, acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    invoice = open_invoice(admin, make_account(org))
    generate_invoice_pdf(str(org.id), str(invoice.id))
    generate_invoice_pdf(str(org.id), str(invoice.id))  # enqueued twice (a retry, a double click)
    assert run_pending() == 2
    stored = file_queries.invoice_pdf(admin, invoice.id, invoice.revision)
    assert stored is not None and stored.filename == "fatura-INV-000001.pdf"
    path = files.path_of(stored)
    assert path.read_bytes().startswith(b"%PDF") and path.is_relative_to(files.organization_folder(org.id))
    assert len(list(files.organization_folder(org.id).rglob("*.pdf"))) == 1


def test_the_zip_of_a_filter_holds_the_finalized_invoices_and_reports_progress(queue: str, acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    account = make_account(org)
    for _ in range(3):
        open_invoice(admin, account)
    draft(admin, account)  # drafts have no legal PDF: left out
    job = request_invoice_zip(SqlUnitOfWork(admin), filters=InvoiceFilter(billing_account_id=account.id).to_dict())
    assert job.total == 3 and job.status is JobStatus.QUEUED
    result = build_invoice_zip(str(org.id), str(job.id))
    assert huey_app.huey.pending_count() == 1 and run_pending() == 1
    assert result.get(blocking=True, timeout=30) is not None
    done = file_queries.background_job(admin, job.id)
    assert done is not None and done.status is JobStatus.DONE and done.progress == done.total == 3
    assert done.message == "3 faturas em PDF."
    assert zip_names(admin, job.id) == ["fatura-INV-000001.pdf", "fatura-INV-000002.pdf", "fatura-INV-000003.pdf"]
    build_invoice_zip(str(org.id), str(job.id))  # a duplicate delivery of a done job changes nothing
    run_pending()
    assert len(list(files.organization_folder(org.id).rglob("*.zip"))) == 1


def test_a_zip_of_nothing_finalized_is_refused(queue: str, acme) -> None:  # type: ignore[no-untyped-def]
    org, admin = acme
    draft(admin, make_account(org))
    with pytest.raises(ValidationFailed, match="Nenhuma fatura finalizada"):
        request_invoice_zip(SqlUnitOfWork(admin), filters={})


def test_big_batches_render_in_worker_processes_and_reuse_stored_pdfs(acme) -> None:  # type: ignore[no-untyped-def]
    from reports import invoice_pdf

    org, admin = acme
    account = make_account(org)
    invoices = [open_invoice(admin, account) for _ in range(3)]
    stored = invoice_pdf.render_and_store(admin, invoices[0].id)  # rendered at finalization by the worker
    job = request_invoice_zip(SqlUnitOfWork(admin), filters={})
    invoice_zip.build_invoice_zip(admin, job.id, processes=2)
    assert len(zip_names(admin, job.id)) == 3
    zipped = file_queries.stored_file(admin, file_queries.background_job(admin, job.id).result_file_id)  # type: ignore[union-attr]
    with zipfile.ZipFile(files.path_of(zipped)) as archive:  # type: ignore[arg-type]
        assert archive.read("fatura-INV-000001.pdf") == files.path_of(stored).read_bytes()  # type: ignore[arg-type]
