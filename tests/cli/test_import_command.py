"""`python run.py import FILE --organization SLUG [--dry-run] [--report PATH]`: counts as one JSON object on stdout,
the report written, exit 0 when the file was processed and non-zero when it could not be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.factories import make_organization
from tests.support.import_files import SAMPLE_COUNTS, sample_csv
from tests.support.live_server import ROOT


def run_cli(tmp_path: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST" and not k.startswith("NICEGUI_")}
    env.update(DATABASE_URL=database_url, FATURA_VAR_DIR=str(tmp_path), FATURA_SEED_DEMO="0")
    return subprocess.run([sys.executable, "run.py", "import", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)  # fmt: skip


def test_the_command_line_imports_prints_the_counts_and_writes_the_report(tmp_path: Path, sqlite_only: str) -> None:
    make_organization("acme")
    source = tmp_path / "clientes.csv"
    source.write_bytes(sample_csv())

    dry = run_cli(tmp_path, sqlite_only, str(source), "--organization", "acme", "--dry-run",
                  "--report", str(tmp_path / "previa.csv"))  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    printed = json.loads(dry.stdout)
    assert printed.items() >= {"rows": 8, "to_create": 3, "created": 0, "rejected": 3, "dry_run": True}.items()

    real = run_cli(tmp_path, sqlite_only, str(source), "--organization", "acme", "--report", str(tmp_path / "e.xlsx"))
    assert real.returncode == 0, real.stderr
    counts = json.loads(real.stdout)
    assert {k: counts[k] for k in SAMPLE_COUNTS} == SAMPLE_COUNTS
    assert (tmp_path / "e.xlsx").stat().st_size > 0
    assert (tmp_path / "previa.csv").read_text(encoding="utf-8-sig").count("\n") == 4  # header + 3 problems

    again = run_cli(tmp_path, sqlite_only, str(source), "--organization", "acme")
    assert json.loads(again.stdout)["created"] == 0 and json.loads(again.stdout)["already_present"] == 3


def test_a_file_that_cannot_be_read_exits_non_zero_with_the_reason(tmp_path: Path, sqlite_only: str) -> None:
    make_organization("acme")
    source = tmp_path / "quebrado.csv"
    source.write_bytes("Nome;CPF\nAna;SÃ£o\n".encode())
    result = run_cli(tmp_path, sqlite_only, str(source), "--organization", "acme")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.startswith("erro: ") and "acentos corrompidos" in result.stderr
