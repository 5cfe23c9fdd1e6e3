"""Bulk download: the PDFs of a filtered set of invoices, zipped by a background job."""

from __future__ import annotations

from typing import Any

from domain.access.permissions import Permission
from domain.background_jobs.model import BackgroundJob
from domain.background_jobs.services import new_job
from domain.errors import ValidationFailed
from domain.invoices.ports import InvoicingUnitOfWork

MAX_INVOICES_PER_ZIP = 5000
INVOICE_ZIP_JOB = "invoice_pdf_zip"


def request_invoice_zip(uow: InvoicingUnitOfWork, *, filters: dict[str, Any]) -> BackgroundJob:
    """A ZIP of the finalized invoices of a filter (drafts have no legal PDF), at most 5,000 per request."""
    with uow:
        uow.actor.require(Permission.INVOICES_READ)
        filters = {**filters, "finalized_only": True}
        count = uow.invoices.count_matching(filters)
        if count == 0:
            raise ValidationFailed("Nenhuma fatura finalizada neste filtro.", field="filters")
        if count > MAX_INVOICES_PER_ZIP:
            raise ValidationFailed(
                f"O filtro tem {count} faturas; refine-o para no máximo {MAX_INVOICES_PER_ZIP} por arquivo.",
                field="filters",
            )
        job = new_job(uow, kind=INVOICE_ZIP_JOB, total=count, params={"filters": filters})
        uow.commit()
        return job
