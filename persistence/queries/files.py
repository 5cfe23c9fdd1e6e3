"""Stored files an operator may download: only their organization's, and only with the permission of what they hold."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from domain.access.permissions import Actor, Permission
from domain.background_jobs.model import BackgroundJob
from domain.files.model import StoredFile
from persistence.queries.common import read_session

KIND_PERMISSIONS = {
    "invoice_pdf": Permission.INVOICES_READ,
    "invoice_zip": Permission.INVOICES_READ,
    "statement_export": Permission.EXPORTS_RUN,
    "segment_export": Permission.EXPORTS_RUN,
}


def stored_file(actor: Actor, file_id: uuid.UUID) -> StoredFile | None:
    """The file if it belongs to the actor's organization and the actor may read its kind; None otherwise."""
    with read_session(actor) as session:
        found = session.scalars(select(StoredFile).where(StoredFile.id == file_id)).one_or_none()
    if found is None or not actor.can(KIND_PERMISSIONS.get(found.kind, Permission.SETTINGS_ADMIN)):
        return None
    return found


def invoice_pdf(actor: Actor, invoice_id: uuid.UUID, revision: int) -> StoredFile | None:
    with read_session(actor, Permission.INVOICES_READ) as session:
        statement = (
            select(StoredFile)
            .where(
                StoredFile.invoice_id == invoice_id,
                StoredFile.kind == "invoice_pdf",
                StoredFile.invoice_revision == revision,
            )
            .order_by(StoredFile.created_at.desc())
            .limit(1)
        )
        return session.scalars(statement).one_or_none()


def background_job(actor: Actor, job_id: uuid.UUID) -> BackgroundJob | None:
    """For the screen that polls a job: the actor's organization only."""
    with read_session(actor) as session:
        return session.scalars(select(BackgroundJob).where(BackgroundJob.id == job_id)).one_or_none()


def invoice_pdfs(actor: Actor, revisions: dict[uuid.UUID, int]) -> dict[uuid.UUID, StoredFile]:
    """The stored PDFs of several invoices at their given revisions (a batch of the ZIP job), in one query."""
    if not revisions:
        return {}
    with read_session(actor, Permission.INVOICES_READ) as session:
        statement = select(StoredFile).where(
            StoredFile.invoice_id.in_(list(revisions)), StoredFile.kind == "invoice_pdf"
        )
        found: dict[uuid.UUID, StoredFile] = {}
        for stored in session.scalars(statement):
            if stored.invoice_id is not None and revisions.get(stored.invoice_id) == stored.invoice_revision:
                found[stored.invoice_id] = stored
        return found
