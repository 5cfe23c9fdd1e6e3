"""LGPD exports are files under FATURA_VAR_DIR: each test gets its own folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from persistence import files


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    files.configure(None)
    yield tmp_path
