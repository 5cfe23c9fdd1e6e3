"""Invoice tasks: the PDF of a finalized invoice, and the ZIP of a filtered set (progress in background_job)."""

from __future__ import annotations

import logging
import uuid

from domain.access.permissions import Actor
from domain.errors import BillingError
from jobs.huey_app import huey

log = logging.getLogger(__name__)


@huey.task(retries=3, retry_delay=30)
def generate_invoice_pdf(organization_id: str, invoice_id: str) -> str | None:
    """Render and store the PDF of a finalized invoice's current revision. Running it twice is harmless."""
    from reports import invoice_pdf  # NOTE: WeasyPrint loads in the worker only

    actor = Actor.system("pdf", uuid.UUID(organization_id))
    try:
        stored = invoice_pdf.render_and_store(actor, uuid.UUID(invoice_id))
    except BillingError as refusal:  # the same input would give the same "no": not retried
        log.warning("invoice pdf skipped: %s", refusal.code, extra={"invoice_id": invoice_id})
        return None
    return str(stored.id) if stored is not None else None


@huey.task(retries=2, retry_delay=60)
def build_invoice_zip(organization_id: str, job_id: str) -> str | None:
    """Zip the PDFs of the invoices a bulk download asked for, reporting progress; a done job is not rebuilt."""
    from reports import invoice_zip

    stored_id = invoice_zip.build_invoice_zip(Actor.system("zip", uuid.UUID(organization_id)), uuid.UUID(job_id))
    return str(stored_id) if stored_id is not None else None
