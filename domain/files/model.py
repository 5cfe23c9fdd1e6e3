"""StoredFile: a generated document (invoice PDF, ZIP, export) kept under var/files/<organization>/.

The bytes live on disk; this row says whose they are, so the download route serves a file only to operators of the
organization that owns it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.base import Base, TenantScoped, new_id, utcnow


class StoredFile(TenantScoped, Base):
    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_invoice", "invoice_id", "invoice_revision"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))  # invoice_pdf | invoice_zip | statement_export
    relative_path: Mapped[str] = mapped_column(String(500))  # under var/files/<organization_id>/
    filename: Mapped[str]  # offered to the browser
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"))
    invoice_revision: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
