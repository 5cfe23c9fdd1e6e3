"""Files kept on disk without a StoredFile row (an import's upload and its reports): <files root>/<organization
id>/<folder>/<name>, the same root as persistence/files.py. The database stores the relative path."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from persistence import files

_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


def root() -> Path:
    return files.files_root()


def save_bytes(organization_id: uuid.UUID, folder: str, name: str, data: bytes) -> str:
    """Write the bytes (atomically: a reader never sees half a file) and return the path relative to the root."""
    relative = f"{organization_id}/{folder}/{safe_name(name)}"
    target = root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return relative


def read_bytes(organization_id: uuid.UUID, relative: str) -> bytes:
    """The bytes of a file of this organization; another organization's path is refused like a missing file."""
    if not relative.startswith(f"{organization_id}/") or ".." in relative:
        raise FileNotFoundError(relative)
    return (root() / relative).read_bytes()


def safe_name(name: str) -> str:
    """A file name safe on any disk: accents and spaces out, extension kept."""
    cleaned = _UNSAFE.sub("-", name.strip()).strip("-.") or "arquivo"
    return cleaned[-120:]
