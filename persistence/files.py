"""Generated files on disk under <var>/files/<organization_id>/, each with a StoredFile row saying whose it is.

The bytes are written to a temporary name and renamed, so a reader never sees half a file; the row is added in the
caller's transaction. Paths are always built here from the row, never from user input.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from config import load_settings
from domain.files.model import StoredFile
from domain.ports import UnitOfWork

_root: Path | None = None


def configure(root: Path | None) -> None:
    """Tests point this at a temporary folder; by default it is FATURA_VAR_DIR/files."""
    global _root
    _root = root


def files_root() -> Path:
    return _root or load_settings().var_dir / "files"


def organization_folder(organization_id: uuid.UUID) -> Path:
    return files_root() / str(organization_id)


def path_of(stored: StoredFile) -> Path:
    return organization_folder(stored.organization_id) / stored.relative_path


def new_path(organization_id: uuid.UUID, kind: str, suffix: str) -> tuple[uuid.UUID, str, Path]:
    """A fresh id, its relative path and its absolute path (the folder is created)."""
    file_id = uuid.UUID(bytes=uuid.uuid4().bytes)
    relative = f"{kind}/{str(file_id)[:2]}/{file_id}{suffix}"
    path = organization_folder(organization_id) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    return file_id, relative, path


def save_bytes(
    uow: UnitOfWork,
    *,
    organization_id: uuid.UUID,
    kind: str,
    filename: str,
    content_type: str,
    data: bytes,
    invoice_id: uuid.UUID | None = None,
    invoice_revision: int | None = None,
) -> StoredFile:
    file_id, relative, path = new_path(organization_id, kind, Path(filename).suffix)
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return register(
        uow,
        file_id=file_id,
        organization_id=organization_id,
        kind=kind,
        relative_path=relative,
        filename=filename,
        content_type=content_type,
        path=path,
        invoice_id=invoice_id,
        invoice_revision=invoice_revision,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def register(
    uow: UnitOfWork,
    *,
    file_id: uuid.UUID,
    organization_id: uuid.UUID,
    kind: str,
    relative_path: str,
    filename: str,
    content_type: str,
    path: Path,
    sha256: str | None = None,
    invoice_id: uuid.UUID | None = None,
    invoice_revision: int | None = None,
) -> StoredFile:
    """The row for a file already written at `path` (big files are streamed there by their producer)."""
    if sha256 is None:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        sha256 = digest.hexdigest()
    stored = StoredFile(
        id=file_id,
        organization_id=organization_id,
        kind=kind,
        relative_path=relative_path,
        filename=filename,
        content_type=content_type,
        size_bytes=path.stat().st_size,
        sha256=sha256,
        invoice_id=invoice_id,
        invoice_revision=invoice_revision,
    )
    uow.add(stored)
    return stored
