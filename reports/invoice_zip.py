"""The ZIP of a filtered set of invoice PDFs, built by a background job with its progress visible to the screen.

Idempotent: the job row says whether it is done; a retry of a failed or interrupted job starts the file again from
scratch under a new name, and only a complete file is registered. PDFs already stored for the invoice's current
revision are reused; the others are rendered (in worker processes for big batches, see reports/pdf_worker.py) and
stored for their invoice as well, so each revision is rendered once.
"""

from __future__ import annotations

import logging
import os
import uuid
import zipfile
from collections import deque
from concurrent.futures import Future
from contextlib import ExitStack

from domain.access.permissions import Actor
from domain.background_jobs import services as jobs
from domain.errors import BillingError
from domain.invoices.bulk import MAX_INVOICES_PER_ZIP
from persistence import files
from persistence.queries import files as file_queries
from persistence.queries import invoices as invoice_queries
from persistence.queries.invoices import InvoiceDetail, InvoiceFilter
from persistence.unit_of_work import SqlUnitOfWork
from reports import invoice_pdf
from reports.pdf_worker import PdfPool, workers_for

log = logging.getLogger(__name__)
BATCH = 50
PROGRESS_EVERY = 25


def build_invoice_zip(actor: Actor, job_id: uuid.UUID, *, processes: int | None = None) -> uuid.UUID | None:
    """Run the job: returns the id of the stored ZIP (None when the job was already done)."""
    job = jobs.start_job(SqlUnitOfWork(actor), job_id=job_id)
    if job is None:
        return None
    try:
        ids = invoice_queries.matching_invoice_ids(
            actor, InvoiceFilter.from_dict(job.params.get("filters", {})), MAX_INVOICES_PER_ZIP
        )
        file_id, relative, path = files.new_path(actor.organization_id, "invoice_zip", ".zip")  # type: ignore[arg-type]
        partial = path.with_suffix(".zip.part")
        count = _write_zip(actor, job_id, ids, partial, workers_for(len(ids)) if processes is None else processes)
        os.replace(partial, path)
        with SqlUnitOfWork(actor) as uow:
            stored = files.register(
                uow,
                file_id=file_id,
                organization_id=actor.organization_id,
                kind="invoice_zip",
                relative_path=relative,
                filename=f"faturas-{str(job_id)[-8:]}.zip",
                content_type="application/zip",
                path=path,
            )
            uow.commit()
        jobs.finish_job(
            SqlUnitOfWork(actor), job_id=job_id, result_file_id=stored.id, message=f"{count} faturas em PDF."
        )
        return stored.id
    except BillingError as refusal:
        jobs.fail_job(SqlUnitOfWork(actor), job_id=job_id, message=refusal.message)
        return None
    except Exception as error:  # recorded for the screen, then re-raised so Huey retries
        log.exception("invoice zip failed")
        jobs.fail_job(SqlUnitOfWork(actor), job_id=job_id, message=f"Erro inesperado: {type(error).__name__}")
        raise


def _write_zip(actor: Actor, job_id: uuid.UUID, ids: list[uuid.UUID], path: os.PathLike, processes: int) -> int:
    base_url = str(invoice_pdf.ASSETS)
    # (name in the ZIP, PDF or its future, the invoice when it was rendered here and should be kept)
    pending: deque[tuple[str, Future[bytes] | bytes, InvoiceDetail | None]] = deque()
    names: set[str] = set()
    written = 0
    # PDFs are already compressed: storing them is as small and much faster than deflating them again.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive, ExitStack() as stack:
        pool: PdfPool | None = None

        def drain(keep: int) -> None:
            nonlocal written
            rendered: list[tuple[InvoiceDetail, bytes]] = []
            while len(pending) > keep:
                name, result, detail = pending.popleft()
                data = result if isinstance(result, bytes) else result.result()
                archive.writestr(name, data)
                if detail is not None:
                    rendered.append((detail, data))
                written += 1
                if written % PROGRESS_EVERY == 0:
                    jobs.report_job_progress(SqlUnitOfWork(actor), job_id=job_id, progress=written)
            _keep(actor, rendered)

        for start in range(0, len(ids), BATCH):
            details = invoice_queries.invoice_details(actor, ids[start : start + BATCH])
            stored_pdfs = file_queries.invoice_pdfs(actor, {d.invoice.id: d.invoice.revision for d in details})
            for detail in details:
                name = _unique(invoice_pdf.pdf_filename(detail), names)
                stored = stored_pdfs.get(detail.invoice.id)
                if stored is not None and files.path_of(stored).exists():
                    pending.append((name, files.path_of(stored).read_bytes(), None))
                    continue
                if pool is None:  # one organization per job, so one set of colours for the whole pool
                    css = invoice_pdf.stylesheet_text(invoice_pdf.brand_color(detail))
                    pool = stack.enter_context(PdfPool(css, base_url, processes))
                pending.append((name, pool.submit(invoice_pdf.invoice_html(detail), base_url), detail))
            drain(keep=2 * BATCH)  # the workers keep busy on the next batch while this one is written
        drain(keep=0)
    return written


def _keep(actor: Actor, rendered: list[tuple[InvoiceDetail, bytes]]) -> None:
    """What the job rendered is stored for its invoice's revision too: the next download or ZIP reuses it."""
    if not rendered:
        return
    with SqlUnitOfWork(actor) as uow:
        for detail, data in rendered:
            invoice = detail.invoice
            files.save_bytes(
                uow,
                organization_id=invoice.organization_id,
                kind="invoice_pdf",
                filename=invoice_pdf.pdf_filename(detail),
                content_type=invoice_pdf.PDF,
                data=data,
                invoice_id=invoice.id,
                invoice_revision=invoice.revision,
            )
        uow.commit()


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = name.replace(".pdf", f"-{n}.pdf")
    taken.add(candidate)
    return candidate
