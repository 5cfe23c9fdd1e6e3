"""Imports keep files under FATURA_VAR_DIR: each test gets its own folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FATURA_VAR_DIR", str(tmp_path))
    return tmp_path
